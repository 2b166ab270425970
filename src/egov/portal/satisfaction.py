"""How satisfied applicants were: evaluations counted in SQL per agency and per procedure,
and the average points of each criterion (Circular 01/2018)."""

from django.db.models import Avg, Count, F, IntegerField, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from egov.dossiers.evaluation import CRITERIA
from egov.dossiers.models import Evaluation

Rating = Evaluation.Rating


def _counts() -> dict:
    """Annotations: evaluations, and how many of each rating, with the satisfied share."""
    return {
        "total": Count("id"),
        "very_satisfied": Count("id", filter=Q(rating=Rating.VERY_SATISFIED)),
        "satisfied": Count("id", filter=Q(rating=Rating.SATISFIED)),
        "not_satisfied": Count("id", filter=Q(rating=Rating.NOT_SATISFIED)),
    }


def _with_share(rows) -> list[dict]:
    for row in rows:
        happy = row["very_satisfied"] + row["satisfied"]
        row["share"] = round(100 * happy / row["total"], 1) if row["total"] else None
    return rows


def by_agency(evaluations=None) -> list[dict]:
    """Per competent agency: name, code and the counts; most evaluated first."""
    evaluations = Evaluation.objects.all() if evaluations is None else evaluations
    rows = (
        evaluations.values(
            code=F("dossier__competent_agency__code"),
            name=F("dossier__competent_agency__name"),
        )
        .annotate(**_counts())
        .order_by("-total", "name")
    )
    return _with_share(list(rows))


def by_procedure(evaluations=None) -> list[dict]:
    """Per procedure: code and the counts; most evaluated first."""
    evaluations = Evaluation.objects.all() if evaluations is None else evaluations
    rows = (
        evaluations.values(code=F("dossier__procedure_version__procedure__code"))
        .annotate(**_counts())
        .order_by("-total", "code")
    )
    return _with_share(list(rows))


def for_procedure(procedure) -> dict | None:
    """The counts of one procedure (None before its first evaluation)."""
    rows = by_procedure(Evaluation.objects.filter(dossier__procedure_version__procedure=procedure))
    return rows[0] if rows else None


def criteria_averages(evaluations=None) -> list[dict]:
    """Each criterion with its question, the number of answers and the average points (0–2)."""
    evaluations = Evaluation.objects.all() if evaluations is None else evaluations
    aggregates = {}
    for key, _question in CRITERIA:
        points = Cast(KT(f"scores__{key}"), IntegerField())
        aggregates[f"{key}__avg"] = Avg(points)
        aggregates[f"{key}__n"] = Count("id", filter=Q(scores__has_key=key))
    values = evaluations.aggregate(**aggregates)
    return [
        {
            "key": key,
            "question": question,
            "answers": values[f"{key}__n"],
            "average": round(values[f"{key}__avg"], 2)
            if values[f"{key}__avg"] is not None
            else None,
        }
        for key, question in CRITERIA
    ]
