# Every configuration that uses the provider declares where it comes from;
# without this block, Terraform looks for hashicorp/ezitxt.
terraform {
  required_providers {
    ezitxt = {
      source = "ezitxt/ezitxt"
    }
  }
}
