from django.core.management.base import BaseCommand
from django.db.models import Count
from django.test.utils import override_settings

from cqp.accounts.enums import Role
from cqp.candidacies.enums import State
from cqp.candidacies.models import Candidacy
from cqp.catalogue.models import Block, Certification, EvaluationCriterion
from cqp.demo import content
from cqp.demo.loader import load_demo


def _owner_name(account) -> str:
    owner = account["certifier"] or account.get("organisation")
    return owner.name if owner else ""


class Command(BaseCommand):
    help = (
        "Charge la démonstration : extraits réels du répertoire, CQP/CQPI de démonstration, un compte par rôle, "
        "organisations et candidatures dans chaque état. "
        "Peut être relancée sans créer de doublon. / Loads the demo data; safe to run twice."
    )

    def handle(self, *args, **options):
        # The demo's story runs at once and silently: its tasks inline, its fictitious addresses never written
        # to. The server and its worker, started next, use the configured queue.
        with override_settings(
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        ):
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
        by_state = dict(Candidacy.objects.order_by().values_list("state").annotate(n=Count("pk")))
        self.stdout.write(
            self.style.SUCCESS(
                f"Candidatures : {Candidacy.objects.count()} "
                f"({result['candidacies_made']} créées par ce chargement), par état :"
            )
        )
        self.stdout.write(
            "  " + " ; ".join(f"{label} {by_state[state]}" for state, label in State.choices if state in by_state)
        )
        for refusal in result["candidacies_refused"]:
            self.stdout.write(self.style.WARNING(f"  Candidature de démonstration refusée : {refusal}"))
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Comptes de démonstration (mot de passe identique pour tous) :"))
        labels = dict(Role.choices)
        rows = [
            (
                "administrateur de la plateforme" if a["role"] == "platform_admin" else str(labels[a["role"]]),
                a["email"],
                a["password"],
                _owner_name(a),
            )
            for a in result["accounts"]
        ]
        header = ("rôle", "e-mail", "mot de passe", "certificateur ou organisation")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
        for row in [header, *rows]:
            self.stdout.write("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + f"  {row[3]}")
        self.stdout.write(f"\nConnexion : /compte/connexion/ — mot de passe : {content.PASSWORD}")
