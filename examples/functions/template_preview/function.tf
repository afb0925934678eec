locals {
  order_shipped = {
    name     = "order_shipped"
    language = "en_US"
    body     = "Hi {{1}}, order {{2}} has shipped."
  }
}

# The text the customer reads, in the plan and in CI logs.
output "preview" {
  value = provider::ezitxt::template_preview(local.order_shipped, { body = ["Ana", "A-17"] }).body
  # "Hi Ana, order A-17 has shipped."
}
