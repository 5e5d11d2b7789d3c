from django.core.management.base import BaseCommand

from cqp.accounts.services import unconfirmed_accounts_purge


class Command(BaseCommand):
    help = "Delete self-registered accounts whose address was never confirmed (run it daily)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Age in days after which to delete (default 30).")

    def handle(self, *args, days, **options):
        count = unconfirmed_accounts_purge(older_than_days=days)
        self.stdout.write(f"{count} unconfirmed account(s) deleted.")
