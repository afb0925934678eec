# Adopt a message sent outside this configuration by its message ID. Write
# the resource block first, with the inputs the message was sent with: the
# next apply records them in state and sends nothing.
terraform import ezitxt_message.maintenance_notice 3fa85f64-5717-4562-b3fc-2c963f66afa6
