# The WhatsApp Business phone number ID the messages are sent from, registered
# with ezitxt_source (or outside Terraform).
variable "source_number_id" {
  type    = string
  default = "1234567890"
}

# A text message, sent once when this resource is created. Applying the same
# configuration again sends nothing; changing any input (here the body)
# replaces the resource, which sends a new message: the plan shows
# "forces replacement" on the attribute that changed.
resource "ezitxt_message" "maintenance_notice" {
  source = var.source_number_id
  to     = "+6421000001"
  text = {
    body = "Scheduled maintenance tonight from 22:00 to 23:00 NZT."
  }

  # Your own reference, echoed in the status callbacks.
  reference = "maintenance-2026-12-05"

  # Make apply wait until the message is delivered (or fail if it ends in
  # failed, rejected, dead or expired). Running out of time is a warning:
  # the message may still arrive and is not sent again.
  wait_for_status = "received"
  wait_timeout    = "5m"
}

# The delivery time of the scheduled message below: usually a fixed RFC 3339
# time such as "2027-03-01T09:00:00+13:00". Here it is one day after the
# first apply, kept by terraform_data (ignore_changes) so that later plans do
# not move it: a new time would replace the message, which sends it again.
resource "terraform_data" "order_shipped_at" {
  input = timeadd(plantimestamp(), "24h")

  lifecycle {
    ignore_changes = [input]
  }
}

# A template message with header and body parameters, header media and a
# quick-reply button, delivered at a set time (RFC 3339, in the future and at
# most 60 days ahead when it is sent; a time known only during apply, as here
# on the first apply, is checked then, before anything is sent). Writing the
# same instant with another offset is not a change.
resource "ezitxt_message" "order_shipped" {
  source    = var.source_number_id
  to        = "+6421000002"
  scheduled = terraform_data.order_shipped_at.output
  template = {
    name          = "order_shipped"
    language      = "en_US"
    header_params = ["Order 4711"]
    body_params   = ["Alex", "Tuesday"]
    media = {
      type = "image"
      url  = "https://assets.example.com/parcel.png"
    }
    buttons = [
      { index = 0, type = "quick_reply", payload = "track-4711" },
    ]
  }
}

# A document fetched by the API from a URL.
resource "ezitxt_message" "invoice" {
  source = var.source_number_id
  to     = "+6421000003"
  media = {
    type = "document"
    url  = "https://assets.example.com/invoices/4711.pdf"
  }
}

# A file uploaded with ezitxt_media, sent by its media ID. Uploads expire
# (the next apply uploads the file again under a new ID): a new ID is
# recorded in place and never sends this message again.
resource "ezitxt_media" "price_list" {
  source         = var.source_number_id
  content_base64 = base64encode("Price list 2026\n")
  filename       = "price-list.txt"
}

resource "ezitxt_message" "price_list" {
  source = var.source_number_id
  to     = "+6421000005"
  media = {
    type     = "document"
    media_id = ezitxt_media.price_list.id
  }
}

# Anything the other content types do not cover, as a WhatsApp Cloud API
# payload. Write it with jsonencode(): a payload rewritten with other
# whitespace or key order is not a change and sends nothing.
resource "ezitxt_message" "approval" {
  source = var.source_number_id
  to     = "+6421000004"
  raw = {
    version = "v19.0"
    payload = jsonencode({
      type = "interactive"
      interactive = {
        type = "button"
        body = { text = "Approve the production deploy?" }
        action = {
          buttons = [
            { type = "reply", reply = { id = "approve", title = "Approve" } },
            { type = "reply", reply = { id = "reject", title = "Reject" } },
          ]
        }
      }
    })
  }
}

# The message ID and the delivery status, updated on every refresh. A status
# of "unknown" (with an empty ID) means the connection failed after the send
# was written: the provider does not send it again on its own.
output "maintenance_notice" {
  value = {
    id     = ezitxt_message.maintenance_notice.id
    status = ezitxt_message.maintenance_notice.status
  }
}
