# Terraform 1.12 and later, OpenTofu 1.12 and later: import media by its
# identity, the source it was uploaded for and its media ID. The configured
# file is recorded on the apply, without uploading again, when its content
# matches.
import {
  to = ezitxt_media.logo
  identity = {
    source = "1234567890"
    id     = "4f1e0c9ab27d3e58a6c1b0d2"
  }
}
