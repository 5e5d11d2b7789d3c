"""A jury session of 500 candidacies with 6 blocks each: the pages a member reads, the deliberations, the
signature and the delivery of the whole session.

Targets (issue 5): the session page and a dossier page each answer in <= 300 ms (p95) with a number of
SQL queries that does not grow with the agenda (the same for 10 and for 500 candidacies); delivering the
whole signed session (`cqp.awards.services.session_deliver`) takes <= 30 s.

    .venv/bin/python bench/jury_session.py               # SQLite (bench/data/jury_bench.sqlite3)
    .venv/bin/python bench/jury_session.py --postgres    # PostgreSQL database cqp_bench_jury
    .venv/bin/python bench/jury_session.py --quick       # 50 candidacies, result in bench/data/

Each run starts from a fresh database (SQLite file removed; PostgreSQL database dropped and created —
`--postgres-url` or BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/cqp_bench_jury), migrated,
then filled with bulk inserts: a certifier, a CQP of 6 blocks with 3 criteria each, 500 candidacies on
the agenda of an open session, every block assessed (a submitted grid per block, a result per
criterion), and a weighted-parity jury of five members, one of whom works for an employer of a tenth of
the candidates (so that recusals are computed). The jury, the session, the attendance and the opening
go through the services. A second session of 10 candidacies shows whether the query count depends on
the agenda's length.

What is measured goes through the real code: the pages through Django's test Client in the same process
(test settings, DEBUG off), signed in as a convened member, timed around each request after warm-up,
the SQL queries of one more request counted apart — before and after the deliberations; then every
deliberation through `cqp.juries.services.deliberation_record` (by a member), the close and both
signatures (minutes drawn as PDF, decisions applied), and `session_deliver` (certificates and block
attestations numbered, refusal notices). As in production, the e-mails of these steps are queued
for a worker after commit (django-tasks-db); `--immediate-tasks` sends them inline instead, as the test
settings do. While the session and dossier pages are not in the URL table,
the selectors they read are timed instead (`agenda_rows`, `conflicts_for`, `submitted_assessments`…).
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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import timing  # bench/timing.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

SQLITE = ROOT / "bench" / "data" / "jury_bench.sqlite3"
DEFAULT_POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/cqp_bench_jury")
RESULTS = ROOT / "bench" / "results" / "jury_session.json"
QUICK_RESULTS = ROOT / "bench" / "data" / "jury_session_quick.json"
TASKS_DB = "django_tasks_db.DatabaseBackend"
TARGET_PAGE_P95_MS = 300.0
TARGET_DELIVER_S = 30.0
BLOCKS = 6
CRITERIA = 3
SMALL = 10
SEED = 20261127
# Opinions of the jury: most candidates obtain the CQP, some a block attestation, a few are refused.
OPINIONS = [("AWARD", 80), ("PARTIAL", 15), ("REFUSAL", 5)]
MOTIVATION = "Les observations ne montrent pas la maîtrise de tous les critères obligatoires de ces blocs."


def fresh_database(url):
    if url.startswith("sqlite"):
        for path in SQLITE.parent.glob(SQLITE.name + "*"):
            path.unlink()
        SQLITE.parent.mkdir(parents=True, exist_ok=True)
        return
    base, name = url.rsplit("/", 1)
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.check_call(["psql", f"{base}/postgres", "-q", "-c", sql])


def setup_django():
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


# --------------------------------------------------------------------------- data


def build(candidacies):
    """Reference rows, the jury (services), then two open sessions of `candidacies` and SMALL candidacies."""
    from django.db import transaction

    from cqp.accounts.enums import OrganisationKind, Role
    from cqp.accounts.models import Membership, Organisation, User
    from cqp.catalogue.models import Block, Certification, Certifier, EvaluationCriterion
    from cqp.juries import services
    from cqp.juries.enums import College, MemberRole, ParityRule

    with transaction.atomic():
        certifier = Certifier.objects.create(siret="99000000100010", name="CPNE de banc d'essai")
        certification = Certification.objects.create(
            code="RNCP89001",
            registry="RNCP",
            kind="CQP",
            title="CQP de banc d'essai du jury",
            source="PLATFORM",
            level=3,
            active=True,
            vae_open=True,
            cpf_eligible=True,
            access_routes=["FC", "VAE"],
            search_text="cqp banc essai jury",
        )
        certifier.certifications.add(certification)
        blocks = Block.objects.bulk_create(
            Block(certification=certification, code=f"RNCP89001BC{n:02d}", position=n, title=f"Bloc {n}")
            for n in range(1, BLOCKS + 1)
        )
        EvaluationCriterion.objects.bulk_create(
            EvaluationCriterion(block=b, position=p, text=f"Critère {p} du bloc {b.code}", mandatory=p < 3)
            for b in blocks
            for p in range(1, CRITERIA + 1)
        )
        employers = Organisation.objects.bulk_create(
            Organisation(kind=OrganisationKind.EMPLOYER, name=f"Entreprise {i}", siret=f"{91000000000000 + i:014d}")
            for i in range(10)
        )
        centre = Organisation.objects.create(
            kind=OrganisationKind.ASSESSMENT_CENTRE, name="Organisme évaluateur", siret="93000000000001"
        )
        staff = User.objects.create(email="cpne@banc.example", first_name="Agent", last_name="CPNE")
        Membership.objects.create(user=staff, role=Role.CERTIFIER_STAFF, certifier=certifier)
        assessor = User.objects.create(email="evaluateur@banc.example", first_name="Agent", last_name="Évaluation")
        Membership.objects.create(user=assessor, role=Role.ASSESSOR, organisation=centre)

        jury = services.jury_create(
            certifier=certifier,
            by=staff,
            name="Jury paritaire de banc d'essai",
            certifications=[certification],
            parity_rule=ParityRule.WEIGHTED,
        )
        people = {}
        for key, college, role in [
            ("president", College.EMPLOYERS, MemberRole.PRESIDENT),
            ("linked", College.EMPLOYERS, MemberRole.MEMBER),
            ("employer", College.EMPLOYERS, MemberRole.MEMBER),
            ("vice", College.EMPLOYEES, MemberRole.VICE_PRESIDENT),
            ("member", College.EMPLOYEES, MemberRole.MEMBER),
        ]:
            user = User.objects.create(email=f"{key}@jury.banc.example", first_name="Membre", last_name=key)
            services.jury_member_add(
                jury=jury,
                by=staff,
                user=user,
                college=college,
                represents="Organisation représentée",
                role=role,
                mandate_start=date(2024, 1, 1),
                mandate_end=date.today() + timedelta(days=3 * 365),
            )
            people[key] = user
        # This member works for the first employer: they withdraw from its employees' candidacies.
        Membership.objects.create(user=people["linked"], role=Role.EMPLOYER, organisation=employers[0])

    rng = random.Random(SEED)
    big = _session(
        candidacies,
        jury=jury,
        staff=staff,
        certification=certification,
        blocks=blocks,
        rng=rng,
        employers=employers,
        centre=centre,
        assessor=assessor,
        people=people,
        offset=0,
    )
    small = _session(
        SMALL,
        jury=jury,
        staff=staff,
        certification=certification,
        blocks=blocks,
        rng=rng,
        employers=employers,
        centre=centre,
        assessor=assessor,
        people=people,
        offset=candidacies,
    )
    return {"jury": jury, "staff": staff, "people": people, "big": big, "small": small}


def _session(count, *, jury, staff, certification, blocks, rng, employers, centre, assessor, people, offset):
    from django.db import transaction
    from django.utils import timezone

    from cqp.assessments.models import BlockAssessment, CriterionResult
    from cqp.candidacies.models import Candidacy, CandidacyBlock, CandidacyEvent, Candidate
    from cqp.catalogue.models import EvaluationCriterion
    from cqp.juries import services
    from cqp.juries.models import AgendaItem, SessionMember

    now = timezone.now()
    criteria = {}
    for criterion in EvaluationCriterion.objects.filter(block__in=blocks):
        criteria.setdefault(criterion.block_id, []).append(criterion)
    with transaction.atomic():
        session = services.session_plan(jury=jury, by=staff, starts_at=now, place="Maison de la branche, Paris")
        candidates = Candidate.objects.bulk_create(
            Candidate(first_name=f"Prénom{i}", last_name=f"Nom{i}", email=f"candidat{i}@banc.example")
            for i in range(offset, offset + count)
        )
        rows = Candidacy.objects.bulk_create(
            Candidacy(
                candidate=candidate,
                certification=certification,
                certifier_id=jury.certifier_id,
                path="TRAINING" if n % 4 else "VAE",
                situation="EMPLOYEE",
                funding="PLAN" if n % 4 else "",
                employer=employers[n % len(employers)],
                assessment_centre=centre,
                state="SCHEDULED_FOR_JURY",
                state_changed_at=now,
            )
            for n, candidate in enumerate(candidates)
        )
        CandidacyBlock.objects.bulk_create(
            CandidacyBlock(candidacy=c, block=b, status="to_acquire") for c in rows for b in blocks
        )
        CandidacyEvent.objects.bulk_create(
            CandidacyEvent(
                candidacy=c,
                name="schedule_for_jury",
                from_state="READY_FOR_JURY",
                to_state="SCHEDULED_FOR_JURY",
                by=staff,
            )
            for c in rows
        )
        assessments = BlockAssessment.objects.bulk_create(
            BlockAssessment(
                candidacy=c,
                block=b,
                state="SUBMITTED",
                assessment_centre=centre,
                assessor=assessor,
                situation="WORKPLACE",
                assessed_on=now.date() - timedelta(days=30),
                verdict="ACQUIRED",
                summary="Pratique observée sur le poste ; aucune réserve.",
                no_conflict_declared=True,
                submitted_at=now - timedelta(days=29),
            )
            for c in rows
            for b in blocks
        )
        CriterionResult.objects.bulk_create(
            CriterionResult(assessment=a, criterion=k, met=True, observation="Observé en situation de travail.")
            for a in assessments
            for k in criteria[a.block_id]
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(session=session, candidacy=c, position=n + 1, added_by=staff, candidate_convened_at=now)
            for n, c in enumerate(rows)
        )
        # Convocations are e-mails with a PDF each: the bench marks them sent instead of drawing 500 PDFs.
        SessionMember.objects.filter(session=session).update(convened_at=now)
    services.attendance_record(
        session=session, by=staff, present={a.member_id: True for a in session.attendances.all()}
    )
    services.session_open(session=session, by=people["president"])
    opinions = [o for o, _w in OPINIONS]
    weights = [w for _o, w in OPINIONS]
    return {"session": session, "candidacies": rows, "opinions": [rng.choices(opinions, weights)[0] for _ in rows]}


# --------------------------------------------------------------------------- the pages, or their selectors


def targets(session, candidacy):
    """The addresses of the session page and of a dossier, or None while they are not in the URL table."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("www:jury_session", args=[session.pk]), reverse(
            "www:jury_dossier", args=[session.pk, candidacy.pk]
        )
    except NoReverseMatch:
        return None


def session_selectors(session, user):
    """What the session page reads: roles, attendance and regularity, the agenda with its deliberations,
    the summary, the conflicts of interest."""
    from cqp.juries import selectors

    roles = selectors.session_roles(user, session)
    attendance = selectors.session_attendance(session)
    problems = selectors.session_regularity(session, attendance)
    rows = selectors.agenda_rows(session)
    summary = selectors.agenda_summary(session)
    conflicts = selectors.conflicts_for(session, [row.candidacy for row in rows])
    for row in rows:
        if row.deliberation is not None:
            list(row.deliberation.blocks.all())
    return roles, problems, len(rows), summary, len(conflicts)


def dossier_selectors(session, candidacy_id, user):
    """What a dossier page reads: the candidacy and its blocks, the submitted assessments with criteria
    and evidence, the conflicts, this session's deliberation, the signed one in force."""
    from cqp.candidacies.models import Candidacy
    from cqp.juries import selectors
    from cqp.juries.models import Deliberation

    roles = selectors.session_roles(user, session)
    candidacy = (
        Candidacy.objects.select_related("candidate", "certification", "employer", "assessment_centre")
        .prefetch_related("blocks__block")
        .get(pk=candidacy_id, agenda_items__session=session)
    )
    assessments = selectors.submitted_assessments([candidacy.pk])[candidacy.pk]
    for assessment in assessments:
        list(assessment.results.all())
        list(assessment.evidence.all())
    conflicts = selectors.conflicts_for(session, [candidacy])
    deliberation = (
        Deliberation.objects.filter(session=session, candidacy=candidacy).prefetch_related("blocks__block").first()
    )
    current = selectors.current_deliberation(candidacy)
    return roles, len(assessments), conflicts, deliberation, current


def measure_callable(name, fn, *, warmup, runs):
    """Like timing.measure, for a function instead of an address."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        fn()
    with CaptureQueriesContext(connection) as captured:
        fn()
    sql = len(captured.captured_queries)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    row = {
        "name": name,
        "url": None,
        "sql_queries": sql,
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(timing.percentile(samples, 0.95), 2),
        "max_ms": round(max(samples), 2),
        "samples": len(samples),
    }
    print(f"{row['p50_ms']:8.1f} {row['p95_ms']:8.1f} {row['max_ms']:8.1f} {sql:4d}  {name}")
    return row


def measure_reading(data, phase, *, warmup, runs):
    """The session page and a dossier, for the large session and the small one."""
    from django.test import Client

    reader = data["people"]["member"]
    client = Client()
    client.force_login(reader)
    rows, mode = [], "pages"
    for key in ("big", "small"):
        session = data[key]["session"]
        # A dossier from the middle of the agenda, of a candidate whose employer has a member on the jury.
        candidacy = data[key]["candidacies"][len(data[key]["candidacies"]) // 2 // 10 * 10]
        size = len(data[key]["candidacies"])
        urls = targets(session, candidacy)
        if urls:
            for kind, url in zip(("session", "dossier"), urls, strict=True):
                cpu = time.process_time()
                row = timing.measure(
                    client, f"{phase} : page {kind} ({size} candidatures)", url, warmup=warmup, runs=runs
                )
                # Mean CPU time of this process per request (warm-up and counted request included).
                row["cpu_ms_mean"] = round((time.process_time() - cpu) * 1000 / (warmup + 1 + runs), 1)
                row.pop("_samples")
                rows.append(row | {"page": kind, "agenda": size, "phase": phase})
        else:
            mode = "selectors"
            for kind, fn in (
                ("session", lambda s=session: session_selectors(s, reader)),
                ("dossier", lambda s=session, c=candidacy.pk: dossier_selectors(s, c, reader)),
            ):
                name = f"{phase} : sélecteurs de la page {kind} ({size} candidatures)"
                row = measure_callable(name, fn, warmup=warmup, runs=runs)
                rows.append(row | {"page": kind, "agenda": size, "phase": phase})
    return rows, mode


# --------------------------------------------------------------------------- the jury's work


def votes_for(session, candidacy):
    from cqp.juries import selectors

    recused = {c["member"] for c in selectors.conflicts_for(session, [candidacy])[candidacy.pk]}
    voters = selectors.voting_members(selectors.session_attendance(session), recused)
    return {college: {"for": len(members), "against": 0, "abstain": 0} for college, members in voters.items()}


def deliberate(entry, by):
    """Every candidacy of the agenda through deliberation_record; returns the time of each call (ms)."""
    from cqp.juries import services

    session = entry["session"]
    codes = [f"RNCP89001BC{n:02d}" for n in range(1, BLOCKS + 1)]
    samples = []
    for candidacy, opinion in zip(entry["candidacies"], entry["opinions"], strict=True):
        validated = {"AWARD": codes, "PARTIAL": codes[:3], "REFUSAL": []}[opinion]
        votes = votes_for(session, candidacy)
        started = time.perf_counter()
        services.deliberation_record(
            session=session,
            candidacy=candidacy,
            by=by,
            validated_blocks=validated,
            votes=votes,
            motivation="" if opinion == "AWARD" else MOTIVATION,
        )
        samples.append((time.perf_counter() - started) * 1000)
    return samples


CPU = {}


def timed(fn, name=None):
    """Wall time of fn(); with a name, the CPU time of this process too (in CPU): on a shared machine the
    wall time includes the waits for a core, the CPU time does not (nor the PostgreSQL server's work)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    if name:
        CPU[name] = round(time.process_time() - cpu, 2)
    return result, round(time.perf_counter() - started, 2)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help=f"default {DEFAULT_POSTGRES}")
    parser.add_argument("--quick", action="store_true", help="50 candidacies, 5 timed requests, result in bench/data/")
    parser.add_argument("--candidacies", type=int, help="candidacies on the session's agenda (default 500)")
    parser.add_argument("--runs", type=int, help="timed requests per page (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests per page first (default 2)")
    parser.add_argument("--output", type=Path, help=f"JSON result (default {RESULTS})")
    parser.add_argument(
        "--immediate-tasks",
        action="store_true",
        help="send the e-mails of each step inline (test settings) instead of queueing them (production)",
    )
    args = parser.parse_args(argv)
    count = args.candidacies or (50 if args.quick else 500)
    runs = args.runs or (5 if args.quick else 20)
    output = args.output or (QUICK_RESULTS if args.quick else RESULTS)

    load_before = round(os.getloadavg()[0], 2)
    url = args.postgres_url if args.postgres else f"sqlite:///{SQLITE}"
    os.environ["DATABASE_URL"] = url
    fresh_database(url)
    setup_django()
    import logging

    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from cqp.awards.models import Award
    from cqp.awards.services import session_deliver
    from cqp.juries import services

    # One log line per PDF step and per e-mail task would bury the figures.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("django_tasks").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    print(f"Construction : une session de {count} candidatures à {BLOCKS} blocs, et une de {SMALL}…")
    data, build_seconds = timed(lambda: build(count))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"  {build_seconds} s ; {connection.vendor}")

    print(f"\n{'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'SQL':>4}  lecture")
    pages, mode = measure_reading(data, "avant délibération", warmup=args.warmup, runs=runs)

    # As in production, the e-mails of each step are queued for a worker (django-tasks-db) after commit;
    # with --immediate-tasks they are rendered and sent inline, as the test settings do.
    backend = "django_tasks.backends.immediate.ImmediateBackend" if args.immediate_tasks else TASKS_DB
    tasks = override_settings(TASKS={"default": {"BACKEND": backend}})
    tasks.enable()
    member = data["people"]["member"]
    print(f"\nDélibération des {count} + {SMALL} candidatures (deliberation_record, par un membre)…")
    samples, deliberate_seconds = timed(lambda: deliberate(data["big"], member), "deliberations")
    deliberate(data["small"], member)
    print(f"  {deliberate_seconds} s, p50 {statistics.median(samples):.1f} ms par délibération")

    print(f"\n{'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'SQL':>4}  lecture")
    after, _mode = measure_reading(data, "après délibération", warmup=args.warmup, runs=runs)
    pages += after

    session = data["big"]["session"]
    president, vice = data["people"]["president"], data["people"]["vice"]
    minutes, close_seconds = timed(lambda: services.session_close(session=session, by=president), "session_close")
    _, sign_president_seconds = timed(lambda: services.minutes_sign(session=session, by=president))
    _, sign_vice_seconds = timed(lambda: services.minutes_sign(session=session, by=vice), "minutes_sign_vice")
    session.refresh_from_db()
    print(
        f"\nClôture (procès-verbal en PDF) {close_seconds} s ; signature du président {sign_president_seconds} s ; "
        f"du vice-président (PDF final, décisions appliquées) {sign_vice_seconds} s"
    )
    results, deliver_seconds = timed(lambda: session_deliver(session=session, by=data["staff"]), "session_deliver")
    awards = Award.objects.filter(deliberation__session=session)
    delivered = {
        "certificates": awards.filter(kind="CERTIFICATE").count(),
        "block_attestations": awards.filter(kind="BLOCK_ATTESTATION").count(),
        "refusals": sum(1 for r in results if r.award is None and r.opinion == "REFUSAL"),
        # Candidacies session_deliver could not deliver (with its reason): none expected.
        "not_delivered": [f"{r.candidacy.pk}: {r.error}" for r in results if getattr(r, "error", "")],
    }
    print(
        f"Délivrance de la session (session_deliver) : {deliver_seconds} s (CPU de ce processus "
        f"{CPU['session_deliver']} s) — {delivered}"
    )
    tasks.disable()

    session_rows = [r for r in pages if r["page"] == "session"]
    dossier_rows = [r for r in pages if r["page"] == "dossier"]

    def constant(rows):
        by_phase = {}
        for r in rows:
            by_phase.setdefault(r["phase"], set()).add(r["sql_queries"])
        return all(len(counts) == 1 for counts in by_phase.values())

    worst_p95 = max(r["p95_ms"] for r in pages if r["agenda"] == count)
    met = {
        "page_p95": worst_p95 <= TARGET_PAGE_P95_MS,
        "constant_queries": constant(session_rows) and constant(dossier_rows),
        "deliver": deliver_seconds <= TARGET_DELIVER_S and not delivered["not_delivered"],
    }
    result = {
        "benchmark": "jury_session",
        "target": {
            "page_p95_ms": TARGET_PAGE_P95_MS,
            "sql_queries": f"the same for {SMALL} and {count} candidacies",
            "session_deliver_s": TARGET_DELIVER_S,
        },
        "met": all(met.values()),
        "met_by_target": met,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "settings": os.environ["DJANGO_SETTINGS_MODULE"],
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            # The machine is shared: the load before and after the run says how busy it was.
            "load_average_1min": [load_before, round(os.getloadavg()[0], 2)],
        },
        "data": {
            "candidacies": count,
            "blocks_per_candidacy": BLOCKS,
            "criteria_per_block": CRITERIA,
            "small_session": SMALL,
            "members": 5,
        },
        "build_seconds": build_seconds,
        "measured": mode,
        "tasks_backend": backend,
        "runs_per_page": runs,
        "warmup_per_page": args.warmup,
        "pages": pages,
        "deliberations": {
            "total_s": deliberate_seconds,
            "p50_ms": round(statistics.median(samples), 1),
            "p95_ms": round(timing.percentile(samples, 0.95), 1),
        },
        "session_close_s": close_seconds,
        "minutes_sign_president_s": sign_president_seconds,
        "minutes_sign_vice_president_s": sign_vice_seconds,
        "session_deliver_s": deliver_seconds,
        "delivered": delivered,
        "cpu_s_of_this_process": CPU,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(output.read_text()) if output.exists() else {}
    previous[connection.vendor] = result
    output.write_text(json.dumps(dict(sorted(previous.items())), ensure_ascii=False, indent=2) + "\n")
    print(
        f"\nPages ({mode}) : p95 le plus lent {worst_p95} ms — objectif ≤ {TARGET_PAGE_P95_MS:.0f} ms "
        f"{'atteint' if met['page_p95'] else 'NON atteint'} ; requêtes SQL "
        f"{'constantes' if met['constant_queries'] else 'NON constantes'} ({SMALL} et {count} candidatures). "
        f"Délivrance {deliver_seconds} s — objectif ≤ {TARGET_DELIVER_S:.0f} s "
        f"{'atteint' if met['deliver'] else 'NON atteint'}."
    )
    print(f"Résultat écrit dans {output}")
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
