"""Background work of the ICT inventory (the Django tasks API)."""

from django_tasks import task

from .models import ImportJob


@task()
def import_inventory(job_id: int) -> dict:
    """Run one inventory import; a job already started or finished is left alone."""
    from .importexport import run_import

    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).first()
    if job is None:
        return {"job": job_id, "skipped": True}
    job = run_import(job)
    return {"job": job.pk, "status": job.status, "refused": len(job.errors)}
