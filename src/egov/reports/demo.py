"""Demo data of this app for ``manage.py load_demo`` (idempotent): the reports need no data
of their own, only the daily summaries of the demo dossiers, built here on the first load."""

from .services import last_refresh, refresh_summaries


def load(stdout=None):
    """Build the report summaries from the demo's dossiers (called last by load_demo). On a
    second load they are left to the periodic refresh job: loading again changes nothing."""
    if last_refresh() is not None:
        if stdout is not None:
            stdout.write("  report summaries: already built (refreshed by the periodic job)")
        return
    run = refresh_summaries(full=True)
    if stdout is not None:
        stdout.write(f"  report summaries: {run.days} days, {run.rows} rows")
