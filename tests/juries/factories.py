"""Juries, sessions and deliberations made through the real services."""

from datetime import date, timedelta

from django.utils import timezone

from cqp.accounts.enums import Role
from cqp.juries import services
from cqp.juries.enums import College, MemberRole, ParityRule
from tests.candidacies.factories import UserFactory, admin_user, candidacy_in_state, member
from tests.catalogue.factories import EvaluationCriterionFactory

MANDATE_START = date.today() - timedelta(days=365)
MANDATE_END = date.today() + timedelta(days=3 * 365)


def jury_staff(certifier):
    return member(UserFactory(), Role.CERTIFIER_STAFF, certifier=certifier)


def jury_with_members(certification, *, per_college=2, parity_rule=ParityRule.EQUAL_MEMBERS, staff=None):
    """A jury of the certification's certifier: president in the employers' college, vice-president in the
    employees', then ordinary members up to `per_college` in each."""
    certifier = certification.certifiers.first()
    staff = staff or jury_staff(certifier)
    jury = services.jury_create(
        certifier=certifier,
        by=staff,
        name=f"Jury {certification.code}",
        certifications=[certification],
        parity_rule=parity_rule,
    )
    roles = {College.EMPLOYERS: [MemberRole.PRESIDENT], College.EMPLOYEES: [MemberRole.VICE_PRESIDENT]}
    for college in College:
        wanted = roles[college.value] + [MemberRole.MEMBER] * (per_college - 1)
        for role in wanted:
            services.jury_member_add(
                jury=jury,
                by=staff,
                user=UserFactory(),
                college=college.value,
                represents="UIMM" if college == College.EMPLOYERS else "CFDT",
                role=role,
                mandate_start=MANDATE_START,
                mandate_end=MANDATE_END,
            )
    return jury, staff


def member_user(jury, role):
    return jury.members.get(role=role).user


def ready_candidacy(certification=None, **kwargs):
    """A candidacy ready for the jury (every block assessed), by the real services."""
    if certification is not None:
        kwargs["certification"] = certification
    return candidacy_in_state("READY_FOR_JURY", **kwargs)


def assessed_candidacy(certification=None, *, assessor=None, not_acquired=(), **kwargs):
    """A candidacy ready for the jury whose blocks were assessed by `assessor` (an assessor of its centre,
    made if not given); the blocks whose codes are in `not_acquired` get that verdict."""
    from cqp.assessments import services as assessments
    from cqp.assessments.selectors import assessment_expected_verdict
    from cqp.candidacies.services import candidacy_transition

    if certification is not None:
        kwargs["certification"] = certification
    draft = candidacy_in_state("IN_ASSESSMENT", **kwargs)
    assessor = assessor or UserFactory()
    member(assessor, Role.ASSESSOR, organisation=draft.assessment_centre)
    for row in draft.blocks.select_related("block").order_by("block__position"):
        met = row.block.code not in not_acquired
        criteria = list(row.block.criteria.all())
        if not criteria and not met:
            # A verdict « non acquis » is consistent only with an unmet criterion.
            criteria = [EvaluationCriterionFactory(block=row.block)]
        assessment = assessments.assessment_start(candidacy=draft, block=row.block, by=assessor)
        assessment = assessments.assessment_save(
            assessment=assessment,
            by=assessor,
            revision=assessment.revision,
            situation="WORKPLACE",
            assessed_on=date.today() - timedelta(days=30),
            results={c.pk: (met, "Observé en situation de travail.") for c in criteria},
            verdict=assessment_expected_verdict([(c.mandatory, met) for c in criteria], 0),
            no_conflict_declared=True,
        )
        assessments.assessment_submit(assessment=assessment, by=assessor)
    return candidacy_transition(candidacy=draft, name="mark_ready_for_jury", by=admin_user())


def planned_session(jury, staff, candidacies=(), *, starts_at=None):
    """A session planned today (members convened by mandate) with these candidacies on the agenda."""
    session = services.session_plan(
        jury=jury, by=staff, starts_at=starts_at or timezone.now(), place="Maison de la branche, Paris"
    )
    if candidacies:
        services.agenda_add(session=session, candidacies=candidacies, by=staff)
    return session


def open_session(jury, staff, candidacies, *, starts_at=None):
    """A session planned today with these candidacies on the agenda, everyone present, deliberation open."""
    session = services.session_plan(
        jury=jury, by=staff, starts_at=starts_at or timezone.now(), place="Maison de la branche, Paris"
    )
    if candidacies:
        services.agenda_add(session=session, candidacies=candidacies, by=staff)
    services.attendance_record(
        session=session, by=staff, present={a.member_id: True for a in session.attendances.all()}
    )
    return services.session_open(session=session, by=staff)


def unanimous(session, *, against=0):
    """Votes of every present member for the opinion (or `against` of them in each college against it)."""
    votes = {}
    for college in College:
        n = session.attendances.filter(present=True, member__college=college.value).count()
        votes[college.value] = {"for": n - against, "against": against, "abstain": 0}
    return votes


def deliberate(session, candidacy, *, by, validated=None, motivation=""):
    codes = validated if validated is not None else list(candidacy.blocks.values_list("block__code", flat=True))
    return services.deliberation_record(
        session=session,
        candidacy=candidacy,
        by=by,
        validated_blocks=codes,
        votes=unanimous(session),
        motivation=motivation,
    )


def sign(session):
    jury = session.jury
    services.session_close(session=session, by=member_user(jury, MemberRole.PRESIDENT))
    services.minutes_sign(session=session, by=member_user(jury, MemberRole.PRESIDENT))
    return services.minutes_sign(session=session, by=member_user(jury, MemberRole.VICE_PRESIDENT))


def decided_candidacy(*, opinion="AWARD", **kwargs):
    """A candidacy decided by a signed session: AWARD (every block), PARTIAL (the first) or REFUSAL."""
    candidacy = ready_candidacy(**kwargs)
    jury, staff = jury_with_members(candidacy.certification)
    session = open_session(jury, staff, [candidacy])
    codes = list(candidacy.blocks.order_by("block__position").values_list("block__code", flat=True))
    validated = {"AWARD": codes, "PARTIAL": codes[:1], "REFUSAL": []}[opinion]
    motivation = "" if opinion == "AWARD" else "Les observations ne montrent pas la maîtrise des autres blocs."
    deliberate(session, candidacy, by=staff, validated=validated, motivation=motivation)
    sign(session)
    candidacy.refresh_from_db()
    session.refresh_from_db()
    return candidacy, session, staff


__all__ = ["admin_user"]


def decided_session(certification=None, *, opinions=("AWARD",)):
    """One signed session of one jury deciding a candidacy per opinion given (same rule as
    `decided_candidacy`): (session, candidacies, staff)."""
    from tests.candidacies.factories import certification_with_blocks

    certification = certification or certification_with_blocks()
    candidacies = [ready_candidacy(certification) for _ in opinions]
    jury, staff = jury_with_members(certification)
    session = open_session(jury, staff, candidacies)
    for candidacy, opinion in zip(candidacies, opinions, strict=True):
        codes = list(candidacy.blocks.order_by("block__position").values_list("block__code", flat=True))
        validated = {"AWARD": codes, "PARTIAL": codes[:1], "REFUSAL": []}[opinion]
        motivation = "" if opinion == "AWARD" else "Les observations ne montrent pas la maîtrise des autres blocs."
        deliberate(session, candidacy, by=staff, validated=validated, motivation=motivation)
    sign(session)
    session.refresh_from_db()
    for candidacy in candidacies:
        candidacy.refresh_from_db()
    return session, candidacies, staff


# Written on the models, for the workflow tests that apply one bare transition: each leaves the
# candidacy where the jury's services would, minus the transition under test.


def agenda_in_force(candidacy):
    """A planned session of a jury of the candidacy's certifier with the candidacy on its agenda."""
    from cqp.juries.models import AgendaItem, Jury, JurySession

    jury = Jury.objects.create(certifier=candidacy.certifier, name="Jury de test")
    jury.certifications.add(candidacy.certification)
    staff = jury_staff(candidacy.certifier)
    session = JurySession.objects.create(jury=jury, starts_at=timezone.now(), place="Paris", created_by=staff)
    return AgendaItem.objects.create(session=session, candidacy=candidacy, added_by=staff)


def signed_deliberation_in_force(candidacy, *, validated_first_only=True):
    """A signed session with a deliberation on the candidacy (the first block validated)."""
    from cqp.juries.enums import Opinion, SessionState
    from cqp.juries.models import Deliberation, DeliberationBlock

    item = candidacy.agenda_items.select_related("session").first() or agenda_in_force(candidacy)
    session = item.session
    session.state, session.signed_at = SessionState.SIGNED, timezone.now()
    session.save(update_fields=["state", "signed_at"])
    rows = list(candidacy.blocks.order_by("block__position"))
    deliberation = Deliberation.objects.create(
        session=session,
        candidacy=candidacy,
        opinion=Opinion.PARTIAL if validated_first_only and len(rows) > 1 else Opinion.AWARD,
        motivation="Motif de test",
        recorded_by=session.created_by,
    )
    DeliberationBlock.objects.bulk_create(
        DeliberationBlock(
            deliberation=deliberation, block_id=row.block_id, validated=i == 0 or not validated_first_only
        )
        for i, row in enumerate(rows)
    )
    return deliberation


def award_in_force(candidacy):
    """A numbered award on the candidacy's deliberation in force."""
    from cqp.awards.enums import AwardKind
    from cqp.awards.models import Award
    from cqp.awards.services import award_next_sequence, award_number_format
    from cqp.juries.selectors import current_deliberation

    deliberation = current_deliberation(candidacy) or signed_deliberation_in_force(candidacy)
    year = timezone.localdate().year
    sequence = award_next_sequence(certifier=candidacy.certifier, year=year)
    return Award.objects.create(
        number=award_number_format(candidacy.certifier, year, sequence),
        certifier=candidacy.certifier,
        year=year,
        sequence=sequence,
        kind=AwardKind.BLOCK_ATTESTATION,
        candidacy=candidacy,
        certification=candidacy.certification,
        deliberation=deliberation,
        delivered_on=timezone.localdate(),
        delivered_by=deliberation.recorded_by,
    )
