# A module that announces each release once: the ezitxt_send_message action
# fires when terraform_data.release is created, that is on the first apply
# and whenever var.release changes (triggers_replace replaces it).
#
# The module declares no required_providers so that the acceptance test's
# provider (registered as hashicorp/ezitxt by terraform-plugin-testing)
# is inherited; a real module would declare source = "ezitxt/ezitxt".

variable "source_id" {
  type = string
}

variable "recipients" {
  type = set(string)
}

variable "release" {
  type = string
}

action "ezitxt_send_message" "announce" {
  config {
    source       = var.source_id
    destinations = var.recipients
    text = {
      body = "Release ${terraform_data.release.output} is live."
    }
    reference = "release-${terraform_data.release.output}"
  }
}

resource "terraform_data" "release" {
  input            = var.release
  triggers_replace = [var.release]

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.ezitxt_send_message.announce]
    }
  }
}

output "release" {
  value = terraform_data.release.output
}
