"""Signals of the document exchange (the electronic office listens to them).

Sent inside the transaction that stores what arrived, so that the office's registration and the
stored package commit together (nothing acknowledged is lost, nothing registered twice).
"""

from django.dispatch import Signal

# A verified edXML package for an agency of this installation was stored:
# (sender=ReceivedPackage, package) — the receiver (office) registers the incoming document from
# ``package.header`` (the parsed edXML header as a dict, keys as in the edXML element names)
# and ``package.attachments`` (list of (name, content_type, bytes)) and ``package.validation``
# (the XML signature report), and returns nothing; raising refuses the package (status 02).
package_received = Signal()

# A status package about a document this installation sent arrived:
# (sender=ReceivedStatus, document_id: str (edXML DocumentId), from_code: str,
#  status_code: str, description: str, at: datetime, staff: dict).
status_received = Signal()
