"""Minutes: the draft at closing, signatures by the president and the vice-president, what signature
applies, a signed session frozen, corrections in a later session."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.utils import timezone

from cqp.awards import services as awards
from cqp.candidacies.enums import BlockStatus, State
from cqp.core.models import AuditEvent
from cqp.juries import documents, selectors, services
from cqp.juries.enums import MemberRole, Opinion, SessionState
from cqp.juries.models import AgendaItem, Deliberation, JuryMinutes
from tests.candidacies.factories import certification_with_blocks

from .factories import (
    decided_candidacy,
    deliberate,
    jury_with_members,
    member_user,
    open_session,
    planned_session,
    ready_candidacy,
    sign,
    unanimous,
)

pytestmark = pytest.mark.django_db
MOTIVATION = "Le bloc 2 n'est pas maîtrisé en situation de travail."


@pytest.fixture
def closed():
    """A session with three candidacies: one awarded, one partial, one postponed (no deliberation); closed."""
    certification = certification_with_blocks()
    awarded, partial, postponed = (ready_candidacy(certification) for _ in range(3))
    jury, staff = jury_with_members(certification)
    session = open_session(jury, staff, [awarded, partial, postponed])
    deliberate(session, awarded, by=staff)
    first_block = partial.blocks.order_by("block__position").first().block.code
    deliberate(session, partial, by=staff, validated=[first_block], motivation=MOTIVATION)
    minutes = services.session_close(session=session, by=staff)
    session.refresh_from_db()
    return session, minutes, staff, (awarded, partial, postponed)


def president(session):
    return member_user(session.jury, MemberRole.PRESIDENT)


def vice(session):
    return member_user(session.jury, MemberRole.VICE_PRESIDENT)


def test_closing_drafts_the_minutes_pdf_with_the_candidates_and_decisions(closed):
    session, minutes, _staff, (awarded, partial, postponed) = closed
    assert session.state == SessionState.CLOSED and session.closed_at
    content = minutes.pdf.read()
    assert content.startswith(b"%PDF")
    assert minutes.draft_sha256 == hashlib.sha256(content).hexdigest()
    assert minutes.president.user == president(session) and minutes.vice_president.user == vice(session)
    assert not (minutes.president_signed_at or minutes.vice_president_signed_at)

    context = documents.minutes_context(session=session, minutes=minutes)
    assert [item.candidacy for item in context["deliberated"]] == [awarded, partial]
    assert [item.candidacy for item in context["postponed"]] == [postponed]
    assert len(context["present"]) == 4 and not context["final"]
    html = render_to_string("juries/pdf/minutes.html", context)
    for candidacy in (awarded, partial):
        assert candidacy.candidate.last_name.upper() in html
    for row in partial.blocks.select_related("block"):
        assert row.block.code in html
    assert "Validé" in html and "Non validé" in html
    assert str(Opinion.AWARD.label) in html and str(Opinion.PARTIAL.label) in html
    assert MOTIVATION.replace("'", "&#x27;") in html
    assert postponed.candidate.last_name.upper() in html or postponed.candidate.last_name in html


def test_only_staff_or_the_president_close():
    certification = certification_with_blocks()
    candidacy = ready_candidacy(certification)
    jury, staff = jury_with_members(certification)
    session = open_session(jury, staff, [candidacy])
    with pytest.raises(PermissionDenied):
        services.session_close(session=session, by=vice(session))
    session.refresh_from_db()
    assert session.state == SessionState.OPEN and not JuryMinutes.objects.exists()
    services.session_close(session=session, by=president(session))
    with pytest.raises(ValidationError):
        services.session_close(session=session, by=president(session))


def test_only_the_president_and_vice_president_sign(closed):
    session, minutes, staff, _ = closed
    ordinary = session.jury.members.filter(role=MemberRole.MEMBER).first().user
    for intruder in (staff, ordinary):
        with pytest.raises(PermissionDenied):
            services.minutes_sign(session=session, by=intruder, sha256=minutes.draft_sha256)
    minutes.refresh_from_db()
    assert not (minutes.president_signed_at or minutes.vice_president_signed_at)


def test_a_signature_on_another_draft_is_refused(closed):
    session, minutes, _staff, _ = closed
    with pytest.raises(ValidationError) as error:
        services.minutes_sign(session=session, by=president(session), sha256="0" * 64)
    assert "a changé" in str(error.value)
    minutes.refresh_from_db()
    assert minutes.president_signed_at is None
    assert not AuditEvent.objects.filter(action="jury_minutes_sign").exists()


def test_signing_twice_is_refused(closed):
    session, minutes, _staff, _ = closed
    signed = services.minutes_sign(session=session, by=president(session), sha256=minutes.draft_sha256)
    first_at = signed.president_signed_at
    with pytest.raises(ValidationError) as error:
        services.minutes_sign(session=session, by=president(session), sha256=minutes.draft_sha256)
    assert "déjà signé" in str(error.value)
    minutes.refresh_from_db()
    assert minutes.president_signed_at == first_at
    session.refresh_from_db()
    assert session.state == SessionState.CLOSED


def test_both_signatures_sign_the_session_and_apply_the_decisions(closed):
    session, minutes, staff, (awarded, partial, postponed) = closed
    services.minutes_sign(session=session, by=vice(session), sha256=minutes.draft_sha256)
    session.refresh_from_db()
    assert session.state == SessionState.CLOSED
    minutes = services.minutes_sign(session=session, by=president(session), sha256=minutes.draft_sha256)
    session.refresh_from_db()
    assert session.state == SessionState.SIGNED and session.signed_at
    assert minutes.president_signed_at and minutes.vice_president_signed_at
    minutes.refresh_from_db()
    final = minutes.pdf.read()
    assert final.startswith(b"%PDF") and "proces-verbal-projet" not in minutes.pdf.name
    assert minutes.pdf_sha256 == hashlib.sha256(final).hexdigest() != minutes.draft_sha256
    context = documents.minutes_context(session=session, minutes=minutes)
    assert context["final"]
    html = render_to_string("juries/pdf/minutes.html", context)
    assert minutes.draft_sha256 in html and html.count("Signé électroniquement le") == 2

    for candidacy in (awarded, partial, postponed):
        candidacy.refresh_from_db()
    assert awarded.state == partial.state == State.DECIDED
    assert set(awarded.blocks.values_list("status", flat=True)) == {BlockStatus.ACQUIRED}
    statuses = list(partial.blocks.order_by("block__position").values_list("status", flat=True))
    assert statuses == [BlockStatus.ACQUIRED, BlockStatus.NOT_ACQUIRED, BlockStatus.NOT_ACQUIRED]
    assert postponed.state == State.READY_FOR_JURY
    assert set(postponed.blocks.values_list("status", flat=True)) == {BlockStatus.TO_ACQUIRE}
    assert postponed.events.filter(name="unschedule_from_jury", comment__contains="Ajournée").exists()
    assert list(selectors.candidacies_ready_for(session.jury)) == [postponed]
    assert selectors.current_deliberation(awarded).opinion == Opinion.AWARD
    assert selectors.current_deliberation(partial).opinion == Opinion.PARTIAL


def test_reopening_before_both_signatures_lets_the_jury_amend(closed):
    session, minutes, staff, (_awarded, partial, _postponed) = closed
    services.minutes_sign(session=session, by=president(session))
    with pytest.raises(ValidationError):
        services.session_reopen(session=session, by=staff, reason=" ")
    services.session_reopen(session=session, by=staff, reason="Erreur de saisie sur un bloc.")
    session.refresh_from_db()
    assert session.state == SessionState.OPEN
    minutes.refresh_from_db()
    assert minutes.president_signed_at is None
    deliberation = Deliberation.objects.get(session=session, candidacy=partial)
    services.deliberation_record(
        session=session,
        candidacy=partial,
        by=staff,
        validated_blocks=list(partial.blocks.values_list("block__code", flat=True)),
        votes=unanimous(session),
        revision=deliberation.revision,
    )
    redrafted = services.session_close(session=session, by=staff)
    assert redrafted.draft_sha256 != minutes.draft_sha256
    with pytest.raises(ValidationError):
        services.minutes_sign(session=session, by=president(session), sha256=minutes.draft_sha256)
    services.minutes_sign(session=session, by=president(session), sha256=redrafted.draft_sha256)
    services.minutes_sign(session=session, by=vice(session), sha256=redrafted.draft_sha256)
    partial.refresh_from_db()
    assert set(partial.blocks.values_list("status", flat=True)) == {BlockStatus.ACQUIRED}


def test_nothing_in_a_signed_session_changes(closed):
    session, minutes, staff, (awarded, partial, postponed) = closed
    services.minutes_sign(session=session, by=president(session))
    services.minutes_sign(session=session, by=vice(session))
    session.refresh_from_db()
    deliberation = Deliberation.objects.get(session=session, candidacy=awarded)
    other = ready_candidacy(awarded.certification)

    def snapshot():
        session.refresh_from_db()
        return (
            session.state,
            session.starts_at,
            session.place,
            list(session.attendances.order_by("pk").values_list("present", "convened_at")),
            list(AgendaItem.objects.filter(session=session).order_by("pk").values_list("candidacy_id", "position")),
            list(
                Deliberation.objects.filter(session=session).order_by("pk").values("revision", "opinion", "is_current")
            ),
            JuryMinutes.objects.filter(session=session).values_list("pdf_sha256", flat=True).get(),
        )

    before = snapshot()
    attempts = {
        "session_update": lambda: services.session_update(session=session, by=staff, place="Lyon"),
        "session_convene": lambda: services.session_convene(session=session, by=staff),
        "agenda_add": lambda: services.agenda_add(session=session, candidacies=[other], by=staff),
        "agenda_add_correction": lambda: services.agenda_add_correction(
            session=session, deliberation=deliberation, by=staff, reason="Erreur matérielle"
        ),
        "agenda_remove": lambda: services.agenda_remove(session=session, candidacy=awarded, by=staff),
        "session_cancel": lambda: services.session_cancel(session=session, by=staff, reason="Erreur"),
        "attendance_record": lambda: services.attendance_record(
            session=session, by=staff, present={a.member_id: False for a in session.attendances.all()}
        ),
        "session_open": lambda: services.session_open(session=session, by=staff),
        "deliberation_record": lambda: services.deliberation_record(
            session=session,
            candidacy=awarded,
            by=staff,
            validated_blocks=[],
            votes=unanimous(session),
            motivation="Changement d'avis",
            revision=deliberation.revision,
        ),
        "session_close": lambda: services.session_close(session=session, by=staff),
        "session_reopen": lambda: services.session_reopen(session=session, by=staff, reason="Erreur"),
        "minutes_sign": lambda: services.minutes_sign(session=session, by=president(session)),
    }
    for name, attempt in attempts.items():
        with pytest.raises(ValidationError):
            attempt()
        assert snapshot() == before, name


# --- Corrections ----------------------------------------------------------------------------------


def test_a_correction_is_a_new_deliberation_in_a_later_session(django_capture_on_commit_callbacks):
    candidacy, first_session, staff = decided_candidacy(opinion="AWARD")
    jury = first_session.jury
    result = awards.candidacy_deliver(candidacy=candidacy, by=staff)
    old = Deliberation.objects.get(session=first_session, candidacy=candidacy)
    reason = "Le bloc 3 a été validé sur une évaluation d'un autre candidat."

    later = planned_session(jury, staff)
    with pytest.raises(ValidationError) as error:
        services.agenda_add_correction(session=later, deliberation=old, by=staff, reason=" ")
    assert "reason" in error.value.message_dict
    other_jury, other_staff = jury_with_members(candidacy.certification)
    with pytest.raises(ValidationError):
        services.agenda_add_correction(
            session=planned_session(other_jury, other_staff), deliberation=old, by=other_staff, reason=reason
        )
    item = services.agenda_add_correction(session=later, deliberation=old, by=staff, reason=reason)
    assert item.corrects == old and item.correction_reason == reason
    with pytest.raises(ValidationError):
        services.agenda_add_correction(session=planned_session(jury, staff), deliberation=old, by=staff, reason=reason)
    candidacy.refresh_from_db()
    assert candidacy.state == State.DELIVERED

    services.attendance_record(session=later, by=staff, present={a.member_id: True for a in later.attendances.all()})
    services.session_open(session=later, by=staff)
    codes = list(candidacy.blocks.order_by("block__position").values_list("block__code", flat=True))
    correction = deliberate(later, candidacy, by=staff, validated=codes[:2], motivation="Bloc 3 non démontré.")
    assert correction.corrects == old and correction.correction_reason == reason
    assert correction.opinion == Opinion.PARTIAL
    # Until the later session is signed, the first deliberation stays in force.
    assert not correction.is_current
    assert selectors.current_deliberation(candidacy) == old

    sign(later)
    old.refresh_from_db()
    correction.refresh_from_db()
    assert not old.is_current and correction.is_current
    assert old.opinion == Opinion.AWARD and old.revision == 1, "the corrected deliberation is kept as it was"
    assert selectors.current_deliberation(candidacy) == correction
    award = result.award
    award.refresh_from_db()
    assert award.revoked and reason in award.revocation_reason
    candidacy.refresh_from_db()
    assert candidacy.state == State.DECIDED
    statuses = list(candidacy.blocks.order_by("block__position").values_list("status", flat=True))
    assert statuses == [BlockStatus.ACQUIRED, BlockStatus.ACQUIRED, BlockStatus.NOT_ACQUIRED]

    again = awards.candidacy_deliver(candidacy=candidacy, by=staff)
    assert again.award.deliberation == correction and again.award.kind == "BLOCK_ATTESTATION"
    assert again.award.sequence == award.sequence + 1
    assert timezone.localdate(later.signed_at) <= again.award.delivered_on


def test_a_candidacy_withdrawn_during_the_session_does_not_block_the_signature():
    from cqp.candidacies.services import candidacy_transition

    certification = certification_with_blocks()
    kept, withdrawn = ready_candidacy(certification), ready_candidacy(certification)
    jury, staff = jury_with_members(certification)
    session = open_session(jury, staff, [kept, withdrawn])
    candidacy_transition(candidacy=withdrawn, name="withdraw", by=withdrawn.candidate.user, comment="Je renonce.")
    with pytest.raises(ValidationError):
        deliberate(session, withdrawn, by=staff)
    deliberate(session, kept, by=staff)
    sign(session)
    session.refresh_from_db()
    kept.refresh_from_db()
    withdrawn.refresh_from_db()
    assert session.state == SessionState.SIGNED
    assert (kept.state, withdrawn.state) == (State.DECIDED, State.WITHDRAWN)
