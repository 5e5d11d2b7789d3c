from django.core.management.base import BaseCommand, CommandError

from cqp.catalogue.registry import RegistryImportError, import_files


class Command(BaseCommand):
    help = (
        "Importe les exports de France compétences (RNCP et RS) : flux XML v4.1 et archive zip CSV. "
        "Imports France compétences' registry exports (RNCP and RS): XML flow v4.1 and CSV zip."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="+", metavar="FICHIER", help="fichiers XML ou zip CSV / XML or CSV zip files"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="tout lire et compter sans rien enregistrer / read and count everything, save nothing",
        )

    def handle(self, *args, files=(), dry_run=False, **options):
        if dry_run:
            self.stdout.write("Essai à blanc : rien ne sera enregistré. / Dry run: nothing will be saved.")
        try:
            reports = import_files(files, dry_run=dry_run, stdout=self.stdout)
        except RegistryImportError as error:
            self._summary([report for report in error.reports if report.ok])
            raise CommandError(error.text()) from None
        self._summary(reports)

    def _summary(self, reports):
        for report in reports:
            self.stdout.write(self.style.SUCCESS(report.summary()) if report.ok else report.summary())
            for warning in report.warnings[:10]:
                self.stdout.write(f"  avertissement : {warning}")
            if report.warning_count > 10:
                self.stdout.write(f"  … et {report.warning_count - 10} autres avertissements.")
