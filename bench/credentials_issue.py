"""Issuing the documents of 1,000 awards: for each, the signed Open Badges credential (status entry, eddsa-rdfc-2022
proof) and the PDF certificate or block attestation, by background workers.

Target: 1,000 awards issued (PDF + signed credential) in <= 120 s with two workers on a 2-core machine. One worker
is measured too, for comparison (no target).

    .venv/bin/python bench/credentials_issue.py              # SQLite (bench/data/credentials_bench.sqlite3)
    .venv/bin/python bench/credentials_issue.py --postgres   # PostgreSQL database cqp_bench_credentials
    .venv/bin/python bench/credentials_issue.py --quick      # 100 awards, result in bench/data/

Each run starts from a fresh database (SQLite file removed; PostgreSQL database dropped and created —
`--postgres-url` or BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/cqp_bench_credentials), migrated,
with MEDIA_ROOT in bench/data/credentials_media/ (emptied) and a new signing key in bench/data/credentials_key.json.
Bulk inserts then give a certifier with a SIRET and its document style (logo and two signatures, PNG), an RNCP
certification of 6 blocks with two NSF domains, a signed jury session, and 1,000 awards on their deliberations:
85 % certificates (6 blocks), 15 % block attestations (2 blocks).

What is measured goes through the real code: `cqp.credentials.tasks.issue_award_documents` is queued for every
award on the database task backend (django-tasks-db, alias "database" of the test settings), then N processes
`manage.py run_worker --backend database --batch` start; the time runs from their start until every award has its
credential and its document (polled every 0.2 s), and until the last worker has exited. The holder's e-mail that
follows each document is sent by the same worker (inline in the test settings, in-memory mail backend), as a
production worker would run it after the document. Two workers first (the target), then the documents, credentials
and status lists are deleted, the tasks queued again and one worker runs them.

After each run: as many credentials and documents as awards, distinct status entries, every PDF on disk with its
recorded sha256 and size, and 20 credentials that `cqp.credentials.verification.verify_credential` finds valid.
`--profile` prints a cProfile of one award's `award_documents_issue` in this process.
"""

import argparse
import cProfile
import hashlib
import io
import json
import os
import platform
import pstats
import random
import shutil
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

DATA = ROOT / "bench" / "data"
SQLITE = DATA / "credentials_bench.sqlite3"
MEDIA = DATA / "credentials_media"
KEY_FILE = DATA / "credentials_key.json"
DEFAULT_POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/cqp_bench_credentials")
RESULTS = ROOT / "bench" / "results" / "credentials_issue.json"
QUICK_RESULTS = DATA / "credentials_issue_quick.json"
TASKS_DB = "django_tasks_db.DatabaseBackend"
BACKEND_ALIAS = "database"  # the real queue in config/settings/test.py
TARGET_AWARDS = 1000
TARGET_SECONDS = 120.0
TARGET_WORKERS = 2
TARGET = (
    f"{TARGET_AWARDS} awards issued (PDF + signed credential) in <= {TARGET_SECONDS:.0f} s "
    f"with {TARGET_WORKERS} workers"
)
BLOCKS = 6
PARTIAL_BLOCKS = 2
CERTIFICATE_SHARE = 0.85
VERIFY_SAMPLE = 20
SEED = 20261128
SIRET = "78912345600018"
FIRST_NAMES = ["Camille", "Léa", "Hugo", "Inès", "Mathis", "Chloé", "Noah", "Zoé", "Éloïse", "Rayan", "Jules", "Manon"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Fournier", "Girard", "N'Diaye", "Da Silva", "Roux"]


def fresh_database(url):
    if url.startswith("sqlite"):
        for path in SQLITE.parent.glob(SQLITE.name + "*"):
            path.unlink()
        SQLITE.parent.mkdir(parents=True, exist_ok=True)
        return
    base, name = url.rsplit("/", 1)
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.check_call(["psql", f"{base}/postgres", "-q", "-c", sql])


def fresh_files():
    shutil.rmtree(MEDIA, ignore_errors=True)
    MEDIA.mkdir(parents=True)
    KEY_FILE.unlink(missing_ok=True)


def png(size, draw):
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, (255, 255, 255, 0))
    draw(ImageDraw.Draw(image))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def signature_png(seed):
    rng = random.Random(seed)

    def draw(pen):
        points = [(10 + i * 14, 60 + rng.randint(-35, 35)) for i in range(20)]
        pen.line(points, fill=(20, 30, 90, 255), width=4, joint="curve")

    return png((300, 120), draw)


def logo_png():
    def draw(pen):
        pen.rounded_rectangle((8, 8, 392, 152), radius=24, fill=(31, 58, 147, 255))
        pen.ellipse((30, 30, 130, 130), fill=(184, 134, 11, 255))
        pen.rectangle((160, 60, 370, 100), fill=(255, 255, 255, 255))

    return png((400, 160), draw)


# --------------------------------------------------------------------------- data


def build(count):
    """Reference rows, a signed session, `count` candidacies decided and delivered, the document style."""
    from django.core.files.base import ContentFile
    from django.db import transaction
    from django.utils import timezone

    from cqp.accounts.enums import Role
    from cqp.accounts.models import Membership, User
    from cqp.awards.enums import AwardKind
    from cqp.awards.models import Award, AwardCounter
    from cqp.candidacies.models import Candidacy, CandidacyBlock, Candidate
    from cqp.catalogue.models import Block, Certification, Certifier, Nsf
    from cqp.credentials.models import DocumentStyle
    from cqp.juries.models import AgendaItem, Deliberation, DeliberationBlock, Jury, JurySession

    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    year = today.year
    with transaction.atomic():
        certifier = Certifier.objects.create(
            siret=SIRET, name="CPNE de la métallurgie (banc d'essai)", website="https://cpne.banc.example"
        )
        nsf = Nsf.objects.bulk_create(
            [
                Nsf(code="251", label="Mécanique générale et de précision, usinage"),
                Nsf(code="254", label="Structures métalliques"),
            ]
        )
        certification = Certification.objects.create(
            code="RNCP89201",
            registry="RNCP",
            kind="CQP",
            title="CQP Soudeur industriel (banc d'essai)",
            source="PLATFORM",
            level=3,
            decision_date=date(2024, 3, 28),
            active=True,
            vae_open=True,
            cpf_eligible=True,
            access_routes=["FC", "VAE"],
            search_text="cqp soudeur industriel banc essai",
        )
        certification.nsf.set(nsf)
        certifier.certifications.add(certification)
        blocks = Block.objects.bulk_create(
            Block(
                certification=certification,
                code=f"RNCP89201BC{n:02d}",
                position=n,
                title=f"Bloc {n} — préparer, conduire et contrôler une opération de soudage ({n})",
            )
            for n in range(1, BLOCKS + 1)
        )
        staff = User.objects.create(email="cpne@credentials.banc.example", first_name="Agent", last_name="CPNE")
        Membership.objects.create(user=staff, role=Role.CERTIFIER_STAFF, certifier=certifier)
        jury = Jury.objects.create(certifier=certifier, name="Jury paritaire national (banc d'essai)")
        jury.certifications.add(certification)
        session = JurySession.objects.create(
            jury=jury,
            starts_at=now - timedelta(days=7),
            place="Maison de la branche, Paris",
            state="SIGNED",
            created_by=staff,
            opened_at=now - timedelta(days=7),
            closed_at=now - timedelta(days=7),
            signed_at=now - timedelta(days=6),
        )
        candidates = Candidate.objects.bulk_create(
            Candidate(
                first_name=rng.choice(FIRST_NAMES),
                last_name=f"{rng.choice(LAST_NAMES)}-{i}",
                email=f"candidat{i}@credentials.banc.example",
            )
            for i in range(count)
        )
        candidacies = Candidacy.objects.bulk_create(
            Candidacy(
                candidate=candidate,
                certification=certification,
                certifier=certifier,
                path="TRAINING" if n % 4 else "VAE",
                situation="EMPLOYEE",
                state="DELIVERED",
                state_changed_at=now,
            )
            for n, candidate in enumerate(candidates)
        )
        certificates = round(count * CERTIFICATE_SHARE)
        kinds = [AwardKind.CERTIFICATE] * certificates + [AwardKind.BLOCK_ATTESTATION] * (count - certificates)
        rng.shuffle(kinds)
        validated = {
            AwardKind.CERTIFICATE: blocks,
            AwardKind.BLOCK_ATTESTATION: blocks[:PARTIAL_BLOCKS],
        }
        CandidacyBlock.objects.bulk_create(
            CandidacyBlock(candidacy=c, block=b, status="acquired" if b in validated[kind] else "not_acquired")
            for c, kind in zip(candidacies, kinds, strict=True)
            for b in blocks
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(session=session, candidacy=c, position=n + 1, added_by=staff) for n, c in enumerate(candidacies)
        )
        deliberations = Deliberation.objects.bulk_create(
            Deliberation(
                session=session,
                candidacy=c,
                opinion="AWARD" if kind == AwardKind.CERTIFICATE else "PARTIAL",
                motivation="" if kind == AwardKind.CERTIFICATE else "Blocs 3 à 6 non acquis à ce jour.",
                employers_for=2,
                employees_for=2,
                recorded_by=staff,
            )
            for c, kind in zip(candidacies, kinds, strict=True)
        )
        DeliberationBlock.objects.bulk_create(
            DeliberationBlock(deliberation=d, block=b, validated=b in validated[kind])
            for d, kind in zip(deliberations, kinds, strict=True)
            for b in blocks
        )
        awards = Award.objects.bulk_create(
            Award(
                number=f"{SIRET}-{year}-{n + 1:06d}",
                certifier=certifier,
                year=year,
                sequence=n + 1,
                kind=kind,
                candidacy=c,
                certification=certification,
                deliberation=d,
                delivered_on=today,
                delivered_by=staff,
            )
            for n, (c, d, kind) in enumerate(zip(candidacies, deliberations, kinds, strict=True))
        )
        AwardCounter.objects.create(certifier=certifier, year=year, last=count)
        Award.blocks.through.objects.bulk_create(
            Award.blocks.through(award_id=a.pk, block_id=b.pk)
            for a, kind in zip(awards, kinds, strict=True)
            for b in validated[kind]
        )
        style = DocumentStyle(
            certifier=certifier,
            footer="CPNE de la métallurgie — 56 avenue de Wagram, 75017 Paris",
            delivery_place="Paris",
            president_name="Claire Vasseur",
            vice_president_name="Karim Benali",
            updated_by=staff,
        )
        style.logo.save("logo.png", ContentFile(logo_png()), save=False)
        style.president_signature.save("president.png", ContentFile(signature_png(1)), save=False)
        style.vice_president_signature.save("vice-president.png", ContentFile(signature_png(2)), save=False)
        style.save()
    return [a.pk for a in awards], {"certificates": certificates, "block_attestations": count - certificates}


# --------------------------------------------------------------------------- issuance


def enqueue(award_ids):
    from cqp.credentials.tasks import issue_award_documents

    task = issue_award_documents.using(backend=BACKEND_ALIAS)
    for pk in award_ids:
        task.enqueue(pk)


def reset():
    """Back to awards without credential nor document, and an empty queue."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from cqp.credentials.models import AwardDocument, Credential, StatusList

    with transaction.atomic():
        AwardDocument.objects.all().delete()
        Credential.objects.all().delete()
        StatusList.objects.all().delete()
        DBTaskResult.objects.all().delete()
    shutil.rmtree(MEDIA / "awards", ignore_errors=True)


def worker_env(url, key_text):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(MEDIA),
        "CQP_SIGNING_KEY": key_text,
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    return env


def run_workers(n, *, count, env):
    """Start n workers; seconds until every award has its credential and document, and until they exit."""
    from cqp.credentials.models import AwardDocument, Credential

    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "run_worker",
        "--backend",
        BACKEND_ALIAS,
        "--batch",
        "--interval",
        "0.1",
        "--verbosity",
        "0",
    ]
    logs = [DATA / f"credentials_worker_{n}_{i}.log" for i in range(n)]
    handles = [log.open("w") for log in logs]
    started = time.perf_counter()
    processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=h, stderr=subprocess.STDOUT) for h in handles]
    done_at = None
    last_print = started
    cpu = {}
    try:
        while True:
            time.sleep(0.2)
            documents = AwardDocument.objects.count()
            credentials = Credential.objects.count()
            now = time.perf_counter()
            if done_at is None and documents >= count and credentials >= count:
                done_at = now
            for process in processes:
                if process.returncode is None:
                    # wait4 gives the CPU time of each worker: the machine is shared, wall time counts the waits.
                    pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                    if pid:
                        process.returncode = os.waitstatus_to_exitcode(status)
                        cpu[pid] = usage.ru_utime + usage.ru_stime
            running = [p for p in processes if p.returncode is None]
            if now - last_print >= 10:
                print(f"  {now - started:6.1f} s : {documents} documents, {credentials} attestations signées")
                last_print = now
            if not running:
                exited_at = now
                break
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                process.wait(10)
        for handle in handles:
            handle.close()
    codes = [p.returncode for p in processes]
    if done_at is None:
        # A worker killed by a signal (negative code) or failing leaves tasks behind: reported, not hidden.
        tail = "\n".join(log.read_text()[-2000:] for log in logs)
        print(f"  les workers ont fini sans tout émettre ({documents}/{count}), codes de sortie {codes}\n{tail}")
        return None, round(exited_at - started, 2), codes, round(sum(cpu.values()), 2)
    return round(done_at - started, 2), round(exited_at - started, 2), codes, round(sum(cpu.values()), 2)


def check(count):
    """Every award issued once, files intact, a sample verified; returns the figures checked."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from cqp.awards.models import Award
    from cqp.credentials.models import AwardDocument, Credential
    from cqp.credentials.verification import verify_credential

    credentials = Credential.objects.count()
    documents = AwardDocument.objects.count()
    problems = []
    if credentials != count:
        problems.append(f"{credentials} attestations pour {count} délivrances")
    if documents != count:
        problems.append(f"{documents} documents pour {count} délivrances")
    entries = set(Credential.objects.values_list("status_list_id", "status_index"))
    if len(entries) != credentials:
        problems.append(f"entrées de statut en double : {credentials - len(entries)}")
    failed = DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).count()
    if failed:
        problems.append(f"{failed} tâches non réussies")
    total_bytes = 0
    for name, sha256, size in AwardDocument.objects.values_list("file", "sha256", "size"):
        path = MEDIA / name
        if not path.exists():
            problems.append(f"fichier manquant : {name}")
            continue
        content = path.read_bytes()
        total_bytes += len(content)
        if hashlib.sha256(content).hexdigest() != sha256 or len(content) != size:
            problems.append(f"empreinte ou taille différente : {name}")
    notified = AwardDocument.objects.exclude(notified_at=None).count()
    sample = random.Random(SEED).sample(sorted(Award.objects.values_list("pk", flat=True)), min(VERIFY_SAMPLE, count))
    verified = 0
    for raw in Credential.objects.filter(award_id__in=sample).values_list("signed_json", flat=True):
        report = verify_credential(raw)
        if report.state == "valid" and report.status_checked:
            verified += 1
        else:
            problems.append(f"vérification : {report.state} {report.codes}")
    figures = {
        "credentials": credentials,
        "documents": documents,
        "distinct_status_entries": len(entries),
        "holders_notified": notified,
        "pdf_bytes_mean": round(total_bytes / max(documents, 1)),
        "verified_sample": f"{verified}/{len(sample)}",
    }
    print(f"  vérifié : {figures}")
    if problems:
        print("  PROBLÈMES :\n    " + "\n    ".join(problems[:20]))
    return figures, problems


def profile_one(award_id):
    """cProfile of one award's issuance in this process (after a warm-up award)."""
    from cqp.credentials.services import award_documents_issue

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    award_documents_issue(award_id=award_id)
    profiler.disable()
    elapsed = (time.perf_counter() - started) * 1000
    print(f"\nProfil d'une délivrance (award_documents_issue) : {elapsed:.0f} ms")
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(30)
    print(stream.getvalue())
    return round(elapsed, 1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help=f"default {DEFAULT_POSTGRES}")
    parser.add_argument("--quick", action="store_true", help="100 awards, result in bench/data/")
    parser.add_argument("--awards", type=int, help=f"awards to issue (default {TARGET_AWARDS})")
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 1], help="worker counts to run (default 2 1)")
    parser.add_argument("--profile", action="store_true", help="also profile one award's issuance in this process")
    parser.add_argument("--output", type=Path, help=f"JSON result (default {RESULTS})")
    args = parser.parse_args(argv)
    count = args.awards or (100 if args.quick else TARGET_AWARDS)
    output = args.output or (QUICK_RESULTS if args.quick else RESULTS)
    print(f"Objectif : {TARGET} ({TARGET_AWARDS / TARGET_SECONDS:.1f} délivrances/s, 2 cœurs).")

    load_before = round(os.getloadavg()[0], 2)
    url = args.postgres_url if args.postgres else f"sqlite:///{SQLITE}"
    os.environ["DATABASE_URL"] = url
    os.environ["MEDIA_ROOT"] = str(MEDIA)
    fresh_database(url)
    fresh_files()
    import django

    django.setup()
    import logging

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from cqp.credentials import keys

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("django_tasks").setLevel(logging.WARNING)
    # Queued on the database backend, as in production; the key file is this run's.
    overrides = override_settings(
        TASKS={"default": {"BACKEND": TASKS_DB}, BACKEND_ALIAS: {"BACKEND": TASKS_DB}},
        CQP_SIGNING_KEY_FILE=KEY_FILE,
        MEDIA_ROOT=MEDIA,
    )
    overrides.enable()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    print(f"Construction : {count} délivrances ({BLOCKS} blocs, {CERTIFICATE_SHARE:.0%} de certificats)…")
    award_ids, kinds = build(count)
    keys.key_create(path=KEY_FILE)
    key_text = KEY_FILE.read_text()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    build_seconds = round(time.perf_counter() - started, 2)
    print(f"  {build_seconds} s ; {connection.vendor}")
    env = worker_env(url, key_text)
    connection.close()  # the workers write; this process only polls

    runs, problems = {}, []
    for n, workers in enumerate(args.workers):
        if n:
            reset()
        started = time.perf_counter()
        enqueue(award_ids)
        enqueue_seconds = round(time.perf_counter() - started, 2)
        connection.close()
        print(f"\n{workers} worker(s) : {count} tâches en file en {enqueue_seconds} s, départ…")
        load = round(os.getloadavg()[0], 2)
        seconds, exited, codes, cpu = run_workers(workers, count=count, env=env)
        figures, found = check(count)
        if seconds is None:
            found.append(f"les workers sont sortis avant la fin (codes {codes})")
            seconds = exited
        problems += [f"{workers} worker(s) : {p}" for p in found]
        runs[str(workers)] = {
            "workers": workers,
            "seconds": seconds,
            "seconds_until_workers_exited": exited,
            "per_award_ms": round(seconds * 1000 / count, 1),
            # Wall time per award for one worker: the cost of one issuance on one core.
            "per_award_ms_per_worker": round(seconds * 1000 * workers / count, 1),
            "documents_per_s": round(count / seconds, 2),
            # CPU time of the workers (start-up included), which waits for a busy core do not inflate.
            "workers_cpu_s": cpu,
            "cpu_ms_per_award": round(cpu * 1000 / count, 1),
            "enqueue_seconds": enqueue_seconds,
            "worker_exit_codes": codes,
            "load_average_1min_at_start": load,
            "checked": figures,
        }
        print(
            f"  {seconds} s jusqu'au dernier document ({exited} s jusqu'à la sortie des workers) : "
            f"{count / seconds:.2f} documents/s, {seconds * 1000 / count:.1f} ms par délivrance ; "
            f"CPU des workers {cpu} s ({cpu * 1000 / count:.1f} ms par délivrance)"
        )

    profile_ms = None
    if args.profile:
        reset()
        from cqp.credentials.services import award_documents_issue

        award_documents_issue(award_id=award_ids[0])  # warm-up: stylesheet, fonts, contexts
        profile_ms = profile_one(award_ids[1])

    target_run = runs.get(str(TARGET_WORKERS))
    scaled = count == TARGET_AWARDS
    met = bool(target_run) and target_run["seconds"] <= TARGET_SECONDS * count / TARGET_AWARDS and not problems
    result = {
        "benchmark": "credentials_issue",
        "target": TARGET,
        "target_seconds": TARGET_SECONDS,
        "target_awards": TARGET_AWARDS,
        "target_workers": TARGET_WORKERS,
        "met": met,
        "full_size": scaled,
        "seconds_2_workers": runs.get("2", {}).get("seconds"),
        "seconds_1_worker": runs.get("1", {}).get("seconds"),
        "runs": runs,
        "problems": problems,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "settings": "config.settings.test (tasks on django_tasks_db.DatabaseBackend)",
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_1min": [load_before, round(os.getloadavg()[0], 2)],
        },
        "data": {
            "awards": count,
            **kinds,
            "blocks_per_certificate": BLOCKS,
            "blocks_per_attestation": PARTIAL_BLOCKS,
            "document_style": "logo and two signatures (PNG)",
        },
        "build_seconds": build_seconds,
    }
    if profile_ms is not None:
        result["profile_one_award_ms"] = profile_ms
    overrides.disable()
    output.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(output.read_text()) if output.exists() else {}
    previous[connection.vendor] = result
    output.write_text(json.dumps(dict(sorted(previous.items())), ensure_ascii=False, indent=2) + "\n")
    figures = ", ".join(f"{r['workers']} worker(s) {r['seconds']} s" for r in runs.values())
    limit = TARGET_SECONDS * count / TARGET_AWARDS
    print(
        f"\n{count} délivrances : {figures} — objectif ≤ {limit:.0f} s avec {TARGET_WORKERS} workers "
        f"{'atteint' if met else 'NON atteint'}{'' if scaled else ' (à l’échelle)'}."
    )
    print(f"Résultat écrit dans {output}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
