from django.core.management.base import BaseCommand

from cqp.accounts.enums import Role
from cqp.catalogue.models import Block, Certification, EvaluationCriterion
from cqp.demo import content
from cqp.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Charge la démonstration : extraits réels du répertoire, CQP/CQPI de démonstration, un compte par rôle. "
        "Peut être relancée sans créer de doublon. / Loads the demo data; safe to run twice."
    )

    def handle(self, *args, **options):
        result = load_demo(stdout=self.stdout)
        if not result["files"]:
            self.stdout.write(self.style.WARNING("Aucun extrait du répertoire trouvé à importer."))
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalogue : {Certification.objects.count()} certifications, {Block.objects.count()} blocs, "
                f"{EvaluationCriterion.objects.count()} critères d'évaluation."
            )
        )
        for certification in result["certifications"].values():
            self.stdout.write(f"  {certification.code:<12} {certification.title}")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Comptes de démonstration (mot de passe identique pour tous) :"))
        labels = dict(Role.choices)
        rows = [
            (
                "administrateur de la plateforme" if a["role"] == "platform_admin" else str(labels[a["role"]]),
                a["email"],
                a["password"],
                a["certifier"].name if a["certifier"] else "",
            )
            for a in result["accounts"]
        ]
        header = ("rôle", "e-mail", "mot de passe", "certificateur")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
        for row in [header, *rows]:
            self.stdout.write("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + f"  {row[3]}")
        self.stdout.write(f"\nConnexion : /compte/connexion/ — mot de passe : {content.PASSWORD}")
