"""The register of held blocks: from delivery, from an earlier certification, withdrawn on revocation."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from cqp.awards import services as awards
from cqp.awards.models import Award
from cqp.capitalisation import services
from cqp.capitalisation.models import HeldBlock
from cqp.core.models import AuditEvent
from tests.candidacies.factories import CandidateFactory, UserFactory, certifier_staff
from tests.juries.factories import decided_candidacy

from .factories import cqp, hold

pytestmark = pytest.mark.django_db


def delivered(opinion="AWARD"):
    candidacy, session, staff = decided_candidacy(opinion=opinion)
    [result] = awards.session_deliver(session=session, by=staff)
    return candidacy, result.award, staff


def held_codes(candidate):
    return sorted(HeldBlock.objects.filter(candidate=candidate).values_list("block__code", flat=True))


def test_a_delivered_certificate_makes_every_block_held_from_its_date():
    candidacy, award, _staff = delivered()
    rows = list(HeldBlock.objects.filter(candidate=candidacy.candidate))
    assert sorted(r.block.code for r in rows) == sorted(award.blocks.values_list("code", flat=True))
    assert {(r.source, r.obtained_on, r.award_id, r.expires_on) for r in rows} == {
        ("JURY", award.delivered_on, award.pk, None)
    }
    event = AuditEvent.objects.get(action="held_blocks_record")
    assert event.object_id == str(candidacy.candidate_id) and event.after["award"] == award.number


def test_a_block_attestation_gives_only_the_validated_blocks():
    candidacy, award, _staff = delivered("PARTIAL")
    first = candidacy.blocks.order_by("block__position").first().block
    assert held_codes(candidacy.candidate) == [first.code]


def test_a_decision_not_yet_delivered_gives_nothing():
    candidacy, _session, _staff = decided_candidacy()
    assert candidacy.blocks.filter(status="acquired").exists()
    assert held_codes(candidacy.candidate) == []


def test_revoking_the_award_withdraws_its_blocks_with_an_audit_row():
    candidacy, award, staff = delivered()
    awards.award_revoke(award=award, by=staff, reason="Fraude à l'identité")
    assert held_codes(candidacy.candidate) == []
    event = AuditEvent.objects.get(action="held_blocks_withdraw")
    assert event.reason == "Fraude à l'identité" and event.actor == staff
    assert sorted(event.after["withdrawn"]) == sorted(award.blocks.values_list("code", flat=True))


def test_revoking_keeps_a_block_another_award_in_force_gives():
    candidacy, first_award, staff = delivered("PARTIAL")
    block = first_award.blocks.get()
    # A second award of the same person covering the block (written on the model: a later certificate).
    second = Award.objects.create(
        number=f"{first_award.number}-2",
        certifier=first_award.certifier,
        year=first_award.year,
        sequence=first_award.sequence + 1,
        kind="CERTIFICATE",
        candidacy=candidacy,
        certification=first_award.certification,
        deliberation=first_award.deliberation,
        delivered_on=first_award.delivered_on,
        delivered_by=staff,
    )
    second.blocks.set([block])
    other = CandidateFactory()
    awards.award_revoke(award=first_award, by=staff, reason="Erreur de saisie")
    row = HeldBlock.objects.get(candidate=candidacy.candidate, block=block)
    assert row.award == second
    assert not HeldBlock.objects.filter(candidate=other).exists()


def test_earlier_certification_recorded_by_the_certifier_staff_only():
    certification, (first, *_rest) = cqp()
    person = CandidateFactory()
    with pytest.raises(PermissionDenied):
        hold(person, first, by=UserFactory())
    staff = certifier_staff(certification.certifiers.get())
    [row] = hold(person, first, by=staff)
    assert (row.source, row.recorded_by) == ("EARLIER", staff)
    event = AuditEvent.objects.get(action="held_block_record_earlier")
    assert event.after["block"] == first.code and event.actor == staff


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"obtained_on": date.today() + timedelta(days=2)}, "obtained_on"),
        ({"expires_on": date(2020, 1, 1)}, "expires_on"),
        ({"reference": "  "}, "reference"),
    ],
)
def test_earlier_certification_refused_with_a_clear_message(changes, field):
    certification, (first, *_rest) = cqp()
    staff = certifier_staff(certification.certifiers.get())
    values = {"obtained_on": date(2024, 1, 1), "reference": "Certificat n° 1", **changes}
    with pytest.raises(ValidationError) as refused:
        services.held_block_record_earlier(candidate=CandidateFactory(), block=first, by=staff, **values)
    assert field in refused.value.message_dict
    assert not HeldBlock.objects.exists()


def test_a_block_is_held_once():
    _certification, (first, *_rest) = cqp()
    person = CandidateFactory()
    hold(person, first)
    with pytest.raises(ValidationError, match="détient déjà"):
        hold(person, first)


def test_backfill_fills_from_awards_in_force_and_is_idempotent():
    candidacy, award, staff = delivered()
    _other, revoked, other_staff = delivered()
    awards.award_revoke(award=revoked, by=other_staff, reason="Erreur")
    HeldBlock.objects.all().delete()
    call_command("capitalisation_backfill", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert held_codes(candidacy.candidate) == sorted(award.blocks.values_list("code", flat=True))
    assert HeldBlock.objects.count() == award.blocks.count()
    assert services.capitalisation_backfill() == 0
    assert HeldBlock.objects.count() == award.blocks.count()
