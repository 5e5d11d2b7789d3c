"""Deliberation: when and by whom it is recorded, conflicts of interest, votes, motivation, revisions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cqp.accounts.enums import Role
from cqp.candidacies.models import CandidacyEvent
from cqp.juries import services
from cqp.juries.enums import College, MemberRole, Opinion, ParityRule
from cqp.juries.models import Deliberation, DeliberationBlock
from tests.candidacies.factories import certification_with_blocks, member

from .factories import (
    assessed_candidacy,
    jury_with_members,
    member_user,
    open_session,
    planned_session,
    ready_candidacy,
    unanimous,
)

pytestmark = pytest.mark.django_db
MOTIVATION = "Les preuves apportées pour les autres blocs sont insuffisantes."


@pytest.fixture
def certification():
    return certification_with_blocks()


def codes(candidacy):
    return list(candidacy.blocks.order_by("block__position").values_list("block__code", flat=True))


def votes(employers, employees):
    """Votes as (for, against, abstain) per college."""
    return {
        College.EMPLOYERS: dict(zip(("for", "against", "abstain"), employers, strict=True)),
        College.EMPLOYEES: dict(zip(("for", "against", "abstain"), employees, strict=True)),
    }


def record(session, candidacy, by, **kwargs):
    kwargs.setdefault("validated_blocks", codes(candidacy))
    kwargs.setdefault("votes", unanimous(session))
    return services.deliberation_record(session=session, candidacy=candidacy, by=by, **kwargs)


def refused(exception, session, candidacy, by, *fragments, **kwargs):
    before = (Deliberation.objects.count(), DeliberationBlock.objects.count(), CandidacyEvent.objects.count())
    with pytest.raises(exception) as error:
        record(session, candidacy, by, **kwargs)
    text = " ".join(getattr(error.value, "messages", [str(error.value)]))
    for fragment in fragments:
        assert fragment in text, text
    after = (Deliberation.objects.count(), DeliberationBlock.objects.count(), CandidacyEvent.objects.count())
    assert after == before, "nothing is written on refusal"
    return error.value


@pytest.fixture
def opened(certification):
    """An open session of a jury of two members per college, with one candidacy on its agenda."""
    candidacy = ready_candidacy(certification)
    jury, staff = jury_with_members(certification)
    session = open_session(jury, staff, [candidacy])
    return session, candidacy, staff


# --- When and by whom -----------------------------------------------------------------------------


def test_members_present_and_staff_record_and_the_opinion_follows_the_blocks(opened):
    session, candidacy, staff = opened
    president = member_user(session.jury, MemberRole.PRESIDENT)
    deliberation = record(session, candidacy, president, validated_blocks=[c.lower() for c in codes(candidacy)])
    assert deliberation.opinion == Opinion.AWARD
    assert deliberation.revision == 1 and deliberation.is_current
    assert (deliberation.employers_for, deliberation.employees_for) == (2, 2)
    assert deliberation.recusals == []
    assert deliberation.blocks.filter(validated=True).count() == 3
    event = CandidacyEvent.objects.get(candidacy=candidacy, name="jury_deliberation")
    assert event.by == president and event.data["opinion"] == Opinion.AWARD


def test_refused_before_the_session_is_opened(certification):
    candidacy = ready_candidacy(certification)
    jury, staff = jury_with_members(certification)
    session = planned_session(jury, staff, [candidacy])
    refused(ValidationError, session, candidacy, staff, "pas ouverte")


def test_refused_on_a_candidacy_not_on_the_agenda(opened, certification):
    session, _candidacy, staff = opened
    other = ready_candidacy(certification)
    refused(ValidationError, session, other, staff, "pas à l'ordre du jour")


def test_refused_to_absent_members_and_to_outsiders(certification):
    candidacy = ready_candidacy(certification)
    jury, staff = jury_with_members(certification, per_college=3, parity_rule=ParityRule.WEIGHTED)
    session = planned_session(jury, staff, [candidacy])
    absent = session.attendances.filter(member__college=College.EMPLOYEES, member__role=MemberRole.MEMBER).first()
    services.attendance_record(
        session=session,
        by=staff,
        present={a.member_id: a.pk != absent.pk for a in session.attendances.all()},
    )
    services.session_open(session=session, by=staff)
    refused(PermissionDenied, session, candidacy, absent.member.user)
    other_jury, other_staff = jury_with_members(certification_with_blocks())
    refused(PermissionDenied, session, candidacy, other_staff)
    refused(PermissionDenied, session, candidacy, member_user(other_jury, MemberRole.PRESIDENT))


def test_refused_twice_without_the_revision_then_amended_with_it(opened):
    session, candidacy, staff = opened
    first = record(session, candidacy, staff)
    refused(ValidationError, session, candidacy, staff, "déjà délibéré")
    amended = record(
        session, candidacy, staff, validated_blocks=codes(candidacy)[:2], motivation=MOTIVATION, revision=1
    )
    assert amended.pk == first.pk and amended.revision == 2
    assert amended.opinion == Opinion.PARTIAL
    assert amended.blocks.filter(validated=True).count() == 2
    assert DeliberationBlock.objects.filter(deliberation=amended).count() == 3


def test_refused_after_closing_and_after_signature(opened):
    session, candidacy, staff = opened
    first = record(session, candidacy, staff)
    services.session_close(session=session, by=staff)
    refused(ValidationError, session, candidacy, staff, "Délibérations closes", revision=first.revision)
    sign_president = member_user(session.jury, MemberRole.PRESIDENT)
    services.minutes_sign(session=session, by=sign_president)
    services.minutes_sign(session=session, by=member_user(session.jury, MemberRole.VICE_PRESIDENT))
    refused(ValidationError, session, candidacy, staff, "signé", revision=first.revision)
    refused(ValidationError, session, candidacy, sign_president, "signé", revision=first.revision)


def test_stale_revision_is_a_conflict_carrying_the_current_version(opened):
    session, candidacy, staff = opened
    president = member_user(session.jury, MemberRole.PRESIDENT)
    vice = member_user(session.jury, MemberRole.VICE_PRESIDENT)
    record(session, candidacy, staff)
    record(session, candidacy, president, validated_blocks=codes(candidacy)[:1], motivation=MOTIVATION, revision=1)
    conflict = refused(services.DeliberationConflict, session, candidacy, vice, revision=1, validated_blocks=[])
    assert isinstance(conflict, ValidationError)
    assert conflict.current.revision == 2 and conflict.current.opinion == Opinion.PARTIAL
    assert president.get_full_name() in conflict.messages[0]
    stored = Deliberation.objects.get(session=session, candidacy=candidacy)
    assert (stored.revision, stored.opinion, stored.recorded_by) == (2, Opinion.PARTIAL, president)
    assert stored.blocks.filter(validated=True).count() == 1


# --- Conflicts of interest ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "field", "reason"),
    [
        (Role.EMPLOYER, "employer", "son organisation emploie le candidat"),
        (Role.TRAINING_ORG, "training_org", "son organisation forme le candidat"),
        (Role.ASSESSOR, "assessment_centre", "son organisation évalue le candidat"),
    ],
)
def test_a_linked_member_is_recused_and_not_counted(certification, role, field, reason):
    candidacy = ready_candidacy(certification)
    jury, staff = jury_with_members(certification, parity_rule=ParityRule.WEIGHTED)
    linked = jury.members.get(college=College.EMPLOYERS, role=MemberRole.MEMBER)
    member(linked.user, role, organisation=getattr(candidacy, field))
    session = open_session(jury, staff, [candidacy])

    error = refused(PermissionDenied, session, candidacy, linked.user)
    assert reason in str(error)
    # Every present member's vote: one too many in the employers' college.
    refused(ValidationError, session, candidacy, staff, "2 voix pour 1 votant(s)", votes=unanimous(session))

    deliberation = record(session, candidacy, staff, votes=votes((1, 0, 0), (2, 0, 0)))
    assert deliberation.recusals == [{"member": linked.pk, "name": str(linked), "reason": reason}]
    assert (deliberation.employers_for, deliberation.employees_for) == (1, 2)
    event = CandidacyEvent.objects.get(candidacy=candidacy, name="jury_deliberation")
    assert event.data["recusals"] == [linked.pk]


def test_a_member_who_assessed_a_block_is_recused(certification):
    jury, staff = jury_with_members(certification, parity_rule=ParityRule.WEIGHTED)
    assessor = jury.members.get(college=College.EMPLOYEES, role=MemberRole.MEMBER)
    candidacy = assessed_candidacy(certification, assessor=assessor.user)
    session = open_session(jury, staff, [candidacy])
    refused(PermissionDenied, session, candidacy, assessor.user, "a évalué un bloc")
    deliberation = record(session, candidacy, staff, votes=votes((2, 0, 0), (1, 0, 0)))
    [recusal] = deliberation.recusals
    assert recusal["member"] == assessor.pk and "a évalué un bloc de cette candidature" in recusal["reason"]


def test_a_recusal_under_equal_members_breaks_parity_unless_the_other_college_abstains(certification):
    candidacy = ready_candidacy(certification)
    jury, staff = jury_with_members(certification)
    linked = jury.members.get(college=College.EMPLOYERS, role=MemberRole.MEMBER)
    member(linked.user, Role.EMPLOYER, organisation=candidacy.employer)
    session = open_session(jury, staff, [candidacy])
    refused(
        ValidationError, session, candidacy, staff, "la parité n'est plus respectée", votes=votes((1, 0, 0), (2, 0, 0))
    )
    # As the refusal says: one member of the other college abstains, and the colleges vote as equals.
    deliberation = record(session, candidacy, staff, votes=votes((1, 0, 0), (1, 0, 1)))
    assert deliberation.opinion == Opinion.AWARD
    assert deliberation.employees_abstain == 1


# --- Votes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "fragment"),
    [
        (votes((2, 0, 0), (1, 0, 0)), "Collège salariés : 1 voix pour 2 votant(s)"),
        (votes((3, 0, 0), (2, 0, 0)), "Collège employeurs : 3 voix pour 2 votant(s)"),
        (votes((3, -1, 0), (2, 0, 0)), "ne sont pas négatives"),
        ({College.EMPLOYERS: {"for": "deux"}, College.EMPLOYEES: {"for": 2}}, "nombres entiers"),
        ({}, "0 voix pour 2 votant(s)"),
        (votes((1, 1, 0), (1, 1, 0)), "ne donne pas la majorité"),
        (votes((0, 1, 1), (2, 0, 0)), None),
    ],
)
def test_votes_add_up_per_college_and_need_a_majority(opened, given, fragment):
    session, candidacy, staff = opened
    if fragment is None:
        assert record(session, candidacy, staff, votes=given).employers_abstain == 1
    else:
        refused(ValidationError, session, candidacy, staff, fragment, votes=given)


@pytest.fixture
def weighted_three_two(certification):
    """A weighted jury with three employers and two employees present."""
    candidacy = ready_candidacy(certification)
    jury, staff = jury_with_members(certification, per_college=3, parity_rule=ParityRule.WEIGHTED)
    session = planned_session(jury, staff, [candidacy])
    absent = session.attendances.filter(member__college=College.EMPLOYEES, member__role=MemberRole.MEMBER).first()
    services.attendance_record(
        session=session, by=staff, present={a.member_id: a.pk != absent.pk for a in session.attendances.all()}
    )
    services.session_open(session=session, by=staff)
    return session, candidacy, staff


def test_weighted_votes_give_each_college_half_of_the_votes(weighted_three_two):
    session, candidacy, staff = weighted_three_two
    # Three for and two against by heads, but one half against one half by college: no majority.
    refused(ValidationError, session, candidacy, staff, "1 pour, 1 contre", votes=votes((3, 0, 0), (0, 2, 0)))
    # Two for and two against by heads, but 1 against 2/3 by college: a majority.
    deliberation = record(session, candidacy, staff, votes=votes((0, 2, 1), (2, 0, 0)))
    assert (deliberation.employers_against, deliberation.employers_abstain, deliberation.employees_for) == (2, 1, 2)


# --- Motivation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("count", "opinion"), [(1, Opinion.PARTIAL), (0, Opinion.REFUSAL)])
def test_partial_and_refusal_need_a_motivation(opened, count, opinion):
    session, candidacy, staff = opened
    label = Opinion(opinion).label
    refused(
        ValidationError,
        session,
        candidacy,
        staff,
        f"Motivez l'avis « {label} »",
        validated_blocks=codes(candidacy)[:count],
    )
    deliberation = record(
        session, candidacy, staff, validated_blocks=codes(candidacy)[:count], motivation=f"  {MOTIVATION} "
    )
    assert deliberation.opinion == opinion and deliberation.motivation == MOTIVATION


def test_departing_from_the_assessment_needs_a_motivation(certification):
    jury, staff = jury_with_members(certification)
    failed_code = certification.blocks.order_by("position").first().code
    candidacy = assessed_candidacy(certification, not_acquired=[failed_code])
    session = open_session(jury, staff, [candidacy])
    refused(ValidationError, session, candidacy, staff, f"s'écarte de l'évaluation pour {failed_code}")
    deliberation = record(session, candidacy, staff, motivation="Le jury a vu la preuve en séance.")
    assert deliberation.opinion == Opinion.AWARD
    # Following the assessment needs no motivation beyond the one the opinion asks for.
    following = record(
        session,
        candidacy,
        staff,
        validated_blocks=codes(candidacy)[1:],
        motivation=MOTIVATION,
        revision=deliberation.revision,
    )
    assert following.opinion == Opinion.PARTIAL


def test_unknown_blocks_are_refused(opened):
    session, candidacy, staff = opened
    refused(ValidationError, session, candidacy, staff, "XX01", validated_blocks=[*codes(candidacy), "XX01"])


# --- The opinion ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decided", "validated", "held", "opinion"),
    [
        (3, 3, 0, Opinion.AWARD),
        (2, 2, 1, Opinion.AWARD),
        (0, 0, 3, Opinion.AWARD),
        (3, 1, 0, Opinion.PARTIAL),
        (2, 1, 1, Opinion.PARTIAL),
        (3, 0, 0, Opinion.REFUSAL),
        (1, 0, 2, Opinion.REFUSAL),
        (0, 0, 0, Opinion.REFUSAL),
    ],
)
def test_opinion_for(decided, validated, held, opinion):
    assert services.opinion_for(decided=decided, validated=validated, already_held=held) == opinion


def test_capitalised_blocks_are_not_decided_again(certification):
    """After a partial opinion, the next deliberation decides the missing blocks only."""
    from cqp.awards.services import candidacy_deliver

    from .factories import decided_candidacy

    candidacy, _session, staff = decided_candidacy(opinion="PARTIAL", certification=certification)
    candidacy_deliver(candidacy=candidacy, by=staff)
    acquired = codes(candidacy)[0]
    assert [row.block.code for row in services.deliberated_blocks(candidacy)] == codes(candidacy)[1:]
    assert acquired not in [row.block.code for row in services.deliberated_blocks(candidacy)]


def test_refused_when_the_open_session_is_no_longer_regular(certification):
    candidacy = ready_candidacy(certification)
    jury, staff = jury_with_members(certification, per_college=3, parity_rule=ParityRule.WEIGHTED)
    session = open_session(jury, staff, [candidacy])
    vice = session.attendances.get(member__role=MemberRole.VICE_PRESIDENT)
    services.attendance_record(session=session, by=staff, present={vice.member_id: False})
    refused(
        ValidationError,
        session,
        candidacy,
        staff,
        "Le vice-président doit être présent",
        votes=votes((3, 0, 0), (2, 0, 0)),
    )
    services.attendance_record(session=session, by=staff, present={vice.member_id: True})
    assert record(session, candidacy, staff).opinion == Opinion.AWARD


def test_the_minutes_name_the_recused_member_and_the_votes(certification):
    from django.template.loader import render_to_string

    from cqp.juries.documents import minutes_context

    candidacy = ready_candidacy(certification)
    jury, staff = jury_with_members(certification, parity_rule=ParityRule.WEIGHTED)
    linked = jury.members.get(college=College.EMPLOYEES, role=MemberRole.MEMBER)
    member(linked.user, Role.EMPLOYER, organisation=candidacy.employer)
    session = open_session(jury, staff, [candidacy])
    record(session, candidacy, staff, votes=votes((2, 0, 0), (0, 0, 1)))
    html = render_to_string("juries/pdf/minutes.html", minutes_context(session=session))
    assert "Ne délibère pas (lien avec le candidat)" in html
    assert f"{linked.user.get_full_name()}" in html and "son organisation emploie le candidat" in html
    assert "0 pour, 0 contre, 1 abstention(s)" in html
