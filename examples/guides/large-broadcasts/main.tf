# A large broadcast split into one ezitxt_broadcast per group of numbers that
# end in the same two digits. A number's group depends on the number alone,
# so adding or removing numbers changes only their own groups, and the plan
# shows each group's change on its own (a short list instead of one long
# one). The guide "Large broadcasts in pipelines" measures it against one
# broadcast of the same numbers, and says when it pays.
#
# Choose the number of digits once: changing it (or the grouping in any other
# way) moves numbers to new broadcasts, and a new broadcast sends to all of
# its numbers again (the plan shows them as created). Groups may grow: with
# two digits, 50,000 numbers make groups of about 500, which still works.

terraform {
  required_providers {
    ezitxt = {
      source = "ezitxt/ezitxt"
    }
  }
}

variable "source_number_id" {
  type    = string
  default = "1234567890"
}

# The numbers to notify. In practice thousands, read from a file, for
# example jsondecode(file("customers.json")). (Terraform's range() makes at
# most 1,024 values, so a generated test list of more needs several.)
variable "customer_numbers" {
  type = list(string)
  default = [
    "+6421000101", "+6421000102", "+6421000103", "+6421000201",
    "+6421000202", "+6421000203", "+6421000301", "+6421000302",
  ]
}

locals {
  # "01" => ["+6421000101", "+6421000201", "+6421000301"], "02" => [...]
  by_last_digits = { for n in var.customer_numbers : substr(n, -2, -1) => n... }
}

resource "ezitxt_broadcast" "release" {
  for_each     = local.by_last_digits
  source       = var.source_number_id
  destinations = each.value
  text = {
    body = "Release 2.4 is live: see https://status.example.com for what changed."
  }
}

# The same figures as for one broadcast, summed over the groups (the 0 keeps
# sum working when the list, and so every group, is empty).
output "accepted" {
  value = sum(concat([0], [for b in ezitxt_broadcast.release : b.accepted_count]))
}

# Numbers the API refused, with the reason, from every group.
output "failed" {
  value = merge([for b in ezitxt_broadcast.release : b.failed]...)
}

# Each number's message ID, from every group.
output "message_ids" {
  value = merge([
    for b in ezitxt_broadcast.release : { for n, v in b.results : n => split(" ", v)[1] }
  ]...)
}
