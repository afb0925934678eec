terraform {
  required_providers {
    ezitxt = {
      source = "ezitxt/ezitxt"
    }
  }
}

# Credentials are best taken from the environment, so they stay out of
# configuration files and version control:
#
#   export EZITXT_USERNAME="my-account"
#   export EZITXT_PASSWORD="..."
provider "ezitxt" {
  # Every setting is optional here when its environment variable is set.
  # base_url      = "https://new.eziapi.com/rest/wab/v1" # or EZITXT_BASE_URL
  max_retries     = 5     # or EZITXT_MAX_RETRIES
  request_timeout = "60s" # or EZITXT_REQUEST_TIMEOUT
}
