import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Tasks run at once in tests; "database" is the real queue, for the tests that run a worker process.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# No signing key unless a test creates its own (fixture issuer_key) or loads the demo; a developer's var/ key is
# never read. One path per test process (tests run in parallel); tests/conftest.py removes it after each test.
CQP_SIGNING_KEY_FILE = Path(tempfile.gettempdir()) / f"cqp-test-signing-key-{os.getpid()}.json"  # noqa: F405
