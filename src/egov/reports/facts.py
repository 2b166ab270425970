"""What each summary counter counts, as a filter on dossiers (or evaluations).

One definition serves both the refresh job (``Count(filter=...)`` per day, agency and
procedure) and the drill-down lists (the dossiers behind a figure), so the two always agree.
Each counter belongs to one *basis*: the date that places a dossier in a day.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from egov.catalog.models import OnlineMode
from egov.dossiers.models import Apology, Channel, DossierDocument, Evaluation, Timeliness
from egov.payments.models import Payment, PaymentStatus
from egov.portal.models import DocumentReuse

RECEIVED, RESOLVED, EVALUATED = "received", "resolved", "evaluated"


def _documents(**kwargs):
    return DossierDocument.objects.filter(dossier=OuterRef("pk"), **kwargs)


def basis_q(basis: str, first, after) -> Q:
    """Dossiers placed in [first, after) by ``basis``."""
    if basis == RECEIVED:
        return Q(received_at__gte=first, received_at__lt=after)
    if basis == RESOLVED:
        # Ready time; the return time for the few dossiers closed without one.
        return Q(timeliness__gt="") & (
            Q(finished_at__gte=first, finished_at__lt=after)
            | Q(finished_at__isnull=True, returned_at__gte=first, returned_at__lt=after)
        )
    return Q(evaluation__at__gte=first, evaluation__at__lt=after)


def dossier_q(counter: str) -> Q:
    """The dossiers ``counter`` counts, among those of its basis."""
    offered = ~Q(procedure_version__online_mode=OnlineMode.NONE)
    with_fee = Q(fee_amount__gt=0)
    late = Q(timeliness=Timeliness.LATE)
    filters = {
        "received": Q(),
        "received_online": Q(channel=Channel.ONLINE),
        "offered_online": offered,
        "offered_online_filed": offered & Q(channel=Channel.ONLINE),
        # Digitised: every document received has its scan (and there is at least one).
        "digitised": Q(Exists(_documents(is_result=False)))
        & ~Q(Exists(_documents(is_result=False, file=""))),
        "reused": Q(Exists(DocumentReuse.objects.filter(dossier=OuterRef("pk")))),
        "with_fee": with_fee,
        "paid_online": with_fee
        & Q(Exists(Payment.objects.filter(dossier=OuterRef("pk"), status=PaymentStatus.PAID))),
        "resolved": Q(),
        "early": Q(timeliness=Timeliness.EARLY),
        "on_time": Q(timeliness=Timeliness.ON_TIME),
        "late": late,
        "late_apologised": late & Q(Exists(Apology.objects.filter(dossier=OuterRef("pk")))),
        # An electronic result: a signed result file attached, or the result sent online.
        "results_electronic": Q(Exists(_documents(is_result=True).exclude(file="")))
        | Q(return_mode="online"),
        "evaluations": Q(),
        "very_satisfied": Q(evaluation__rating=Evaluation.Rating.VERY_SATISFIED),
        "satisfied": Q(evaluation__rating=Evaluation.Rating.SATISFIED),
        "not_satisfied": Q(evaluation__rating=Evaluation.Rating.NOT_SATISFIED),
    }
    return filters[counter]


BASIS = {
    **dict.fromkeys(
        [
            "received",
            "received_online",
            "offered_online",
            "offered_online_filed",
            "digitised",
            "reused",
            "with_fee",
            "paid_online",
        ],
        RECEIVED,
    ),
    **dict.fromkeys(
        ["resolved", "early", "on_time", "late", "late_apologised", "results_electronic"],
        RESOLVED,
    ),
    **dict.fromkeys(
        [
            "evaluations",
            "very_satisfied",
            "satisfied",
            "not_satisfied",
            "criteria_points",
            "criteria_max",
        ],
        EVALUATED,
    ),
}
