# Announce each release exactly once, from the apply that rolls it out.
#
# terraform_data.release is created on the first apply and replaced whenever
# var.release changes (triggers_replace); its after_create event invokes the
# action. An apply that changes nothing sends nothing. If the send fails, the
# apply fails but terraform_data.release is not tainted, so the next apply
# does not send again: fix the cause and use
# `terraform apply -invoke=action.ezitxt_send_message.release_announcement`.
#
# The action's configuration reads var.release, not terraform_data.release:
# Terraform 1.16 warns about a triggered action that refers to the resource
# that triggers it ("can be accessed via the caller symbol"), and `caller`
# does not exist before Terraform 1.16. var.release works on 1.14 and later.
variable "release" {
  type        = string
  description = "The version being rolled out, such as v2.4.0."
}

resource "terraform_data" "release" {
  input            = var.release
  triggers_replace = [var.release]

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.ezitxt_send_message.release_announcement]
    }
  }
}

action "ezitxt_send_message" "release_announcement" {
  config {
    source = "1234567890"
    to     = "+6421000001"
    text = {
      body = "api ${var.release} is live in production."
    }
    reference = "release-${var.release}"
  }
}
