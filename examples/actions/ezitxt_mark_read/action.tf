# Mark customers' replies as read once your support pipeline has handled
# them, so that they show as read on the customer's phone. Run:
#
#   terraform apply -invoke=action.ezitxt_mark_read.handled \
#     -var='handled_reply_ids=["3fa85f64-5717-4562-b3fc-2c963f66afa6"]'
#
# Unknown IDs are reported one by one; every known message is still marked.
variable "handled_reply_ids" {
  type        = set(string)
  description = "IDs (UUIDs) of the replies that have been handled, from the reply callbacks."
}

action "ezitxt_mark_read" "handled" {
  config {
    message_ids = var.handled_reply_ids
  }
}

# Or mark them as part of a normal apply: each new batch of IDs replaces
# terraform_data.handled_batch, whose creation invokes the action.
resource "terraform_data" "handled_batch" {
  triggers_replace = var.handled_reply_ids

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.ezitxt_mark_read.handled]
    }
  }
}
