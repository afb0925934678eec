terraform {
  required_providers {
    ezitxt = {
      source = "ezitxt/ezitxt"
    }
  }
}

# Credentials come from EZITXT_USERNAME and EZITXT_PASSWORD.
provider "ezitxt" {}

variable "whatsapp_pin" {
  description = "Two-step verification PIN of the business number."
  type        = string
  sensitive   = true
  ephemeral   = true
}

# Register the WhatsApp Business number to send from. The PIN is write-only:
# it reaches the API but never the state or the plan.
resource "ezitxt_source" "support" {
  source         = "1234567890"
  waba_id        = "987654321"
  pin_wo         = var.whatsapp_pin
  pin_wo_version = 1
}

# Upload the logo once; a new file content replaces the upload.
resource "ezitxt_media" "logo" {
  source = ezitxt_source.support.source
  file   = "${path.module}/logo.png"
}

# Tell the on-call engineer that the environment is ready, and wait until the
# message has left for the phone.
resource "ezitxt_message" "ready" {
  source = ezitxt_source.support.source
  to     = "+6421000001"
  text   = { body = "The staging environment is ready." }

  wait_for_status = "sent"
}

output "message_status" {
  value = ezitxt_message.ready.status
}
