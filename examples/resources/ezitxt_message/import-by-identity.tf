# Terraform 1.12 and later, OpenTofu 1.12 and later: adopt a message sent
# outside this configuration by its identity, the message ID. The apply
# records the configured inputs in state and sends nothing.
import {
  to = ezitxt_message.maintenance_notice
  identity = {
    id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
  }
}
