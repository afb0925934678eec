# Notify the on-call channel when a pipeline deploys a release, exactly once
# per release, with resources (this works on every Terraform and OpenTofu
# version; Terraform 1.14+ can also use the ezitxt_send_message action).
#
# Run in the deploy job, after the deploy:
#
#   terraform apply -auto-approve \
#     -var "release=$CI_COMMIT_TAG" -var "environment=production" \
#     -var "pipeline_url=$CI_PIPELINE_URL"
#
# Re-running the job for the same release plans no changes and sends
# nothing. A new release changes the message body, which replaces the
# message: that is the new send, and the plan says so. Keep the state in a
# remote backend so that every run of the job sees it.

terraform {
  required_providers {
    ezitxt = {
      source = "ezitxt/ezitxt"
    }
  }
}

variable "release" {
  type        = string
  description = "The version deployed, such as v2.4.1."
}

variable "environment" {
  type    = string
  default = "production"
}

variable "pipeline_url" {
  type    = string
  default = ""
}

variable "source_number_id" {
  type    = string
  default = "1234567890"
}

variable "on_call_number" {
  type    = string
  default = "+6421000001"
}

variable "stakeholder_numbers" {
  type    = list(string)
  default = ["+6421000002", "+6421000003"]
}

locals {
  summary = "Deployed ${var.release} to ${var.environment}."
}

# The on-call engineer gets a message and the job waits until it is
# delivered (wait_timeout bounds the wait; a failed delivery fails the
# job and the next run sends again).
resource "ezitxt_message" "deployed" {
  source = var.source_number_id
  to     = var.on_call_number
  text = {
    body = var.pipeline_url == "" ? local.summary : "${local.summary} ${var.pipeline_url}"
  }
  reference       = "deploy-${var.environment}-${var.release}"
  wait_for_status = "received"
  wait_timeout    = "3m"
}

# Stakeholders get a template broadcast. Adding someone to the list later
# sends to that number only.
resource "ezitxt_broadcast" "release_notes" {
  source       = var.source_number_id
  destinations = var.stakeholder_numbers
  reference    = "release-notes-${var.release}"
  template = {
    name        = "release_published"
    language    = "en_US"
    body_params = [var.release, var.environment]
  }
}

output "notification" {
  value = {
    message_id     = ezitxt_message.deployed.id
    status         = ezitxt_message.deployed.status
    notes_accepted = ezitxt_broadcast.release_notes.accepted_count
    notes_failed   = ezitxt_broadcast.release_notes.failed_count
  }
}
