# Media is imported by its source and media ID, separated by a slash. The API
# returns the bytes and their type, not the local file they came from: the
# configured file or content_base64 is recorded on the next apply, without
# uploading again, when its content matches.
terraform import ezitxt_media.logo 1234567890/4f1e0c9ab27d3e58a6c1b0d2
