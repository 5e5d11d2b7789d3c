"""The Caisse des Dépôts "accrochage" export on 100,000 certificates of one certifier.

Target (task "accrochage"): the file of 100,000 awards produced, checked against the XSD and recorded
(`accrochage_build`) in <= 60 s, with a peak memory that does not grow with the number of awards
(measured with tracemalloc around the export, at 10,000 and at 100,000 awards).

    .venv/bin/python bench/accrochage.py                # SQLite (bench/data/accrochage_bench.sqlite3)
    .venv/bin/python bench/accrochage.py --postgres     # PostgreSQL database cqp_bench_accrochage
    .venv/bin/python bench/accrochage.py --quick        # 5,000 then 20,000 awards, result in bench/data/

A fresh database is migrated, one real candidacy is taken through the jury with the test factories, then
cloned with bulk inserts (candidates with a complete identity, candidacies on 20 certifications — a
third by VAE, some under a contrat de professionnalisation —, their deliberations and certificates).
Each size is exported twice: once timed, once under tracemalloc (which slows Python down); the
declarations are removed between runs so that every run declares every award. Deterministic.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

SQLITE = ROOT / "bench" / "data" / "accrochage_bench.sqlite3"
DEFAULT_POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/cqp_bench_accrochage")
RESULTS = ROOT / "bench" / "results" / "accrochage.json"
QUICK_RESULTS = ROOT / "bench" / "data" / "accrochage_quick.json"
TARGET_S = 60.0
# Peak at the large size over peak at the small one: flat memory stays well under this.
TARGET_PEAK_RATIO = 1.5
BATCH = 5000


def fresh_database(url):
    if url.startswith("sqlite"):
        for path in SQLITE.parent.glob(SQLITE.name + "*"):
            path.unlink()
        SQLITE.parent.mkdir(parents=True, exist_ok=True)
        return
    base, name = url.rsplit("/", 1)
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.check_call(["psql", f"{base}/postgres", "-q", "-c", sql])


def template():
    """One real delivered certificate, its certifier with a Caisse des Dépôts account."""
    from cqp.accrochage.models import AccrochageAccount
    from cqp.awards import services as awards
    from tests.juries.factories import decided_candidacy

    candidacy, session, staff = decided_candidacy()
    award = awards.candidacy_deliver(candidacy=candidacy, by=staff).award
    candidate = candidacy.candidate
    candidate.sex, candidate.birth_date, candidate.birth_insee_code = "F", datetime.date(1990, 4, 12), "31555"
    candidate.save()
    AccrochageAccount.objects.create(certifier=award.certifier, client_id="E564ACB0", contract_id="2560080000127J")
    return award, session, staff


def clone(award, session, *, start, count, certifications):
    """`count` more certificates like `award`, numbered from `start`, with bulk inserts."""
    from django.db import transaction

    from cqp.awards.models import Award
    from cqp.candidacies.models import Candidacy, Candidate
    from cqp.juries.models import Deliberation

    base = award.candidacy
    delivered_on = award.delivered_on
    for offset in range(start, start + count, BATCH):
        n = min(BATCH, start + count - offset)
        with transaction.atomic():
            candidates = Candidate.objects.bulk_create(
                Candidate(
                    first_name=f"Prénom{i}",
                    other_first_names="Marie Louise" if i % 3 else "",
                    last_name=f"Nom{i}",
                    sex="F" if i % 2 else "M",
                    birth_date=datetime.date(1970 + i % 35, 1 + i % 12, 1 + i % 28),
                    birth_insee_code="" if i % 5 == 0 else f"{1 + i % 95:02d}{i % 900 + 1:03d}",
                    birth_postal_code="69001" if i % 5 == 0 else "",
                    birth_city="Lyon" if i % 5 == 0 else "Commune",
                )
                for i in range(offset, offset + n)
            )
            candidacies = Candidacy.objects.bulk_create(
                Candidacy(
                    candidate=c,
                    certification=certifications[i % len(certifications)],
                    certifier=base.certifier,
                    path="VAE" if i % 3 == 0 else "TRAINING",
                    situation=base.situation,
                    funding="CONTRAT_PRO" if i % 7 == 0 else base.funding,
                    state=base.state,
                )
                for i, c in zip(range(offset, offset + n), candidates, strict=True)
            )
            deliberations = Deliberation.objects.bulk_create(
                Deliberation(
                    session=session,
                    candidacy=c,
                    opinion="AWARD",
                    recorded_by=award.deliberation.recorded_by,
                )
                for c in candidacies
            )
            Award.objects.bulk_create(
                Award(
                    number=f"BENCH-{i:07d}",
                    certifier=base.certifier,
                    year=delivered_on.year,
                    sequence=100 + i,
                    kind="CERTIFICATE",
                    candidacy=c,
                    certification=c.certification,
                    deliberation=d,
                    delivered_on=delivered_on,
                    delivered_by=award.delivered_by,
                )
                for i, c, d in zip(range(offset, offset + n), candidacies, deliberations, strict=True)
            )


def forget_declarations():
    from cqp.accrochage.models import AccrochageDeclaration, AccrochageFile

    AccrochageDeclaration.objects.all().delete()
    for record in AccrochageFile.objects.all():
        record.file.delete(save=False)
    AccrochageFile.objects.all().delete()


def export(award, staff, *, traced):
    from cqp.accrochage.services import accrochage_build

    forget_declarations()
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    record = accrochage_build(certifier=award.certifier, start=award.delivered_on, end=award.delivered_on, by=staff)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if traced else None
    if traced:
        tracemalloc.stop()
    return record, seconds, peak


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help=f"default {DEFAULT_POSTGRES}")
    parser.add_argument("--quick", action="store_true", help="5,000 then 20,000 awards, result in bench/data/")
    parser.add_argument("--output", type=Path, help=f"JSON result (default {RESULTS})")
    args = parser.parse_args(argv)
    sizes = (5_000, 20_000) if args.quick else (10_000, 100_000)
    output = args.output or (QUICK_RESULTS if args.quick else RESULTS)
    url = args.postgres_url if args.postgres else f"sqlite:///{SQLITE}"
    os.environ["DATABASE_URL"] = url
    fresh_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from tests.catalogue.factories import CertificationFactory

    settings.MEDIA_ROOT = str(ROOT / "bench" / "data" / "accrochage_media")
    call_command("migrate", verbosity=0)
    award, session, staff = template()
    certifications = [award.certification] + [
        CertificationFactory(registry="RS" if k % 4 == 0 else "RNCP") for k in range(19)
    ]
    runs, made = [], 1
    for size in sizes:
        started = time.perf_counter()
        clone(award, session, start=made, count=size - made, certifications=certifications)
        made = size
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(f"{size} certificats construits en {time.perf_counter() - started:.1f} s ({connection.vendor})")
        record, seconds, _ = export(award, staff, traced=False)
        assert record.count == size, record.count
        file_mb = round(record.file.size / 1e6, 1)
        _, traced_seconds, peak = export(award, staff, traced=True)
        run = {
            "awards": size,
            "seconds": round(seconds, 2),
            "file_mb": file_mb,
            "tracemalloc_peak_mb": round(peak / 1e6, 2),
            "seconds_under_tracemalloc": round(traced_seconds, 2),
            "ru_maxrss_mb_so_far": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        print(json.dumps(run, ensure_ascii=False))
        runs.append(run)
    ratio = runs[-1]["tracemalloc_peak_mb"] / runs[0]["tracemalloc_peak_mb"]
    met = runs[-1]["seconds"] <= TARGET_S and ratio <= TARGET_PEAK_RATIO
    result = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "target": {"seconds": TARGET_S, "peak_ratio_large_over_small": TARGET_PEAK_RATIO},
        "runs": runs,
        "peak_ratio": round(ratio, 2),
        "met": met,
    }
    previous = json.loads(output.read_text()) if output.exists() else {}
    previous[connection.vendor] = result
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(previous, indent=2, ensure_ascii=False) + "\n")
    print(("Objectifs atteints" if met else "Objectif manqué") + f" : {runs[-1]['seconds']} s, ratio {ratio:.2f}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
