# The configuration `make demo` applies against a local ezitxt-mock.

terraform {
  required_providers {
    ezitxt = {
      source = "ezitxt/ezitxt"
    }
  }
}

# base_url, username and password come from EZITXT_* environment variables
# that scripts/demo.sh sets for the mock it started.
provider "ezitxt" {}

variable "broadcast_at" {
  description = "When the scheduled broadcast goes out (RFC 3339)."
  type        = string
}

# 1. Register the WhatsApp Business number to send from.
resource "ezitxt_source" "demo" {
  source  = "1234567890"
  waba_id = "987654321"
}

# 2. Upload a logo (a 1x1 PNG, inline so the demo needs no files).
resource "ezitxt_media" "logo" {
  source         = ezitxt_source.demo.source
  content_base64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
  filename       = "logo.png"
}

# 3. A text message, sent now.
resource "ezitxt_message" "welcome" {
  source = ezitxt_source.demo.source
  to     = "+6421000001"
  text   = { body = "Welcome aboard! Your account is ready." }
}

# 4. A template broadcast scheduled for later. +15550100009 is the mock's
#    test number for "not a WhatsApp account": the API refuses that one
#    number and sends to the others.
resource "ezitxt_broadcast" "launch" {
  source       = ezitxt_source.demo.source
  destinations = ["+6421000002", "+6421000003", "+15550100009"]
  scheduled    = var.broadcast_at

  template = {
    name        = "product_launch"
    language    = "en_US"
    body_params = ["EZITXT for Terraform"]
    media       = { type = "image", url = "https://example.com/launch.png" }
  }
}

locals {
  statuses = merge(
    { "welcome  ${ezitxt_message.welcome.to}" = ezitxt_message.welcome.status },
    { for number, v in ezitxt_broadcast.launch.results : "launch   ${number}" => lookup(ezitxt_broadcast.launch.failed, number, split(" ", v)[0]) },
  )
}

output "status_table" {
  description = "Delivery status of every message, one per line."
  value       = join("\n", [for k in sort(keys(local.statuses)) : format("  %-24s %s", k, local.statuses[k])])
}

output "logo" {
  value = "${ezitxt_media.logo.id} (${ezitxt_media.logo.mime_type}, ${ezitxt_media.logo.size_bytes} bytes, sha256 ${substr(ezitxt_media.logo.sha256, 0, 12)}...)"
}
