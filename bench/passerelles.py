"""Passerelles on a full-size catalogue: one person's, and every holder's in one batch.

Targets (task "capitalisation and passerelles"): one person's passerelles (`passerelles_for`, and the
API `GET /api/v1/candidates/{id}/passerelles/`) p95 <= 50 ms over 200 people; the batch for every
holder (`passerelles_batch`) <= 60 s.

    .venv/bin/python bench/passerelles.py               # SQLite (bench/data/passerelles_bench.sqlite3)
    .venv/bin/python bench/passerelles.py --postgres    # PostgreSQL database cqp_bench_passerelles
    .venv/bin/python bench/passerelles.py --quick       # a tenth of the size, result in bench/data/

Each run starts from a fresh database (SQLite file removed; PostgreSQL database dropped and created —
`--postgres-url` or BENCH_POSTGRES_URL), migrated, then filled with bulk inserts of the sizes of the real
registry export (bench/README.md, registry import): 30,500 certifications, about 56,000 blocks (0 to 6
per certification, as RS fiches often have none) and about 22,000 block equivalences — chains of
versions (VERSION, up to three versions of one CQP), common bases shared by 3 to 6 CQPI (COMMON, some
closing a loop) and registry correspondences between two blocks (EQUIVALENT), all drawn within families
of 12 neighbouring certifications (the CQPs of one branch). Then 100,000 people
holding 1 to 6 blocks each (most from one certification, some from two). Deterministic (fixed seed).
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
from datetime import date
from pathlib import Path

import timing  # bench/timing.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

SQLITE = ROOT / "bench" / "data" / "passerelles_bench.sqlite3"
DEFAULT_POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/cqp_bench_passerelles")
RESULTS = ROOT / "bench" / "results" / "passerelles.json"
QUICK_RESULTS = ROOT / "bench" / "data" / "passerelles_quick.json"
TARGET_PERSON_P95_MS = 50.0
TARGET_BATCH_S = 60.0
FULL = {"certifications": 30_500, "holders": 100_000, "equivalences": 22_000}
SEED = 20261127
FAMILY = 12  # certifications of one branch among which equivalences are drawn
# Blocks per certification: weights chosen so that 30,500 fiches carry about 56,000 blocks.
BLOCK_WEIGHTS = [(0, 33), (1, 12), (2, 20), (3, 18), (4, 10), (5, 4), (6, 3)]


def fresh_database(url):
    if url.startswith("sqlite"):
        for path in SQLITE.parent.glob(SQLITE.name + "*"):
            path.unlink()
        SQLITE.parent.mkdir(parents=True, exist_ok=True)
        return
    base, name = url.rsplit("/", 1)
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.check_call(["psql", f"{base}/postgres", "-q", "-c", sql])


def build(*, certifications, holders, equivalences, rng):
    from django.db import transaction

    from cqp.candidacies.models import Candidate
    from cqp.capitalisation.models import HeldBlock
    from cqp.catalogue.models import Block, BlockEquivalence, Certification

    sizes, weights = zip(*BLOCK_WEIGHTS, strict=True)
    with transaction.atomic():
        certs = Certification.objects.bulk_create(
            (
                Certification(
                    code=f"RNCP{10000 + i}",
                    registry="RNCP",
                    kind="CQPI" if i % 10 == 0 else "CQP",
                    title=f"CQP {rng.choice(['Agent', 'Opérateur', 'Technicien', 'Conducteur'])} n° {i}",
                    active=i % 7 != 0,
                    source="REGISTRY",
                    search_text="",
                )
                for i in range(certifications)
            ),
            batch_size=2000,
        )
        blocks = Block.objects.bulk_create(
            (
                Block(certification=c, code=f"{c.code}BC{n:02d}", position=n, title=f"Bloc {n}", source="REGISTRY")
                for c in certs
                for n in range(1, rng.choices(sizes, weights)[0] + 1)
            ),
            batch_size=5000,
        )
        by_cert = {}
        for b in blocks:
            by_cert.setdefault(b.certification_id, []).append(b)
        with_blocks = [c for c in certs if c.pk in by_cert]
        links = {}

        def link(a, b, kind):
            if a.pk != b.pk and (a.pk, b.pk) not in links and (b.pk, a.pk) not in links:
                links[(a.pk, b.pk)] = BlockEquivalence(
                    certification_id=a.certification_id,
                    block=a,
                    target_certification_code=f"RNCP{10000 + certs_index[b.certification_id]}",
                    target_block_code=b.code,
                    target_block=b,
                    kind=kind,
                    source="REGISTRY",
                )

        certs_index = {c.pk: i for i, c in enumerate(certs)}
        # Versions: old → new, block by block, some CQPs in three versions (a chain).
        versioned = rng.sample(with_blocks[:-2], len(with_blocks) // 10)
        positions = {c.pk: i for i, c in enumerate(with_blocks)}
        for c in versioned:
            i = positions[c.pk]
            for step in range(1 + (i % 3 == 0)):
                old, new = with_blocks[i + step], with_blocks[i + step + 1]
                for a, b in zip(by_cert[old.pk], by_cert[new.pk], strict=False):
                    link(a, b, "VERSION")
        # Links stay within a family of neighbouring certifications (one branch's CQPs), as in the registry:
        # a correspondence joins related jobs, not any two fiches of the catalogue.
        families = [with_blocks[i : i + FAMILY] for i in range(0, len(with_blocks), FAMILY)]
        # Common bases of CQPI: the first block of 3 to 6 certifications of a family, a star, sometimes a loop.
        while len(links) < equivalences * 0.55:
            family = rng.choice(families)
            group = rng.sample(family, min(len(family), rng.randint(3, 6)))
            firsts = [by_cert[c.pk][0] for c in group]
            for other in firsts[1:]:
                link(firsts[0], other, "COMMON")
            if len(firsts) > 2 and rng.random() < 0.2:
                link(firsts[-1], firsts[1], "COMMON")
        # Registry correspondences between two blocks of a family.
        while len(links) < equivalences:
            family = rng.choice(families)
            a, b = rng.choice(family), rng.choice(family)
            link(rng.choice(by_cert[a.pk]), rng.choice(by_cert[b.pk]), "EQUIVALENT")
        BlockEquivalence.objects.bulk_create(links.values(), batch_size=5000)

        people = Candidate.objects.bulk_create(
            (Candidate(first_name="Prénom", last_name=f"Titulaire {n}") for n in range(holders)), batch_size=5000
        )
        popular = with_blocks[: max(50, len(with_blocks) // 5)]
        held = []
        for person in people:
            want = rng.randint(1, 6)
            chosen = set()
            first = rng.choice(popular if rng.random() < 0.7 else with_blocks)
            chosen.update(b.pk for b in rng.sample(by_cert[first.pk], min(want, len(by_cert[first.pk]))))
            if len(chosen) < want:
                second = rng.choice(with_blocks)
                chosen.update(b.pk for b in by_cert[second.pk][: want - len(chosen)])
            held.extend(
                HeldBlock(
                    candidate=person,
                    block_id=pk,
                    source="JURY" if rng.random() < 0.9 else "EARLIER",
                    obtained_on=date(2020 + rng.randint(0, 5), rng.randint(1, 12), 1),
                    expires_on=date(2021, 1, 1) if rng.random() < 0.02 else None,
                )
                for pk in chosen
            )
        HeldBlock.objects.bulk_create(held, batch_size=5000)
    return {
        "certifications": len(certs),
        "blocks": len(blocks),
        "equivalences": len(links),
        "holders": len(people),
        "held_blocks": len(held),
        "people": people,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help=f"default {DEFAULT_POSTGRES}")
    parser.add_argument("--quick", action="store_true", help="a tenth of the size, result in bench/data/")
    parser.add_argument("--people", type=int, default=200, help="people timed one by one (default 200)")
    parser.add_argument("--output", type=Path, help=f"JSON result (default {RESULTS})")
    args = parser.parse_args(argv)
    scale = 10 if args.quick else 1
    sizes = {name: value // scale for name, value in FULL.items()}
    output = args.output or (QUICK_RESULTS if args.quick else RESULTS)
    load_before = round(os.getloadavg()[0], 2)
    url = args.postgres_url if args.postgres else f"sqlite:///{SQLITE}"
    os.environ["DATABASE_URL"] = url
    fresh_database(url)

    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from cqp.accounts.models import User
    from cqp.capitalisation.selectors import passerelles_batch, passerelles_for

    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    print(f"Construction : {sizes['certifications']} certifications, {sizes['holders']} titulaires…")
    started = time.perf_counter()
    data = build(**sizes, rng=rng)
    build_seconds = round(time.perf_counter() - started, 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    people = data.pop("people")
    print(f"  {build_seconds} s ; {connection.vendor} ; {data}")

    sample = random.Random(SEED + 1).sample(people, args.people)
    for person in sample[:5]:
        passerelles_for(person)  # warm the caches
    with CaptureQueriesContext(connection) as captured:
        passerelles_for(sample[0])
    selector_queries = len(captured.captured_queries)
    samples, rows = [], []
    for person in sample:
        begun = time.perf_counter()
        rows.append(len(passerelles_for(person)))
        samples.append((time.perf_counter() - begun) * 1000)
    selector = {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(timing.percentile(samples, 0.95), 2),
        "max_ms": round(max(samples), 2),
        "sql_queries": selector_queries,
        "people": len(samples),
        "rows_per_person_mean": round(statistics.mean(rows), 1),
    }
    print(f"passerelles_for : p50 {selector['p50_ms']} ms, p95 {selector['p95_ms']} ms, {selector_queries} requête(s)")

    admin = User.objects.create_user(email="bench-admin@example.org", password="x", is_superuser=True, is_staff=True)
    client = APIClient()
    client.force_authenticate(admin)
    api_samples = []
    for person in sample:
        begun = time.perf_counter()
        response = client.get(f"/api/v1/candidates/{person.pk}/passerelles/")
        api_samples.append((time.perf_counter() - begun) * 1000)
        assert response.status_code == 200, response.status_code
    reset_queries()
    api = {
        "p50_ms": round(statistics.median(api_samples), 2),
        "p95_ms": round(timing.percentile(api_samples, 0.95), 2),
        "max_ms": round(max(api_samples), 2),
    }
    print(f"API : p50 {api['p50_ms']} ms, p95 {api['p95_ms']} ms")

    begun = time.perf_counter()
    holders = total_rows = complete = 0
    for _candidate_id, passerelles in passerelles_batch():
        holders += 1
        total_rows += len(passerelles)
        complete += sum(p.complete for p in passerelles)
    batch_seconds = round(time.perf_counter() - begun, 2)
    print(f"passerelles_batch : {holders} titulaires, {total_rows} lignes, en {batch_seconds} s")
    # The batch and the per-person selector agree.
    checked = {p.pk for p in sample[:20]}
    check = {pk: rows for pk, rows in passerelles_batch() if pk in checked}
    agree = all(check.get(p.pk, []) == passerelles_for(p) for p in sample[:20])

    ok = selector["p95_ms"] <= TARGET_PERSON_P95_MS and api["p95_ms"] <= TARGET_PERSON_P95_MS
    ok = ok and batch_seconds <= TARGET_BATCH_S and agree
    result = {
        "benchmark": "passerelles",
        "date": date.today().isoformat(),
        "database": connection.vendor,
        "database_version": ".".join(map(str, connection.get_database_version())),
        "quick": args.quick,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_before": load_before},
        "sizes": data,
        "build_seconds": build_seconds,
        "targets": {"person_p95_ms": TARGET_PERSON_P95_MS, "batch_seconds": TARGET_BATCH_S},
        "person_selector": selector,
        "person_api": api,
        "batch": {
            "seconds": batch_seconds,
            "holders": holders,
            "rows": total_rows,
            "held_whole": complete,
            "agrees_with_selector": agree,
        },
        "targets_met": ok,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    # One file for both databases: each run replaces its own entry.
    previous = json.loads(output.read_text()) if output.exists() else {}
    previous = previous if "benchmark" not in previous else {}
    previous[connection.vendor] = result
    output.write_text(json.dumps(previous, indent=2, ensure_ascii=False) + "\n")
    print(f"\n{'Objectifs atteints.' if ok else 'Objectif manqué.'} Résultat : {output.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
