"""The évaluation préalable: who records it, what it must cover, revisions with history, what remains to train."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cqp.accounts.enums import Role
from cqp.assessments import selectors, services
from cqp.assessments.models import Positioning
from cqp.candidacies.enums import BlockStatus, State
from cqp.candidacies.models import CandidacyBlock, CandidacyEvent
from tests.candidacies.factories import OrganisationFactory, UserFactory, admin_user, candidacy_in_state, member

from .training_helpers import admissible, codes, people, position

pytestmark = pytest.mark.django_db

ACQ, PART, TODO = "ACQUIRED", "PARTLY", "TO_ACQUIRE"


def test_the_training_org_positions_and_the_candidacy_moves_to_positioned():
    candidacy = admissible(blocks=2)
    org = people(candidacy)["training_org"]
    first, second = codes(candidacy)

    positioning = services.positioning_record(
        candidacy=candidacy,
        by=org,
        results={first: ("ACQUIRED", "Trois ans au poste"), second: ("TO_ACQUIRE", "")},
        comment="Entretien du 3 janvier",
    )

    candidacy.refresh_from_db()
    assert candidacy.state == State.POSITIONED
    assert positioning.version == 1 and positioning.is_current
    assert {r.block.code: (r.result, r.comment) for r in positioning.results.all()} == {
        first: ("ACQUIRED", "Trois ans au poste"),
        second: ("TO_ACQUIRE", ""),
    }
    assert [b.code for b in selectors.positioning_remaining_blocks(candidacy)] == [second]
    # Positioning proposes; acquisition comes from assessment and jury.
    assert set(candidacy.blocks.values_list("status", flat=True)) == {BlockStatus.TO_ACQUIRE}
    names = list(CandidacyEvent.objects.filter(candidacy=candidacy).values_list("name", flat=True))
    assert names[-2:] == ["positioning", "record_positioning"]


def test_certifier_staff_may_position_too():
    candidacy = admissible(blocks=1)
    position(candidacy, people(candidacy)["certifier"], TODO)
    candidacy.refresh_from_db()
    assert candidacy.state == State.POSITIONED


@pytest.mark.parametrize("role", ["candidate", "employer", "assessor"])
def test_other_roles_may_not_position(role):
    candidacy = admissible(blocks=1)
    with pytest.raises(PermissionDenied):
        position(candidacy, people(candidacy)[role], TODO)
    assert not Positioning.objects.exists()


def test_another_training_org_may_not_position():
    candidacy = admissible(blocks=1)
    outsider = member(UserFactory(), Role.TRAINING_ORG, organisation=OrganisationFactory(training_org=True))
    with pytest.raises(PermissionDenied):
        position(candidacy, outsider, TODO)


def test_every_targeted_block_needs_one_result_and_nothing_is_saved_otherwise():
    candidacy = admissible(blocks=2)
    org = people(candidacy)["training_org"]
    first, second = codes(candidacy)

    with pytest.raises(ValidationError) as missing:
        services.positioning_record(candidacy=candidacy, by=org, results={first: (ACQ, "")})
    assert second in " ".join(missing.value.messages)
    with pytest.raises(ValidationError) as unknown:
        services.positioning_record(
            candidacy=candidacy, by=org, results={first: (ACQ, ""), second: (TODO, ""), "RNCP00000BC09": (TODO, "")}
        )
    assert "RNCP00000BC09" in " ".join(unknown.value.messages)
    with pytest.raises(ValidationError) as wrong:
        services.positioning_record(candidacy=candidacy, by=org, results={first: ("PEUT-ÊTRE", ""), second: (TODO, "")})
    assert "acquis" in " ".join(wrong.value.messages)

    candidacy.refresh_from_db()
    assert candidacy.state == State.ADMISSIBLE
    assert not Positioning.objects.exists()


def test_exempted_blocks_are_not_positioned():
    candidacy = admissible(blocks=2)
    first, second = codes(candidacy)
    CandidacyBlock.objects.filter(candidacy=candidacy, block__code=first).update(status=BlockStatus.EXEMPTED)
    org = people(candidacy)["training_org"]

    with pytest.raises(ValidationError):
        services.positioning_record(candidacy=candidacy, by=org, results={first: (ACQ, ""), second: (TODO, "")})
    positioning = services.positioning_record(candidacy=candidacy, by=org, results={second: (TODO, "")})
    assert [r.block.code for r in positioning.results.all()] == [second]


def test_a_revision_is_a_new_version_with_its_reason_and_the_history_is_kept():
    candidacy = admissible(blocks=2)
    org = people(candidacy)["training_org"]
    first, second = codes(candidacy)
    position(candidacy, org, ACQ, TODO)

    with pytest.raises(ValidationError) as no_reason:
        services.positioning_record(candidacy=candidacy, by=org, results={first: (TODO, ""), second: (TODO, "")})
    assert "motif de la révision" in " ".join(no_reason.value.messages)

    revised = services.positioning_record(
        candidacy=candidacy,
        by=org,
        results={first: (PART, "À consolider"), second: (TODO, "")},
        revision_reason="Mise en situation moins concluante que l'entretien",
    )
    history = selectors.positioning_history(candidacy)
    assert [(p.version, p.is_current) for p in history] == [(2, True), (1, False)]
    assert revised.revision_reason == "Mise en situation moins concluante que l'entretien"
    assert {r.block.code: r.result for r in history[1].results.all()} == {first: ACQ, second: TODO}
    assert selectors.positioning_current(candidacy).pk == revised.pk
    candidacy.refresh_from_db()
    assert candidacy.state == State.POSITIONED
    assert CandidacyEvent.objects.filter(candidacy=candidacy, name="positioning").count() == 2


@pytest.mark.parametrize(("train_partly", "expected"), [(True, [1, 2]), (False, [2])])
def test_partly_acquired_blocks_are_trained_only_when_the_branch_wants(train_partly, expected):
    candidacy = admissible(blocks=3, train_partly_acquired=train_partly)
    position(candidacy, people(candidacy)["training_org"], PART, TODO, ACQ)
    all_codes = codes(candidacy)
    assert [b.code for b in selectors.positioning_remaining_blocks(candidacy)] == [all_codes[i - 1] for i in expected]


def test_nothing_remains_before_a_positioning():
    assert selectors.positioning_remaining_blocks(admissible(blocks=1)) == []


def test_positioning_is_refused_on_the_vae_path_and_before_admissibility():
    vae = candidacy_in_state("ADMISSIBLE", path="VAE")
    with pytest.raises(ValidationError) as refused:
        position(vae, admin_user(), *[TODO] * len(codes(vae)))
    assert "voie de la formation" in " ".join(refused.value.messages)
    submitted = candidacy_in_state("SUBMITTED")
    with pytest.raises(ValidationError) as early:
        position(submitted, admin_user(), *[TODO] * len(codes(submitted)))
    assert "Déposée" in " ".join(early.value.messages)


def document_of(candidacy, by):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cqp.candidacies.services import document_upload

    pdf = SimpleUploadedFile("attestation.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    return document_upload(candidacy=candidacy, by=by, kind="EXPERIENCE", uploaded_file=pdf)


def test_a_result_may_point_to_evidence_of_the_same_candidacy_only():
    candidacy = admissible(blocks=1)
    org = people(candidacy)["training_org"]
    (code,) = codes(candidacy)
    other = admissible(blocks=1)
    foreign = document_of(other, other.candidate.user)
    with pytest.raises(ValidationError) as refused:
        services.positioning_record(candidacy=candidacy, by=org, results={code: (ACQ, "", foreign)})
    assert "une pièce déposée sur cette candidature" in " ".join(refused.value.messages)
    assert not Positioning.objects.exists()

    proof = document_of(candidacy, candidacy.candidate.user)
    positioning = services.positioning_record(candidacy=candidacy, by=org, results={code: (ACQ, "Certificat", proof)})
    assert positioning.results.get().evidence == proof
