"""Sessions: planning and convened members, the agenda, convocations, attendance and regularity."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cqp.candidacies.enums import State
from cqp.juries import selectors, services
from cqp.juries.enums import College, MemberRole, ParityRule, SessionState
from cqp.juries.models import AgendaItem, JurySession
from tests.candidacies.factories import UserFactory, candidacy_in_state, certification_with_blocks

from .factories import jury_staff, jury_with_members, member_user, planned_session, ready_candidacy

pytestmark = pytest.mark.django_db


@pytest.fixture
def certification():
    return certification_with_blocks()


@pytest.fixture
def jury_and_staff(certification):
    return jury_with_members(certification)


def everyone(session, absent=()):
    """Attendance with everyone present except the members (JuryMember ids) in `absent`."""
    return {a.member_id: a.member_id not in absent for a in session.attendances.all()}


# --- Planning and convened members ------------------------------------------------------------------


def test_members_are_convened_when_their_mandate_covers_the_date(certification, jury_and_staff):
    jury, staff = jury_and_staff
    day = timezone.now() + timedelta(days=30)
    ended = services.jury_member_add(
        jury=jury,
        by=staff,
        user=UserFactory(),
        college=College.EMPLOYERS,
        represents="CPME",
        mandate_start=timezone.localdate() - timedelta(days=400),
        mandate_end=timezone.localdate() + timedelta(days=10),
    )
    later = services.jury_member_add(
        jury=jury,
        by=staff,
        user=UserFactory(),
        college=College.EMPLOYEES,
        represents="FO",
        mandate_start=timezone.localdate() + timedelta(days=60),
        mandate_end=timezone.localdate() + timedelta(days=400),
    )
    session = services.session_plan(jury=jury, by=staff, starts_at=day, video_url="https://visio.exemple.fr/jury")
    convened = set(session.attendances.values_list("member_id", flat=True))
    assert convened == set(jury.members.exclude(pk__in=[ended.pk, later.pk]).values_list("pk", flat=True))
    assert len(convened) == 4
    with pytest.raises(ValidationError) as error:
        services.session_plan(jury=jury, by=staff, starts_at=day, place="Paris", members=[later])
    assert "pas de mandat" in str(error.value)
    assert JurySession.objects.count() == 1


def test_a_session_needs_a_place_or_a_video_link(jury_and_staff):
    jury, staff = jury_and_staff
    with pytest.raises(ValidationError) as error:
        services.session_plan(jury=jury, by=staff, starts_at=timezone.now(), place=" ", video_url="")
    assert "place" in error.value.message_dict
    assert not JurySession.objects.exists()


def test_only_staff_of_the_certifier_plan_sessions(certification, jury_and_staff):
    jury, _staff = jury_and_staff
    for intruder in (
        jury_staff(certification_with_blocks().certifiers.first()),
        member_user(jury, MemberRole.PRESIDENT),
    ):
        with pytest.raises(PermissionDenied):
            services.session_plan(jury=jury, by=intruder, starts_at=timezone.now(), place="Paris")
    assert not JurySession.objects.exists()


def test_sessions_are_visible_to_the_certifier_and_convened_members(certification, jury_and_staff):
    jury, staff = jury_and_staff
    session = planned_session(jury, staff)
    other_jury, other_staff = jury_with_members(certification_with_blocks())
    other = planned_session(other_jury, other_staff)
    assert list(selectors.sessions_visible_to(staff)) == [session]
    assert list(selectors.sessions_visible_to(member_user(jury, MemberRole.VICE_PRESIDENT))) == [session]
    assert list(selectors.sessions_visible_to(other_staff)) == [other]
    assert selectors.session_roles(member_user(jury, MemberRole.PRESIDENT), session) == {"jury_member", "president"}
    assert selectors.session_roles(other_staff, session) == set()


# --- The agenda -----------------------------------------------------------------------------------


def test_agenda_is_all_or_none_with_the_reasons(certification, jury_and_staff):
    jury, staff = jury_and_staff
    ready = ready_candidacy(certification)
    not_ready = candidacy_in_state("IN_ASSESSMENT", certification=certification)
    foreign = ready_candidacy()
    uncovered = ready_candidacy(certification_with_blocks(certifier=jury.certifier))
    session = planned_session(jury, staff)
    with pytest.raises(ValidationError) as error:
        services.agenda_add(session=session, candidacies=[ready, not_ready, foreign, uncovered], by=staff)
    text = " ".join(error.value.messages)
    assert "pas prête pour le jury" in text
    assert "ne relève pas du certificateur" in text
    assert "ne couvre pas cette certification" in text
    assert len(error.value.messages) == 3
    assert not AgendaItem.objects.exists()
    ready.refresh_from_db()
    assert ready.state == State.READY_FOR_JURY
    assert list(selectors.candidacies_ready_for(jury)) == [ready]

    with pytest.raises(ValidationError):
        services.agenda_add(session=session, candidacies=[], by=staff)


def test_agenda_add_schedules_and_remove_and_cancel_put_back(certification, jury_and_staff):
    jury, staff = jury_and_staff
    first, second, third = (ready_candidacy(certification) for _ in range(3))
    session = planned_session(jury, staff)
    services.agenda_add(session=session, candidacies=[first, second], by=staff)
    services.agenda_add(session=session, candidacies=[third], by=staff)
    assert list(session.agenda.values_list("candidacy_id", "position")) == [
        (first.pk, 1),
        (second.pk, 2),
        (third.pk, 3),
    ]
    for candidacy in (first, second, third):
        candidacy.refresh_from_db()
        assert candidacy.state == State.SCHEDULED_FOR_JURY
    assert not selectors.candidacies_ready_for(jury).exists()
    # The same candidacy cannot be put twice, nor on another session.
    with pytest.raises(ValidationError):
        services.agenda_add(session=planned_session(jury, staff), candidacies=[first], by=staff)

    services.agenda_remove(session=session, candidacy=first, by=staff)
    first.refresh_from_db()
    assert first.state == State.READY_FOR_JURY
    assert list(session.agenda.values_list("candidacy_id", flat=True)) == [second.pk, third.pk]
    with pytest.raises(ValidationError):
        services.agenda_remove(session=session, candidacy=first, by=staff)

    with pytest.raises(ValidationError) as error:
        services.session_cancel(session=session, by=staff, reason=" ")
    assert "reason" in error.value.message_dict
    services.session_cancel(session=session, by=staff, reason="Quorum impossible à réunir.")
    session.refresh_from_db()
    assert session.state == SessionState.CANCELLED
    for candidacy in (second, third):
        candidacy.refresh_from_db()
        assert candidacy.state == State.READY_FOR_JURY
    assert set(selectors.candidacies_ready_for(jury)) == {first, second, third}
    with pytest.raises(ValidationError):
        services.agenda_add(session=session, candidacies=[first], by=staff)


def test_jury_members_do_not_set_the_agenda(certification, jury_and_staff):
    jury, staff = jury_and_staff
    candidacy = ready_candidacy(certification)
    session = planned_session(jury, staff)
    with pytest.raises(PermissionDenied):
        services.agenda_add(session=session, candidacies=[candidacy], by=member_user(jury, MemberRole.PRESIDENT))
    assert not AgendaItem.objects.exists()


# --- Convocations ---------------------------------------------------------------------------------


def test_convocations_go_once_to_members_and_candidates_with_a_pdf(
    certification, jury_and_staff, django_capture_on_commit_callbacks
):
    jury, staff = jury_and_staff
    candidacy = ready_candidacy(certification)
    session = planned_session(jury, staff, [candidacy])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.session_convene(session=session, by=staff)
    assert counts == {"members": 4, "candidates": 1}
    expected = {m.user.email for m in jury.members.select_related("user")} | {candidacy.candidate.user.email}
    assert {address for message in mail.outbox for address in message.to} == expected
    assert len(mail.outbox) == 5
    for message in mail.outbox:
        assert jury.name in message.subject or jury.name in message.body
        [(filename, content, mimetype)] = message.attachments
        assert mimetype == "application/pdf" and filename.endswith(".pdf")
        assert content.startswith(b"%PDF")
    member_mail = next(m for m in mail.outbox if member_user(jury, MemberRole.PRESIDENT).email in m.to)
    assert f"/espace/jurys/sessions/{session.pk}/" in member_mail.body
    candidate_mail = next(m for m in mail.outbox if candidacy.candidate.user.email in m.to)
    assert certification.code in candidate_mail.body
    assert all(a.convened_at for a in session.attendances.all())

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.session_convene(session=session, by=staff)
    assert again == {"members": 0, "candidates": 0}
    assert mail.outbox == []

    # A candidacy added afterwards: only its candidate is convened.
    added = ready_candidacy(certification)
    services.agenda_add(session=session, candidacies=[added], by=staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.session_convene(session=session, by=staff) == {"members": 0, "candidates": 1}
    assert [m.to for m in mail.outbox if added.candidate.user.email in m.to] == [[added.candidate.user.email]]

    # A new date: everyone is convened again.
    services.session_update(session=session, by=staff, starts_at=timezone.now() + timedelta(days=2))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.session_convene(session=session, by=staff) == {"members": 4, "candidates": 2}
    assert len(mail.outbox) == 6


def test_nothing_is_sent_when_convening_is_refused(jury_and_staff, django_capture_on_commit_callbacks):
    jury, staff = jury_and_staff
    session = planned_session(jury, staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.session_convene(session=session, by=member_user(jury, MemberRole.PRESIDENT))
    assert mail.outbox == []
    assert not session.attendances.filter(convened_at__isnull=False).exists()


# --- Attendance and regularity --------------------------------------------------------------------


def _open_refused(session, staff, *fragments):
    with pytest.raises(ValidationError) as error:
        services.session_open(session=session, by=staff)
    text = " ".join(error.value.messages)
    for fragment in fragments:
        assert fragment in text, text
    session.refresh_from_db()
    assert session.state == SessionState.PLANNED and session.opened_at is None
    return error.value.messages


def test_opening_needs_attendance_recorded(certification, jury_and_staff):
    jury, staff = jury_and_staff
    session = planned_session(jury, staff, [ready_candidacy(certification)])
    _open_refused(session, staff, "Relevez la présence")
    some = dict(list(everyone(session).items())[:2])
    services.attendance_record(session=session, by=staff, present=some)
    _open_refused(session, staff, "Relevez la présence")


def test_opening_needs_both_colleges(certification, jury_and_staff):
    jury, staff = jury_and_staff
    session = planned_session(jury, staff, [ready_candidacy(certification)])
    employees = session.attendances.filter(member__college=College.EMPLOYEES).values_list("member_id", flat=True)
    services.attendance_record(session=session, by=staff, present=everyone(session, employees))
    _open_refused(session, staff, "Aucun membre du collège salariés")


@pytest.mark.parametrize("parity_rule", [ParityRule.EQUAL_MEMBERS, ParityRule.WEIGHTED])
def test_unequal_colleges_depend_on_the_parity_rule(certification, parity_rule):
    jury, staff = jury_with_members(certification, parity_rule=parity_rule)
    session = planned_session(jury, staff, [ready_candidacy(certification)])
    absent = session.attendances.get(member__college=College.EMPLOYEES, member__role=MemberRole.MEMBER)
    services.attendance_record(session=session, by=staff, present=everyone(session, [absent.member_id]))
    if parity_rule == ParityRule.EQUAL_MEMBERS:
        messages = _open_refused(session, staff, "parité n'est pas respectée", "2 votant(s) employeurs", "1 votant(s)")
        assert len(messages) == 1
    else:
        assert selectors.session_regularity(session) == []
        services.session_open(session=session, by=staff)
        session.refresh_from_db()
        assert session.state == SessionState.OPEN and session.opened_at


@pytest.mark.parametrize(
    ("role", "fragment"),
    [(MemberRole.PRESIDENT, "Le président doit être présent"), (MemberRole.VICE_PRESIDENT, "Le vice-président")],
)
def test_president_and_vice_president_must_attend(certification, role, fragment):
    jury, staff = jury_with_members(certification, per_college=3, parity_rule=ParityRule.WEIGHTED)
    session = planned_session(jury, staff, [ready_candidacy(certification)])
    absent = session.attendances.get(member__role=role)
    services.attendance_record(session=session, by=staff, present=everyone(session, [absent.member_id]))
    messages = _open_refused(session, staff, fragment)
    assert len(messages) == 1


def test_opening_needs_an_agenda_and_the_day_of_the_session(jury_and_staff, certification):
    jury, staff = jury_and_staff
    session = planned_session(jury, staff)
    services.attendance_record(session=session, by=staff, present=everyone(session))
    _open_refused(session, staff, "L'ordre du jour est vide")
    later = planned_session(jury, staff, [ready_candidacy(certification)], starts_at=timezone.now() + timedelta(days=3))
    services.attendance_record(session=later, by=staff, present=everyone(later))
    _open_refused(later, staff, "le jour de la session")


def test_attendance_is_recorded_by_staff_or_president_for_convened_members_only(certification, jury_and_staff):
    jury, staff = jury_and_staff
    session = planned_session(jury, staff, [ready_candidacy(certification)])
    with pytest.raises(PermissionDenied):
        services.attendance_record(
            session=session, by=member_user(jury, MemberRole.VICE_PRESIDENT), present=everyone(session)
        )
    other_jury, _other_staff = jury_with_members(certification_with_blocks())
    stranger = other_jury.members.first()
    with pytest.raises(ValidationError):
        services.attendance_record(session=session, by=staff, present={stranger.pk: True})
    assert not session.attendances.filter(present__isnull=False).exists()
    services.attendance_record(session=session, by=member_user(jury, MemberRole.PRESIDENT), present=everyone(session))
    services.session_open(session=session, by=member_user(jury, MemberRole.PRESIDENT))
    session.refresh_from_db()
    assert session.state == SessionState.OPEN


def test_moving_a_session_convenes_the_members_whose_mandate_covers_the_new_date(certification):
    staff = jury_staff(certification.certifiers.first())
    jury = services.jury_create(
        certifier=certification.certifiers.first(), by=staff, name="Jury", certifications=[certification]
    )
    today = timezone.localdate()

    def mandate(role, college, start, end):
        return services.jury_member_add(
            jury=jury,
            by=staff,
            user=UserFactory(),
            college=college,
            represents="UIMM" if college == College.EMPLOYERS else "CFDT",
            role=role,
            mandate_start=start,
            mandate_end=end,
        )

    outgoing = mandate(MemberRole.PRESIDENT, College.EMPLOYERS, today - timedelta(days=300), today + timedelta(days=15))
    incoming = mandate(MemberRole.PRESIDENT, College.EMPLOYERS, today + timedelta(days=16), today + timedelta(days=900))
    vice = mandate(
        MemberRole.VICE_PRESIDENT, College.EMPLOYEES, today - timedelta(days=300), today + timedelta(days=900)
    )
    session = services.session_plan(jury=jury, by=staff, starts_at=timezone.now() + timedelta(days=10), place="Paris")
    assert set(session.attendances.values_list("member_id", flat=True)) == {outgoing.pk, vice.pk}

    services.session_update(session=session, by=staff, starts_at=timezone.now() + timedelta(days=20))
    assert set(session.attendances.values_list("member_id", flat=True)) == {incoming.pk, vice.pk}
    # A change of place keeps the members convened.
    services.session_update(session=session, by=staff, place="Lyon")
    assert set(session.attendances.values_list("member_id", flat=True)) == {incoming.pk, vice.pk}


def _withdraw(candidacy):
    from cqp.candidacies.services import candidacy_transition

    return candidacy_transition(
        candidacy=candidacy, name="withdraw", by=candidacy.candidate.user, comment="Je change d'emploi."
    )


def test_a_candidacy_withdrawn_while_on_the_agenda_does_not_block_removal_or_cancellation(certification):
    jury, staff = jury_with_members(certification)
    first, second, third = (ready_candidacy(certification) for _ in range(3))
    session = planned_session(jury, staff, [first, second, third])
    _withdraw(first)
    _withdraw(second)
    services.agenda_remove(session=session, candidacy=first, by=staff)
    assert list(session.agenda.values_list("candidacy_id", flat=True)) == [second.pk, third.pk]
    services.session_cancel(session=session, by=staff, reason="Report de la session.")
    for candidacy, state in ((first, State.WITHDRAWN), (second, State.WITHDRAWN), (third, State.READY_FOR_JURY)):
        candidacy.refresh_from_db()
        assert candidacy.state == state


def test_staff_of_another_certifier_are_refused_by_every_session_action(certification, jury_and_staff):
    jury, staff = jury_and_staff
    candidacy = ready_candidacy(certification)
    session = planned_session(jury, staff, [candidacy])
    intruder = jury_staff(certification_with_blocks().certifiers.first())
    attempts = {
        "session_update": lambda: services.session_update(session=session, by=intruder, place="Lyon"),
        "session_convene": lambda: services.session_convene(session=session, by=intruder),
        "agenda_add": lambda: services.agenda_add(session=session, candidacies=[candidacy], by=intruder),
        "agenda_remove": lambda: services.agenda_remove(session=session, candidacy=candidacy, by=intruder),
        "session_cancel": lambda: services.session_cancel(session=session, by=intruder, reason="Intrusion"),
        "attendance_record": lambda: services.attendance_record(
            session=session, by=intruder, present=everyone(session)
        ),
        "session_open": lambda: services.session_open(session=session, by=intruder),
    }
    for name, attempt in attempts.items():
        with pytest.raises(PermissionDenied):
            attempt()
        session.refresh_from_db()
        assert (session.state, session.place) == (SessionState.PLANNED, "Maison de la branche, Paris"), name
    assert list(session.agenda.values_list("candidacy_id", flat=True)) == [candidacy.pk]
    assert not session.attendances.filter(present__isnull=False).exists()
    assert not session.attendances.filter(convened_at__isnull=False).exists()
