"""Server time of the statistics page with 1,000,000 candidacies.

Target (issue 8): the page in <= 1 s of server time, for a platform administrator (every certifier),
for the staff of the largest certifier, and for one filtered request. The figures are kept ten minutes
per set of filters (cqp.reporting.selectors.cached_statistics): the first request of each computes them
(`cold_ms`); the next ten are timed (p50/p95). The target counts both: it is NOT met at this size while
the first request computes (1.6 to 10.6 s); `met_cached` says whether the cached requests meet it.

    .venv/bin/python bench/statistics_page.py --postgres            # PostgreSQL database cqp_bench_stats
    .venv/bin/python bench/statistics_page.py                       # SQLite file bench/data/statistics_bench.sqlite3
    .venv/bin/python bench/statistics_page.py --postgres --quick    # 50,000 candidacies
    .venv/bin/python bench/statistics_page.py --postgres --reuse    # measure again on the data already built

The database is made afresh and migrated, then filled with raw bulk inserts (COPY on PostgreSQL,
executemany in large batches on SQLite), deterministic (fixed seed): 6 certifiers of unequal size, 12
certifications each (3 to 6 blocks), 400 employers, 40 training organisations, 20 assessment centres, one
jury per certification with a signed session per month over three years; candidacies over three years,
both paths, every situation and funding, about 60 % decided (signed deliberation in force, one decision
per block) of which most are awards, an award (certificate or block attestation) for each AWARD or
PARTIAL opinion, and the submission event of each candidacy past draft. Requests go through Django's test
Client in the same process (test settings, DEBUG off).
"""

import argparse
import io
import json
import os
import platform
import random
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import timing  # noqa: E402  (bench/timing.py, beside this script)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/cqp_bench_stats"
SQLITE_FILE = ROOT / "bench" / "data" / "statistics_bench.sqlite3"
RESULTS = ROOT / "bench" / "results" / "statistics.json"
TARGET_P95_MS = 1000.0
SEED = 20261127
BATCH = 20_000
CERTIFIER_SHARES = [0.40, 0.25, 0.15, 0.10, 0.06, 0.04]
CERTIFICATIONS_PER_CERTIFIER = 12
MONTHS = 36
START = datetime(2023, 1, 1, 9, tzinfo=UTC)
# Weights of the states: DECIDED, DELIVERED and CLOSED (about 60 %) have a deliberation.
STATES = {
    "DRAFT": 4,
    "SUBMITTED": 3,
    "ADMISSIBLE": 3,
    "INADMISSIBLE": 3,
    "IN_TRAINING": 12,
    "IN_ASSESSMENT": 6,
    "READY_FOR_JURY": 3,
    "SCHEDULED_FOR_JURY": 2,
    "WITHDRAWN": 4,
    "DECIDED": 6,
    "DELIVERED": 40,
    "CLOSED": 14,
}
DECIDED = {"DECIDED", "DELIVERED", "CLOSED"}
OPINIONS = {"AWARD": 78, "PARTIAL": 14, "REFUSAL": 8}
SITUATIONS = {"EMPLOYEE": 70, "YOUNG": 15, "JOB_SEEKER": 15}
FUNDINGS = {
    "PLAN": 35,
    "CONTRAT_PRO": 20,
    "PRO_A": 8,
    "CPF": 15,
    "FRANCE_TRAVAIL": 8,
    "REGION": 5,
    "PERSONAL": 5,
    "": 4,
}


def weighted(rng, weights):
    keys, values = list(weights), list(weights.values())
    return lambda: rng.choices(keys, values)[0]


def prepare_database(url):
    if url.startswith("postgres"):
        base, name = url.rsplit("/", 1)
        for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            subprocess.check_call(["psql", f"{base}/postgres", "-q", "-c", sql])
    else:
        SQLITE_FILE.parent.mkdir(parents=True, exist_ok=True)
        for path in SQLITE_FILE.parent.glob(SQLITE_FILE.name + "*"):
            path.unlink()
    os.environ["DATABASE_URL"] = url


def setup_django():
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    call_command("migrate", verbosity=0)
    setup_test_environment()


# --------------------------------------------------------------------------- raw bulk writer


class Writer:
    """Rows of one model, every concrete column given (its default when not named), sent in batches:
    COPY FROM STDIN on PostgreSQL, executemany on SQLite."""

    def __init__(self, model):
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.table = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.defaults = {}
        for f in self.fields:
            # The field's own default; "" for a text column without one (as Django saves it).
            self.defaults[f.attname] = f.get_default()
        self.rows = []
        self.count = 0

    def value(self, v):
        if v is None:
            return None
        if isinstance(v, bool):
            return ("t" if v else "f") if self.postgres else int(v)
        if isinstance(v, (dict, list)):
            return json.dumps(v)
        if isinstance(v, datetime):
            return v.isoformat() if self.postgres else v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(v, date):
            return v.isoformat()
        if isinstance(v, uuid.UUID):
            return str(v) if self.postgres else v.hex
        return v

    def add(self, **values):
        row = {**self.defaults, **values}
        self.rows.append([self.value(row[f.attname]) for f in self.fields])
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self):
        if not self.rows:
            return
        with self.connection.cursor() as cursor:
            if self.postgres:
                buffer = io.StringIO()
                for row in self.rows:
                    buffer.write("\t".join(r"\N" if v is None else _escape(str(v)) for v in row))
                    buffer.write("\n")
                columns = ", ".join(f'"{c}"' for c in self.columns)
                with cursor.cursor.copy(f'COPY "{self.table}" ({columns}) FROM STDIN') as copy:
                    copy.write(buffer.getvalue())
            else:
                marks = ", ".join("?" for _ in self.columns)
                columns = ", ".join(f'"{c}"' for c in self.columns)
                cursor.executemany(f'INSERT INTO "{self.table}" ({columns}) VALUES ({marks})', self.rows)
        self.count += len(self.rows)
        self.rows = []


def _escape(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


# --------------------------------------------------------------------------- data


def build(total):
    """The platform and `total` candidacies. Returns {table: rows} and the time it took."""
    from django.db import connection, transaction

    from cqp.accounts.enums import OrganisationKind, Role
    from cqp.accounts.models import Membership, Organisation, User
    from cqp.awards.models import Award
    from cqp.candidacies.models import Candidacy, CandidacyEvent, Candidate
    from cqp.catalogue.models import Block, Branch, Certification, Certifier
    from cqp.juries.models import Deliberation, DeliberationBlock, Jury, JurySession

    rng = random.Random(SEED)
    started = time.perf_counter()
    with transaction.atomic():
        staff_user = User.objects.create(email="staff@banc.example", first_name="Agent", last_name="CPNE")
        branches = Branch.objects.bulk_create(Branch(slug=f"branche-{i}", name=f"Branche {i}") for i in range(3))
        certifiers = Certifier.objects.bulk_create(
            Certifier(siret=f"{99000000000000 + i:014d}", name=f"CPNE {i + 1}") for i in range(len(CERTIFIER_SHARES))
        )
        Membership.objects.create(user=staff_user, role=Role.CERTIFIER_STAFF, certifier=certifiers[0])
        certifications, blocks_of, juries = {}, {}, {}
        for i, certifier in enumerate(certifiers):
            rows = Certification.objects.bulk_create(
                Certification(
                    code=f"RNCP{80000 + i * 100 + j}",
                    registry="RNCP",
                    kind="CQP",
                    title=f"CQP de banc d'essai {i + 1}-{j + 1}",
                    level=3 + j % 3,
                )
                for j in range(CERTIFICATIONS_PER_CERTIFIER)
            )
            certifier.certifications.add(*rows)
            certifier.branches.add(branches[i % 3])
            for c in rows:
                c.branches.add(branches[i % 3])
            certifications[certifier.pk] = rows
        for c in (c for rows in certifications.values() for c in rows):
            blocks = Block.objects.bulk_create(
                Block(certification=c, code=f"{c.code}BC{n:02d}", position=n, title=f"Bloc {n} de {c.code}")
                for n in range(1, 3 + c.pk % 4 + 1)
            )
            blocks_of[c.pk] = [b.pk for b in blocks]
        organisations = {}
        for kind, count, prefix in (
            (OrganisationKind.EMPLOYER, 400, "Entreprise"),
            (OrganisationKind.TRAINING_ORG, 40, "Organisme de formation"),
            (OrganisationKind.ASSESSMENT_CENTRE, 20, "Organisme évaluateur"),
        ):
            organisations[kind] = [
                o.pk
                for o in Organisation.objects.bulk_create(
                    Organisation(kind=kind, name=f"{prefix} {i}") for i in range(count)
                )
            ]
        sessions = {}
        for certifier in certifiers:
            for c in certifications[certifier.pk]:
                jury = Jury.objects.create(certifier=certifier, name=f"Jury {c.code}")
                juries[c.pk] = jury
                made = JurySession.objects.bulk_create(
                    JurySession(
                        jury=jury,
                        starts_at=START + timedelta(days=30 * m + 25),
                        state="SIGNED",
                        created_by=staff_user,
                        opened_at=START + timedelta(days=30 * m + 25),
                        closed_at=START + timedelta(days=30 * m + 25, hours=3),
                        signed_at=START + timedelta(days=30 * m + 26),
                    )
                    for m in range(MONTHS)
                )
                sessions[c.pk] = made

        state_of, opinion_of = weighted(rng, STATES), weighted(rng, OPINIONS)
        situation_of, funding_of = weighted(rng, SITUATIONS), weighted(rng, FUNDINGS)
        certifier_of = weighted(rng, {c.pk: share for c, share in zip(certifiers, CERTIFIER_SHARES, strict=True)})
        writers = {
            model: Writer(model)
            for model in (Candidate, Candidacy, CandidacyEvent, Deliberation, DeliberationBlock, Award)
        }
        next_id = dict.fromkeys(writers, 1)
        sequences = {}
        employers = organisations[OrganisationKind.EMPLOYER]
        trainers = organisations[OrganisationKind.TRAINING_ORG]
        centres = organisations[OrganisationKind.ASSESSMENT_CENTRE]
        span = MONTHS * 30 * 86400
        for n in range(total):
            certifier_id = certifier_of()
            certification = rng.choice(certifications[certifier_id])
            created = START + timedelta(seconds=rng.randrange(span - 200 * 86400))
            state = state_of()
            path = "VAE" if rng.random() < 0.2 else "TRAINING"
            funding = funding_of()
            candidate_id = next_id[Candidate]
            next_id[Candidate] += 1
            writers[Candidate].add(id=candidate_id, first_name="Prénom", last_name=f"Nom {n}", created_at=created)
            candidacy_id = next_id[Candidacy]
            next_id[Candidacy] += 1
            writers[Candidacy].add(
                id=candidacy_id,
                candidate_id=candidate_id,
                certification_id=certification.pk,
                certifier_id=certifier_id,
                path=path,
                situation=situation_of(),
                funding=funding,
                employer_id=rng.choice(employers) if funding in ("PLAN", "CONTRAT_PRO", "PRO_A") else None,
                training_org_id=rng.choice(trainers) if path == "TRAINING" and state != "DRAFT" else None,
                assessment_centre_id=rng.choice(centres) if state not in ("DRAFT", "SUBMITTED") else None,
                state=state,
                state_changed_at=created,
                created_at=created,
                updated_at=created,
            )
            if state == "DRAFT":
                continue
            submitted = created + timedelta(days=rng.randrange(0, 20))
            writers[CandidacyEvent].add(
                id=next_id[CandidacyEvent],
                candidacy_id=candidacy_id,
                at=submitted,
                name="submit",
                from_state="DRAFT",
                to_state="SUBMITTED",
            )
            next_id[CandidacyEvent] += 1
            if state not in DECIDED:
                continue
            # The first session at least 90 days after submission (up to about 20 months).
            month = min(MONTHS - 1, (submitted - START).days // 30 + 3 + rng.randrange(0, 16))
            session = sessions[certification.pk][month]
            opinion = opinion_of()
            deliberation_id = next_id[Deliberation]
            next_id[Deliberation] += 1
            writers[Deliberation].add(
                id=deliberation_id,
                session_id=session.pk,
                candidacy_id=candidacy_id,
                opinion=opinion,
                recorded_by_id=staff_user.pk,
                recorded_at=session.closed_at,
            )
            blocks = blocks_of[certification.pk]
            validated = {"AWARD": len(blocks), "PARTIAL": rng.randrange(1, len(blocks)), "REFUSAL": 0}[opinion]
            for i, block_id in enumerate(rng.sample(blocks, len(blocks))):
                writers[DeliberationBlock].add(
                    id=next_id[DeliberationBlock],
                    deliberation_id=deliberation_id,
                    block_id=block_id,
                    validated=i < validated,
                )
                next_id[DeliberationBlock] += 1
            if opinion == "REFUSAL":
                continue
            delivered = (session.signed_at + timedelta(days=rng.randrange(1, 15))).date()
            key = (certifier_id, delivered.year)
            sequences[key] = sequence = sequences.get(key, 0) + 1
            writers[Award].add(
                id=next_id[Award],
                uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                number=f"{certifier_id}-{delivered.year}-{sequence:07d}",
                certifier_id=certifier_id,
                year=delivered.year,
                sequence=sequence,
                kind="CERTIFICATE" if opinion == "AWARD" else "BLOCK_ATTESTATION",
                candidacy_id=candidacy_id,
                certification_id=certification.pk,
                deliberation_id=deliberation_id,
                delivered_on=delivered,
                delivered_by_id=staff_user.pk,
                created_at=session.signed_at,
            )
            next_id[Award] += 1
        for writer in writers.values():
            writer.flush()
        if connection.vendor == "postgresql":
            # Rows were given their ids: move each sequence past them.
            with connection.cursor() as cursor:
                for model in writers:
                    table = model._meta.db_table
                    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {next_id[model]})")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts = {model._meta.db_table: writer.count for model, writer in writers.items()}
    return counts, time.perf_counter() - started


# --------------------------------------------------------------------------- measure


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL (database cqp_bench_stats)")
    parser.add_argument("--quick", action="store_true", help="50,000 candidacies instead of 1,000,000")
    parser.add_argument("--candidacies", type=int, help="another number of candidacies")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--reuse", action="store_true", help="keep the database when it already holds the data")
    parser.add_argument("--output", type=Path, help=f"JSON result (default {RESULTS.relative_to(ROOT)})")
    options = parser.parse_args()
    total = options.candidacies or (50_000 if options.quick else 1_000_000)
    url = os.environ.get("BENCH_POSTGRES_URL", POSTGRES_URL) if options.postgres else f"sqlite:///{SQLITE_FILE}"
    if options.reuse:
        os.environ["DATABASE_URL"] = url
    else:
        prepare_database(url)
    setup_django()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from cqp.accounts.models import User
    from cqp.candidacies.models import Candidacy
    from cqp.catalogue.models import Certification

    previous_result = json.loads(RESULTS.read_text()).get(connection.vendor, {}) if RESULTS.exists() else {}
    if options.reuse and Candidacy.objects.count() == total:
        counts, build_seconds = previous_result.get("rows", {}), previous_result.get("build_seconds", 0)
        print(f"Reusing {total:,} candidacies on {connection.vendor}.", flush=True)
    else:
        print(f"Building {total:,} candidacies on {connection.vendor}…", flush=True)
        counts, build_seconds = build(total)
        print(f"built in {build_seconds:.1f} s: {counts}", flush=True)

    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("admin@banc.example", None)
    staff = User.objects.get(email="staff@banc.example")
    page = reverse("www:statistics")
    certification = Certification.objects.order_by("pk").first()
    rows = []
    print("    p50      p95      max  SQL  request")
    for user, name, query in (
        (admin, "administrateur, tous les certificateurs", ""),
        (staff, "personnel du plus grand certificateur (40 %)", ""),
        (
            staff,
            "personnel, filtré : une certification, délivrances de 2024",
            f"?period_on=delivered&date_from=2024-01-01&date_to=2024-12-31&certification={certification.pk}",
        ),
    ):
        client = Client()
        client.force_login(user)
        # The first request computes the figures (cold); the next ones read them from the cache.
        cache.clear()
        started = time.perf_counter()
        client.get(page + query)
        cold_ms = round((time.perf_counter() - started) * 1000, 1)
        print(f"{cold_ms:8.1f} (first request, figures computed)  {name}")
        row = timing.measure(client, name, page + query, warmup=2, runs=options.runs)
        row["cold_ms"] = cold_ms
        rows.append(row)
    for row in rows:
        row.pop("_samples", None)
        row["target_p95_ms"] = TARGET_P95_MS
        # The target holds for every request, the first one (figures computed) included.
        row["met_cached"] = row["p95_ms"] <= TARGET_P95_MS
        row["met"] = row["met_cached"] and row["cold_ms"] <= TARGET_P95_MS
    result = {
        "benchmark": "statistics",
        "date": datetime.now(UTC).date().isoformat(),
        "database": connection.vendor,
        "database_version": connection.cursor().connection.__class__.__module__
        if connection.vendor != "postgresql"
        else connection.pg_version,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "candidacies": total,
        "rows": counts,
        "build_seconds": round(build_seconds, 1),
        "requests": rows,
    }
    output = options.output or (RESULTS if total >= 1_000_000 else ROOT / "bench" / "data" / "statistics_quick.json")
    # One file, one entry per database.
    previous = json.loads(output.read_text()) if output.exists() else {}
    if not isinstance(previous, dict) or "benchmark" in previous:
        previous = {}
    previous[connection.vendor] = result
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(previous, indent=2, ensure_ascii=False) + "\n")
    print(f"Written {output}")
    missed = [row["name"] for row in rows if not row["met"]]
    print("Target met." if not missed else f"Target missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
