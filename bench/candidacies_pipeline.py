"""Server time of the certifier's pipeline page and of the candidacy list API with 100,000 candidacies.

Target (issue 3): p95 <= 100 ms on PostgreSQL, with a number of SQL queries per request that does not
grow with the page size (asserted in tests/www/test_pipeline.py).

    .venv/bin/python bench/candidacies_pipeline.py                 # PostgreSQL database cqp_bench_candidacies
    .venv/bin/python bench/candidacies_pipeline.py --recreate      # drop it and build the data again
    .venv/bin/python bench/candidacies_pipeline.py --candidacies 10000 --output bench/data/quick.json

The database is the one DATABASE_URL names, or postgres://postgres@127.0.0.1:5432/cqp_bench_candidacies
(created when missing). It is migrated; when it holds fewer candidacies than asked, the data are built
with bulk inserts (deterministic: a fixed random seed): certifiers of unequal size, their
certifications and blocks, employers, training organisations and assessment centres, candidates, and
candidacies spread over three years, both paths and every state, each with its targeted blocks (status
as the state implies) and its trail (creation and last transition). Requests go through Django's test
Client in the same process (test settings, DEBUG off), timed around each request after warm-up; the
SQL queries of one more request are counted apart.
"""

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import timing  # bench/timing.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cqp_bench_candidacies"

TARGET_P95_MS = 100.0
RESULTS = ROOT / "bench" / "results" / "candidacies_pipeline.json"
SEED = 20261127
BATCH = 5000

# Share of the candidacies of each certifier: a large branch, a middle one, small ones.
CERTIFIER_SHARES = [0.40, 0.25, 0.15, 0.10, 0.06, 0.04]
CERTIFICATIONS_PER_CERTIFIER = 12
# States by path, with their weight: most candidacies are past or in training, few wait for a decision.
STATE_WEIGHTS = {
    "TRAINING": {
        "DRAFT": 6,
        "SUBMITTED": 4,
        "ADMISSIBLE": 4,
        "INADMISSIBLE": 2,
        "POSITIONED": 4,
        "IN_TRAINING": 16,
        "IN_ASSESSMENT": 6,
        "READY_FOR_JURY": 3,
        "SCHEDULED_FOR_JURY": 3,
        "DECIDED": 3,
        "DELIVERED": 14,
        "CLOSED": 27,
        "WITHDRAWN": 8,
    },
    "VAE": {
        "DRAFT": 8,
        "SUBMITTED": 6,
        "ADMISSIBLE": 6,
        "INADMISSIBLE": 6,
        "DOSSIER_SUBMITTED": 10,
        "IN_ASSESSMENT": 8,
        "READY_FOR_JURY": 4,
        "SCHEDULED_FOR_JURY": 4,
        "DECIDED": 4,
        "DELIVERED": 12,
        "CLOSED": 22,
        "WITHDRAWN": 10,
    },
}
ASSIGNED_FROM = {"POSITIONED", "IN_TRAINING", "IN_ASSESSMENT", "READY_FOR_JURY", "SCHEDULED_FOR_JURY"}
ASSIGNED_FROM |= {"DECIDED", "DELIVERED", "CLOSED", "DOSSIER_SUBMITTED"}
JUDGED = {"DECIDED", "DELIVERED", "CLOSED"}


def ensure_database(url, *, recreate):
    if not url.startswith("postgres"):
        return
    base, name = url.rsplit("/", 1)
    exists = subprocess.run(
        ["psql", f"{base}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists and recreate:
        subprocess.check_call(["psql", f"{base}/postgres", "-q", "-c", f'DROP DATABASE "{name}"'])
        exists = ""
    if not exists:
        subprocess.check_call(["psql", f"{base}/postgres", "-q", "-c", f'CREATE DATABASE "{name}"'])


def setup_django():
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


# --------------------------------------------------------------------------- data


def build(total, *, stdout=print):
    """Bulk inserts of a realistic platform: `total` candidacies. Returns the time it took."""
    from django.db import transaction

    from cqp.accounts.enums import OrganisationKind, Role
    from cqp.accounts.models import Membership, Organisation, User
    from cqp.candidacies.models import Candidacy, CandidacyBlock, CandidacyEvent, Candidate
    from cqp.catalogue.models import Block, Certification, Certifier

    rng = random.Random(SEED)
    started = time.perf_counter()
    now = datetime.now(UTC).replace(microsecond=0)

    with transaction.atomic():
        certifiers = Certifier.objects.bulk_create(
            Certifier(siret=f"{99000000000000 + i:014d}", name=f"CPNE de banc d'essai {i + 1}")
            for i in range(len(CERTIFIER_SHARES))
        )
        certifications, blocks_of = {}, {}
        for i, certifier in enumerate(certifiers):
            rows = Certification.objects.bulk_create(
                Certification(
                    code=f"RNCP{80000 + i * 100 + j}",
                    registry="RNCP",
                    kind="CQP",
                    title=f"CQP de banc d'essai {i + 1}-{j + 1}",
                    source="PLATFORM",
                    level=3 + j % 3,
                    active=True,
                    vae_open=True,
                    cpf_eligible=True,
                    access_routes=["FC", "CQ", "VAE"],
                    search_text=f"cqp banc essai {i + 1} {j + 1}",
                )
                for j in range(CERTIFICATIONS_PER_CERTIFIER)
            )
            certifier.certifications.add(*rows)
            certifications[certifier.pk] = rows
        blocks = Block.objects.bulk_create(
            Block(certification=c, code=f"{c.code}BC{n:02d}", position=n, title=f"Bloc {n} de {c.code}")
            for rows in certifications.values()
            for c in rows
            for n in range(1, 3 + (c.pk % 4) + 1)
        )
        for block in blocks:
            blocks_of.setdefault(block.certification_id, []).append(block.pk)

        employers = Organisation.objects.bulk_create(
            Organisation(kind=OrganisationKind.EMPLOYER, name=f"Entreprise {i}", siret=f"{91000000000000 + i:014d}")
            for i in range(400)
        )
        training_orgs = Organisation.objects.bulk_create(
            Organisation(
                kind=OrganisationKind.TRAINING_ORG, name=f"Organisme de formation {i}", siret=f"{92 * 10**12 + i:014d}"
            )
            for i in range(40)
        )
        centres = Organisation.objects.bulk_create(
            Organisation(
                kind=OrganisationKind.ASSESSMENT_CENTRE,
                name=f"Organisme évaluateur {i}",
                siret=f"{93 * 10**12 + i:014d}",
            )
            for i in range(20)
        )
        through = Organisation.accredited_certifications.through
        through.objects.bulk_create(
            through(organisation_id=centre.pk, certification_id=c.pk)
            for centre in centres
            for rows in certifications.values()
            for c in rows
        )
        users = User.objects.bulk_create(
            User(email=f"cpne{i + 1}@banc.example", first_name="Agent", last_name=f"CPNE {i + 1}")
            for i in range(len(certifiers))
        )
        Membership.objects.bulk_create(
            Membership(user=user, role=Role.CERTIFIER_STAFF, certifier=certifier)
            for user, certifier in zip(users, certifiers, strict=True)
        )
        trainer = User.objects.create(email="formation@banc.example", first_name="Agent", last_name="Formation")
        Membership.objects.create(user=trainer, role=Role.TRAINING_ORG, organisation=training_orgs[0])
        User.objects.create_superuser("admin@banc.example", None)

    candidate_count = int(total * 0.85)
    for start in range(0, candidate_count, BATCH):
        Candidate.objects.bulk_create(
            Candidate(first_name=f"Prénom{i}", last_name=f"Nom{i}", email=f"candidat{i}@banc.example")
            for i in range(start, min(start + BATCH, candidate_count))
        )
    candidate_ids = list(Candidate.objects.values_list("pk", flat=True))
    stdout(f"  référentiels et {len(candidate_ids)} candidats : {time.perf_counter() - started:.1f} s")

    weights = {path: (list(w), list(w.values())) for path, w in STATE_WEIGHTS.items()}
    # created_at is auto_now_add: the bench gives the dates of three years of activity instead.
    created_field = Candidacy._meta.get_field("created_at")
    created_field.auto_now_add = False
    made = 0
    try:
        while made < total:
            size = min(BATCH, total - made)
            rows = []
            for _ in range(size):
                certifier = certifiers[rng.choices(range(len(certifiers)), CERTIFIER_SHARES)[0]]
                certification = rng.choice(certifications[certifier.pk])
                path = "VAE" if rng.random() < 0.25 else "TRAINING"
                states, state_weights = weights[path]
                state = rng.choices(states, state_weights)[0]
                created = now - timedelta(seconds=rng.randrange(3 * 365 * 86400))
                changed = min(now, created + timedelta(days=rng.randrange(0, 200)))
                assigned = state in ASSIGNED_FROM
                employed = path == "TRAINING" and rng.random() < 0.7
                rows.append(
                    Candidacy(
                        candidate_id=rng.choice(candidate_ids),
                        certification=certification,
                        certifier=certifier,
                        path=path,
                        situation="EMPLOYEE" if employed else rng.choice(["JOB_SEEKER", "YOUNG", "EMPLOYEE"]),
                        funding=("PLAN" if employed else "CPF") if path == "TRAINING" else "",
                        employer=rng.choice(employers) if employed else None,
                        training_org=rng.choice(training_orgs) if assigned and path == "TRAINING" else None,
                        assessment_centre=rng.choice(centres) if assigned else None,
                        state=state,
                        state_changed_at=changed,
                        created_at=created,
                    )
                )
            with transaction.atomic():
                rows = Candidacy.objects.bulk_create(rows)
                CandidacyBlock.objects.bulk_create(
                    CandidacyBlock(candidacy_id=c.pk, block_id=block_id, status=_block_status(c.state, n, rng))
                    for c in rows
                    for n, block_id in enumerate(blocks_of[c.certification_id])
                )
                events = []
                for c in rows:
                    events.append(CandidacyEvent(candidacy_id=c.pk, at=c.created_at, name="create", to_state="DRAFT"))
                    if c.state != "DRAFT":
                        events.append(
                            CandidacyEvent(
                                candidacy_id=c.pk, at=c.state_changed_at, name="bench", from_state="", to_state=c.state
                            )
                        )
                CandidacyEvent.objects.bulk_create(events)
            made += size
            if made % 20000 == 0 or made == total:
                stdout(f"  {made} candidatures : {time.perf_counter() - started:.1f} s")
    finally:
        created_field.auto_now_add = True
    return time.perf_counter() - started


def _block_status(state, n, rng):
    if state in JUDGED:
        return "acquired" if n == 0 or rng.random() < 0.8 else "not_acquired"
    return "exempted" if rng.random() < 0.05 else "to_acquire"


def analyze():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def size():
    from django.db.models import Count

    from cqp.candidacies.models import Candidacy, CandidacyBlock, CandidacyEvent

    per_certifier = Candidacy.objects.values("certifier_id").annotate(n=Count("pk")).order_by("-n")
    return {
        "candidacies": Candidacy.objects.count(),
        "blocks": CandidacyBlock.objects.count(),
        "events": CandidacyEvent.objects.count(),
        "largest_certifier": per_certifier[0]["n"] if per_certifier else 0,
    }


# --------------------------------------------------------------------------- requests


def build_requests(include_api):
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from cqp.accounts.models import User
    from cqp.candidacies.models import Candidacy

    largest = Candidacy.objects.values("certifier_id").annotate(n=Count("pk")).order_by("-n").first()["certifier_id"]
    staff = User.objects.get(memberships__certifier_id=largest, memberships__role="certifier_staff")
    admin = User.objects.get(email="admin@banc.example")
    trainer = User.objects.get(email="formation@banc.example")
    mine = Candidacy.objects.filter(certifier_id=largest)
    certification = mine.values_list("certification__code", flat=True).order_by("certification__code").first()
    organisation = mine.exclude(training_org=None).values_list("training_org_id", flat=True).order_by("training_org_id")
    organisation = organisation.first()
    today = datetime.now(UTC).date()
    quarter = {
        "created_from": (today - timedelta(days=200)).isoformat(),
        "created_to": (today - timedelta(days=110)).isoformat(),
    }

    pipeline = reverse("www:pipeline")
    requests = []

    def add(user, name, url, params=None):
        requests.append((user, name, f"{url}?{urlencode(params)}" if params else url))

    for params in [
        {},
        {"page": "2"},
        {"page": "50"},
        {"state": "SUBMITTED"},
        {"state": "IN_TRAINING", "page": "2"},
        {"state": "CLOSED", "page": "50"},
        {"path": "VAE"},
        {"certification": certification},
        {"certification": certification, "state": "DELIVERED"},
        {"organisation": str(organisation)},
        quarter,
        {**quarter, "state": "SUBMITTED", "path": "TRAINING"},
        {"sort": "oldest"},
        {"sort": "state_changed", "page": "50"},
    ]:
        add(staff, "pipeline " + (" ".join(f"{k}={v}" for k, v in params.items()) or "sans filtre"), pipeline, params)
    add(admin, "pipeline administrateur (toutes les candidatures)", pipeline)
    add(admin, "pipeline administrateur state=SUBMITTED page=2", pipeline, {"state": "SUBMITTED", "page": "2"})
    add(trainer, "candidatures confiées (organisme de formation)", reverse("www:assigned_candidacies"))
    api = None
    if include_api:
        try:
            api = reverse("api:candidacy-list")
        except NoReverseMatch:
            api = None
    if api:
        for params in [
            {},
            {"page": "2"},
            {"page": "50"},
            {"state": "SUBMITTED"},
            {"path": "VAE", "state": "IN_ASSESSMENT"},
            {"certification": certification},
            {"created_after": quarter["created_from"], "created_before": quarter["created_to"]},
        ]:
            add(staff, "API " + (" ".join(f"{k}={v}" for k, v in params.items()) or "sans filtre"), api, params)
        add(admin, "API administrateur (toutes les candidatures)", api)
    return requests, api is not None


def measure(requests, *, runs, warmup):
    from django.test import Client

    clients, rows = {}, []
    for user, name, url in requests:
        client = clients.get(user.pk)
        if client is None:
            client = clients[user.pk] = Client()
            client.force_login(user)
        rows.append(timing.measure(client, name, url, warmup=warmup, runs=runs))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidacies", type=int, default=100_000, help="candidacies to build (default 100,000)")
    parser.add_argument("--recreate", action="store_true", help="drop the PostgreSQL database first")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per address (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests per address first (default 2)")
    parser.add_argument("--no-api", action="store_true", help="the pages only, not the list API")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"JSON result (default {RESULTS})")
    args = parser.parse_args(argv)

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    ensure_database(url, recreate=args.recreate)
    setup_django()
    import django
    from django.core.management import call_command
    from django.db import connection

    from cqp.candidacies.models import Candidacy

    call_command("migrate", verbosity=0)
    build_seconds = None
    existing = Candidacy.objects.count()
    if existing == 0:
        print(f"Construction de {args.candidacies} candidatures…")
        build_seconds = build(args.candidacies)
    elif existing < args.candidacies:
        raise SystemExit(f"La base contient déjà {existing} candidatures : relancez avec --recreate.")
    analyze()
    data = size()
    requests, with_api = build_requests(include_api=not args.no_api)
    print(f"{connection.vendor}, {data['candidacies']} candidatures, {len(requests)} adresses × {args.runs}")
    if not with_api and not args.no_api:
        print("L'API des candidatures n'existe pas encore : seules les pages sont mesurées.")
    print(f"{'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'SQL':>4}  requête")
    rows = measure(requests, runs=args.runs, warmup=args.warmup)

    every = [s for row in rows for s in row.pop("_samples")]
    pages = [r for r in rows if not r["name"].startswith("API ")]
    api_rows = [r for r in rows if r["name"].startswith("API ")]
    overall = {
        "p50_ms": round(statistics.median(every), 2),
        "p95_ms": round(timing.percentile(every, 0.95), 2),
        "max_ms": round(max(every), 2),
        "worst_address_p95_ms": max(r["p95_ms"] for r in rows),
        "sql_queries_pages": sorted({r["sql_queries"] for r in pages}),
        "sql_queries_api": sorted({r["sql_queries"] for r in api_rows}),
    }
    result = {
        "benchmark": "candidacies_pipeline",
        "target": {"p95_ms": TARGET_P95_MS},
        "met": overall["p95_ms"] <= TARGET_P95_MS,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "settings": os.environ["DJANGO_SETTINGS_MODULE"],
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "data": data,
        "build_seconds": round(build_seconds, 1) if build_seconds else None,
        "api_measured": with_api,
        "runs_per_address": args.runs,
        "warmup_per_address": args.warmup,
        "overall": overall,
        "addresses": rows,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(args.output.read_text()) if args.output.exists() else {}
    previous[connection.vendor] = result
    args.output.write_text(json.dumps(dict(sorted(previous.items())), ensure_ascii=False, indent=2) + "\n")
    verdict = "atteint" if result["met"] else "NON atteint"
    print(
        f"\nToutes adresses : p50 {overall['p50_ms']} ms, p95 {overall['p95_ms']} ms, max {overall['max_ms']} ms "
        f"— objectif p95 ≤ {TARGET_P95_MS:.0f} ms {verdict}. SQL par requête : pages {overall['sql_queries_pages']}, "
        f"API {overall['sql_queries_api']}."
    )
    print(f"Résultat écrit dans {args.output}")
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
