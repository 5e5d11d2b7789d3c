"""Server time of the public catalogue pages (list, search, fiche) and of the list API on a full-size catalogue.

Target: p95 <= 50 ms over a fixed list of realistic queries, with a number of SQL queries per request that
does not grow with the page or the data.

    .venv/bin/python bench/registry_generate.py       # bench/data/export_fiches_RNCP_V4_1_bench_30500.xml
    createdb -U postgres -h 127.0.0.1 cqp_bench_catalogue
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cqp_bench_catalogue .venv/bin/python bench/catalogue_search.py \
        --load bench/data/export_fiches_RNCP_V4_1_bench_30500.xml

Requests go through Django's test Client in the same process (no network, no web server): the time is the
whole Django stack, middleware, view, queries and template, measured around each request after a warm-up.
The database is the one DATABASE_URL names; `--load FILE` imports FILE first when the catalogue is empty.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import timing  # bench/timing.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

TARGET_P95_MS = 50.0
RESULTS = ROOT / "bench" / "results" / "catalogue_search.json"

# Fixed searches and filters, as a visitor would type or click them.
SEARCHES = [
    "soudage",
    "maintenance industrielle",
    "boulangerie",
    "conducteur de ligne",
    "électricité",
    "electricien",
    "logistique",
    "cariste",
    "aide soignant",
    "comptabilité",
    "développeur web",
    "cuisine",
    "vente conseil",
    "usinage",
    "chaudronnerie",
    "RNCP37674",
]
LIST_FILTERS = [
    {},
    {"page": "2"},
    {"page": "3"},
    {"active": "true"},
    {"kind": "CQP"},
    {"kind": "CQPI"},
    {"kind": "CQPM", "active": "true"},
    {"registry": "RS"},
    {"registry": "RNCP", "level": "3"},
    {"level": "5", "active": "true"},
    {"level": "none"},
    {"vae": "true"},
    {"cpf": "true", "active": "true"},
    {"vae": "true", "level": "4", "page": "2"},
    {"rome": "H2913"},
    {"rome": "I1304"},
    {"rome": "M1805"},
    {"rome": "soudeur"},
    {"q": "soudage", "page": "2"},
    {"q": "maintenance", "page": "3"},
    {"q": "maintenance industrielle", "active": "true"},
    {"q": "conducteur", "kind": "CQP"},
    {"q": "vente", "cpf": "true", "level": "4"},
]
API_FILTERS = [
    {},
    {"q": "soudage"},
    {"q": "maintenance industrielle"},
    {"kind": "CQP", "active": "true"},
    {"level": "4"},
]


def setup_django():
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    # Adds "testserver" to ALLOWED_HOSTS, as the test runner does; nothing else changes.
    setup_test_environment()


def load_if_empty(files):
    from django.core.management import call_command

    from cqp.catalogue.models import Certification

    call_command("migrate", verbosity=0)
    if Certification.objects.exists():
        print(f"Catalogue déjà chargé ({Certification.objects.count()} certifications) : --load ignoré.")
        return None
    if not files:
        return None
    started = time.perf_counter()
    call_command("import_registry", *files)
    return time.perf_counter() - started


def analyze():
    """Planner statistics and visibility map, as autovacuum leaves them on a live database."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


def catalogue_size():
    from cqp.catalogue.models import Block, Certification, Competency, ImportRun, Partner

    return {
        "imported_files": sorted(set(ImportRun.objects.filter(status="DONE").values_list("file_name", flat=True))),
        "certifications": Certification.objects.count(),
        "active": Certification.objects.filter(active=True).count(),
        "blocks": Block.objects.count(),
        "competencies": Competency.objects.count(),
        "partners": Partner.objects.count(),
    }


def fiche_codes():
    """Fiches that stress the page: most blocks, most partners, a replaced one, RS, CQP, and a spread of others."""
    from django.db.models import Count

    from cqp.catalogue.models import Certification, CertificationLineage

    qs = Certification.objects.order_by()
    picks = []

    def add(code, why):
        if code and code not in [c for c, _ in picks]:
            picks.append((code, why))

    most_blocks = qs.annotate(n=Count("blocks")).order_by("-n", "code").values_list("code", flat=True).first()
    add(most_blocks, "le plus de blocs")
    most_partners = qs.annotate(n=Count("partners")).order_by("-n", "code").values_list("code", flat=True).first()
    add(most_partners, "le plus d'organismes habilités")
    replaced = CertificationLineage.objects.filter(old_code__in=qs.values("code")).order_by("old_code").first()
    add(replaced and replaced.old_code, "remplacée")
    add(qs.filter(registry="RS").order_by("code").values_list("code", flat=True).first(), "RS")
    add(qs.filter(kind="CQP").order_by("code").values_list("code", flat=True).first(), "CQP")
    add(qs.filter(kind="CQPI").order_by("code").values_list("code", flat=True).first(), "CQPI")
    add(qs.filter(equivalences__isnull=False).order_by("code").values_list("code", flat=True).first(), "passerelles")
    codes = list(qs.order_by("code").values_list("code", flat=True))
    step = max(1, len(codes) // 6)
    for code in codes[::step][:6]:
        add(code, "au hasard (fixe)")
    return picks


def build_requests(include_api):
    from django.urls import NoReverseMatch, reverse

    from cqp.catalogue.models import Branch, Certification

    requests = [("accueil", reverse("www:home"))]
    list_url = reverse("www:certification_list")
    for q in SEARCHES:
        requests.append((f"recherche « {q} »", f"{list_url}?{urlencode({'q': q})}"))
    for params in LIST_FILTERS:
        name = "liste " + (" ".join(f"{k}={v}" for k, v in params.items()) or "sans filtre")
        requests.append((name, f"{list_url}?{urlencode(params)}" if params else list_url))
    branch = Branch.objects.order_by("name").values_list("slug", flat=True).first()
    if branch:
        requests.append((f"liste branch={branch}", f"{list_url}?{urlencode({'branch': branch})}"))
    siret = (
        Certification.certifiers.through.objects.values_list("certifier__siret", flat=True)
        .exclude(certifier__siret=None)
        .order_by("certifier__siret")
        .first()
    )
    if siret:
        requests.append((f"liste certifier={siret}", f"{list_url}?{urlencode({'certifier': siret})}"))
    for code, why in fiche_codes():
        requests.append((f"fiche {code} ({why})", reverse("www:certification_detail", kwargs={"code": code})))
    if include_api:
        try:
            api_url = reverse("api:certification-list")
        except NoReverseMatch:
            api_url = None
        for params in API_FILTERS if api_url else []:
            name = "API " + (" ".join(f"{k}={v}" for k, v in params.items()) or "sans filtre")
            requests.append((name, f"{api_url}?{urlencode(params)}" if params else api_url))
    return requests


def measure(requests, *, runs, warmup):
    from django.test import Client

    client = Client()
    rows = []
    for name, url in requests:
        rows.append(timing.measure(client, name, url, warmup=warmup, runs=runs))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--load", nargs="+", metavar="FILE", help="registry export(s) to import when empty")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per query (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests per query first (default 2)")
    parser.add_argument("--no-api", action="store_true", help="pages only, not the list API")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"JSON result (default {RESULTS})")
    args = parser.parse_args(argv)

    setup_django()
    import django
    from django.db import connection

    load_seconds = load_if_empty(args.load)
    analyze()
    size = catalogue_size()
    if not size["certifications"]:
        raise SystemExit("Le catalogue est vide : donnez --load FICHIER (un export du répertoire).")
    requests = build_requests(include_api=not args.no_api)
    print(f"{connection.vendor}, {size['certifications']} certifications, {len(requests)} requêtes × {args.runs}")
    print(f"{'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'SQL':>4}  requête")
    rows = measure(requests, runs=args.runs, warmup=args.warmup)

    every = [s for row in rows for s in row.pop("_samples")]
    pages = [r for r in rows if not r["name"].startswith("API ")]
    overall = {
        "p50_ms": round(statistics.median(every), 2),
        "p95_ms": round(timing.percentile(every, 0.95), 2),
        "max_ms": round(max(every), 2),
        "worst_query_p95_ms": max(r["p95_ms"] for r in rows),
        "sql_queries_max": max(r["sql_queries"] for r in rows),
        "sql_queries_list_pages": sorted({r["sql_queries"] for r in pages if r["url"].startswith("/certifications/?")}),
    }
    result = {
        "benchmark": "catalogue_search",
        "target": {"p95_ms": TARGET_P95_MS},
        "met": overall["p95_ms"] <= TARGET_P95_MS,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "settings": os.environ["DJANGO_SETTINGS_MODULE"],
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "catalogue": size,
        "load_seconds": round(load_seconds, 1) if load_seconds else None,
        "runs_per_query": args.runs,
        "warmup_per_query": args.warmup,
        "overall": overall,
        "queries": rows,
    }
    # One entry per database: a run on SQLite keeps the latest PostgreSQL figures, and the reverse.
    args.output.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(args.output.read_text()) if args.output.exists() else {}
    previous[connection.vendor] = result
    args.output.write_text(json.dumps(dict(sorted(previous.items())), ensure_ascii=False, indent=2) + "\n")
    verdict = "atteint" if result["met"] else "NON atteint"
    print(
        f"\nToutes requêtes : p50 {overall['p50_ms']} ms, p95 {overall['p95_ms']} ms, max {overall['max_ms']} ms "
        f"— objectif p95 ≤ {TARGET_P95_MS:.0f} ms {verdict}. SQL par requête : au plus {overall['sql_queries_max']}."
    )
    print(f"Résultat écrit dans {args.output}")
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
