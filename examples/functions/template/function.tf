# Declare the approved template once...
locals {
  order_shipped = {
    name     = "order_shipped"
    language = "en_US"
    header   = { text = "Order {{1}}" }
    body     = "Hi {{1}}, order {{2}} has shipped."
    footer   = "Reply STOP to opt out"
    buttons = [
      { type = "url", text = "Track order", url = "https://shop.example.com/track/{{1}}" },
      { type = "quick_reply", text = "Thanks!" },
    ]
  }
}

# ...and every use is checked against it at plan time. Leaving out a body
# value fails the plan with "body has 2 placeholders ({{1}}..{{2}});
# values.body has 1" instead of a failed message after apply.
resource "ezitxt_message" "shipped" {
  source = "1234567890"
  to     = "+6421000001"
  template = provider::ezitxt::template(local.order_shipped, {
    header  = ["A-1017"]
    body    = ["Zoë", "A-1017"]
    buttons = ["A-1017", "thanks-A-1017"] # the URL suffix, the quick-reply payload
  })
}

# A template with an image header takes the image's URL.
resource "ezitxt_broadcast" "maintenance" {
  source       = "1234567890"
  destinations = ["+6421000001", "+6421000002"]
  template = provider::ezitxt::template(
    {
      name     = "maintenance_window"
      language = "en_US"
      header   = { format = "image" }
      body     = "Scheduled maintenance on {{1}}."
    },
    {
      header_media_url = "https://status.example.com/maintenance.png"
      body             = ["Saturday 22:00 NZDT"]
    },
  )
}
