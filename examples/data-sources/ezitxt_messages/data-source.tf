variable "message_ids" {
  type = list(string)
  default = [
    "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "6f1c2a9e-8b4d-4e2f-9a7c-1d3b5e7f9a0b",
  ]
}

# Look up many messages at once, a bounded number of requests at a time. IDs
# the API does not know (purged, or sent with another account) are listed in
# not_found instead of failing the read.
data "ezitxt_messages" "recent" {
  ids = var.message_ids
}

# Messages of a broadcast. A number whose send had an unknown outcome has an
# empty ID, which is not looked up: messages[""] reports status "unknown".
#
#   data "ezitxt_messages" "incident" {
#     ids = [for v in values(ezitxt_broadcast.incident.results) : split(" ", v)[1]]
#   }

output "delivery_summary" {
  value = {
    read      = length([for m in data.ezitxt_messages.recent.messages : m if m.status == "read"])
    failed    = [for id, m in data.ezitxt_messages.recent.messages : id if contains(["failed", "rejected", "dead", "expired"], m.status)]
    not_found = data.ezitxt_messages.recent.not_found
  }
}
