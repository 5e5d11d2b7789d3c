"""Demo juries: one national parity jury per demo certifier, its members in both colleges, past sessions
signed and delivered, and a session to come.

Everything goes through the juries and awards services, each step by the person whose role it is:
the certifier's staff plans, convenes, records attendance and delivers; the president opens and
closes the deliberations; a member records each deliberation; the president and the vice-president
sign the minutes. A candidacy of `candidacies.CANDIDACIES` whose target lies past the jury is made up
to READY_FOR_JURY there, then taken here to a session:

- SCHEDULED_FOR_JURY: on the agenda of the session to come (planned, convened);
- DECIDED: a recent session, signed, its delivery still to be done;
- DELIVERED, CLOSED, reopened after a partial award, and refusals: an earlier session, signed and
  delivered (certificates and block attestations numbered, refusal notices), closed where asked.

Idempotent: juries and members are found again by name and e-mail; a candidacy that has left
READY_FOR_JURY is never taken again, so a second run plans no session.
"""

import logging
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership, User
from cqp.awards import services as awards
from cqp.awards.enums import AwardKind
from cqp.awards.models import Award
from cqp.candidacies import services as candidacies_services
from cqp.candidacies.enums import State
from cqp.candidacies.models import Candidacy
from cqp.juries import selectors, services
from cqp.juries.enums import College, MemberRole, Opinion, ParityRule, SessionState
from cqp.juries.models import Deliberation, Jury, JuryMember, JurySession

DEMO = "(démonstration)"

# Per certifier: the jury's name, parity rule, place of its sessions and members:
# (e-mail, first name, last name, college, role, organisation represented, demo organisation key or None).
# The two accounts of content.ACCOUNTS (jury@…, jury.salaries@…) preside over both juries; the other
# members have no password (the demo does not sign in as them).
JURIES = {
    "uimm": {
        "name": f"Jury paritaire national des CQPM {DEMO}",
        "parity_rule": ParityRule.EQUAL_MEMBERS,
        "place": f"Maison de la métallurgie, Paris {DEMO}",
        "video_url": "",
        "members": [
            ("jury@cqp.example", "", "", College.EMPLOYERS, MemberRole.PRESIDENT, f"UIMM {DEMO}", None),
            (
                "jury.salaries@cqp.example",
                "",
                "",
                College.EMPLOYEES,
                MemberRole.VICE_PRESIDENT,
                f"Fédération des salariés de la métallurgie {DEMO}",
                None,
            ),
            (
                "olivier.brun@jury.example",
                "Olivier",
                "Brun",
                College.EMPLOYERS,
                MemberRole.MEMBER,
                f"Chambre syndicale de la métallurgie de l'Ouest {DEMO}",
                None,
            ),
            (
                "nadege.leroy@jury.example",
                "Nadège",
                "Leroy",
                College.EMPLOYEES,
                MemberRole.MEMBER,
                f"Union syndicale des techniciens de l'industrie {DEMO}",
                None,
            ),
        ],
    },
    "ocapiat": {
        "name": f"Jury paritaire national des CQP des industries alimentaires {DEMO}",
        # Three employers' representatives for two employees': each college weighs half of the votes.
        "parity_rule": ParityRule.WEIGHTED,
        "place": f"Visioconférence {DEMO}",
        "video_url": "https://visio.example/jury-industries-alimentaires",
        "members": [
            ("jury@cqp.example", "", "", College.EMPLOYERS, MemberRole.PRESIDENT, f"ANIA {DEMO}", None),
            (
                "jury.salaries@cqp.example",
                "",
                "",
                College.EMPLOYEES,
                MemberRole.VICE_PRESIDENT,
                f"Fédération des salariés de l'agroalimentaire {DEMO}",
                None,
            ),
            (
                "delphine.marchand@jury.example",
                "Delphine",
                "Marchand",
                College.EMPLOYERS,
                MemberRole.MEMBER,
                f"Fédération des conserveurs {DEMO}",
                # She works for the Conserverie: she withdraws from the deliberations on its employees.
                "conserverie",
            ),
            (
                "francois.vidal@jury.example",
                "François",
                "Vidal",
                College.EMPLOYERS,
                MemberRole.MEMBER,
                f"Coopération agricole {DEMO}",
                None,
            ),
            (
                "amina.diallo@jury.example",
                "Amina",
                "Diallo",
                College.EMPLOYEES,
                MemberRole.MEMBER,
                f"Syndicat des salariés de l'alimentation {DEMO}",
                None,
            ),
        ],
    },
}
JURY_ACCOUNTS = ("jury@cqp.example", "jury.salaries@cqp.example")
JURY_STATES = frozenset({State.SCHEDULED_FOR_JURY, State.DECIDED, State.DELIVERED, State.CLOSED})

# The sessions, relative to the day of the load: (key, days from today, hour).
EARLIER, RECENT, UPCOMING = "earlier", "recent", "upcoming"
SESSION_DAYS = {EARLIER: (-91, 9), RECENT: (-14, 14), UPCOMING: (21, 9)}

MOTIVATIONS = {
    Opinion.PARTIAL: (
        "Les évaluations et l'entretien montrent la maîtrise des blocs validés ; pour les autres, les "
        "situations présentées ne couvrent pas tous les critères obligatoires. Le candidat peut les "
        "présenter à nouveau après une mise en situation complémentaire."
    ),
    Opinion.REFUSAL: (
        "Le jury ne retrouve pas dans le dossier ni dans l'entretien la maîtrise attendue du bloc présenté : "
        "les consignes de sécurité du poste ne sont pas appliquées de façon constante. Une nouvelle "
        "présentation est possible après une période de pratique accompagnée."
    ),
}


def mandate_dates() -> tuple[date, date]:
    """Mandates run from 2024 to three years ahead, so that the session to come is always covered."""
    return date(2024, 1, 1), date(timezone.localdate().year + 3, 12, 31)


def session_start(key) -> datetime:
    days, hour = SESSION_DAYS[key]
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 30)))


def _staff(certifier, admin) -> User:
    return (
        User.objects.filter(memberships__role=Role.CERTIFIER_STAFF, memberships__certifier=certifier)
        .order_by("pk")
        .first()
        or admin
    )


def _member_user(email, first_name, last_name) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, first_name=first_name, last_name=last_name, is_active=True)
        user.set_unusable_password()
        user.save()
    return user


@transaction.atomic
def _jury(key, spec, *, certifier, certifications, staff, organisations) -> Jury:
    jury = Jury.objects.filter(certifier=certifier, name=spec["name"]).first()
    if jury is None:
        covered = [c for c in certifications.values() if c.active and c.certifiers.filter(pk=certifier.pk).exists()]
        jury = services.jury_create(
            certifier=certifier,
            by=staff,
            name=spec["name"],
            certifications=covered,
            parity_rule=spec["parity_rule"],
        )
    start, end = mandate_dates()
    for email, first_name, last_name, college, role, represents, organisation_key in spec["members"]:
        user = _member_user(email, first_name, last_name)
        if organisation_key:
            Membership.objects.get_or_create(
                user=user, role=Role.EMPLOYER, organisation=organisations[organisation_key], certifier=None
            )
        if not JuryMember.objects.filter(jury=jury, user=user).exists():
            services.jury_member_add(
                jury=jury,
                by=staff,
                user=user,
                college=college,
                represents=represents,
                role=role,
                mandate_start=start,
                mandate_end=end,
            )
    return jury


def _pending(specs, certifications, people) -> dict:
    """Demo candidacies made up to READY_FOR_JURY that wait for their session: {(certifier, session): [...]}."""
    pending = {}
    for candidate_key, certification_key, certifier_key, path, _funding, _employer, target, options in specs:
        if target not in JURY_STATES and not options.get("reopen"):
            continue
        candidacy = Candidacy.objects.filter(
            candidate=people["candidates"][candidate_key],
            certification=certifications[certification_key],
            path=path,
            state=State.READY_FOR_JURY,
        ).first()
        if candidacy is None:
            continue
        outcome = options.get("outcome", "all")
        if target == State.SCHEDULED_FOR_JURY:
            session = UPCOMING
        elif target == State.DECIDED and outcome != "none":
            session = RECENT
        else:
            session = EARLIER
        pending.setdefault((certifier_key, session), []).append((candidacy, target, outcome))
    return pending


def _validated(candidacy, outcome) -> list[str]:
    codes = [row.block.code for row in services.deliberated_blocks(candidacy)]
    if outcome == "none":
        return []
    if outcome == "partial":
        return codes[: max(1, len(codes) // 2)] if len(codes) > 1 else []
    return codes


def _votes(session, conflicts, *, abstain=False) -> dict:
    """Every voting member for the opinion; with `abstain`, one employees' voter abstains."""
    recused = {c["member"] for c in conflicts}
    voters = selectors.voting_members(selectors.session_attendance(session), recused)
    votes = {}
    for college in College:
        count = len(voters[college.value])
        spare = 1 if abstain and college == College.EMPLOYEES and count > 1 else 0
        votes[college.value] = {"for": count - spare, "against": 0, "abstain": spare}
    return votes


def _roles(jury) -> dict:
    members = list(jury.members.select_related("user").order_by("pk"))
    return {
        "president": next(m.user for m in members if m.role == MemberRole.PRESIDENT),
        "vice": next(m.user for m in members if m.role == MemberRole.VICE_PRESIDENT),
        "members": [m for m in members if m.role == MemberRole.MEMBER],
    }


@transaction.atomic
def _past_session(jury, key, rows, *, staff, spec) -> JurySession:
    """A session held in the past: planned, convened, attendance, opened, deliberated, closed, signed;
    the earlier one is delivered too."""
    people = _roles(jury)
    session = services.session_plan(
        jury=jury, by=staff, starts_at=session_start(key), place=spec["place"], video_url=spec["video_url"]
    )
    services.agenda_add(session=session, candidacies=[c for c, *_ in rows], by=staff)
    services.session_convene(session=session, by=staff)
    services.attendance_record(
        session=session, by=staff, present={a.member_id: True for a in session.attendances.all()}
    )
    services.session_open(session=session, by=people["president"])
    conflicts = selectors.conflicts_for(session, [c for c, *_ in rows])
    for number, (candidacy, _target, outcome) in enumerate(rows):
        recused = {c["member"] for c in conflicts[candidacy.pk]}
        # An ordinary member who does not withdraw from this candidacy keeps the record of the deliberation.
        recorder = next(m.user for m in people["members"] if m.pk not in recused)
        validated = _validated(candidacy, outcome)
        opinion = services.opinion_for(
            decided=len(services.deliberated_blocks(candidacy)),
            validated=len(validated),
            already_held=0,
        )
        services.deliberation_record(
            session=session,
            candidacy=candidacy,
            by=recorder,
            validated_blocks=validated,
            votes=_votes(session, conflicts[candidacy.pk], abstain=opinion == Opinion.PARTIAL and number % 2 == 0),
            motivation=MOTIVATIONS.get(opinion, ""),
        )
    minutes = services.session_close(session=session, by=people["president"])
    services.minutes_sign(session=session, by=people["president"], sha256=minutes.draft_sha256)
    services.minutes_sign(session=session, by=people["vice"], sha256=minutes.draft_sha256)
    session.refresh_from_db()
    if key == EARLIER:
        errors = [f"{r.candidacy} : {r.error}" for r in awards.session_deliver(session=session, by=staff) if r.error]
        if errors:
            # The whole session is undone: the demo shows it as refused rather than half delivered.
            raise ValidationError(errors)
        for candidacy, target, _outcome in rows:
            if target == State.CLOSED:
                candidacies_services.candidacy_transition(
                    candidacy=Candidacy.objects.get(pk=candidacy.pk),
                    name="close",
                    by=staff,
                    comment="Certificat remis ; dossier archivé.",
                )
    return session


@transaction.atomic
def _upcoming_session(jury, rows, *, staff, spec) -> JurySession:
    """The session to come: planned (or the one already planned), its agenda, convocations sent."""
    session = (
        JurySession.objects.filter(jury=jury, state=SessionState.PLANNED, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )
    if session is None:
        session = services.session_plan(
            jury=jury,
            by=staff,
            starts_at=session_start(UPCOMING),
            place=spec["place"],
            video_url=spec["video_url"],
        )
    services.agenda_add(session=session, candidacies=[c for c, *_ in rows], by=staff)
    services.session_convene(session=session, by=staff)
    return session


def load_juries(*, specs, certifications, certifiers, organisations, people, admin) -> dict:
    """Juries of the demo certifiers and the sessions their candidacies wait for. Returns the sessions made."""
    pending = _pending(specs, certifications, people)
    # Earlier demo data gave the jury accounts a membership without certifier, which opens nothing.
    Membership.objects.filter(
        user__email__in=JURY_ACCOUNTS, role=Role.JURY_MEMBER, certifier=None, organisation=None
    ).delete()
    # Minutes and convocations are drawn as PDF: their progress lines would bury the demo's summary.
    progress = logging.getLogger("weasyprint.progress")
    level = progress.level
    progress.setLevel(logging.WARNING)
    try:
        made, refused = _sessions(JURIES, pending, certifications, certifiers, organisations, admin)
    finally:
        progress.setLevel(level)
    return {"sessions_made": made, "refused": refused}


def _sessions(juries, pending, certifications, certifiers, organisations, admin) -> tuple[int, list[str]]:
    made, refused = 0, []
    for key, spec in juries.items():
        certifier = certifiers[key]
        staff = _staff(certifier, admin)
        jury = _jury(
            key, spec, certifier=certifier, certifications=certifications, staff=staff, organisations=organisations
        )
        for session_key in (EARLIER, RECENT):
            rows = pending.get((key, session_key))
            if rows:
                made += _attempt(refused, _past_session, jury, session_key, rows, staff=staff, spec=spec)
        rows = pending.get((key, UPCOMING))
        if rows:
            made += _attempt(refused, _upcoming_session, jury, rows, staff=staff, spec=spec)
    return made, refused


def _attempt(refused, make, jury, *args, **kwargs) -> int:
    """Make one session; if a service refuses, the session is not made and the refusal is reported."""
    try:
        make(jury, *args, **kwargs)
    except ValidationError as error:
        refused.append(f"{jury} — session : {' '.join(error.messages)}")
        return 0
    return 1


def jury_names_of(emails) -> dict[str, str]:
    """For the table of demo accounts: the juries each jury member sits on."""
    names = {}
    for email, name in (
        JuryMember.objects.filter(user__email__in=emails)
        .order_by("jury__name")
        .values_list("user__email", "jury__name")
    ):
        names.setdefault(email, []).append(name)
    return {email: " ; ".join(values) for email, values in names.items()}


def _count(n, singular, plural) -> str:
    return f"{n} {singular if n < 2 else plural}"


def summary() -> str:
    juries = Jury.objects.filter(name__contains=DEMO)
    sessions = JurySession.objects.filter(jury__in=juries)
    deliberations = Deliberation.objects.filter(session__in=sessions)
    opinions = {o: deliberations.filter(opinion=o).count() for o in Opinion.values}
    delivered = Award.objects.filter(deliberation__in=deliberations)
    certificates = delivered.filter(kind=AwardKind.CERTIFICATE).count()
    attestations = delivered.filter(kind=AwardKind.BLOCK_ATTESTATION).count()
    return (
        f"Jurys : {_count(juries.count(), 'jury paritaire', 'jurys paritaires')}, "
        f"{_count(JuryMember.objects.filter(jury__in=juries).count(), 'mandat', 'mandats')}, "
        f"{_count(sessions.count(), 'session', 'sessions')} "
        f"({sessions.filter(state=SessionState.SIGNED).count()} au procès-verbal signé, "
        f"{sessions.filter(state=SessionState.PLANNED).count()} à venir), "
        f"{_count(deliberations.count(), 'délibération', 'délibérations')} "
        f"({_count(opinions[Opinion.AWARD], 'obtention', 'obtentions')}, "
        f"{_count(opinions[Opinion.PARTIAL], 'attestation de blocs', 'attestations de blocs')}, "
        f"{opinions[Opinion.REFUSAL]} refus) ; délivrés : "
        f"{_count(certificates, 'certificat', 'certificats')}, "
        f"{_count(attestations, 'attestation de blocs', 'attestations de blocs')}."
    )
