import pytest

from cqp.credentials import keys


@pytest.fixture
def issuer_key(db, settings, tmp_path, monkeypatch):
    """A signing key of the test's own, in a file of the test; nothing in the environment."""
    monkeypatch.delenv(settings.CQP_SIGNING_KEY_ENV, raising=False)
    settings.CQP_SIGNING_KEY_FILE = tmp_path / "issuer-key.json"
    keys._load.cache_clear()
    return keys.ensure_key()
