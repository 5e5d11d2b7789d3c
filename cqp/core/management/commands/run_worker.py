"""The background worker: requeues the tasks of workers that died, then runs django-tasks-db's worker.

A worker killed in the middle of a task (power cut, OOM, kill -9) leaves its task "running" forever; every
task of the platform is idempotent, so running it again is safe and finishes the work exactly once."""

import os
import socket
from datetime import timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def orphaned_tasks(*, host: str, stale_after: timedelta):
    """Running tasks whose worker is gone: on this host, a worker whose process no longer exists; elsewhere,
    one that has been running for longer than `stale_after`."""
    orphans = []
    now = timezone.now()
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("id", "worker_ids", "started_at"):
        worker = (result.worker_ids or [""])[-1]
        worker_host, _sep, rest = worker.partition("/")
        pid = rest.split("/", 1)[0]
        if worker_host == host and pid.isdigit():
            if not _alive(int(pid)):
                orphans.append(result.id)
        elif result.started_at and now - result.started_at > stale_after:
            orphans.append(result.id)
    return orphans


def requeue_orphans(*, host: str | None = None, stale_after: timedelta = timedelta(hours=1)) -> int:
    ids = orphaned_tasks(host=host or socket.gethostname(), stale_after=stale_after)
    return DBTaskResult.objects.filter(id__in=ids, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None, run_after=timezone.now()
    )


class Command(BaseCommand):
    help = "Run a background worker, after putting back in the queue the tasks of workers that died."

    def add_arguments(self, parser):
        parser.add_argument("--backend", default=None, help="task backend alias (default: default)")
        parser.add_argument("--queue-name", default=None)
        parser.add_argument("--interval", type=float, default=None)
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument(
            "--stale-after",
            type=int,
            default=3600,
            help="seconds after which a task running on another host is taken as orphaned (default 3600)",
        )

    def handle(
        self,
        *args,
        backend=None,
        queue_name=None,
        interval=None,
        batch=False,
        max_tasks=None,
        stale_after=3600,
        **options,
    ):
        host = socket.gethostname()
        requeued = requeue_orphans(host=host, stale_after=timedelta(seconds=stale_after))
        if requeued:
            self.stderr.write(f"{requeued} task(s) of a dead worker put back in the queue")
        worker_id = f"{host}/{os.getpid()}/{os.urandom(3).hex()}"[:64]
        arguments = ["--worker-id", worker_id, "--no-startup-delay", "--no-reload"]
        if backend:
            arguments += ["--backend", backend]
        if queue_name:
            arguments += ["--queue-name", queue_name]
        if interval is not None:
            arguments += ["--interval", str(interval)]
        if batch:
            arguments.append("--batch")
        if max_tasks:
            arguments += ["--max-tasks", str(max_tasks)]
        call_command("db_worker", *arguments, verbosity=options.get("verbosity", 1))
