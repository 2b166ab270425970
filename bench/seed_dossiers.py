"""Fill the database with synthetic dossiers for the benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_bench \
        .venv/bin/python bench/seed_dossiers.py --count 100000

Dossiers are spread over the demo province's desks and competent agencies and over the last
two years, in realistic states (most returned, some in processing, a few overdue), each with
its parties and workflow steps, written with bulk inserts (the services are exercised by
bench/intake.py; seeding a million through them would take hours). Run after `load_demo`.
"""

import argparse
import datetime as dt
import random
import time
import uuid

import _django  # noqa: F401
from django.db import connection, transaction
from django.utils import timezone

from egov.catalog.models import Procedure
from egov.core.models import Agency, User
from egov.dossiers.models import Dossier, DossierParty, DossierStep

STATES = [
    ("evaluated", 30),
    ("returned", 40),
    ("result_ready", 5),
    ("processing", 12),
    ("assigned", 4),
    ("received", 4),
    ("interagency", 2),
    ("paused", 1),
    ("refused", 1),
    ("stopped", 1),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=5_000)
    args = parser.parse_args()
    rng = random.Random(42)
    desks = list(Agency.objects.filter(code__in=["000.00.21.H16", "000.00.33.H16"]))
    versions = [
        p.current
        for p in Procedure.objects.filter(is_synthetic=False).select_related(
            "current__competent_agency"
        )
        if p.current
    ]
    versions = [v for v in versions if v.competent_agency_id or v.level == "district"]
    cujut = Agency.objects.get(code="000.00.33.H16")
    specialists = list(User.objects.filter(username__startswith="chuyenvien."))
    step_templates = {v.pk: list(v.steps.all()) for v in versions}
    state_names = [s for s, w in STATES for _ in range(w)]
    now = timezone.now()
    start = time.monotonic()
    existing = Dossier.objects.count()
    made = 0
    while made < args.count:
        n = min(args.batch, args.count - made)
        dossiers, plans = [], []
        for i in range(n):
            version = rng.choice(versions)
            competent = version.competent_agency or cujut
            desk = desks[0] if version.competent_agency_id else cujut
            received = now - dt.timedelta(minutes=rng.randint(60, 2 * 365 * 24 * 60))
            state = rng.choice(state_names)
            due = received + dt.timedelta(days=int(version.time_value or 1) + 2)
            serial = existing + made + i + 1
            holder = rng.choice(specialists) if state == "processing" else None
            resolved = state in ("evaluated", "returned", "result_ready")
            timeliness = rng.choice(["early", "on_time", "on_time", "late"]) if resolved else ""
            # A resolved dossier's result was ready before, on or after its due time (the
            # reports count it on that day) and, unless still waiting, returned an hour later.
            shift = {"early": -24, "on_time": -2, "late": 48}.get(timeliness, 0)
            finished = min(due + dt.timedelta(hours=shift), now) if resolved else None
            returned = None
            if resolved and state != "result_ready":
                returned = finished + dt.timedelta(hours=1)
            dossiers.append(
                Dossier(
                    reference=uuid.uuid4(),
                    code=f"{desk.code}-{timezone.localtime(received):%y%m%d}-B{serial:07d}",
                    procedure_version=version,
                    state=state,
                    channel=rng.choice(["counter"] * 4 + ["online"]),
                    receiving_agency=desk,
                    competent_agency=competent,
                    current_agency=competent,
                    current_holder=holder,
                    applicant_name=f"Người nộp {serial}",
                    applicant_id_number=f"067{serial:09d}",
                    received_at=received,
                    submitted_at=received,
                    due_at=due,
                    is_overdue=state in ("processing", "assigned") and due < now,
                    timeliness=timeliness,
                    finished_at=finished,
                    returned_at=returned,
                )
            )
            plans.append((desk, competent, version))
        with transaction.atomic():
            created = Dossier.objects.bulk_create(dossiers, batch_size=2000)
            parties, steps = [], []
            for dossier, (desk, competent, version) in zip(created, plans, strict=True):
                for agency in {desk.pk: desk, competent.pk: competent}.values():
                    parties.append(
                        DossierParty(dossier=dossier, agency=agency, agency_path=agency.path)
                    )
                for t in step_templates[version.pk]:
                    steps.append(
                        DossierStep(
                            dossier=dossier,
                            order=t.order,
                            name=t.name,
                            kind=t.kind,
                            agency=competent,
                            role=t.role,
                            days=t.days,
                            status="done",
                        )
                    )
            DossierParty.objects.bulk_create(parties, batch_size=5000)
            DossierStep.objects.bulk_create(steps, batch_size=5000)
        made += n
        rate = made / (time.monotonic() - start)
        print(f"{existing + made:>9} dossiers ({rate:,.0f}/s)", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"done: {Dossier.objects.count()} dossiers in the database")


if __name__ == "__main__":
    main()
