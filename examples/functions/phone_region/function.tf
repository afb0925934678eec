# Route each number to the template language of its country.
locals {
  numbers  = ["+6421000001", "+5511987654321", "+14155552671"]
  language = { NZ = "en_NZ", BR = "pt_BR" }
}

output "languages" {
  # { "+14155552671" = "en_US", "+5511987654321" = "pt_BR", "+6421000001" = "en_NZ" }
  value = {
    for n in local.numbers : n => lookup(local.language, provider::ezitxt::phone_region(n, null), "en_US")
  }
}
