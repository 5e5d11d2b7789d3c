"""Delivery on the basis of the signed opinion: certificates, block attestations, refusal notices,
numbering per certifier and year, who may deliver, idempotence, revocation."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cqp.awards import services as awards
from cqp.awards.enums import AwardKind
from cqp.awards.models import Award, AwardCounter
from cqp.candidacies.enums import BlockStatus, State
from cqp.core.models import AuditEvent
from cqp.juries import services
from cqp.juries.enums import MemberRole, Opinion
from tests.candidacies.factories import certification_with_blocks

from .factories import (
    decided_candidacy,
    decided_session,
    deliberate,
    jury_staff,
    jury_with_members,
    member_user,
    open_session,
    ready_candidacy,
)

pytestmark = pytest.mark.django_db


def codes(candidacy):
    return list(candidacy.blocks.order_by("block__position").values_list("block__code", flat=True))


def test_an_award_gives_a_certificate_with_every_block():
    candidacy, _session, staff = decided_candidacy(opinion="AWARD")
    result = awards.candidacy_deliver(candidacy=candidacy, by=staff)
    award = result.award
    assert (result.opinion, result.already) == (Opinion.AWARD, False)
    assert award.kind == AwardKind.CERTIFICATE
    assert sorted(award.blocks.values_list("code", flat=True)) == codes(candidacy)
    assert award.certifier == candidacy.certifier and award.certification == candidacy.certification
    assert award.delivered_on == timezone.localdate() and award.delivered_by == staff
    year = timezone.localdate().year
    assert (award.year, award.sequence) == (year, 1)
    assert award.number == f"{candidacy.certifier.siret}-{year}-000001"
    candidacy.refresh_from_db()
    assert candidacy.state == State.DELIVERED
    assert candidacy.events.filter(name="deliver", comment=award.number).exists()


def test_a_partial_opinion_gives_an_attestation_and_the_candidacy_goes_on_for_the_missing_blocks():
    candidacy, _session, staff = decided_candidacy(opinion="PARTIAL")
    award = awards.candidacy_deliver(candidacy=candidacy, by=staff).award
    first, *others = codes(candidacy)
    assert award.kind == AwardKind.BLOCK_ATTESTATION
    assert list(award.blocks.values_list("code", flat=True)) == [first]
    candidacy.refresh_from_db()
    assert candidacy.state == State.ADMISSIBLE
    statuses = dict(candidacy.blocks.values_list("block__code", "status"))
    assert statuses[first] == BlockStatus.ACQUIRED
    assert {statuses[code] for code in others} == {BlockStatus.TO_ACQUIRE}
    assert [row.block.code for row in services.deliberated_blocks(candidacy)] == others
    # Delivering again gives the same attestation back; the reopened candidacy keeps its state.
    again = awards.candidacy_deliver(candidacy=candidacy, by=staff)
    assert again.already and again.award == award
    candidacy.refresh_from_db()
    assert candidacy.state == State.ADMISSIBLE


def test_a_refusal_gives_one_notice_with_the_motivation_and_no_award(django_capture_on_commit_callbacks):
    candidacy, _session, staff = decided_candidacy(opinion="REFUSAL")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = awards.candidacy_deliver(candidacy=candidacy, by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        second = awards.candidacy_deliver(candidacy=candidacy, by=staff)
    assert (first.award, first.already, first.opinion) == (None, False, Opinion.REFUSAL)
    assert (second.award, second.already) == (None, True)
    assert not Award.objects.exists() and not AwardCounter.objects.exists()
    told = [m for m in mail.outbox if candidacy.candidate.user.email in m.to]
    assert len(told) == 1
    assert "maîtrise des autres blocs" in told[0].body and "Et ensuite" in told[0].body
    assert candidacy.events.filter(name="jury_refusal_notice").count() == 1
    candidacy.refresh_from_db()
    assert candidacy.state == State.DECIDED


def test_delivering_twice_gives_the_same_award_and_no_new_number():
    candidacy, _session, staff = decided_candidacy(opinion="AWARD")
    award = awards.candidacy_deliver(candidacy=candidacy, by=staff).award
    again = awards.candidacy_deliver(candidacy=candidacy, by=staff)
    assert again.already and again.award == award
    assert Award.objects.count() == 1
    assert AwardCounter.objects.get(certifier=candidacy.certifier).last == 1


def test_only_staff_of_the_certifier_deliver():
    candidacy, session, staff = decided_candidacy(opinion="AWARD")
    other_staff = jury_staff(certification_with_blocks().certifiers.first())
    for intruder in (other_staff, member_user(session.jury, MemberRole.PRESIDENT), candidacy.candidate.user):
        with pytest.raises(PermissionDenied):
            awards.candidacy_deliver(candidacy=candidacy, by=intruder)
        with pytest.raises(PermissionDenied):
            awards.session_deliver(session=session, by=intruder)
    assert not Award.objects.exists() and not AwardCounter.objects.exists()
    candidacy.refresh_from_db()
    assert candidacy.state == State.DECIDED


def test_delivery_waits_for_the_signed_minutes():
    certification = certification_with_blocks()
    candidacy = ready_candidacy(certification)
    jury, staff = jury_with_members(certification)
    session = open_session(jury, staff, [candidacy])
    deliberate(session, candidacy, by=staff)
    services.session_close(session=session, by=staff)
    services.minutes_sign(session=session, by=member_user(jury, MemberRole.PRESIDENT))
    with pytest.raises(ValidationError) as error:
        awards.candidacy_deliver(candidacy=candidacy, by=staff)
    assert "procès-verbal signé" in str(error.value)
    with pytest.raises(ValidationError):
        awards.session_deliver(session=session, by=staff)
    assert not Award.objects.exists()

    services.minutes_sign(session=session, by=member_user(jury, MemberRole.VICE_PRESIDENT))
    with pytest.raises(ValidationError) as error:
        awards.candidacy_deliver(candidacy=candidacy, by=staff, delivered_on=timezone.localdate() - timedelta(days=1))
    assert "précéder la signature" in str(error.value)
    assert not Award.objects.exists() and not AwardCounter.objects.exists()


def test_numbers_run_from_one_per_certifier_and_year(monkeypatch, django_capture_on_commit_callbacks):
    session, candidacies, staff = decided_session(opinions=("AWARD", "PARTIAL", "REFUSAL", "AWARD"))
    other_session, other_candidacies, other_staff = decided_session(opinions=("AWARD",))
    with django_capture_on_commit_callbacks(execute=True):
        results = awards.session_deliver(session=session, by=staff)
    assert [r.candidacy for r in results] == candidacies
    assert [r.award.sequence if r.award else None for r in results] == [1, 2, None, 3]
    year = timezone.localdate().year
    assert [r.award.number for r in results if r.award] == [
        f"{session.jury.certifier.siret}-{year}-{n:06d}" for n in (1, 2, 3)
    ]
    audit = AuditEvent.objects.get(action="jury_session_deliver", object_id=str(session.pk))
    assert audit.after == {"awards": 3}

    # Another certifier has its own sequence, even one hosted by the same legal entity (same SIREN).
    other = awards.session_deliver(session=other_session, by=other_staff)[0].award
    assert other.sequence == 1 and other.certifier != session.jury.certifier
    assert other.certifier.siret[:9] == session.jury.certifier.siret[:9]
    assert other.number != results[0].award.number

    # Again: the same awards, no new number.
    again = awards.session_deliver(session=session, by=staff)
    assert all(r.already for r in again)
    assert [r.award for r in again] == [r.award for r in results]
    assert AwardCounter.objects.get(certifier=session.jury.certifier, year=year).last == 3

    # Another year starts again from one.
    next_year = date(year + 1, 1, 4)
    later_session, later, _ = decided_session(session.jury.certifications.first(), opinions=("AWARD", "AWARD"))
    later_staff = jury_staff(session.jury.certifier)
    # Delivered on 4 January of next year: the clock of the delivery service moves there.
    real_localdate = awards.timezone.localdate
    monkeypatch.setattr(
        awards.timezone, "localdate", lambda value=None: next_year if value is None else real_localdate(value)
    )
    numbers = [awards.candidacy_deliver(candidacy=c, by=later_staff, delivered_on=next_year).award for c in later]
    assert [(a.year, a.sequence) for a in numbers] == [(year + 1, 1), (year + 1, 2)]
    assert numbers[0].number.endswith(f"-{year + 1}-000001")
    assert later_session.jury.certifier == session.jury.certifier


def test_revoking_an_award_keeps_it_with_its_reason():
    candidacy, session, staff = decided_candidacy(opinion="AWARD")
    award = awards.candidacy_deliver(candidacy=candidacy, by=staff).award
    with pytest.raises(PermissionDenied):
        awards.award_revoke(award=award, by=member_user(session.jury, MemberRole.PRESIDENT), reason="Fraude")
    with pytest.raises(ValidationError):
        awards.award_revoke(award=award, by=staff, reason="  ")
    award.refresh_from_db()
    assert not award.revoked
    awards.award_revoke(award=award, by=staff, reason="Fraude à l'identité établie.")
    award.refresh_from_db()
    assert award.revoked and award.revoked_by == staff and award.revocation_reason == "Fraude à l'identité établie."
    with pytest.raises(ValidationError):
        awards.award_revoke(award=award, by=staff, reason="Encore")
    assert Award.objects.count() == 1


def test_no_delivery_while_the_jury_is_to_correct_the_decision():
    from .factories import planned_session, sign

    candidacy, session, staff = decided_candidacy(opinion="PARTIAL")
    old = session.deliberations.get()
    later = planned_session(session.jury, staff)
    services.agenda_add_correction(session=later, deliberation=old, by=staff, reason="Bloc 2 mal reporté.")
    with pytest.raises(ValidationError) as error:
        awards.candidacy_deliver(candidacy=candidacy, by=staff)
    assert "corriger cette décision" in str(error.value)
    assert not Award.objects.exists() and not AwardCounter.objects.exists()
    candidacy.refresh_from_db()
    assert candidacy.state == State.DECIDED

    services.attendance_record(session=later, by=staff, present={a.member_id: True for a in later.attendances.all()})
    services.session_open(session=later, by=staff)
    deliberate(later, candidacy, by=staff, motivation="Le bloc 2 était validé en séance.")
    sign(later)
    result = awards.candidacy_deliver(candidacy=candidacy, by=staff)
    assert result.opinion == Opinion.AWARD and result.award.kind == AwardKind.CERTIFICATE
    assert result.award.deliberation.corrects == old


def test_a_delivery_date_in_the_future_is_refused():
    candidacy, session, staff = decided_candidacy(opinion="AWARD")
    with pytest.raises(ValidationError, match="futur"):
        awards.candidacy_deliver(candidacy=candidacy, by=staff, delivered_on=date.today() + timedelta(days=1))
    assert not candidacy.awards.exists()
