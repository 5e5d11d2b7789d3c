"""The VAE recevabilité and the dossier de validation, through the services."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cqp.accounts.enums import Role
from cqp.assessments import selectors, services
from cqp.assessments.models import VaeDossierEntry, VaeEligibility
from cqp.candidacies import services as candidacy_services
from cqp.candidacies.models import CandidacyEvent, ExperiencePeriod
from tests.candidacies.factories import OrganisationFactory, UserFactory, certification_with_blocks, member

from .vae_helpers import TODAY, proof, vae_draft

pytestmark = pytest.mark.django_db


def add(candidacy, start, end, **kwargs):
    kwargs.setdefault("job_title", "Opérateur de production")
    return services.vae_period_add(
        candidacy=candidacy, by=candidacy.candidate.user, start=start, end=end, today=TODAY, **kwargs
    )


def fourteen_months(candidacy):
    """Two overlapping periods covering 1 Jan 2025 – 15 Mar 2026: fourteen months."""
    add(candidacy, date(2025, 1, 1), date(2025, 9, 30), employer_name="Usine A")
    add(candidacy, date(2025, 6, 1), date(2026, 3, 15), employer_name="Usine B")


def submitted(**kwargs):
    draft, staff = vae_draft(**kwargs)
    fourteen_months(draft)
    proof(draft)
    return services.vae_eligibility_submit(candidacy=draft, by=draft.candidate.user, today=TODAY), staff


def test_periods_overlapping_counted_once_and_the_file_submits_the_candidacy():
    draft, _staff = vae_draft()
    fourteen_months(draft)
    experience = selectors.vae_experience(draft, today=TODAY)
    assert experience["days"] == (date(2026, 3, 15) - date(2025, 1, 1)).days + 1
    assert experience["months"] == 14
    proof(draft)
    eligibility = services.vae_eligibility_submit(candidacy=draft, by=draft.candidate.user, today=TODAY)
    draft.refresh_from_db()
    assert (eligibility.version, eligibility.state, draft.state) == (1, "SUBMITTED", "SUBMITTED")
    assert eligibility.relevant_days == experience["days"]
    assert CandidacyEvent.objects.filter(candidacy=draft, name="vae_eligibility_submit").exists()


def test_period_ending_before_it_starts_or_in_the_future_is_refused():
    draft, _staff = vae_draft()
    with pytest.raises(ValidationError) as error:
        add(draft, date(2024, 5, 1), date(2024, 4, 1))
    assert "se termine avant de commencer" in str(error.value)
    with pytest.raises(ValidationError) as error:
        add(draft, date(2024, 5, 1), TODAY + timedelta(days=1))
    assert "futur" in str(error.value)
    with pytest.raises(ValidationError) as error:
        add(draft, TODAY + timedelta(days=3), None)
    assert "futur" in str(error.value)
    assert not ExperiencePeriod.objects.filter(candidacy=draft).exists()


def test_blocks_of_another_certification_are_refused_those_of_this_one_kept():
    draft, _staff = vae_draft()
    other = certification_with_blocks(blocks=1).blocks.get()
    own = draft.certification.blocks.order_by("position")[0]
    with pytest.raises(ValidationError) as error:
        add(draft, date(2024, 1, 1), date(2024, 6, 1), blocks=[own, other])
    assert other.code in str(error.value)
    period = add(draft, date(2024, 1, 1), date(2024, 6, 1), blocks=[own], activities="Réglage des machines")
    assert list(period.blocks.all()) == [own]
    period = services.vae_period_update(period=period, by=draft.candidate.user, end=date(2024, 12, 31), today=TODAY)
    assert period.end == date(2024, 12, 31) and period.activities == "Réglage des machines"
    services.vae_period_remove(period=period, by=draft.candidate.user)
    assert not draft.experience_periods.exists()


def test_under_one_year_is_refused_with_months_covered_and_missing():
    draft, _staff = vae_draft()
    add(draft, date(2025, 1, 1), date(2025, 6, 30))
    proof(draft)
    with pytest.raises(ValidationError) as error:
        services.vae_eligibility_submit(candidacy=draft, by=draft.candidate.user, today=TODAY)
    message = str(error.value)
    assert "5 mois (181 jours)" in message and "il manque 184 jours" in message
    assert not VaeEligibility.objects.exists()
    draft.refresh_from_db()
    assert draft.state == "DRAFT"


def test_a_proof_is_required():
    draft, _staff = vae_draft()
    fourteen_months(draft)
    with pytest.raises(ValidationError) as error:
        services.vae_eligibility_submit(candidacy=draft, by=draft.candidate.user, today=TODAY)
    assert "justificatif" in str(error.value)
    assert not VaeEligibility.objects.exists()


def test_one_active_file_periods_locked_while_examined():
    eligibility, _staff = submitted()
    candidacy = eligibility.candidacy
    with pytest.raises(ValidationError) as error:
        services.vae_eligibility_submit(candidacy=candidacy, by=candidacy.candidate.user, today=TODAY)
    assert "en cours d'examen" in str(error.value)
    with pytest.raises(ValidationError):
        add(candidacy, date(2020, 1, 1), date(2020, 6, 1))
    assert VaeEligibility.objects.filter(candidacy=candidacy).count() == 1


def test_incomplete_then_resubmitted_keeps_history_then_admissible():
    eligibility, staff = submitted()
    candidacy = eligibility.candidacy
    with pytest.raises(ValidationError) as error:
        services.vae_eligibility_decide(eligibility=eligibility, by=staff, decision="INCOMPLETE")
    assert "motifs" in str(error.value)
    services.vae_eligibility_decide(
        eligibility=eligibility, by=staff, decision="INCOMPLETE", reasons="Joignez le certificat de l'usine B."
    )
    candidacy.refresh_from_db()
    assert candidacy.state == "SUBMITTED"
    proof(candidacy, name="usine-b.pdf")
    second = services.vae_eligibility_submit(candidacy=candidacy, by=candidacy.candidate.user, today=TODAY)
    assert second.version == 2
    history = selectors.vae_eligibility_history(candidacy)
    assert [(e.version, e.state) for e in history] == [(2, "SUBMITTED"), (1, "INCOMPLETE")]
    assert history[1].reasons == "Joignez le certificat de l'usine B."
    with pytest.raises(ValidationError):
        services.vae_eligibility_decide(eligibility=history[1], by=staff, decision="ADMISSIBLE")
    services.vae_eligibility_decide(eligibility=second, by=staff, decision="ADMISSIBLE")
    candidacy.refresh_from_db()
    assert candidacy.state == "ADMISSIBLE"
    assert CandidacyEvent.objects.filter(candidacy=candidacy, name="declare_admissible", by=staff).exists()


def test_inadmissible_needs_reasons_and_closes_the_candidacy():
    eligibility, staff = submitted()
    with pytest.raises(ValidationError):
        services.vae_eligibility_decide(eligibility=eligibility, by=staff, decision="INADMISSIBLE", reasons=" ")
    services.vae_eligibility_decide(
        eligibility=eligibility, by=staff, decision="INADMISSIBLE", reasons="Expérience sans rapport avec le CQP."
    )
    candidacy = eligibility.candidacy
    candidacy.refresh_from_db()
    assert candidacy.state == "INADMISSIBLE"
    assert candidacy.events.get(name="declare_inadmissible").comment == "Expérience sans rapport avec le CQP."


@pytest.mark.parametrize("who", ["candidate", "employer", "assessor", "other_staff", "stranger"])
def test_only_the_certifier_decides(who):
    eligibility, _staff = submitted()
    candidacy = eligibility.candidacy
    user = {
        "candidate": lambda: candidacy.candidate.user,
        "employer": lambda: member(UserFactory(), Role.EMPLOYER, organisation=candidacy.employer),
        "assessor": lambda: member(UserFactory(), Role.ASSESSOR, organisation=candidacy.assessment_centre),
        "other_staff": lambda: member(
            UserFactory(), Role.CERTIFIER_STAFF, certifier=certification_with_blocks().certifiers.get()
        ),
        "stranger": lambda: member(UserFactory(), Role.EMPLOYER, organisation=OrganisationFactory()),
    }[who]()
    with pytest.raises(PermissionDenied):
        services.vae_eligibility_decide(eligibility=eligibility, by=user, decision="ADMISSIBLE")
    eligibility.refresh_from_db()
    assert eligibility.state == "SUBMITTED"


def test_employer_may_not_declare_periods():
    draft, _staff = vae_draft()
    employer = member(UserFactory(), Role.EMPLOYER, organisation=draft.employer)
    with pytest.raises(PermissionDenied):
        services.vae_period_add(
            candidacy=draft, by=employer, start=date(2024, 1, 1), end=None, job_title="Agent", today=TODAY
        )


def test_dossier_every_block_described_then_submitted():
    eligibility, staff = submitted()
    services.vae_eligibility_decide(eligibility=eligibility, by=staff, decision="ADMISSIBLE")
    candidacy = eligibility.candidacy
    candidate = candidacy.candidate.user
    blocks = [cb.block for cb in candidacy.blocks.select_related("block").order_by("block__position")]
    evidence = proof(candidacy, name="photos-atelier.pdf")
    with pytest.raises(ValidationError) as error:
        services.vae_dossier_save(candidacy=candidacy, by=candidate, block=blocks[0], narrative="  ")
    assert "Décrivez" in str(error.value)
    services.vae_dossier_save(
        candidacy=candidacy, by=candidate, block=blocks[0], narrative="J'ai réglé les lignes.", documents=[evidence]
    )
    with pytest.raises(ValidationError) as error:
        services.vae_dossier_submit(candidacy=candidacy, by=candidate)
    assert blocks[1].code in str(error.value) and blocks[0].code not in str(error.value)
    for block in blocks[1:]:
        services.vae_dossier_save(candidacy=candidacy, by=candidate, block=block, narrative="Expérience décrite.")
    services.vae_dossier_save(candidacy=candidacy, by=candidate, block=blocks[0], narrative="Version revue.")
    assert VaeDossierEntry.objects.filter(candidacy=candidacy).count() == len(blocks)
    services.vae_dossier_submit(candidacy=candidacy, by=candidate)
    candidacy.refresh_from_db()
    assert candidacy.state == "DOSSIER_SUBMITTED"
    with pytest.raises(ValidationError):
        services.vae_dossier_save(candidacy=candidacy, by=candidate, block=blocks[0], narrative="Trop tard.")


def test_dossier_before_admissibility_is_refused():
    eligibility, _staff = submitted()
    candidacy = eligibility.candidacy
    block = candidacy.blocks.first().block
    with pytest.raises(ValidationError) as error:
        services.vae_dossier_save(candidacy=candidacy, by=candidacy.candidate.user, block=block, narrative="Texte")
    assert "recevable" in str(error.value)


def test_a_filed_recevabilite_is_decided_through_it_not_by_the_bare_transition():
    eligibility, staff = submitted()
    candidacy = eligibility.candidacy
    with pytest.raises(ValidationError) as error:
        candidacy_services.candidacy_transition(candidacy=candidacy, name="declare_admissible", by=staff)
    assert "dossier de recevabilité" in str(error.value)
    services.vae_eligibility_decide(eligibility=eligibility, by=staff, decision="ADMISSIBLE")
    candidacy.refresh_from_db()
    assert candidacy.state == "ADMISSIBLE"


def test_the_api_file_reads_in_a_fixed_number_of_queries(django_assert_max_num_queries, client):
    eligibility, staff = submitted()
    client.force_login(staff)
    with django_assert_max_num_queries(9):
        response = client.get(f"/api/v1/candidacies/{eligibility.candidacy_id}/vae-eligibility/")
    assert response.status_code == 200 and len(response.json()["periods"]) == 2
