# Approved WhatsApp templates declared once, in templates.json, and used by
# a message and a broadcast. provider::ezitxt::template checks the values
# against the declaration at plan time; template_preview shows the text the
# recipients read. The same templates.json is what `ezitxt-mock -templates`
# takes, so that the mock fails a send that does not fit, as WhatsApp would.
#
#   ezitxt-mock -listen 127.0.0.1:0 -templates templates.json -sources 1234567890 > mock.url &
#   export EZITXT_BASE_URL="$(head -n1 mock.url)" EZITXT_USERNAME=demo EZITXT_PASSWORD=demo-password
#   terraform apply
#
# with the CLI configuration of the README's "Use this build" section: the
# provider is not on a registry yet, so do not run terraform init.

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

variable "customer" {
  type = object({ name = string, phone = string, order = string, eta = string })
  default = {
    name  = "Zoë"
    phone = "+6421000001"
    order = "A-1017"
    eta   = "tomorrow"
  }
}

variable "on_call" {
  description = "Numbers to tell about maintenance, as people write them (NZ numbers may be national)."
  type        = list(string)
  default     = ["021 000 002", "+64 21 000 003"]

  validation {
    condition     = alltrue([for n in var.on_call : provider::ezitxt::phone_valid(n, "NZ")])
    error_message = "Every on_call entry must be a valid phone number (national numbers are read as NZ)."
  }
}

locals {
  # Every approved template, by name and language: templates["order_shipped/en_US"].
  templates = {
    for t in jsondecode(file("${path.module}/templates.json")) : "${t.name}/${t.language}" => t
  }

  shipped_values = {
    header  = [var.customer.order]
    body    = [var.customer.name, var.customer.order, var.customer.eta]
    buttons = [var.customer.order, "thanks-${var.customer.order}"] # URL suffix, quick-reply payload
  }

  maintenance_values = {
    header_media_url = "https://status.example.com/maintenance.png"
    body             = ["Saturday 22:00 NZDT", "2 hours"]
  }
}

# One customer: the order_shipped template, checked at plan time.
resource "ezitxt_message" "shipped" {
  source          = var.source_number_id
  to              = var.customer.phone
  template        = provider::ezitxt::template(local.templates["order_shipped/en_US"], local.shipped_values)
  wait_for_status = "sent"
}

# Many numbers: the maintenance_window template, with an image header.
resource "ezitxt_broadcast" "maintenance" {
  source       = var.source_number_id
  destinations = toset([for n in var.on_call : provider::ezitxt::e164(n, "NZ")])
  template     = provider::ezitxt::template(local.templates["maintenance_window/en_US"], local.maintenance_values)
}

# What the customer reads, for review in the plan and in CI logs.
output "shipped_preview" {
  value = provider::ezitxt::template_preview(local.templates["order_shipped/en_US"], local.shipped_values)
}

# The same values in the pt_BR translation, which must fit it too.
output "shipped_preview_pt_br" {
  value = provider::ezitxt::template_preview(local.templates["order_shipped/pt_BR"], local.shipped_values).body
}

# The order message's ID, to read it back (data "ezitxt_message", or the
# mock's admin API: GET /__admin/messages/<id>).
output "shipped_id" {
  value = ezitxt_message.shipped.id
}

# The message ID per number, to look statuses up later (data "ezitxt_messages").
output "maintenance_message_ids" {
  value = { for n, v in ezitxt_broadcast.maintenance.results : n => split(" ", v)[1] }
}
