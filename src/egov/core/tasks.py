"""The task queue: django-tasks' database backend, with its job row written in plain SQL.

Every dossier change queues the applicant's messages inside the transaction of the change
(egov.notifications.receivers), so the job row is written on the hottest path there is; the
ORM's ``create()`` for it was 8 % of a counter intake's CPU. The row, its columns and what the
worker reads are django-tasks' own; only the INSERT is ours (egov.core.rows).
"""

from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import pre_save
from django_tasks_db import DatabaseBackend as _DatabaseBackend
from django_tasks_db.compat import normalize_json

from .rows import insert


class DatabaseBackend(_DatabaseBackend):
    """django_tasks_db.DatabaseBackend writing each queued job with one prepared INSERT."""

    def _task_to_db_task(self, task, args, kwargs):
        from django_tasks_db.models import DBTaskResult

        job = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )
        # The library's own pre_save receivers fill what it leaves for them (run_after).
        pre_save.send(
            sender=DBTaskResult, instance=job, raw=False, using=DEFAULT_DB_ALIAS, update_fields=None
        )
        insert([job])
        return job
