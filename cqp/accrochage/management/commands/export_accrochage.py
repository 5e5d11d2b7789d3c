"""Produce the Caisse des Dépôts "accrochage" file for a certifier and a period of delivery."""

import datetime
import shutil
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cqp.accrochage import services
from cqp.catalogue.models import Certifier


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"Date invalide « {value} » : attendu AAAA-MM-JJ. / Invalid date '{value}': expected YYYY-MM-DD."
        ) from None


class Command(BaseCommand):
    help = "Produit le fichier d'accrochage (Caisse des Dépôts) des certificats délivrés sur la période."

    def add_arguments(self, parser):
        parser.add_argument("--certifier", required=True, help="SIRET du certificateur.")
        parser.add_argument("--from", dest="start", required=True, help="Premier jour (AAAA-MM-JJ).")
        parser.add_argument("--to", dest="end", required=True, help="Dernier jour (AAAA-MM-JJ).")
        parser.add_argument("-o", "--output", help="Fichier à écrire ; sortie standard sinon.")

    def handle(self, *args, **options):
        start, end = _date(options["start"]), _date(options["end"])
        certifier = Certifier.objects.filter(siret=options["certifier"]).first()
        if certifier is None:
            raise CommandError(
                f"Certificateur introuvable pour le SIRET {options['certifier']}. / "
                f"No certifier with SIRET {options['certifier']}."
            )
        try:
            record = services.accrochage_build(certifier=certifier, start=start, end=end, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with record.file.open("rb") as source:
            if options["output"]:
                with open(options["output"], "wb") as target:
                    shutil.copyfileobj(source, target)
            else:
                self.stdout.flush()
                shutil.copyfileobj(source, sys.stdout.buffer if self.stdout._out is sys.stdout else _Text(self.stdout))
        self.stderr.write(f"{record.count} délivrance(s) déclarée(s), sha256 {record.sha256}.")


class _Text:
    """Writes bytes to a text stream (when the command's output is captured)."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, data):
        self.stream.write(data.decode("utf-8"), ending="")
