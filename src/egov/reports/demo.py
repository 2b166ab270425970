"""Demo data of this app for ``manage.py load_demo`` (idempotent): the reports need no data
of their own, only the daily summaries of the demo dossiers, rebuilt here."""

from .services import refresh_summaries


def load(stdout=None):
    """Rebuild the report summaries from the demo's dossiers (called last by load_demo)."""
    run = refresh_summaries(full=True)
    if stdout is not None:
        stdout.write(f"  report summaries: {run.days} days, {run.rows} rows")
