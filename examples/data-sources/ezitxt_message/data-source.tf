# The ID of a message sent earlier, for example by another pipeline.
variable "release_notice_id" {
  type    = string
  default = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
}

# Look up a message's delivery status and content. An ID the API does not
# know is an error.
data "ezitxt_message" "release_notice" {
  id = var.release_notice_id
}

# Gate a pipeline on delivery: the plan fails until the message was read.
check "release_notice_read" {
  assert {
    condition     = data.ezitxt_message.release_notice.status == "read"
    error_message = "The release notice is ${data.ezitxt_message.release_notice.status}, not read yet."
  }
}

output "release_notice" {
  value = {
    status    = data.ezitxt_message.release_notice.status
    delivered = timeadd("1970-01-01T00:00:00Z", "${data.ezitxt_message.release_notice.timestamp}s")
    type      = data.ezitxt_message.release_notice.type
    body      = data.ezitxt_message.release_notice.attributes.body
  }
}
