"""Run every benchmark with its defaults; each prints its figures and writes bench/results/.

    .venv/bin/python bench/run_all.py            # full size (about 40 minutes on 2 cores)
    .venv/bin/python bench/run_all.py --quick    # a tenth of the size, to check the scripts run

Exits non-zero when any benchmark misses its target.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/cqp_bench_catalogue")


def run(*args, env=None):
    print("\n$", " ".join(str(a) for a in args), flush=True)
    return subprocess.call([PYTHON, *map(str, args)], cwd=ROOT, env={**os.environ, **(env or {})})


def recreate_postgres(url):
    """A fresh PostgreSQL database for the catalogue benchmark."""
    base, name = url.rsplit("/", 1)
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.check_call(["psql", f"{base}/postgres", "-q", "-c", sql])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3,050 fiches instead of 30,500")
    options = parser.parse_args()
    fiches = 3050 if options.quick else 30500
    export = ROOT / "bench" / "data" / f"export_fiches_RNCP_V4_1_bench_{fiches}.xml"
    failures = 0
    failures += run("bench/registry_generate.py", "--fiches", fiches) != 0
    failures += run("bench/registry_import.py", "--fiches", fiches) != 0
    sqlite = ROOT / "bench" / "data" / "catalogue_bench.sqlite3"
    for path in sqlite.parent.glob(sqlite.name + "*"):
        path.unlink()
    recreate_postgres(POSTGRES)
    output = ["--output", ROOT / "bench" / "data" / "catalogue_search_quick.json"] if options.quick else []
    for url in (f"sqlite:///{sqlite}", POSTGRES):
        failures += run("bench/catalogue_search.py", "--load", export, *output, env={"DATABASE_URL": url}) != 0
    candidacies = ["--candidacies", 10_000, "--output", ROOT / "bench" / "data" / "candidacies_quick.json"]
    failures += run("bench/candidacies_pipeline.py", "--recreate", *(candidacies if options.quick else [])) != 0
    jury = ["--quick"] if options.quick else []
    failures += run("bench/jury_session.py", *jury) != 0
    failures += run("bench/jury_session.py", "--postgres", *jury) != 0
    credentials = ["--quick"] if options.quick else []
    failures += run("bench/credentials_issue.py", *credentials) != 0
    failures += run("bench/credentials_issue.py", "--postgres", *credentials) != 0
    passerelles = ["--quick"] if options.quick else []
    failures += run("bench/passerelles.py", *passerelles) != 0
    failures += run("bench/passerelles.py", "--postgres", *passerelles) != 0
    accrochage = ["--quick"] if options.quick else []
    failures += run("bench/accrochage.py", *accrochage) != 0
    failures += run("bench/accrochage.py", "--postgres", *accrochage) != 0
    statistics = ["--quick"] if options.quick else []
    failures += run("bench/statistics_page.py", "--postgres", *statistics) != 0
    print("\nAll targets met." if not failures else f"\n{failures} benchmark run(s) missed a target or failed.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
