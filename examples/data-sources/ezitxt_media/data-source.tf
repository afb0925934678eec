variable "media_id" {
  type        = string
  description = "The ID of an uploaded media file, such as the media of a customer's reply."
}

# Look up an uploaded media file: its SHA-256, size and type. The file is
# streamed and hashed, never kept, whatever its size.
data "ezitxt_media" "reply_photo" {
  source   = "1234567890"
  media_id = var.media_id
}

# Ask for the bytes only when needed: they are stored in state (at most
# 16 MiB).
data "ezitxt_media" "reply_photo_content" {
  source          = "1234567890"
  media_id        = var.media_id
  include_content = true
}

# For example, to save with the hashicorp/local provider:
#   resource "local_file" "reply_photo" {
#     filename       = "${path.module}/downloads/reply.jpg"
#     content_base64 = data.ezitxt_media.reply_photo_content.content_base64
#   }

output "reply_photo" {
  value = {
    sha256     = data.ezitxt_media.reply_photo.sha256
    size_bytes = data.ezitxt_media.reply_photo.size_bytes
    mime_type  = data.ezitxt_media.reply_photo.mime_type
  }
}
