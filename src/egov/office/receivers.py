"""The office listens to the exchange (src/egov/exchange/signals.py is the contract).

``package_received`` is sent inside the exchange's storing transaction: the incoming document
is registered in it too, and raising ``ValidationError`` refuses the package (status 02).
"""

from django.dispatch import receiver

from egov.exchange.signals import package_received, status_received

from . import services


@receiver(package_received, dispatch_uid="office.package_received")
def on_package_received(sender, package, **kwargs):
    """A verified edXML package arrived: register it as "arrived, to register"."""
    services.receive_package(package)


@receiver(status_received, dispatch_uid="office.status_received")
def on_status_received(
    sender, document_id, from_code, status_code, description="", at=None, staff=None, **kwargs
):
    """A status about one of our released documents: append to its recipient's history."""
    services.record_status(
        document_id, from_code, status_code, description=description, at=at, staff=staff
    )
