from pathlib import Path

import pytest
from django.apps import apps

from cqp.catalogue.models import ImportRun
from cqp.catalogue.registry import import_files
from tests.conftest import REGISTRY_DATA

SAMPLES = Path(__file__).resolve().parents[3] / "cqp" / "catalogue" / "registry" / "samples"
RNCP_SAMPLE = "export_fiches_RNCP_V4_1_sample.xml"
RS_SAMPLE = "export_fiches_RS_V4_1_sample.xml"
RNCP_EXTRACT = "export_fiches_RNCP_V4_1_extract_RNCP35340.xml"
CSV_ZIP = "export-fiches-csv-2024-02-22.zip"
ALL_FILES = (CSV_ZIP, RNCP_SAMPLE, RS_SAMPLE, RNCP_EXTRACT)


@pytest.fixture(params=["shared", "samples"])
def registry_dir(request):
    """The real extracts: the shared data set, and the copy the project ships for the demo."""
    if request.param == "samples":
        return SAMPLES
    if not REGISTRY_DATA.exists():
        pytest.skip(f"shared data not found at {REGISTRY_DATA}")
    return REGISTRY_DATA


@pytest.fixture
def sample():
    """Path of a shipped sample (byte-identical to the shared data, checked in test_samples)."""
    return lambda name: SAMPLES / name


@pytest.fixture
def load(db):
    def _load(*paths, **kwargs):
        return import_files([str(p) for p in paths], **kwargs)

    return _load


def snapshot(*, with_import_runs=False):
    """Every row of every catalogue table (M2M included), to compare before and after."""
    state = {}
    for model in apps.get_app_config("catalogue").get_models(include_auto_created=True):
        if model is ImportRun and not with_import_runs:
            continue
        state[model._meta.db_table] = list(model.objects.order_by("pk").values())
    return state
