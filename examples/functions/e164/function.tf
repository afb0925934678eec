# Normalise the numbers people keep in spreadsheets to the E.164 form that
# `to` and `destinations` take. National numbers are read in default_region.
output "us_number" {
  value = provider::ezitxt::e164("(415) 555-2671", "US") # "+14155552671"
}

output "nz_numbers" {
  value = [
    provider::ezitxt::e164("021 000 001", "NZ"),     # "+6421000001"
    provider::ezitxt::e164("0064 21 000 001", "NZ"), # "+6421000001": 00 is NZ's international prefix
    provider::ezitxt::e164("+64-21-000-001", null),  # "+6421000001": a country code needs no region
  ]
}

# A contact list exported as CSV (name,phone,country), sent as one broadcast.
locals {
  contacts = csvdecode(<<-CSV
    name,phone,country
    Ana,(415) 555-2671,US
    Ben,021 000 002,NZ
    CSV
  )
}

resource "ezitxt_broadcast" "office_move" {
  source       = "1234567890"
  destinations = toset([for c in local.contacts : provider::ezitxt::e164(c.phone, c.country)])
  text         = { body = "Our office moves on Monday." }
}
