"""Writes of certifier staff on the catalogue: permissions, validation, audit, derived fields."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership, User
from cqp.catalogue import enums, services
from cqp.catalogue.models import Block, BlockEquivalence, Certification, CertificationLineage, EvaluationCriterion
from cqp.catalogue.permissions import certifications_editable_by
from cqp.core.models import AuditEvent
from tests.catalogue.factories import BlockFactory, BranchFactory, CertificationFactory, CertifierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def uimm():
    return CertifierFactory(siret="78471719100018", name="UIMM")


@pytest.fixture
def ocapiat():
    return CertifierFactory(siret="84475200600024", name="OCAPIAT")


def staff_of(certifier, email):
    user = User.objects.create_user(email, "demo-cqp-2026")
    Membership.objects.create(user=user, role=Role.CERTIFIER_STAFF, certifier=certifier)
    return user


@pytest.fixture
def alice(uimm):
    return staff_of(uimm, "alice@uimm.example")


@pytest.fixture
def bob(ocapiat):
    return staff_of(ocapiat, "bob@ocapiat.example")


def create(by, certifier, **kwargs):
    kwargs.setdefault("title", "CQP Opérateur de production")
    kwargs.setdefault("kind", enums.CertificationKind.CQP)
    return services.certification_create(by=by, certifier=certifier, **kwargs)


def trail(certification):
    return list(
        AuditEvent.objects.filter(object_type="catalogue.certification", object_id=str(certification.pk)).order_by("id")
    )


def snapshot():
    """Every row a service may write, to prove a refusal wrote nothing."""
    return (
        Certification.objects.count(),
        Block.objects.count(),
        EvaluationCriterion.objects.count(),
        BlockEquivalence.objects.count(),
        AuditEvent.objects.count(),
        sorted(Certification.objects.values_list("code", "title", "search_text")),
    )


# --------------------------------------------------------------------------- create


def test_unregistered_cqps_get_platform_codes_in_sequence(alice, uimm):
    first = create(alice, uimm)
    second = create(alice, uimm, title="CQP Régleur")
    assert (first.code, second.code) == ("CQP-00001", "CQP-00002")
    assert first.registry == "NONE" and first.source == "PLATFORM"
    assert list(first.certifiers.all()) == [uimm]


def test_platform_codes_are_never_reused_after_a_deletion(alice, uimm):
    create(alice, uimm)
    second = create(alice, uimm, title="CQP Régleur")
    second.delete()
    assert create(alice, uimm, title="CQP Monteur").code == "CQP-00003"


def test_platform_codes_follow_codes_already_in_the_catalogue(alice, uimm):
    CertificationFactory(code="CQP-00041", registry="NONE")
    assert create(alice, uimm).code == "CQP-00042"


def test_create_writes_an_audit_row_with_what_was_created(alice, uimm):
    certification = create(alice, uimm, reason="Nouveau CQP de la branche")
    (event,) = trail(certification)
    assert event.actor == alice
    assert event.action == "certification.create"
    assert event.before is None
    assert event.after["code"] == "CQP-00001"
    assert event.after["title"] == "CQP Opérateur de production"
    assert event.reason == "Nouveau CQP de la branche"


def test_create_registered_in_rncp_opens_vae_and_cpf(alice, uimm):
    certification = create(alice, uimm, registry="RNCP", code=" rncp99123 ", level=3, access_routes=["FC", "VAE"])
    assert certification.code == "RNCP99123"
    assert certification.vae_open and certification.cpf_eligible
    assert certification.level_code == "NIV3"


def test_create_in_rs_is_cpf_eligible_but_never_opens_vae(alice, uimm):
    certification = create(alice, uimm, registry="RS", code="RS9912", access_routes=["VAE"])
    assert certification.cpf_eligible and not certification.vae_open


def test_unregistered_cqp_opens_neither_vae_nor_cpf(alice, uimm):
    certification = create(alice, uimm, access_routes=["VAE", "FC"])
    assert not certification.vae_open and not certification.cpf_eligible


def test_create_fills_search_text_folded(alice, uimm):
    certification = create(alice, uimm, title="CQP Opérateur Électricité")
    assert "operateur electricite" in certification.search_text
    assert "cqp 00001" in certification.search_text


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"registry": "RNCP", "code": "RNCP12"}, "code", "RNCP suivi de 3 à 6 chiffres"),
        ({"registry": "RNCP", "code": "RS1234"}, "code", "n'est pas un code RNCP"),
        ({"registry": "RS", "code": "RS123456"}, "code", "RS suivi de 3 à 5 chiffres"),
        ({"registry": "RNCP", "code": ""}, "code", "Saisissez le code"),
        ({"registry": "NONE", "code": "RNCP12345"}, "code", "laissez le code vide"),
        ({"title": "   "}, "title", "Renseignez"),
        ({"level": 9}, "level", "de 1 à 8"),
        ({"registry": "RS", "code": "RS9876", "level": 3}, "level", "Répertoire spécifique n'a pas de niveau"),
        ({"kind": "BTS"}, "kind", "Choisissez le type"),
        ({"access_routes": ["XX"]}, "access_routes", "Voie d'accès inconnue"),
    ],
)
def test_invalid_input_is_refused_in_french_and_writes_nothing(alice, uimm, kwargs, field, words):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        create(alice, uimm, **kwargs)
    assert words in " ".join(error.value.message_dict[field])
    assert snapshot() == before


def test_an_existing_registry_code_is_refused(alice, uimm):
    CertificationFactory(code="RNCP36086")
    with pytest.raises(ValidationError) as error:
        create(alice, uimm, registry="RNCP", code="RNCP36086", level=3)
    assert "existe déjà" in error.value.message_dict["code"][0]


def test_staff_create_only_for_their_own_certifier(alice, ocapiat):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        create(alice, ocapiat)
    assert snapshot() == before


def test_a_user_without_membership_cannot_create(uimm):
    nobody = User.objects.create_user("nobody@example.org", "demo-cqp-2026")
    Membership.objects.create(user=nobody, role=Role.ASSESSOR, certifier=uimm)
    with pytest.raises(PermissionDenied):
        create(nobody, uimm)


def test_platform_admin_creates_for_any_certifier(ocapiat):
    admin = User.objects.create_superuser("admin@example.org", "demo-cqp-2026")
    assert create(admin, ocapiat).certifiers.get() == ocapiat


# --------------------------------------------------------------------------- permissions


def test_editable_certifications_are_those_of_the_staff_certifier(alice, bob, uimm, ocapiat):
    mine = create(alice, uimm)
    theirs = create(bob, ocapiat)
    shared = CertificationFactory(code="RNCP41679")
    shared.certifiers.add(uimm, ocapiat)
    assert set(certifications_editable_by(alice)) == {mine, shared}
    assert set(certifications_editable_by(bob)) == {theirs, shared}
    admin = User.objects.create_superuser("admin@example.org", "demo-cqp-2026")
    assert set(certifications_editable_by(admin)) >= {mine, theirs, shared}


def test_staff_of_another_certifier_can_change_nothing(alice, bob, uimm):
    certification = create(alice, uimm)
    block = services.block_create(certification=certification, by=alice, title="Bloc 1")
    criterion = services.criterion_create(block=block, by=alice, text="Le poste est préparé")
    branch, foreign_block = BranchFactory(), BlockFactory()
    before = snapshot()
    attempts = [
        lambda: services.certification_update(certification=certification, by=bob, title="Piraté"),
        lambda: services.certification_set_branches(certification=certification, by=bob, branches=[branch]),
        lambda: services.block_create(certification=certification, by=bob, title="Bloc pirate"),
        lambda: services.block_update(block=block, by=bob, title="Piraté"),
        lambda: services.block_move(block=block, by=bob, direction="down"),
        lambda: services.block_delete(block=block, by=bob),
        lambda: services.criterion_create(block=block, by=bob, text="Pirate"),
        lambda: services.criterion_update(criterion=criterion, by=bob, text="Pirate"),
        lambda: services.criterion_delete(criterion=criterion, by=bob),
        lambda: services.equivalence_create(block=block, target_block=foreign_block, by=bob),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert snapshot() == before


# --------------------------------------------------------------------------- update


def test_update_changes_the_fields_given_and_audits_before_after(alice, uimm):
    certification = create(alice, uimm, access_routes=["FC"])
    updated = services.certification_update(
        certification=certification, by=alice, title="CQP Opérateur régleur", level=3, reason="Actualisation"
    )
    assert updated.title == "CQP Opérateur régleur" and updated.level == 3
    assert "operateur regleur" in updated.search_text
    event = trail(certification)[-1]
    assert event.action == "certification.update"
    assert event.before == {"title": "CQP Opérateur de production", "level": None}
    assert event.after == {"title": "CQP Opérateur régleur", "level": 3}
    assert event.reason == "Actualisation"


def test_update_refreshes_rights(alice, uimm):
    certification = create(alice, uimm, registry="RNCP", code="RNCP99001", level=3, access_routes=["FC"])
    assert not certification.vae_open
    certification = services.certification_update(certification=certification, by=alice, access_routes=["FC", "VAE"])
    assert certification.vae_open
    certification = services.certification_update(certification=certification, by=alice, active=False)
    assert not certification.vae_open and not certification.cpf_eligible
    certification.refresh_from_db()
    assert not certification.vae_open and not certification.cpf_eligible


def test_update_without_change_writes_no_audit_row(alice, uimm):
    certification = create(alice, uimm)
    services.certification_update(certification=certification, by=alice, title=certification.title)
    assert len(trail(certification)) == 1


def test_invalid_update_writes_nothing(alice, uimm):
    certification = create(alice, uimm)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.certification_update(certification=certification, by=alice, title="Nouveau titre", level=12)
    assert "level" in error.value.message_dict
    assert snapshot() == before


def test_registry_fiche_facts_are_read_only_but_branches_can_be_set(alice, uimm):
    fiche = CertificationFactory(code="RNCP36086", source="REGISTRY", title="CQP Ajusteur assembleur")
    fiche.certifiers.add(uimm)
    with pytest.raises(ValidationError) as error:
        services.certification_update(certification=fiche, by=alice, title="Autre titre")
    assert "importée du répertoire" in error.value.messages[0]
    metallurgie = BranchFactory(slug="metallurgie", name="Métallurgie")
    services.certification_set_branches(certification=fiche, by=alice, branches=[metallurgie])
    assert list(fiche.branches.all()) == [metallurgie]
    event = trail(fiche)[-1]
    assert (event.before, event.after) == ({"branches": []}, {"branches": ["metallurgie"]})


# --------------------------------------------------------------------------- blocks and competencies


def test_block_codes_follow_the_certification_code(alice, uimm):
    certification = create(alice, uimm)
    first = services.block_create(certification=certification, by=alice, title="Préparer la production")
    second = services.block_create(certification=certification, by=alice, title="Conduire la production")
    assert (first.code, second.code) == ("CQP-00001BC01", "CQP-00001BC02")
    assert (first.position, second.position) == (1, 2)
    services.block_delete(block=second, by=alice)
    assert services.block_create(certification=certification, by=alice, title="Contrôler").code == "CQP-00001BC02"


def test_block_competencies_are_ordered_and_searchable(alice, uimm):
    certification = create(alice, uimm)
    block = services.block_create(
        certification=certification,
        by=alice,
        title="Préparer la production",
        competencies="Lire un ordre de fabrication\n\n  Régler   la machine \nLire un ordre de fabrication",
    )
    assert [c.text for c in block.competencies.all()] == ["Lire un ordre de fabrication", "Régler la machine"]
    certification.refresh_from_db()
    assert "preparer la production" in certification.search_text
    assert "regler la machine" in certification.search_text
    event = trail(certification)[-1]
    assert event.action == "block.create"
    assert event.after["competencies"] == ["Lire un ordre de fabrication", "Régler la machine"]


def test_block_update_replaces_the_competency_list_and_audits_it(alice, uimm):
    certification = create(alice, uimm)
    block = services.block_create(certification=certification, by=alice, title="Bloc", competencies=["A", "B"])
    services.block_set_competencies(block=block, by=alice, competencies=["B", "C soudure"])
    assert [c.text for c in block.competencies.all()] == ["B", "C soudure"]
    assert [c.position for c in block.competencies.all()] == [1, 2]
    certification.refresh_from_db()
    assert "c soudure" in certification.search_text
    event = trail(certification)[-1]
    assert event.before == {"block": block.code, "competencies": ["A", "B"]}
    assert event.after == {"block": block.code, "competencies": ["B", "C soudure"]}


def test_block_move_swaps_with_its_neighbour(alice, uimm):
    certification = create(alice, uimm)
    a, b, c = (services.block_create(certification=certification, by=alice, title=t) for t in "ABC")
    services.block_move(block=c, by=alice, direction="up")
    assert list(certification.blocks.order_by("position").values_list("title", flat=True)) == ["A", "C", "B"]
    services.block_move(block=a, by=alice, direction="up")  # already first: nothing moves
    assert list(certification.blocks.order_by("position").values_list("title", flat=True)) == ["A", "C", "B"]
    event = trail(certification)[-1]
    assert event.action == "block.move"
    assert event.after["order"] == [a.code, c.code, b.code]


def test_block_delete_takes_its_criteria_and_common_links(alice, bob, uimm, ocapiat):
    certification = create(alice, uimm)
    block = services.block_create(certification=certification, by=alice, title="Bloc commun")
    services.criterion_create(block=block, by=alice, text="Critère")
    other = create(bob, ocapiat, title="CQP voisin")
    other_block = services.block_create(certification=other, by=bob, title="Bloc voisin")
    services.equivalence_create(block=block, target_block=other_block, by=alice)
    services.block_delete(block=block, by=alice, reason="Erreur de saisie")
    assert not Block.objects.filter(pk=block.pk).exists()
    assert not EvaluationCriterion.objects.filter(block_id=block.pk).exists()
    assert not BlockEquivalence.objects.exists()
    assert trail(certification)[-1].before["criteria"] == ["Critère"]
    assert trail(other)[-1].action == "equivalence.delete"


def test_registry_blocks_are_read_only_but_take_criteria_and_extra_blocks(alice, uimm):
    fiche = CertificationFactory(code="RNCP36086", source="REGISTRY")
    fiche.certifiers.add(uimm)
    registry_block = BlockFactory(certification=fiche, code="RNCP36086BC01", position=1, source="REGISTRY")
    for attempt in (
        lambda: services.block_update(block=registry_block, by=alice, title="Autre"),
        lambda: services.block_delete(block=registry_block, by=alice),
        lambda: services.block_move(block=registry_block, by=alice, direction="down"),
    ):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert "vient du répertoire" in error.value.messages[0]
    criterion = services.criterion_create(block=registry_block, by=alice, text="Le rivetage est conforme")
    assert criterion.block == registry_block
    extra = services.block_create(certification=fiche, by=alice, title="Bloc propre à la branche")
    assert extra.code == "RNCP36086PF01" and extra.position == 2 and extra.source == "PLATFORM"


# --------------------------------------------------------------------------- criteria


def test_criteria_are_ordered_mandatory_or_not_and_audited(alice, uimm):
    certification = create(alice, uimm)
    block = services.block_create(certification=certification, by=alice, title="Bloc")
    first = services.criterion_create(block=block, by=alice, text="Les consignes de sécurité sont appliquées")
    optional = services.criterion_create(block=block, by=alice, text="Une amélioration est proposée", mandatory=False)
    head = services.criterion_create(block=block, by=alice, text="Le poste est préparé", position=1)
    assert list(block.criteria.order_by("position").values_list("text", "mandatory")) == [
        ("Le poste est préparé", True),
        ("Les consignes de sécurité sont appliquées", True),
        ("Une amélioration est proposée", False),
    ]
    services.criterion_update(criterion=optional, by=alice, mandatory=True, position=1)
    assert list(block.criteria.order_by("position").values_list("pk", flat=True)) == [optional.pk, head.pk, first.pk]
    event = trail(certification)[-1]
    assert event.action == "criterion.update"
    assert event.before == {"block": block.code, "mandatory": False, "position": 3}
    assert event.after == {"block": block.code, "mandatory": True, "position": 1}
    services.criterion_delete(criterion=head, by=alice)
    assert list(block.criteria.order_by("position").values_list("position", flat=True)) == [1, 2]
    assert trail(certification)[-1].before["text"] == "Le poste est préparé"


def test_empty_criterion_is_refused_and_writes_nothing(alice, uimm):
    block = services.block_create(certification=create(alice, uimm), by=alice, title="Bloc")
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.criterion_create(block=block, by=alice, text="  ")
    assert "Renseignez" in error.value.message_dict["text"][0]
    with pytest.raises(ValidationError):
        services.criterion_create(block=block, by=alice, text="Critère", position=5)
    assert snapshot() == before


# --------------------------------------------------------------------------- equivalences


def test_common_block_is_declared_both_ways(alice, bob, uimm, ocapiat):
    cqpi = create(alice, uimm, kind="CQPI", title="CQPI Conducteur d'équipements industriels")
    other = create(bob, ocapiat, kind="CQPI", title="CQPI Opérateur de maintenance industrielle")
    block = services.block_create(certification=cqpi, by=alice, title="Communiquer en situation professionnelle")
    target = services.block_create(certification=other, by=bob, title="Communiquer en situation professionnelle")
    equivalence = services.equivalence_create(block=block, target_block=target, by=alice)
    reverse = BlockEquivalence.objects.get(certification=other)
    assert (equivalence.target_certification_code, equivalence.target_block_code) == (other.code, target.code)
    assert (reverse.block, reverse.target_block, reverse.kind) == (target, block, "COMMON")
    assert trail(cqpi)[-1].after == {
        "block": block.code,
        "target_certification": other.code,
        "target_block": target.code,
        "kind": "COMMON",
    }
    assert trail(other)[-1].action == "equivalence.create"
    services.equivalence_delete(equivalence=equivalence, by=alice)
    assert not BlockEquivalence.objects.exists()


def test_one_way_correspondence_has_no_reverse(alice, uimm):
    cqp = create(alice, uimm)
    block = services.block_create(certification=cqp, by=alice, title="Bloc")
    target = BlockFactory()
    services.equivalence_create(block=block, target_block=target, by=alice, kind="EQUIVALENT")
    assert BlockEquivalence.objects.count() == 1


def test_equivalence_refusals(alice, uimm):
    cqp = create(alice, uimm)
    block = services.block_create(certification=cqp, by=alice, title="Bloc 1")
    sibling = services.block_create(certification=cqp, by=alice, title="Bloc 2")
    target = BlockFactory()
    services.equivalence_create(block=block, target_block=target, by=alice)
    before = snapshot()
    for other, words in ((block, "lui-même"), (sibling, "même certification"), (target, "déjà déclarée")):
        with pytest.raises(ValidationError) as error:
            services.equivalence_create(block=block, target_block=other, by=alice)
        assert words in error.value.message_dict["target_block"][0]
    assert snapshot() == before


def test_registry_correspondences_cannot_be_withdrawn(alice, uimm):
    fiche = CertificationFactory(source="REGISTRY")
    fiche.certifiers.add(uimm)
    block = BlockFactory(certification=fiche, source="REGISTRY")
    equivalence = BlockEquivalence.objects.create(
        certification=fiche, block=block, target_certification_code="RNCP1234", source="REGISTRY"
    )
    with pytest.raises(ValidationError):
        services.equivalence_delete(equivalence=equivalence, by=alice)
    assert BlockEquivalence.objects.filter(pk=equivalence.pk).exists()


# --------------------------------------------------------------------------- lineage


def test_a_new_version_replaces_the_old_one_and_both_trails_say_so(alice, uimm):
    old = create(alice, uimm, registry="RNCP", code="RNCP38116", level=3, active=False)
    new = create(alice, uimm, registry="RNCP", code="RNCP41789", level=3)
    services.lineage_create(old=old, new=new, by=alice)
    assert CertificationLineage.objects.filter(old_code="RNCP38116", new_code="RNCP41789").exists()
    assert trail(new)[-1].after == {"replaces": "RNCP38116"}
    assert trail(old)[-1].after == {"replaced_by": "RNCP41789"}
    before = snapshot()
    for args, words in (({"old": old, "new": new}, "remplace déjà"), ({"old": new, "new": new}, "elle-même")):
        with pytest.raises(ValidationError) as error:
            services.lineage_create(by=alice, **args)
        assert words in error.value.messages[0]
    assert snapshot() == before
