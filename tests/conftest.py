import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("CQP_SHARED_DATA", REPO.parent / "shared" / "data"))
REGISTRY_DATA = SHARED_DATA / "france-competences"


@pytest.fixture
def shared_data():
    if not SHARED_DATA.exists():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


# Timing limits make property tests flaky on a loaded 2-core machine: examples are bounded, time is not.
from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile("cqp", deadline=None)
hypothesis_settings.load_profile("cqp")


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploads and generated PDFs of a test go to a folder of the run, never to var/media."""
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture(autouse=True)
def _no_signing_key_left_behind():
    """The demo creates a signing key file; the next test starts again without one."""
    yield
    from django.conf import settings as django_settings

    Path(django_settings.CQP_SIGNING_KEY_FILE).unlink(missing_ok=True)


@pytest.fixture
def issuer_key(db, settings, tmp_path, monkeypatch):
    """A signing key of the test's own, in a file of the test; nothing in the environment."""
    from cqp.credentials import keys

    monkeypatch.delenv(settings.CQP_SIGNING_KEY_ENV, raising=False)
    settings.CQP_SIGNING_KEY_FILE = tmp_path / "issuer-key.json"
    keys._load.cache_clear()
    return keys.ensure_key()
