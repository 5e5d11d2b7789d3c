from django.core.management.base import BaseCommand

from cqp.capitalisation.services import capitalisation_backfill


class Command(BaseCommand):
    help = "Enregistre les blocs détenus d'après les délivrances en vigueur (sans effet sur ceux déjà enregistrés)."

    def handle(self, *args, **options):
        made = capitalisation_backfill()
        self.stdout.write(f"{made} bloc(s) détenu(s) enregistré(s).")
