"""Reading juries and sessions: who may see what, the regularity of a session, conflicts of interest,
the agenda and the whole dossier of a candidacy, each in a constant number of queries."""

from collections import defaultdict

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from cqp.accounts.models import Membership
from cqp.assessments.enums import AssessmentState
from cqp.assessments.models import BlockAssessment
from cqp.candidacies.models import Candidacy
from cqp.candidacies.selectors import staff_certifier_ids

from .enums import College, MemberRole, ParityRule, SessionState
from .models import AgendaItem, Deliberation, DeliberationBlock, Jury, JuryMember, JurySession, SessionMember

STAFF = "certifier_staff"
MEMBER = "jury_member"
PRESIDENT = "president"
VICE_PRESIDENT = "vice_president"
ADMIN = "platform_admin"


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def juries_visible_to(user) -> QuerySet[Jury]:
    """Certifier staff: their certifier's juries. Jury members: the juries they hold a mandate on."""
    if not _active(user):
        return Jury.objects.none()
    if user.is_superuser:
        return Jury.objects.all()
    return Jury.objects.filter(Q(certifier_id__in=staff_certifier_ids(user)) | Q(members__user=user)).distinct()


def sessions_visible_to(user) -> QuerySet[JurySession]:
    """Certifier staff: the sessions of their certifier's juries. Jury members: the sessions they are convened to."""
    if not _active(user):
        return JurySession.objects.none()
    if user.is_superuser:
        return JurySession.objects.all()
    convened = SessionMember.objects.filter(member__user=user).values("session_id")
    return JurySession.objects.filter(Q(jury__certifier_id__in=staff_certifier_ids(user)) | Q(pk__in=convened))


def session_roles(user, session: JurySession) -> set[str]:
    """The roles in which this user acts in this session: staff of its certifier, convened member,
    president or vice-president (by their mandate), platform administrator."""
    if not _active(user):
        return set()
    roles = set()
    if user.is_superuser:
        roles.add(ADMIN)
    if session.jury.certifier_id in staff_certifier_ids(user):
        roles.add(STAFF)
    for attendance in SessionMember.objects.filter(session=session, member__user=user).select_related("member"):
        roles.add(MEMBER)
        if attendance.member.role == MemberRole.PRESIDENT:
            roles.add(PRESIDENT)
        elif attendance.member.role == MemberRole.VICE_PRESIDENT:
            roles.add(VICE_PRESIDENT)
    return roles


def session_attendance(session: JurySession) -> list[SessionMember]:
    return list(
        SessionMember.objects.filter(session=session)
        .select_related("member__user")
        .order_by("member__college", "member__role", "member__user__last_name")
    )


def session_regularity(session: JurySession, attendance=None) -> list[str]:
    """What keeps the session from deliberating: attendance not recorded, a college absent, parity not
    met under the jury's rule, no president or vice-president present to sign the minutes."""
    attendance = session_attendance(session) if attendance is None else attendance
    problems = []
    if not attendance:
        return [_("Aucun membre n'est convoqué à cette session.")]
    unknown = [a for a in attendance if a.present is None]
    if unknown:
        problems.append(
            _("Relevez la présence de chaque membre convoqué ; il manque : %(names)s.")
            % {"names": ", ".join(str(a.member) for a in unknown)}
        )
    present = [a.member for a in attendance if a.present]
    counts = {college: sum(1 for m in present if m.college == college) for college in College.values}
    for college in College:
        if not counts[college.value]:
            problems.append(_("Aucun membre du %(college)s n'est présent.") % {"college": college.label.lower()})
    if session.jury.parity_rule == ParityRule.EQUAL_MEMBERS and counts[College.EMPLOYERS] != counts[College.EMPLOYEES]:
        problems.append(
            _(
                "La parité n'est pas respectée : %(employers)s votant(s) employeurs pour %(employees)s votant(s) "
                "salariés ; la règle de ce jury demande autant de votants dans chaque collège."
            )
            % {"employers": counts[College.EMPLOYERS], "employees": counts[College.EMPLOYEES]}
        )
    roles = {m.role for m in present}
    if MemberRole.PRESIDENT not in roles:
        problems.append(_("Le président doit être présent : il signe le procès-verbal."))
    if MemberRole.VICE_PRESIDENT not in roles:
        problems.append(_("Le vice-président doit être présent : il signe le procès-verbal."))
    return problems


def conflicts_for(session: JurySession, candidacies) -> dict[int, list[dict]]:
    """For each candidacy, the present or convened members linked to it, with the reason: the member's
    organisation employs, trains or assesses the candidate, or the member assessed one of its blocks.
    Three queries whatever the number of candidacies."""
    attendance = list(SessionMember.objects.filter(session=session).select_related("member__user"))
    members = {a.member.user_id: a.member for a in attendance}
    organisations = defaultdict(set)
    for user_id, organisation_id in Membership.objects.filter(
        user_id__in=members, organisation__isnull=False
    ).values_list("user_id", "organisation_id"):
        organisations[user_id].add(organisation_id)
    candidacies = list(candidacies)
    assessors = defaultdict(set)
    for candidacy_id, assessor_id in (
        BlockAssessment.objects.filter(candidacy__in=[c.pk for c in candidacies], assessor_id__in=members)
        .values_list("candidacy_id", "assessor_id")
        .distinct()
    ):
        assessors[candidacy_id].add(assessor_id)
    links = {
        "employer_id": _("son organisation emploie le candidat"),
        "training_org_id": _("son organisation forme le candidat"),
        "assessment_centre_id": _("son organisation évalue le candidat"),
    }
    result = {}
    for candidacy in candidacies:
        found = []
        for user_id, member in members.items():
            reasons = [reason for field, reason in links.items() if getattr(candidacy, field) in organisations[user_id]]
            if user_id in assessors[candidacy.pk]:
                reasons.append(_("a évalué un bloc de cette candidature"))
            if candidacy.candidate.user_id == user_id:
                reasons.append(_("est le candidat"))
            if reasons:
                found.append({"member": member.pk, "name": str(member), "reason": " ; ".join(reasons)})
        result[candidacy.pk] = found
    return result


def voting_members(attendance, recused_ids) -> dict[str, list[JuryMember]]:
    """Present members who deliberate on a candidacy, per college."""
    voters = {college: [] for college in College.values}
    for a in attendance:
        if a.present and a.member.pk not in recused_ids:
            voters[a.member.college].append(a.member)
    return voters


def _abstentions(votes, college: str) -> int:
    raw = (votes or {}).get(college) or (votes or {}).get(college.lower()) or {}
    try:
        return max(int(raw.get("abstain", 0) or 0), 0)
    except (TypeError, ValueError, AttributeError):
        return 0


def parity_problems(session: JurySession, voters: dict, votes=None) -> list[str]:
    """What breaks parity for one candidacy once linked members are recused. Under EQUAL_MEMBERS, the
    larger college keeps parity when as many of its members as it has in excess abstain (`votes`)."""
    problems = []
    for college in College:
        if not voters[college.value]:
            problems.append(
                _("Sans le ou les membres déportés, le %(college)s n'a plus de votant pour cette candidature.")
                % {"college": college.label.lower()}
            )
    employers, employees = len(voters[College.EMPLOYERS]), len(voters[College.EMPLOYEES])
    larger = College.EMPLOYERS if employers > employees else College.EMPLOYEES
    if (
        session.jury.parity_rule == ParityRule.EQUAL_MEMBERS
        and employers != employees
        and _abstentions(votes, larger) < abs(employers - employees)
    ):
        problems.append(
            _(
                "Sans le ou les membres déportés, la parité n'est plus respectée pour cette candidature "
                "(%(employers)s employeur(s), %(employees)s salarié(s)) : un membre de l'autre collège "
                "s'abstient de voter, ou le jury adopte le vote pondéré."
            )
            % {"employers": employers, "employees": employees}
        )
    return problems


def agenda_rows(session: JurySession, *, item_ids=None) -> list[AgendaItem]:
    """The agenda (or the items `item_ids` of it: one page) with each candidacy, its candidate and
    certification, and its deliberation in this session (`deliberation`, or None): three queries
    whatever its length."""
    items = AgendaItem.objects.filter(session=session)
    if item_ids is not None:
        items = items.filter(pk__in=list(item_ids))
    items = list(
        items.select_related("candidacy__candidate", "candidacy__certification", "corrects").order_by("position", "pk")
    )
    deliberations = Deliberation.objects.filter(session=session)
    if item_ids is not None:
        deliberations = deliberations.filter(candidacy_id__in=[item.candidacy_id for item in items])
    deliberations = {
        d.candidacy_id: d
        for d in deliberations.prefetch_related(
            Prefetch("blocks", queryset=DeliberationBlock.objects.select_related("block").order_by("block__position"))
        )
    }
    for item in items:
        item.deliberation = deliberations.get(item.candidacy_id)
    return items


def agenda_summary(session: JurySession) -> dict:
    counts = AgendaItem.objects.filter(session=session).aggregate(total=Count("pk"))
    decided = Deliberation.objects.filter(session=session).values("opinion").annotate(n=Count("pk"))
    return {"total": counts["total"], "by_opinion": {row["opinion"]: row["n"] for row in decided}}


def candidacies_ready_for(jury: Jury) -> QuerySet[Candidacy]:
    """Candidacies of the jury's certifier and CQPs that are ready for the jury and on no agenda yet."""
    from cqp.candidacies.enums import State

    return Candidacy.objects.filter(
        certifier_id=jury.certifier_id,
        certification__in=jury.certifications.all(),
        state=State.READY_FOR_JURY,
    ).exclude(agenda_items__session__state__in=[SessionState.PLANNED, SessionState.OPEN, SessionState.CLOSED])


def current_deliberation(candidacy) -> Deliberation | None:
    """The signed deliberation in force for this candidacy (a correction replaces the one it corrects)."""
    return (
        Deliberation.objects.filter(candidacy=candidacy, is_current=True, session__state=SessionState.SIGNED)
        .select_related("session__jury")
        .order_by("-session__signed_at", "-pk")
        .first()
    )


def submitted_assessments(candidacy_ids) -> dict[int, list[BlockAssessment]]:
    """Every submitted or corrected assessment of these candidacies with criteria and evidence, per candidacy."""
    rows = defaultdict(list)
    for assessment in (
        BlockAssessment.objects.filter(candidacy_id__in=candidacy_ids)
        .exclude(state=AssessmentState.DRAFT)
        .select_related("block", "assessor", "assessment_centre")
        .prefetch_related("results__criterion", "evidence__document")
        .order_by("block__position", "-version")
    ):
        rows[assessment.candidacy_id].append(assessment)
    return rows
