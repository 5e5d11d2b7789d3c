"""A worker process killed in the middle of issuing documents, then restarted: each award ends with exactly
one credential and one document. Runs real worker processes on the test database (PostgreSQL: the in-memory
SQLite test database cannot be shared with another process)."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from cqp.awards import services as awards
from cqp.awards.models import Award
from cqp.credentials.models import AwardDocument, Credential, StatusList
from cqp.credentials.tasks import issue_award_documents
from tests.juries.factories import decided_session

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a worker process needs a shared database"),
]

REPO = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker(key_file: Path, *extra) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CQP_SIGNING_KEY": key_file.read_text(),
        "SITE_URL": settings.SITE_URL,
    }
    command = [sys.executable, "manage.py", "run_worker", "--backend", "database", "--interval", "0.1", *extra]
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _wait(condition, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_a_worker_killed_mid_issuance_leaves_exactly_one_document_and_credential_per_award(
    issuer_key, settings, monkeypatch, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # this test's files only, to count them
    # Deliver without issuing in this process: the awards go to the real queue, for worker processes.
    monkeypatch.setattr(awards, "_issue_documents", lambda award_id: None)
    session, candidacies, staff = decided_session(opinions=("AWARD",) * 8 + ("PARTIAL",) * 4)
    awards.session_deliver(session=session, by=staff)
    award_ids = list(Award.objects.values_list("pk", flat=True))
    assert len(award_ids) == 12
    for award_id in award_ids:
        issue_award_documents.using(backend="database").enqueue(award_id)

    worker = _worker(settings.CQP_SIGNING_KEY_FILE)
    try:
        # Kill it between the credential and the PDF of an award: the worst moment.
        in_the_middle = _wait(lambda: Credential.objects.count() > AwardDocument.objects.count())
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert in_the_middle, worker.stdout.read().decode()
    assert AwardDocument.objects.count() < 12

    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count() == 1  # the orphan

    restarted = _worker(settings.CQP_SIGNING_KEY_FILE, "--batch")
    output = restarted.communicate(timeout=300)[0].decode()
    assert restarted.returncode == 0, output
    assert "put back in the queue" in output

    assert Credential.objects.count() == 12
    assert AwardDocument.objects.count() == 12
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()
    media = Path(settings.MEDIA_ROOT)
    for document in AwardDocument.objects.select_related("award"):
        data = (media / document.file.name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == document.sha256
        assert len(data) == document.size
        signed = json.loads(document.award.credential.signed_json)
        assert signed["id"] == f"urn:uuid:{document.award.uuid}"
    # One status entry per credential, none lost to the crash beyond the one allocated in the killed run.
    indexes = list(Credential.objects.values_list("status_list_id", "status_index"))
    assert len(set(indexes)) == 12
    assert StatusList.objects.get().allocated == 12
    # No stray file: one PDF per award.
    assert len(list((media / "awards").rglob("*.pdf"))) == 12
