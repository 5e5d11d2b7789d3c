from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cqp.candidacies import services


class Command(BaseCommand):
    help = "E-mails the people who can move on each open candidacy idle for too long, once per idle period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.CQP_IDLE_REMINDER_DAYS,
            help="Days without activity before a reminder (default: CQP_IDLE_REMINDER_DAYS, %(default)s).",
        )

    def handle(self, *args, days, **options):
        try:
            reminded = services.candidacies_remind_idle(days=days)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"{len(reminded)} candidacies reminded (idle for {days} days or more).")
