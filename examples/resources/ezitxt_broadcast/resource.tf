variable "source_number_id" {
  type    = string
  default = "1234567890"
}

# The customers to notify; in practice read from a file or another system.
variable "on_call_numbers" {
  type    = list(string)
  default = ["+6421000001", "+6421000002", "+6421000003"]
}

# One message to many numbers, sent in batches of at most 1,000. Adding
# numbers to the list sends to the new numbers only, removing numbers only
# forgets them, and the order of the list does not matter. Changing the
# content, source, schedule or reference replaces the broadcast, which sends
# it again to every number: the plan warns about it.
resource "ezitxt_broadcast" "incident" {
  source       = var.source_number_id
  destinations = var.on_call_numbers
  text = {
    body = "Incident INC-2041: the payments API is degraded. Bridge: https://meet.example.com/inc-2041"
  }
  reference = "INC-2041"
}

# The start of the maintenance window: usually a fixed RFC 3339 time such as
# "2027-03-06T09:00:00+13:00". Here it is three days after the first apply,
# kept by terraform_data (ignore_changes) so that later plans do not move it:
# a new time would replace the broadcast, which sends it again.
resource "terraform_data" "maintenance_starts" {
  input = timeadd(plantimestamp(), "72h")

  lifecycle {
    ignore_changes = [input]
  }
}

# A template broadcast scheduled for a set time (at most 60 days ahead when
# it is sent). Every number gets the message at that time; numbers added
# later get it then too, or right away once the time has passed.
resource "ezitxt_broadcast" "maintenance_window" {
  source       = var.source_number_id
  destinations = var.on_call_numbers
  scheduled    = terraform_data.maintenance_starts.output
  template = {
    name        = "maintenance_window"
    language    = "en_US"
    body_params = ["Saturday 19 December", "22:00", "2 hours"]
    media = {
      type = "image"
      url  = "https://assets.example.com/maintenance.png"
    }
    buttons = [
      { index = 0, type = "quick_reply", payload = "remind-me" },
    ]
  }
}

# Partial failure is reported per number: numbers the API refused (such as a
# number without WhatsApp) are listed in failed with the reason, and are not
# retried; the others were sent to and are never sent to again. Each entry of
# results is "STATUS MESSAGE_ID": the message ID of one number is
# split(" ", ezitxt_broadcast.incident.results["+6421000001"])[1].
output "incident_delivery" {
  value = {
    accepted = ezitxt_broadcast.incident.accepted_count
    failed   = ezitxt_broadcast.incident.failed_count
    refused  = ezitxt_broadcast.incident.failed
  }
}
