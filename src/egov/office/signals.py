"""Signals of the electronic office (the exchange app listens to them).

All are sent after commit (``transaction.on_commit``), with ids, never model instances, so a
receiver reads committed data and a failure there cannot undo the office's change.
"""

from django.dispatch import Signal

# An outgoing document was released (numbered, signed, sealed) to recipients outside this
# installation: (sender=OutgoingDocument, document_id, recipient_codes: list[str]). The exchange
# app packs one edXML package per recipient and queues it.
document_released = Signal()

# The office changed the state of an incoming document that came from another installation:
# (sender=IncomingDocument, document_id, status_code: str, description: str). status_code is an
# edXML status (02 refused, 03 accepted, 04 assigned, 05 processing, 06 completed); the
# exchange app sends the status package back to the sender.
incoming_status_changed = Signal()

# The sender recalled or replaced a document already sent (edXML business doc type 1 revoke,
# 2 update, 3 replace): (sender=OutgoingDocument, document_id, business: str, reason: str).
document_recalled = Signal()
