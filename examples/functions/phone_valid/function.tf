# Refuse bad numbers at plan time, with your own message.
variable "on_call" {
  type    = list(string)
  default = ["021 000 001", "+1 415 555 2671"]

  validation {
    condition     = alltrue([for n in var.on_call : provider::ezitxt::phone_valid(n, "NZ")])
    error_message = "Every on_call number must be a valid phone number; national numbers are read as NZ numbers."
  }
}

# Or keep the good rows of a contact list and report the others.
locals {
  rows = [
    { name = "Ana", phone = "(415) 555-2671" },
    { name = "Finn", phone = "call after 5pm" },
  ]
}

output "unreachable" {
  value = [for r in local.rows : r.name if !provider::ezitxt::phone_valid(r.phone, "US")] # ["Finn"]
}
