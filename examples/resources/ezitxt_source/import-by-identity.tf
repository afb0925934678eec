# Terraform 1.12 and later, OpenTofu 1.12 and later: import a source by its
# identity, the phone number ID and the WhatsApp Business Account ID.
import {
  to = ezitxt_source.support
  identity = {
    source  = "1234567890"
    waba_id = "102290129340398"
  }
}
