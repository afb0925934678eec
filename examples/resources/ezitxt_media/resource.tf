# Upload a local file. Its type is inferred from the extension (.png here),
# and its SHA-256 is checked at every plan: a new logo replaces the upload.
resource "ezitxt_media" "logo" {
  source = "1234567890" # a source registered with ezitxt_source
  file   = "${path.module}/assets/logo.png"
}

# A large document with an explicit type and the name recipients see.
# Uploads and refreshes stream the file, so its size does not matter to
# Terraform's memory.
resource "ezitxt_media" "price_list" {
  source    = "1234567890"
  file      = "${path.module}/assets/price-list-2026.pdf"
  filename  = "Price list 2026.pdf"
  mime_type = "application/pdf"
}

# Small content made in configuration, uploaded as text/plain
# (the type is sniffed from the content).
resource "ezitxt_media" "terms" {
  source = "1234567890"
  content_base64 = base64encode(<<-EOT
    Terms of service
    Replies to this number are answered within one business day.
  EOT
  )
}

# Uploads expire (after 30 days on the mock): refresh notices, and the next
# apply uploads the file again with a new id.
output "logo_media_id" {
  value = ezitxt_media.logo.id
}
