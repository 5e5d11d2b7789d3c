"""`load_demo`: a parity jury per demo certifier, past sessions signed and delivered, a session to come,
each step by the person whose role it is."""

import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership, User
from cqp.awards.enums import AwardKind
from cqp.awards.models import Award
from cqp.awards.services import award_number_format
from cqp.candidacies.enums import State
from cqp.candidacies.models import Candidacy, CandidacyEvent
from cqp.core.models import AuditEvent
from cqp.demo import content
from cqp.juries import selectors
from cqp.juries.enums import College, MemberRole, Opinion, ParityRule, SessionState
from cqp.juries.models import AgendaItem, Deliberation, Jury, JuryMember, JurySession

pytestmark = pytest.mark.django_db

JURY_ACCOUNTS = ["jury@cqp.example", "jury.salaries@cqp.example"]


@pytest.fixture(scope="module")
def output(django_db_setup, django_db_blocker):
    """The demo loaded once for the module, inside a transaction rolled back at its end; each test runs in
    a savepoint of it, so the tests see the demo and leave it as they found it."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def staff_of(certifier):
    return set(
        User.objects.filter(memberships__role=Role.CERTIFIER_STAFF, memberships__certifier=certifier).values_list(
            "pk", flat=True
        )
    )


def test_each_demo_certifier_has_its_parity_jury_with_both_colleges(output, client):
    assert "refusée" not in output  # no service refused a step of the demo, jury sessions included
    juries = {j.certifier.siret: j for j in Jury.objects.select_related("certifier")}
    assert len(juries) == 2
    uimm, ocapiat = juries["78471719100018"], juries["84475200600024"]
    assert (uimm.parity_rule, ocapiat.parity_rule) == (ParityRule.EQUAL_MEMBERS, ParityRule.WEIGHTED)
    assert {"RNCP36086", "RNCP41789"} <= set(uimm.certifications.values_list("code", flat=True))
    assert set(ocapiat.certifications.values_list("code", flat=True)) == {"RNCP41679"}
    for jury in (uimm, ocapiat):
        assert all(c.certifiers.filter(pk=jury.certifier_id).exists() for c in jury.certifications.all())
        members = list(jury.members.select_related("user"))
        assert {m.college for m in members} == set(College.values)
        president = next(m for m in members if m.role == MemberRole.PRESIDENT)
        vice = next(m for m in members if m.role == MemberRole.VICE_PRESIDENT)
        assert (president.college, vice.college) == (College.EMPLOYERS, College.EMPLOYEES)
        assert (president.user.email, vice.user.email) == tuple(JURY_ACCOUNTS)
        assert sum(m.role == MemberRole.MEMBER for m in members) >= 2
        assert all(m.represents and m.on(timezone.localdate()) for m in members)
        # Each mandate opens the member's access to the certifier's juries.
        for member in members:
            assert Membership.objects.filter(user=member.user, role=Role.JURY_MEMBER, certifier=jury.certifier).exists()
    # The demo jury logins work with the demo password and are in the printed table with their juries.
    assert {e for e, *_ in content.ACCOUNTS} >= set(JURY_ACCOUNTS)
    for email in JURY_ACCOUNTS:
        assert client.login(email=email, password=content.PASSWORD)
        line = next(line for line in output.splitlines() if email in line)
        assert content.PASSWORD in line and "Jury paritaire national" in line
    assert not Membership.objects.filter(user__email__in=JURY_ACCOUNTS, certifier=None).exists()


def test_past_sessions_are_signed_hold_the_three_opinions_and_are_delivered(output):
    past = JurySession.objects.filter(starts_at__lt=timezone.now())
    assert past.count() >= 2 and set(past.values_list("state", flat=True)) == {SessionState.SIGNED}
    for session in past:
        minutes = session.minutes
        assert minutes.president_signed_at and minutes.vice_president_signed_at and minutes.pdf_sha256
        assert (minutes.president.role, minutes.vice_president.role) == (
            MemberRole.PRESIDENT,
            MemberRole.VICE_PRESIDENT,
        )
        assert not selectors.session_regularity(session)
    deliberations = Deliberation.objects.filter(session__in=past)
    assert set(deliberations.values_list("opinion", flat=True)) == set(Opinion.values)
    for deliberation in deliberations.exclude(opinion=Opinion.AWARD):
        assert len(deliberation.motivation) > 50, deliberation
    partial = deliberations.filter(opinion=Opinion.PARTIAL).first()
    assert partial.blocks.filter(validated=True).exists() and partial.blocks.filter(validated=False).exists()

    # Every candidacy past the jury stands on a signed deliberation; delivered ones on a numbered award.
    for candidacy in Candidacy.objects.filter(state__in=[State.DECIDED, State.DELIVERED, State.CLOSED]):
        assert selectors.current_deliberation(candidacy) is not None, candidacy
    for candidacy in Candidacy.objects.filter(state__in=[State.DELIVERED, State.CLOSED]):
        award = candidacy.awards.get()
        assert award.kind == AwardKind.CERTIFICATE and award.blocks.count() == candidacy.blocks.count()
    awards = Award.objects.select_related("certifier")
    assert {a.kind for a in awards} == set(AwardKind.values)
    for award in awards:
        assert award.number == award_number_format(award.certifier, award.year, award.sequence)
        assert award.delivered_by_id in staff_of(award.certifier)
    for certifier_id in awards.values_list("certifier", flat=True).distinct():
        sequences = sorted(awards.filter(certifier_id=certifier_id).values_list("sequence", flat=True))
        assert sequences == list(range(1, len(sequences) + 1))
    attestation = awards.get(kind=AwardKind.BLOCK_ATTESTATION)
    assert attestation.candidacy.state == State.ADMISSIBLE  # reopened for the missing blocks
    refusal = deliberations.get(opinion=Opinion.REFUSAL)
    assert refusal.candidacy.state == State.DECIDED
    assert CandidacyEvent.objects.filter(candidacy=refusal.candidacy, name="jury_refusal_notice").exists()
    # A recent session waits for its delivery: its candidacies stay DECIDED, without an award.
    waiting = Candidacy.objects.filter(state=State.DECIDED).exclude(pk=refusal.candidacy_id)
    assert waiting and not Award.objects.filter(candidacy__in=waiting).exists()


def test_a_member_withdraws_where_their_organisation_is_linked(output):
    recused = [d for d in Deliberation.objects.select_related("candidacy", "session__jury") if d.recusals]
    assert recused
    deliberation = recused[0]
    assert deliberation.session.jury.parity_rule == ParityRule.WEIGHTED
    member = JuryMember.objects.get(pk=deliberation.recusals[0]["member"])
    assert Membership.objects.filter(user=member.user, organisation=deliberation.candidacy.employer).exists()
    assert deliberation.recorded_by != member.user
    present = deliberation.session.attendances.filter(present=True, member__college=member.college).count()
    key = member.college.lower()
    votes = sum(getattr(deliberation, f"{key}_{k}") for k in ("for", "against", "abstain"))
    assert votes == present - 1


def test_the_session_to_come_is_planned_with_its_agenda_and_convened(output, client):
    upcoming = JurySession.objects.filter(starts_at__gt=timezone.now())
    assert upcoming.count() == 2
    for session in upcoming:
        assert session.state == SessionState.PLANNED
        assert session.attendances.exists() and not session.attendances.filter(convened_at=None).exists()
        items = AgendaItem.objects.filter(session=session).select_related("candidacy")
        assert items and all(i.candidacy.state == State.SCHEDULED_FOR_JURY and i.candidate_convened_at for i in items)
    assert not Candidacy.objects.filter(state=State.SCHEDULED_FOR_JURY).exclude(agenda_items__session__in=upcoming)
    # Candidacies ready for the jury remain, for the staff to put on the agenda.
    assert Candidacy.objects.filter(state=State.READY_FOR_JURY).exists()
    president = User.objects.get(email=JURY_ACCOUNTS[0])
    assert set(selectors.sessions_visible_to(president)) == set(JurySession.objects.all())
    # The convocation links to the session page: the demo jury logins open it, and a dossier of it.
    client.force_login(president)
    for session in JurySession.objects.all():
        item = session.agenda.first()
        for url in (
            reverse("www:jury_session", args=[session.pk]),
            reverse("www:jury_dossier", args=[session.pk, item.candidacy_id]),
        ):
            assert client.get(url).status_code == 200, url


def test_each_step_is_taken_by_the_person_whose_role_it_is(output):
    for session in JurySession.objects.select_related("jury"):
        staff = staff_of(session.jury.certifier)
        members = {m.user_id: m.role for m in session.jury.members.all()}

        def actors(action, session=session):
            return set(
                AuditEvent.objects.filter(action=action, object_id=str(session.pk)).values_list("actor_id", flat=True)
            )

        assert actors("jury_session_plan") <= staff and actors("jury_session_convene") <= staff
        if session.state == SessionState.SIGNED:
            assert {members.get(a) for a in actors("jury_session_open")} == {MemberRole.PRESIDENT}
            signers = {members.get(a) for a in actors("jury_minutes_sign")}
            assert signers == {MemberRole.PRESIDENT, MemberRole.VICE_PRESIDENT}
            for deliberation in session.deliberations.all():
                assert members.get(deliberation.recorded_by_id) == MemberRole.MEMBER
        for item in session.agenda.all():
            assert item.added_by_id in staff
    decisions = CandidacyEvent.objects.filter(name__in=["schedule_for_jury", "deliver", "close"])
    assert decisions and all(e.by_id in staff_of(e.candidacy.certifier) for e in decisions)


def test_a_second_run_adds_nothing_and_prints_the_jury_figures(output):
    labels = [m._meta.label for m in apps.get_models() if m._meta.app_label in {"juries", "awards"}]
    labels += ["accounts.Membership", "accounts.User", "candidacies.CandidacyEvent", "core.AuditEvent"]
    first = {label: apps.get_model(label).objects.count() for label in labels}
    again = io.StringIO()
    call_command("load_demo", stdout=again)
    assert {label: apps.get_model(label).objects.count() for label in labels} == first
    figures = re.search(r"Jurys : 2 jurys paritaires, \d+ mandats, 6 sessions .*", again.getvalue())
    assert figures and figures.group(0) in output
    assert "1 refus" in figures.group(0) and "délivrés : " in figures.group(0)
