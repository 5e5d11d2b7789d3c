"""Reads of the certifier staff's jury pages: their juries and sessions, a jury member's convocations,
the candidacies ready for a session. Each page reads a constant number of queries."""

from django.db.models import Count, Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cqp.accounts.models import Organisation
from cqp.candidacies.enums import State
from cqp.candidacies.selectors import staff_certifier_ids
from cqp.catalogue.models import Certification
from cqp.juries.enums import College, MemberRole, SessionState
from cqp.juries.models import AgendaItem, Deliberation, Jury, JuryMember, JurySession, SessionMember
from cqp.juries.selectors import candidacies_ready_for

# Sessions still to be held or signed; the others (signed, cancelled) are past.
ACTIVE_STATES = (SessionState.PLANNED, SessionState.OPEN, SessionState.CLOSED)
PAST_SHOWN = 5
ROLE_ORDER = {MemberRole.PRESIDENT: 0, MemberRole.VICE_PRESIDENT: 1, MemberRole.MEMBER: 2}


def is_jury_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or staff_certifier_ids(user)))


def staff_juries(user) -> QuerySet[Jury]:
    """The juries certifier staff organise: those of their certifiers (every jury for an administrator)."""
    if not (user.is_authenticated and user.is_active):
        return Jury.objects.none()
    if user.is_superuser:
        return Jury.objects.all()
    return Jury.objects.filter(certifier_id__in=staff_certifier_ids(user))


def staff_sessions(user) -> QuerySet[JurySession]:
    return JurySession.objects.filter(jury__in=staff_juries(user))


def session_url_maker():
    """The session page's URL for a pk, reversed once per page; None while that page does not exist."""
    marker = 2147483647
    try:
        url = reverse("www:jury_session", kwargs={"pk": marker})
    except NoReverseMatch:
        return lambda pk: None
    return lambda pk: url.replace(str(marker), str(pk))


def _sessions_with_counts():
    return JurySession.objects.annotate(agenda_count=Count("agenda"))


def _by_college(members) -> list[tuple[str, list[JuryMember]]]:
    ordered = sorted(members, key=lambda m: (ROLE_ORDER.get(m.role, 9), m.user.last_name, m.user.first_name))
    return [(college.label, [m for m in ordered if m.college == college.value]) for college in College]


def juries_overview(user, *, today=None) -> list[Jury]:
    """The staff's juries with their CQPs, current members per college, sessions to come and the
    last past ones, each session with the size of its agenda: five queries whatever their number."""
    today = today or timezone.localdate()
    url = session_url_maker()
    juries = list(
        staff_juries(user)
        .select_related("certifier")
        .prefetch_related(
            Prefetch("certifications", queryset=Certification.objects.order_by("code")),
            Prefetch(
                "members",
                queryset=JuryMember.objects.filter(mandate_start__lte=today, mandate_end__gte=today).select_related(
                    "user"
                ),
                to_attr="current_members",
            ),
            Prefetch(
                "sessions",
                queryset=_sessions_with_counts().filter(state__in=ACTIVE_STATES).order_by("starts_at"),
                to_attr="upcoming_sessions",
            ),
            Prefetch(
                "sessions",
                queryset=_sessions_with_counts().exclude(state__in=ACTIVE_STATES).order_by("-starts_at")[:PAST_SHOWN],
                to_attr="past_sessions",
            ),
        )
        .order_by("certifier__name", "name")
    )
    for jury in juries:
        jury.colleges = _by_college(jury.current_members)
        for session in (*jury.upcoming_sessions, *jury.past_sessions):
            session.page_url = url(session.pk)
    return juries


def jury_detail(jury: Jury, *, today=None) -> dict:
    """Everything the jury's page shows: every mandate (current, ended, to come) and every session."""
    today = today or timezone.localdate()
    url = session_url_maker()
    members = list(JuryMember.objects.filter(jury=jury).select_related("user"))
    for member in members:
        member.current = member.on(today)
    sessions = list(_sessions_with_counts().filter(jury=jury).order_by("-starts_at"))
    for session in sessions:
        session.page_url = url(session.pk)
    return {
        "certifications": list(jury.certifications.order_by("code")),
        "colleges": _by_college(members),
        "upcoming": sorted((s for s in sessions if s.state in ACTIVE_STATES), key=lambda s: s.starts_at),
        "past": [s for s in sessions if s.state not in ACTIVE_STATES],
    }


def convened_sessions(user) -> list[SessionMember]:
    """The sessions a person is convened to as a jury member, the next ones first, then the past ones."""
    url = session_url_maker()
    rows = list(
        SessionMember.objects.filter(member__user=user)
        .select_related("session__jury__certifier", "member")
        .annotate(agenda_count=Count("session__agenda"))
        .order_by("-session__starts_at")
    )
    for row in rows:
        row.page_url = url(row.session_id)
    return rows


def members_on(jury: Jury, day) -> list[JuryMember]:
    """The members whose mandate covers the day: those a session planned that day convenes."""
    members = JuryMember.objects.filter(jury=jury, mandate_start__lte=day, mandate_end__gte=day).select_related("user")
    return sorted(members, key=lambda m: (m.college, ROLE_ORDER.get(m.role, 9), m.user.last_name))


def ready_for_session(session: JurySession, filters: dict) -> QuerySet:
    """Candidacies ready for the session's jury, narrowed by certification, path and assessment centre."""
    qs = candidacies_ready_for(session.jury)
    if filters.get("certification"):
        qs = qs.filter(certification_id=filters["certification"])
    if filters.get("path"):
        qs = qs.filter(path=filters["path"])
    if filters.get("centre"):
        qs = qs.filter(assessment_centre_id=filters["centre"])
    return qs


def ready_rows(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("candidate", "certification", "assessment_centre").order_by(
        "certification__code", "candidate__last_name", "candidate__first_name", "pk"
    )


def centres_with_ready(session: JurySession) -> list[Organisation]:
    """The assessment centres of the candidacies ready for the jury, for the filter."""
    ids = candidacies_ready_for(session.jury).values("assessment_centre_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def correctable_deliberations(session: JurySession) -> QuerySet[Deliberation]:
    """Signed deliberations in force of this jury whose decision the jury may still correct, and whose
    correction is on no agenda yet."""
    pending = AgendaItem.objects.filter(corrects__isnull=False, session__state__in=ACTIVE_STATES).values("corrects_id")
    return (
        Deliberation.objects.filter(
            session__jury_id=session.jury_id,
            session__state=SessionState.SIGNED,
            is_current=True,
            candidacy__state__in=[State.DECIDED, State.DELIVERED],
        )
        .exclude(pk__in=pending)
        .select_related("candidacy__candidate", "candidacy__certification", "session")
        .order_by("-session__starts_at", "candidacy__candidate__last_name", "pk")
    )


def convocations_pending(session: JurySession) -> dict:
    """How many members and candidates have not been sent their convocation yet."""
    return {
        "members": SessionMember.objects.filter(session=session, convened_at__isnull=True).count(),
        "candidates": AgendaItem.objects.filter(session=session, candidate_convened_at__isnull=True).count(),
    }
