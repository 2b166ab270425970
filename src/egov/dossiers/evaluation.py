"""The applicant's evaluation of how her dossier was handled (Circular 01/2018, art. 22 and
Appendix; kept by Decision 766/QĐ-TTg's satisfaction group): nine criteria of up to two
points each, besides the overall very satisfied / satisfied / not satisfied."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# (key, question). Points: 2 good, 1 acceptable, 0 poor. Data, not logic: should a later
# circular change the list, only this table changes and old evaluations keep their keys.
CRITERIA = [
    ("total_time", _("Total time taken compared with the time allowed by law")),
    ("agency_time", _("Time taken by each agency involved")),
    ("contacts", _("Number of times you had to contact the agencies to complete the dossier")),
    ("agencies_contacted", _("Number of agencies you had to deal with")),
    ("one_stop", _("Receiving and returning at the one-stop desk")),
    ("disclosure", _("Public information about the procedure")),
    ("attitude", _("Attitude of the staff")),
    ("feedback", _("Handling of your feedback and complaints")),
    ("online", _("Progress and quality of the online service")),
]
POINTS = {2: _("Good"), 1: _("Acceptable"), 0: _("Poor")}
MAX_POINTS = 2 * len(CRITERIA)


def clean_scores(scores: dict | None) -> dict[str, int]:
    """The scores given, as ``{criterion: 0 | 1 | 2}``; criteria left out are simply not
    rated (the applicant need not answer all nine). Unknown keys or points are refused."""
    clean, known = {}, dict(CRITERIA)
    for key, value in (scores or {}).items():
        if value in ("", None):
            continue
        try:
            points = int(value)
        except (TypeError, ValueError):
            points = -1
        if key not in known or points not in POINTS:
            raise ValidationError({"scores": [_("Give each criterion 0, 1 or 2 points.")]})
        clean[key] = points
    return clean
