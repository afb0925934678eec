# A source is imported by its phone number ID and WhatsApp Business Account ID,
# separated by a slash. The API cannot return the PIN: a pin_wo_version (or pin)
# set in the configuration is recorded on the next apply without registering
# again; change pin_wo_version afterwards to send a new PIN.
terraform import ezitxt_source.support 1234567890/102290129340398
