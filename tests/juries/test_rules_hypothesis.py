"""Property tests of the jury's rules: the opinion from the blocks, the votes under each parity rule,
the regularity of a session from its attendance: pure functions first, then the votes through the
service on a real session."""

from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from cqp.accounts.models import User
from cqp.juries import selectors, services
from cqp.juries.enums import College, MemberRole, Opinion, ParityRule
from cqp.juries.models import JuryMember, SessionMember

COLLEGES = list(College.values)


@st.composite
def block_counts(draw):
    decided = draw(st.integers(min_value=0, max_value=12))
    validated = draw(st.integers(min_value=0, max_value=decided))
    held = draw(st.integers(min_value=0, max_value=12))
    return decided, validated, held


@given(block_counts())
def test_opinion_follows_the_blocks(counts):
    decided, validated, held = counts
    opinion = services.opinion_for(decided=decided, validated=validated, already_held=held)
    if decided + held == 0:
        assert opinion == Opinion.REFUSAL
    elif validated == decided:
        # Every block the jury decided on is validated, the others are already held.
        assert opinion == Opinion.AWARD
    elif validated:
        assert opinion == Opinion.PARTIAL
    else:
        assert opinion == Opinion.REFUSAL
    # Validating one more block never lowers the opinion.
    if validated < decided:
        rank = [Opinion.REFUSAL, Opinion.PARTIAL, Opinion.AWARD]
        better = services.opinion_for(decided=decided, validated=validated + 1, already_held=held)
        assert rank.index(better) >= rank.index(opinion)


def _session(rule):
    return SimpleNamespace(jury=SimpleNamespace(parity_rule=rule))


@st.composite
def ballots(draw):
    """Voters per college (1 to 12) and votes per college that usually add up, sometimes not."""
    voters, votes = {}, {}
    for college in COLLEGES:
        n = draw(st.integers(min_value=1, max_value=12))
        voters[college] = [object()] * n
        if draw(st.booleans()) or draw(st.booleans()):
            for_ = draw(st.integers(min_value=0, max_value=n))
            against = draw(st.integers(min_value=0, max_value=n - for_))
            votes[college] = {"for": for_, "against": against, "abstain": n - for_ - against}
        else:
            votes[college] = {k: draw(st.integers(min_value=0, max_value=8)) for k in ("for", "against", "abstain")}
    return voters, votes


# A tie that floating-point weights (7 x 0.1 against 2 x 0.1 + 5 x 0.1) would take for a majority.
TEN_EACH_TIE = (
    {College.EMPLOYERS: [object()] * 10, College.EMPLOYEES: [object()] * 10},
    {
        College.EMPLOYERS: {"for": 7, "against": 2, "abstain": 1},
        College.EMPLOYEES: {"for": 0, "against": 5, "abstain": 5},
    },
)


@given(ballots(), st.sampled_from(ParityRule.values))
@example(TEN_EACH_TIE, ParityRule.WEIGHTED)
def test_votes_are_accepted_iff_they_add_up_and_give_a_weighted_majority(ballot, rule):
    voters, votes = ballot
    problems, fields = services._votes_problems(_session(rule), voters, votes, Opinion.AWARD)
    add_up = all(sum(votes[c].values()) == len(voters[c]) for c in COLLEGES)

    def weight(college):
        return Fraction(1, len(voters[college])) if rule == ParityRule.WEIGHTED else 1

    for_ = sum(votes[c]["for"] * weight(c) for c in COLLEGES)
    against = sum(votes[c]["against"] * weight(c) for c in COLLEGES)
    assert (problems == []) == (add_up and for_ > against), (problems, for_, against)
    if not problems:
        for college in COLLEGES:
            key = college.lower()
            assert [fields[f"{key}_{k}"] for k in ("for", "against", "abstain")] == [
                votes[college][k] for k in ("for", "against", "abstain")
            ]


def _attendance(rows):
    attendance = []
    for index, (college, role, present) in enumerate(rows):
        user = User(email=f"membre{index}@exemple.fr", first_name="Membre", last_name=str(index))
        member = JuryMember(pk=index + 1, user=user, college=college, role=role, represents="Organisation")
        attendance.append(SessionMember(member=member, present=present))
    return attendance


@given(
    st.lists(
        st.tuples(
            st.sampled_from(COLLEGES),
            st.sampled_from(MemberRole.values),
            st.sampled_from([True, False, None]),
        ),
        max_size=10,
    ),
    st.sampled_from(ParityRule.values),
)
def test_a_session_is_regular_iff_attendance_colleges_parity_and_signatories(rows, rule):
    problems = selectors.session_regularity(_session(rule), _attendance(rows))
    if not rows:
        assert len(problems) == 1 and "Aucun membre" in problems[0]
        return
    present = [(college, role) for college, role, here in rows if here]
    counts = {c: sum(1 for college, _role in present if college == c) for c in COLLEGES}
    roles = {role for _college, role in present}
    expected = {
        "attendance": any(here is None for _c, _r, here in rows),
        "employers": counts[College.EMPLOYERS] == 0,
        "employees": counts[College.EMPLOYEES] == 0,
        "parity": rule == ParityRule.EQUAL_MEMBERS and counts[College.EMPLOYERS] != counts[College.EMPLOYEES],
        "president": MemberRole.PRESIDENT not in roles,
        "vice_president": MemberRole.VICE_PRESIDENT not in roles,
    }
    text = " | ".join(problems)
    assert ("Relevez la présence" in text) == expected["attendance"]
    assert ("collège employeurs n'est présent" in text) == expected["employers"]
    assert ("collège salariés n'est présent" in text) == expected["employees"]
    assert ("La parité n'est pas respectée" in text) == expected["parity"]
    assert ("Le président doit être présent" in text) == expected["president"]
    assert ("Le vice-président doit être présent" in text) == expected["vice_president"]
    assert len(problems) == sum(expected.values())


@given(
    st.integers(min_value=1, max_value=6),
    st.integers(min_value=1, max_value=6),
    st.integers(min_value=0, max_value=6),
    st.integers(min_value=0, max_value=6),
)
def test_after_recusals_equal_members_need_the_excess_to_abstain(employers, employees, abst_employers, abst_employees):
    voters = {College.EMPLOYERS: [object()] * employers, College.EMPLOYEES: [object()] * employees}
    votes = {
        College.EMPLOYERS: {"abstain": abst_employers},
        College.EMPLOYEES: {"abstain": abst_employees},
    }
    problems = selectors.parity_problems(_session(ParityRule.EQUAL_MEMBERS), voters, votes=votes)
    excess = abst_employers if employers > employees else abst_employees
    assert (problems == []) == (employers == employees or excess >= abs(employers - employees))
    assert selectors.parity_problems(_session(ParityRule.WEIGHTED), voters, votes=votes) == []


# --- The same rule through the service, on a real open session --------------------------------------


@pytest.fixture(params=[ParityRule.EQUAL_MEMBERS, ParityRule.WEIGHTED])
def open_jury_session(request):
    """An open session: two members per college under EQUAL_MEMBERS, three employers and two employees
    present under WEIGHTED; one candidacy on its agenda."""
    from tests.candidacies.factories import certification_with_blocks

    from .factories import jury_with_members, planned_session, ready_candidacy

    rule = request.param
    certification = certification_with_blocks()
    candidacy = ready_candidacy(certification)
    jury, staff = jury_with_members(
        certification, per_college=3 if rule == ParityRule.WEIGHTED else 2, parity_rule=rule
    )
    session = planned_session(jury, staff, [candidacy])
    attendance = list(session.attendances.select_related("member"))
    absent = next(
        (a for a in attendance if a.member.college == College.EMPLOYEES and a.member.role == MemberRole.MEMBER),
        None,
    )
    present = {a.member_id: not (rule == ParityRule.WEIGHTED and a is absent) for a in attendance}
    services.attendance_record(session=session, by=staff, present=present)
    services.session_open(session=session, by=staff)
    return session, candidacy, staff


@pytest.mark.django_db
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_service_accepts_votes_iff_the_rule_does(open_jury_session, data):
    from cqp.juries.models import Deliberation

    session, candidacy, staff = open_jury_session
    present = {c: session.attendances.filter(present=True, member__college=c).count() for c in COLLEGES}
    votes = {}
    for college in COLLEGES:
        n = present[college]
        for_ = data.draw(st.integers(min_value=0, max_value=n), label=f"{college} for")
        against = data.draw(st.integers(min_value=0, max_value=n - for_), label=f"{college} against")
        # Mostly ballots that add up, sometimes one vote too many or too few.
        abstain = n - for_ - against + data.draw(st.sampled_from([0, 0, 0, 1, -1]), label=f"{college} error")
        votes[college] = {"for": for_, "against": against, "abstain": max(abstain, 0)}
    rule = session.jury.parity_rule

    def weight(college):
        return Fraction(1, present[college]) if rule == ParityRule.WEIGHTED else 1

    add_up = all(sum(votes[c].values()) == present[c] for c in COLLEGES)
    majority = sum(votes[c]["for"] * weight(c) for c in COLLEGES) > sum(
        votes[c]["against"] * weight(c) for c in COLLEGES
    )
    existing = Deliberation.objects.filter(session=session, candidacy=candidacy).first()
    codes = list(candidacy.blocks.values_list("block__code", flat=True))
    try:
        deliberation = services.deliberation_record(
            session=session,
            candidacy=candidacy,
            by=staff,
            validated_blocks=codes,
            votes=votes,
            revision=existing.revision if existing else None,
        )
    except ValidationError as error:
        event("refused")
        assert not (add_up and majority), error.messages
        stored = Deliberation.objects.filter(session=session, candidacy=candidacy).first()
        assert (stored.revision if stored else None) == (existing.revision if existing else None)
    else:
        event("accepted")
        assert add_up and majority
        assert deliberation.employers_for == votes[College.EMPLOYERS]["for"]
        assert deliberation.employees_against == votes[College.EMPLOYEES]["against"]
