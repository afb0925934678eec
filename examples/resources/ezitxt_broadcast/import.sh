# A broadcast is imported by its numbers and their message IDs, as
# NUMBER=MESSAGE_ID pairs separated by commas: the destinations and message
# IDs the API answered the broadcast with (POST /messages/broadcast), or the
# results of a state that holds it (split(" ", ...results[NUMBER])[1]). The
# IDs below are placeholders. Each message is read back: an ID the API does
# not know fails the import. The numbers become destinations in the order
# given; list them in your configuration's order, or the first plan shows the
# list reordered (an update that sends nothing). The API does not report the
# content or the source, so the next apply records the configured ones
# without sending anything, and the plan warns where the configured content
# contradicts what the API reports. The API does not report why a number was
# refused either: after import, failed gives the status of such a number alone.
terraform import ezitxt_broadcast.maintenance_window '+6421000001=3fa85f64-5717-4562-b3fc-2c963f66afa6,+6421000002=497f6eca-6276-4993-bfeb-53cbbbba6f08'
