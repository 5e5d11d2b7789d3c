"""Create, rotate, register or show the issuer's signing key."""

import json

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from cqp.credentials import keys
from cqp.credentials.models import IssuerKey


class Command(BaseCommand):
    help = (
        "create: first key (file CQP_SIGNING_KEY_FILE, mode 0600); rotate: new active key, the others retired "
        "but still published; register: publish the key given by file or environment; show: the did.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "rotate", "register", "show"])
        parser.add_argument("--file", help="key file (default: settings.CQP_SIGNING_KEY_FILE)")

    def handle(self, *args, action, file=None, **options):
        try:
            if action == "create":
                row = keys.key_create(path=file)
            elif action == "rotate":
                row = keys.key_rotate(path=file)
            elif action == "register":
                row = keys.key_register()
            else:
                self.stdout.write(json.dumps(keys.did_document(), indent=2))
                return
        except (FileExistsError, ImproperlyConfigured) as error:
            raise CommandError(str(error)) from error
        retired = IssuerKey.objects.exclude(retired_at=None).count()
        self.stdout.write(
            f"{keys.issuer_did()}#{row.key_id} active ({row.public_key_multibase}); {retired} retired key(s) published"
        )
