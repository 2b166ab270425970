"""Background jobs of the exchange (the Django tasks API, django-tasks backport).

django-tasks has no automatic retry: a failed attempt schedules the next one itself (deferred
with ``run_after`` where the backend supports it), and the periodic ``send_outbox`` command
sends whatever is due, whichever comes first.
"""

from django_tasks import task


@task()
def deliver_message(message_id: int) -> str:
    """Send one outbox message (at most once after the peer acknowledged it)."""
    from .services import deliver

    return deliver(message_id)
