# The ID of a message sent earlier, for example by another pipeline.
variable "release_notice_id" {
  type        = string
  description = "ID (UUID) of the message to look up."
}

# Look up a message's delivery status and content. An ID the API does not
# know is an error.
data "ezitxt_message" "release_notice" {
  id = var.release_notice_id
}

# Gate a pipeline on delivery: the precondition fails the plan (and the
# apply) while the message has not been read, so the pipeline stops at this
# step; run the step again later to pass it. A check block would only warn:
# plan and apply would still succeed.
output "release_notice" {
  precondition {
    condition     = data.ezitxt_message.release_notice.status == "read"
    error_message = "The release notice ${var.release_notice_id} is ${data.ezitxt_message.release_notice.status}, not read yet."
  }

  value = {
    status    = data.ezitxt_message.release_notice.status
    delivered = timeadd("1970-01-01T00:00:00Z", "${data.ezitxt_message.release_notice.timestamp}s")
    type      = data.ezitxt_message.release_notice.type
    body      = data.ezitxt_message.release_notice.attributes.body
  }
}
