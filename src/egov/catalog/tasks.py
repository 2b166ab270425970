"""Background work of the catalogue (the Django tasks API)."""

from django_tasks import task

from .models import ImportJob, ImportStatus


@task()
def import_catalog(job_id: int) -> dict:
    """Run one catalogue import; a job already started or finished is left alone, so a task
    delivered twice does not import twice."""
    from .importexport import run_import

    job = ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING).first()
    if job is None:
        return {"job": job_id, "skipped": True}
    job = run_import(job)
    return {
        "job": job.pk,
        "status": job.status,
        "created": job.created,
        "updated": job.updated,
        "unchanged": job.unchanged,
        "refused": len(job.errors),
    }
