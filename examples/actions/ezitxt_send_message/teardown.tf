# Tell the team when an environment is torn down, once per environment
# (Terraform 1.16 or later: before_destroy and after_destroy events).
#
# Each terraform_data.environment stands for one environment; make the
# environment's resources refer to it (or depend on it) so that they are
# destroyed before it. Its after_destroy event invokes the action once the
# object is destroyed: by `terraform destroy`, or by removing its key from
# var.environments (deleting this resource block sends nothing: the trigger goes
# with it). Creating or updating an environment sends nothing. In the
# action's configuration, `caller` is the object that was destroyed.
variable "environments" {
  type        = map(string)
  description = "The environments, by name, with the team that owns each."
  default = {
    staging = "platform"
  }
}

resource "terraform_data" "environment" {
  for_each = var.environments
  input    = { name = each.key, owner = each.value }

  lifecycle {
    action_trigger {
      events  = [after_destroy]
      actions = [action.ezitxt_send_message.environment_torn_down]
    }
  }
}

action "ezitxt_send_message" "environment_torn_down" {
  config {
    source = "1234567890"
    to     = "+6421000001"
    text = {
      body = "Environment ${caller.output.name} (owner ${caller.output.owner}) was torn down."
    }
    reference = "teardown-${caller.output.name}"
  }
}
