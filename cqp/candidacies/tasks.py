"""Background work on candidacies, for a scheduler (cron, systemd timer) to enqueue."""

from django_tasks import task

from . import services


@task()
def remind_idle_candidacies(days: int | None = None) -> int:
    """Reminders for candidacies idle for too long; returns how many were reminded."""
    return len(services.candidacies_remind_idle(days=days))
