"""Time and memory of `import_registry` on a full-size export, on SQLite and on PostgreSQL.

    .venv/bin/python bench/registry_import.py                 # 30,500 fiches (about 570 MB), both databases
    .venv/bin/python bench/registry_import.py --fiches 3000   # a quick run
    .venv/bin/python bench/registry_import.py --databases sqlite

For each database: a fresh database (SQLite file removed; PostgreSQL database `cqp_bench`
dropped and created), migrations, then the first import and a re-import of the same file, each
in its own process (`manage.py import_registry`), timed on the wall clock, its peak memory read
with getrusage(RUSAGE_CHILDREN) by a small wrapper process. For information, a third import
after the stored content hashes are blanked rewrites every fiche (as after a mapping change).
The floor is a bare lxml iterparse pass over the same file.
Targets: first import ≤ 120 s and ≤ 300 MB, re-import ≤ 60 s.

The full-size result goes to bench/results/registry_import.json; smaller runs to bench/data/.
"""

import argparse
import json
import os
import platform
import re
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from lxml import etree

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import registry_generate  # noqa: E402

TARGETS = {"first_import_seconds": 120, "first_import_peak_mb": 300, "reimport_seconds": 60, "reimport_peak_mb": 300}
DEFAULT_URLS = {
    "sqlite": f"sqlite:///{BENCH / 'data' / 'registry_bench.sqlite3'}",
    "postgresql": "postgres://postgres@127.0.0.1:5432/cqp_bench",
}
_SUMMARY = re.compile(r"(\d+) fiches lues, (\d+) créées, (\d+) mises à jour, (\d+) inchangées")


def floor_seconds(path):
    """A bare streaming pass: what reading the file costs before anything is done with it."""
    started = time.perf_counter()
    count = 0
    for _event, element in etree.iterparse(str(path), events=("end",), tag="FICHE"):
        count += 1
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
    return time.perf_counter() - started, count


def child_env(url):
    env = dict(os.environ)
    env.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "PYTHONUNBUFFERED": "1"})
    return env


def measured(command, env):
    """Run `command` under a wrapper process that reports its wall time and peak RSS."""
    wrapper = [sys.executable, str(Path(__file__).resolve()), "--measure-child", "--", *command]
    result = subprocess.run(wrapper, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"failed: {' '.join(command)}")
    figures = json.loads(lines[-1])
    figures["output"] = "\n".join(lines[:-1])
    return figures


def measure_child(command):
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    # Linux reports ru_maxrss in KiB: the largest resident size of the (only) child.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1), "returncode": result.returncode}))
    return result.returncode


def fresh_database(vendor, url):
    if vendor == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import dj_database_url
    import psycopg

    params = dj_database_url.parse(url)
    name = params["NAME"]
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"refusing to drop a database named {name!r}")
    with psycopg.connect(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")


def database_version(vendor, url):
    if vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    import dj_database_url
    import psycopg

    params = dj_database_url.parse(url)
    with psycopg.connect(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        dbname=params["NAME"],
    ) as conn:
        return conn.execute("SELECT version()").fetchone()[0].split(" on ")[0]


def counts(env):
    script = (
        "import json; from cqp.catalogue import models as m; print(json.dumps({"
        "'certifications': m.Certification.objects.count(), 'blocks': m.Block.objects.count(), "
        "'competencies': m.Competency.objects.count(), 'partners': m.Partner.objects.count(), "
        "'equivalences': m.BlockEquivalence.objects.count(), 'statistics': m.YearStatistic.objects.count()}))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], env=env, cwd=ROOT, capture_output=True, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_database(vendor, url, path, fiches, floor):
    env = child_env(url)
    fresh_database(vendor, url)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    command = [sys.executable, "manage.py", "import_registry", str(path)]
    first = measured(command, env)
    again = measured(command, env)
    # Informative, no target: every fiche rewritten, as after a change of the import mapping.
    forget = "from cqp.catalogue.models import Certification; Certification.objects.update(content_hash='')"
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", forget], env=env, cwd=ROOT, check=True, capture_output=True
    )
    rewrite = measured(command, env)
    first_counts = _SUMMARY.search(first["output"]).groups()
    again_counts = _SUMMARY.search(again["output"]).groups()
    rewrite_counts = _SUMMARY.search(rewrite["output"]).groups()
    if first_counts[1] != str(fiches) or again_counts[3] != str(fiches) or rewrite_counts[2] != str(fiches):
        raise SystemExit(f"unexpected import figures: {first['output']} / {again['output']} / {rewrite['output']}")
    result = {
        "database": database_version(vendor, url),
        "first_import_seconds": first["seconds"],
        "first_import_peak_mb": first["peak_mb"],
        "reimport_seconds": again["seconds"],
        "reimport_peak_mb": again["peak_mb"],
        "rewrite_all_seconds": rewrite["seconds"],
        "rewrite_all_peak_mb": rewrite["peak_mb"],
        "first_import_floor_ratio": round(first["seconds"] / floor, 1),
        "reimport_floor_ratio": round(again["seconds"] / floor, 1),
        "rows": counts(env),
    }
    result["targets_met"] = all(result[key] <= limit for key, limit in TARGETS.items())
    return result


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:2] == ["--measure-child", "--"]:
        return measure_child(argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fiches", type=int, default=registry_generate.FULL["fiches"])
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--sqlite-url", default=DEFAULT_URLS["sqlite"])
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_URLS["postgresql"]))
    args = parser.parse_args(argv)

    path = registry_generate.DATA / f"export_fiches_RNCP_V4_1_bench_{args.fiches}.xml"
    if not path.exists():
        registry_generate.main(["--fiches", str(args.fiches), "--output", str(path)])
    floor, fiches = floor_seconds(path)
    size = path.stat().st_size / 1000**2
    print(f"{path.name}: {fiches:,} fiches, {size:,.0f} MB; floor (bare iterparse) {floor:.1f} s")

    results = {
        "benchmark": "import_registry on a generated full-size XML export (bench/registry_generate.py)",
        "command": f"bench/registry_import.py --fiches {args.fiches}",
        "date": time.strftime("%Y-%m-%d"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
        "file": {"fiches": fiches, "megabytes": round(path.stat().st_size / 1000**2)},
        "targets": TARGETS,
        "floor_seconds": round(floor, 2),
        "databases": {},
    }
    urls = {"sqlite": args.sqlite_url, "postgresql": args.postgres_url}
    for vendor in [name.strip() for name in args.databases.split(",") if name.strip()]:
        print(f"{vendor}: fresh database, migrations, first import, re-import…", flush=True)
        figures = run_database(vendor, urls[vendor], path, fiches, floor)
        results["databases"][vendor] = figures
        print(
            f"  {figures['database']}\n"
            f"  first import {figures['first_import_seconds']:.1f} s (target ≤ {TARGETS['first_import_seconds']} s, "
            f"{figures['first_import_floor_ratio']}× the floor), peak {figures['first_import_peak_mb']:.0f} MB "
            f"(target ≤ {TARGETS['first_import_peak_mb']} MB)\n"
            f"  re-import    {figures['reimport_seconds']:.1f} s (target ≤ {TARGETS['reimport_seconds']} s, "
            f"{figures['reimport_floor_ratio']}× the floor), peak {figures['reimport_peak_mb']:.0f} MB\n"
            f"  every fiche rewritten {figures['rewrite_all_seconds']:.1f} s (no target), "
            f"peak {figures['rewrite_all_peak_mb']:.0f} MB\n"
            f"  rows: {figures['rows']}\n"
            f"  targets {'met' if figures['targets_met'] else 'MISSED'}",
            flush=True,
        )
    results["targets_met"] = all(figures["targets_met"] for figures in results["databases"].values())
    full = args.fiches == registry_generate.FULL["fiches"]
    output = BENCH / "results" / "registry_import.json"
    if not full:
        output = BENCH / "data" / f"registry_import_{args.fiches}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {output.relative_to(ROOT)}")
    return 0 if results["targets_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
