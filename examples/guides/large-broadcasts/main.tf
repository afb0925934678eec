# A large broadcast split into one ezitxt_broadcast per group of numbers that
# end in the same two digits. A number's group depends on the number alone,
# so adding or removing numbers changes only their own groups, and the plan
# shows each group's change on its own (a short list, which Terraform renders
# in full, instead of one long one). Measured against one broadcast of the
# same numbers in the guide on large broadcasts.
#
# Choose the number of digits once: changing it (or the grouping in any other
# way) moves numbers to new broadcasts, and a new broadcast sends to all of
# its numbers again. Keep the groups at tens to hundreds of numbers: two digits
# for up to about 10,000 numbers, three for up to 100,000.

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
# example jsondecode(file("customers.json")).
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

# The same figures as for one broadcast, summed over the groups.
output "accepted" {
  value = sum([for b in ezitxt_broadcast.release : b.accepted_count])
}

# Numbers the API refused, with the reason, from every group.
output "failed" {
  value = merge([for b in ezitxt_broadcast.release : b.failed]...)
}

# Each number's message ID, from every group.
output "message_ids" {
  value = merge([
    for b in ezitxt_broadcast.release : { for n, r in jsondecode(b.results) : n => r.id }
  ]...)
}
