"""The dossier state machine, as data: states, and for each action where it may start, where
it leads, who may take it and what it requires (Circular 01/2018, Decree 61/2018 §1.1).

Services (``services.py``) implement each action; this table is what the API and the pages
read to show "the actions this user may take", and what the services check first.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.models import Role


class State(models.TextChoices):
    DRAFT = "draft", _("Not yet submitted")
    SUBMITTED = "submitted", _("Submitted online, awaiting completeness check")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested (clock not started)")
    REFUSED = "refused", _("Refused to receive")
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Handed to the processing unit")
    PROCESSING = "processing", _("In processing")
    INTERAGENCY = "interagency", _("At coordinating agencies")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting fee payment")
    PAUSED = "paused", _("Paused for supplement")
    RESULT_READY = "result_ready", _("Result ready")
    RETURNED = "returned", _("Result returned")
    EVALUATED = "evaluated", _("Evaluated")
    STOPPED = "stopped", _("Stopped / withdrawn")


# Where the acting official must stand for the action:
#   "receiving"  — the receiving agency (one-stop desk);
#   "current"    — the agency (or unit) of the current workflow step;
#   "coordinating" — an agency with an open inter-agency task;
#   "applicant"  — the applicant's own account.
RECEIVING, CURRENT, COORDINATING, APPLICANT = "receiving", "current", "coordinating", "applicant"

# States in which the statutory clock runs (for overdue checks and warnings).
CLOCK_RUNNING = frozenset(
    {State.RECEIVED, State.ASSIGNED, State.PROCESSING, State.INTERAGENCY, State.AWAITING_PAYMENT}
)
ACTIVE = CLOCK_RUNNING | {State.PAUSED}
PRE_RECEIPT = frozenset({State.DRAFT, State.SUBMITTED, State.SUPPLEMENT_REQUESTED})
FINAL = frozenset({State.REFUSED, State.STOPPED, State.EVALUATED})
# Nothing left to do on them: final, or returned and waiting only for the rating. A sorted
# list, the same in queries and in the partial indexes, so PostgreSQL matches them.
CLOSED_STATES = sorted(FINAL | {State.RETURNED})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str | None  # None: the state does not change (e.g. apology)
    roles: frozenset
    where: str | tuple[str, ...]
    label: str
    needs_reason: bool = False
    handover: bool = False
    extra: tuple = field(default_factory=tuple)


LEADERS = frozenset({Role.UNIT_LEADER, Role.AGENCY_LEADER})
PROCESSORS = frozenset({Role.SPECIALIST, Role.UNIT_LEADER, Role.AGENCY_LEADER})

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            "submit",
            frozenset({State.DRAFT}),
            State.SUBMITTED,
            frozenset(),
            APPLICANT,
            _("Submit online"),
        ),
        Transition(
            "receive",
            frozenset({State.DRAFT, State.SUBMITTED}),
            State.RECEIVED,
            frozenset({Role.RECEPTION}),
            RECEIVING,
            _("Receive (issue receipt)"),
        ),
        Transition(
            "request_supplement",
            frozenset({State.DRAFT, State.SUBMITTED}),
            State.SUPPLEMENT_REQUESTED,
            frozenset({Role.RECEPTION}),
            RECEIVING,
            _("Request a supplement"),
            needs_reason=True,
            extra=("items",),
        ),
        Transition(
            "resubmit",
            frozenset({State.SUPPLEMENT_REQUESTED}),
            State.SUBMITTED,
            frozenset(),
            APPLICANT,
            _("Send the supplement"),
        ),
        Transition(
            "refuse",
            frozenset({State.DRAFT, State.SUBMITTED, State.SUPPLEMENT_REQUESTED}),
            State.REFUSED,
            frozenset({Role.RECEPTION}),
            RECEIVING,
            _("Refuse to receive"),
            needs_reason=True,
        ),
        Transition(
            "handover",
            frozenset({State.RECEIVED}),
            State.ASSIGNED,
            frozenset({Role.RECEPTION}),
            RECEIVING,
            _("Hand over to the processing unit"),
            handover=True,
        ),
        Transition(
            "assign",
            frozenset({State.ASSIGNED}),
            State.PROCESSING,
            LEADERS,
            CURRENT,
            _("Assign to a specialist"),
            handover=True,
            extra=("assignee",),
        ),
        Transition(
            "forward",
            frozenset({State.PROCESSING}),
            State.PROCESSING,
            PROCESSORS,
            CURRENT,
            _("Send to the next step"),
            handover=True,
        ),
        Transition(
            "request_interagency",
            frozenset({State.PROCESSING}),
            State.INTERAGENCY,
            PROCESSORS,
            CURRENT,
            _("Ask the coordinating agencies"),
            handover=True,
        ),
        Transition(
            "complete_interagency",
            frozenset({State.INTERAGENCY}),
            None,
            PROCESSORS,
            COORDINATING,
            _("Send our opinion back"),
            handover=True,
        ),
        Transition(
            "request_fee",
            frozenset({State.PROCESSING}),
            State.AWAITING_PAYMENT,
            PROCESSORS,
            CURRENT,
            _("Ask for the fee"),
        ),
        Transition(
            "confirm_payment",
            frozenset({State.AWAITING_PAYMENT}),
            State.PROCESSING,
            frozenset({Role.RECEPTION}) | PROCESSORS,
            (RECEIVING, CURRENT),
            _("Confirm payment"),
        ),
        Transition(
            "pause_for_supplement",
            frozenset({State.PROCESSING}),
            State.PAUSED,
            PROCESSORS,
            CURRENT,
            _("Pause for a supplement"),
            needs_reason=True,
            extra=("items",),
        ),
        Transition(
            "resume",
            frozenset({State.PAUSED}),
            State.PROCESSING,
            frozenset({Role.RECEPTION}) | PROCESSORS,
            (RECEIVING, CURRENT, APPLICANT),
            _("Resume (supplement received)"),
        ),
        Transition(
            "apologize",
            frozenset(CLOCK_RUNNING | {State.PAUSED}),
            None,
            LEADERS,
            CURRENT,
            _("Apologise and set a new date"),
            needs_reason=True,
            extra=("new_appointment",),
        ),
        Transition(
            "approve",
            frozenset({State.PROCESSING}),
            State.RESULT_READY,
            frozenset({Role.AGENCY_LEADER}),
            CURRENT,
            _("Approve and sign the result"),
            handover=True,
        ),
        Transition(
            "return_result",
            frozenset({State.RESULT_READY}),
            State.RETURNED,
            frozenset({Role.RECEPTION}),
            RECEIVING,
            _("Return the result"),
            extra=("mode", "tracking"),
        ),
        Transition(
            "evaluate",
            frozenset({State.RETURNED}),
            State.EVALUATED,
            frozenset({Role.RECEPTION}),
            APPLICANT,
            _("Record the applicant's rating"),
            extra=("rating",),
        ),
        Transition(
            "stop",
            frozenset(ACTIVE | PRE_RECEIPT | {State.RECEIVED}),
            State.STOPPED,
            LEADERS | {Role.RECEPTION},
            (RECEIVING, CURRENT),
            _("Stop / withdraw"),
            needs_reason=True,
        ),
    ]
}
