# A one-off notification, sent each time you run:
#
#   terraform apply -invoke=action.ezitxt_send_message.deploy_started
#
# Nothing is kept in state: every invocation sends a new message.
action "ezitxt_send_message" "deploy_started" {
  config {
    source = "1234567890" # the WhatsApp Business phone number ID, see ezitxt_source
    to     = "+6421000001"
    text = {
      body = "Production deploy of api v2.4.0 is starting."
    }
    reference = "deploy-api-v2.4.0" # echoed in status callbacks
  }
}

# A broadcast of an approved template to the on-call team. The action waits
# until every message is delivered to a phone (or fails, listing the numbers
# that were refused or not delivered in time). Numbers the API accepted are
# never sent to again by the same invocation.
action "ezitxt_send_message" "maintenance_notice" {
  config {
    source       = "1234567890"
    destinations = ["+6421000001", "+6421000002", "+6421000003"]
    template = {
      name        = "maintenance_window"
      language    = "en_US"
      body_params = ["Saturday 22:00 NZDT", "2 hours"]
    }
    wait_for_status = "received"
    timeouts = {
      invoke = "5m"
    }
  }
}
