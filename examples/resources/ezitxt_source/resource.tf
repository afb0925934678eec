# The two-step verification PIN of the number, passed in at plan and apply
# time (TF_VAR_whatsapp_pin, -var, or a secrets manager). As an ephemeral
# variable it is never written to the plan or the state.
variable "whatsapp_pin" {
  type      = string
  sensitive = true
  ephemeral = true
}

# Register a WhatsApp Business phone number with EZITXT. The API cannot read
# or remove a registration: any change registers the number again, and
# destroy only removes it from state.
resource "ezitxt_source" "support" {
  source  = "1234567890"      # the WhatsApp Business phone number ID
  waba_id = "102290129340398" # the WhatsApp Business Account it belongs to

  # Write-only (Terraform 1.11+, OpenTofu 1.11+): sent to the API, never
  # stored. Bump the version whenever the PIN changes to register again.
  pin_wo         = var.whatsapp_pin
  pin_wo_version = 1
}

# A number without two-step verification needs no PIN.
resource "ezitxt_source" "marketing" {
  source  = "1234567891"
  waba_id = "102290129340398"
}

# Messages and media then name the source.
output "support_source" {
  value = ezitxt_source.support.source
}
