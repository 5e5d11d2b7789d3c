from django.core.management.base import BaseCommand

from cqp.candidacies import diagram


class Command(BaseCommand):
    help = "Writes docs/workflow.md (Mermaid state diagram and table of transitions) from the workflow's code."

    def handle(self, *args, **options):
        diagram.OUTPUT.write_text(diagram.render(), encoding="utf-8")
        self.stdout.write(f"Wrote {diagram.OUTPUT}")
