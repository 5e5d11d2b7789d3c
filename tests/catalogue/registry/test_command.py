import io

import pytest
from django.core.management import call_command

from cqp.catalogue.models import Certification, ImportRun

from .conftest import ALL_FILES, CSV_ZIP, RNCP_SAMPLE, SAMPLES, snapshot

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_command_imports_and_prints_a_summary_per_file(sample):
    out = io.StringIO()
    call_command("import_registry", str(sample(CSV_ZIP)), str(sample(RNCP_SAMPLE)), stdout=out)
    text = out.getvalue()
    assert "export-fiches-csv-2024-02-22.zip — CSV, RNCP+RS : 9 fiches lues, 9 créées, 0 mises à jour" in text
    assert "export_fiches_RNCP_V4_1_sample.xml — XML, RNCP : 6 fiches lues, 6 créées" in text
    assert "plus présentes dans le fichier" in text
    # No progress bar when the output is not a terminal.
    assert "\r" not in text and "%|" not in text
    assert Certification.objects.count() == 15


def test_command_shows_a_progress_bar_on_a_terminal(sample):
    out = Terminal()
    call_command("import_registry", str(sample(RNCP_SAMPLE)), stdout=out)
    assert "%|" in out.getvalue()
    assert "6 créées" in out.getvalue()


def test_command_dry_run(sample):
    before = snapshot()
    out = io.StringIO()
    call_command("import_registry", "--dry-run", str(sample(RNCP_SAMPLE)), stdout=out)
    assert "Essai à blanc : rien ne sera enregistré. / Dry run: nothing will be saved." in out.getvalue()
    assert "6 créées" in out.getvalue()
    assert snapshot() == before
    assert ImportRun.objects.get().status == ImportRun.Status.DRY_RUN


def test_demo_loader_call_on_the_shipped_samples():
    """How load_demo calls it: every file of the samples folder, in name order."""
    files = sorted(str(path) for path in SAMPLES.iterdir() if path.suffix in {".xml", ".zip"})
    assert [name.rsplit("/", 1)[-1] for name in files] == sorted(ALL_FILES)
    call_command("import_registry", *files, stdout=io.StringIO())
    assert Certification.objects.count() == 23
    tourier = Certification.objects.get(code="RS6117")
    assert (tourier.kind, tourier.active) == ("CQP", True)
    # The zip sorts first, so the newer XML facts win for the fiche both carry.
    assert Certification.objects.get(code="RS5000").active is False
