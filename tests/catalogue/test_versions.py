"""New versions of a CQP: copy, lineage, block correspondences, retirement, moving candidacies."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership, User
from cqp.candidacies.enums import BlockStatus, State
from cqp.candidacies.models import Candidacy, CandidacyBlock, CandidacyEvent
from cqp.catalogue import enums, services
from cqp.catalogue.models import Block, BlockEquivalence, CertificationLineage
from cqp.core.models import AuditEvent
from tests.candidacies.factories import candidacy as make_candidacy
from tests.catalogue.factories import BranchFactory, CertifierFactory

pytestmark = pytest.mark.django_db
VERSION = enums.EquivalenceKind.VERSION


def staff_of(certifier, email):
    user = User.objects.create_user(email, "demo-cqp-2026")
    Membership.objects.create(user=user, role=Role.CERTIFIER_STAFF, certifier=certifier)
    return user


@pytest.fixture
def certifier():
    return CertifierFactory(name="CPNE de la métallurgie")


@pytest.fixture
def alice(certifier):
    return staff_of(certifier, "alice@cpne.example")


@pytest.fixture
def bob():
    return staff_of(CertifierFactory(name="Autre CPNE"), "bob@autre.example")


def make_old(by, certifier, *, blocks=3):
    branch = BranchFactory()
    old = services.certification_create(
        by=by,
        certifier=certifier,
        title="CQP Opérateur régleur",
        kind=enums.CertificationKind.CQP,
        level=3,
        branches=[branch],
        access_routes=["FC", "CQ"],
        objectives="Régler et conduire des machines.",
    )
    for n in range(1, blocks + 1):
        block = services.block_create(
            certification=old, by=by, title=f"Bloc {n}", competencies=[f"Compétence {n}.1", f"Compétence {n}.2"]
        )
        services.criterion_create(block=block, by=by, text=f"Critère {n}", mandatory=n % 2 == 1)
    return old


def open_version(new, by):
    return services.certification_update(certification=new, by=by, active=True)


def actions(certification):
    return list(
        AuditEvent.objects.filter(object_type="catalogue.certification", object_id=str(certification.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# --------------------------------------------------------------------------- new version


def test_new_version_copies_everything_and_records_lineage(alice, certifier):
    old = make_old(alice, certifier)
    new = services.certification_new_version(certification=old, by=alice)
    assert new.code.startswith("CQP-") and new.code != old.code
    assert new.title == old.title and new.level == 3 and new.kind == old.kind
    assert new.objectives == old.objectives and new.access_routes == ["FC", "CQ"]
    assert not new.active  # in preparation
    assert list(new.certifiers.all()) == [certifier]
    assert list(new.branches.all()) == list(old.branches.all())
    old_blocks, new_blocks = list(old.blocks.order_by("position")), list(new.blocks.order_by("position"))
    assert [b.title for b in new_blocks] == [b.title for b in old_blocks]
    assert [b.code for b in new_blocks] == [f"{new.code}BC0{n}" for n in (1, 2, 3)]
    for a, b in zip(old_blocks, new_blocks, strict=True):
        assert [c.text for c in b.competencies.all()] == [c.text for c in a.competencies.all()]
        assert [(c.text, c.mandatory) for c in b.criteria.all()] == [(c.text, c.mandatory) for c in a.criteria.all()]
    assert CertificationLineage.objects.filter(old_code=old.code, new_code=new.code).exists()
    # Each copied block takes over its source.
    pairs = set(BlockEquivalence.objects.filter(kind=VERSION).values_list("block__code", "target_block__code"))
    assert pairs == {(b.code, a.code) for a, b in zip(old_blocks, new_blocks, strict=True)}
    assert "certification.new_version" in actions(new) and "equivalence.create" in actions(new)
    assert "lineage.create" in actions(old)


def test_new_version_with_a_registry_code_and_title(alice, certifier):
    old = make_old(alice, certifier, blocks=1)
    new = services.certification_new_version(certification=old, by=alice, code="rncp41001", title="CQP Régleur")
    assert (new.code, new.registry, new.title) == ("RNCP41001", enums.Registry.RNCP, "CQP Régleur")
    with pytest.raises(ValidationError, match="existe déjà"):
        services.certification_new_version(certification=old, by=alice, code="RNCP41001")
    with pytest.raises(ValidationError, match="n'est pas un code RNCP ou RS"):
        services.certification_new_version(certification=old, by=alice, code="ABC12")


def test_another_certifier_cannot_make_a_new_version(alice, bob, certifier):
    old = make_old(alice, certifier, blocks=1)
    with pytest.raises(PermissionDenied):
        services.certification_new_version(certification=old, by=bob)


def test_proposals_match_same_code_or_same_title_and_leave_the_rest(alice, certifier):
    old = make_old(alice, certifier)
    new = services.certification_new_version(certification=old, by=alice)
    for eq in BlockEquivalence.objects.filter(certification=new):
        services.block_equivalence_remove(equivalence=eq, by=alice)
    extra = services.block_create(certification=new, by=alice, title="Bloc entièrement nouveau")
    services.block_update(block=new.blocks.get(position=2), by=alice, title="Bloc 3")  # renamed like old BC03
    declared = services.version_equivalences_propose(old=old, new=new, by=alice)
    pairs = {(e.block.code, e.target_block_code) for e in declared}
    assert (f"{new.code}BC01", f"{old.code}BC01") in pairs
    assert (f"{new.code}BC02", f"{old.code}BC03") in pairs  # same title wins
    assert extra.code not in {a for a, _ in pairs}


# --------------------------------------------------------------------------- equivalences


def test_refusals_self_same_certification_duplicate_loop_and_ambiguity(alice, certifier):
    old = make_old(alice, certifier)
    new = services.certification_new_version(certification=old, by=alice)
    a1, a2 = old.blocks.order_by("position")[:2]
    b1, b2 = new.blocks.order_by("position")[:2]
    with pytest.raises(ValidationError, match="équivalent à lui-même"):
        services.block_equivalence_declare(block=b1, target_block=b1, kind=VERSION, by=alice)
    with pytest.raises(ValidationError, match="même certification"):
        services.block_equivalence_declare(block=b1, target_block=b2, kind=VERSION, by=alice)
    with pytest.raises(ValidationError, match="déjà déclarée"):
        services.block_equivalence_declare(block=b1, target_block=a1, kind=VERSION, by=alice)
    # Given old → new, the pair is recognised the right way round: still a duplicate.
    with pytest.raises(ValidationError, match="déjà déclarée"):
        services.block_equivalence_declare(block=a1, target_block=b1, kind=VERSION, by=alice)
    with pytest.raises(ValidationError, match="ne reprend qu'un seul ancien bloc"):
        services.block_equivalence_declare(block=b1, target_block=a2, kind=VERSION, by=alice)
    # A split (one old block into two new ones) is allowed.
    extra = services.block_create(certification=new, by=alice, title="Deuxième partie du bloc 1")
    services.block_equivalence_declare(block=extra, target_block=a1, kind=VERSION, by=alice)
    # A loop: with lineage both ways, an old block cannot take over the new block that takes it over.
    CertificationLineage.objects.create(old_code=new.code, new_code=old.code)
    before = BlockEquivalence.objects.count()
    with pytest.raises(ValidationError, match="boucle"):
        services.block_equivalence_declare(block=a1, target_block=b1, kind=VERSION, by=alice)
    assert BlockEquivalence.objects.count() == before


def test_version_equivalence_needs_two_versions(alice, certifier):
    one, other = make_old(alice, certifier, blocks=1), make_old(alice, certifier, blocks=1)
    with pytest.raises(ValidationError, match="n'est pas déclarée comme nouvelle version"):
        services.block_equivalence_declare(
            block=one.blocks.get(), target_block=other.blocks.get(), kind=VERSION, by=alice
        )
    # Other kinds keep their own rules.
    services.block_equivalence_declare(
        block=one.blocks.get(), target_block=other.blocks.get(), kind=enums.EquivalenceKind.COMMON, by=alice
    )
    assert BlockEquivalence.objects.filter(kind=enums.EquivalenceKind.COMMON).count() == 2


# --------------------------------------------------------------------------- retirement


def test_retire_refuses_new_candidacies_from_the_date_naming_the_new_version(alice, certifier):
    old = make_old(alice, certifier)
    new = services.certification_new_version(certification=old, by=alice)
    # While the new version is in preparation, the old one takes candidacies.
    assert make_candidacy(certification=old).state == State.DRAFT
    tomorrow = date.today() + timedelta(days=1)
    old = services.certification_retire(certification=old, by=alice, on=tomorrow, replaced_by=new)
    new = open_version(new, alice)
    assert make_candidacy(certification=old).state == State.DRAFT  # until the date
    old = services.certification_retire(certification=old, by=alice, on=date.today())
    with pytest.raises(ValidationError, match=f"remplacée par {new.code}"):
        make_candidacy(certification=old)
    assert make_candidacy(certification=new).state == State.DRAFT
    assert "certification.retire" in actions(old)


def test_retire_records_the_lineage_and_refuses_bad_input(alice, bob, certifier):
    one, other = make_old(alice, certifier, blocks=1), make_old(alice, certifier, blocks=1)
    with pytest.raises(ValidationError, match="se remplacer elle-même"):
        services.certification_retire(certification=one, by=alice, on=date.today(), replaced_by=one)
    with pytest.raises(ValidationError, match="Indiquez la date"):
        services.certification_retire(certification=one, by=alice, on=None)
    with pytest.raises(PermissionDenied):
        services.certification_retire(certification=one, by=bob, on=date.today())
    services.certification_retire(certification=one, by=alice, on=date(2030, 1, 1), replaced_by=other)
    one.refresh_from_db()
    assert one.retired_on == date(2030, 1, 1)
    assert CertificationLineage.objects.filter(old_code=one.code, new_code=other.code).exists()


# --------------------------------------------------------------------------- moving candidacies


def set_statuses(candidacy, statuses):
    for row, status in zip(candidacy.blocks.order_by("block__position"), statuses, strict=False):
        row.status = status
        row.save()


def versions(alice, certifier, blocks=3):
    old = make_old(alice, certifier, blocks=blocks)
    new = services.certification_new_version(certification=old, by=alice)
    return old, new


def test_migration_maps_statuses_adds_new_blocks_and_logs(alice, certifier):
    old, new = versions(alice, certifier)
    added = services.block_create(certification=new, by=alice, title="Bloc nouveau")
    c = make_candidacy(certification=old)
    set_statuses(c, [BlockStatus.ACQUIRED, BlockStatus.EXEMPTED, BlockStatus.TO_ACQUIRE])
    plans = services.candidacies_migrate(old=old, new=new, by=alice, candidacies=[c])
    c.refresh_from_db()
    assert c.certification == new and plans[0].movable
    statuses = dict(c.blocks.values_list("block__code", "status"))
    assert statuses == {
        f"{new.code}BC01": BlockStatus.ACQUIRED,
        f"{new.code}BC02": BlockStatus.EXEMPTED,
        f"{new.code}BC03": BlockStatus.TO_ACQUIRE,
        added.code: BlockStatus.TO_ACQUIRE,
    }
    event = CandidacyEvent.objects.get(candidacy=c, name="version_migrate")
    assert event.by == alice and event.data["from"] == old.code and event.data["to"] == new.code
    assert event.data["added"] == [added.code]
    assert "candidacies.migrate" in actions(old) and "candidacies.migrate" in actions(new)


def test_migration_reports_unmapped_blocks_and_keeps_acquired_ones(alice, certifier):
    old, new = versions(alice, certifier)
    dropped = BlockEquivalence.objects.get(certification=new, target_block__position=3)
    services.block_equivalence_remove(equivalence=dropped, by=alice)
    c = make_candidacy(certification=old)
    plan = services.candidacy_moves(old=old, new=new, candidacies=[c])[0]
    assert [row.block.code for row in plan.unmapped] == [f"{old.code}BC03"]
    # An acquired block with no successor keeps the candidacy on its version.
    set_statuses(c, [BlockStatus.TO_ACQUIRE, BlockStatus.TO_ACQUIRE, BlockStatus.ACQUIRED])
    with pytest.raises(ValidationError, match="n'a pas de correspondance"):
        services.candidacies_migrate(old=old, new=new, by=alice, candidacies=[c])
    c.refresh_from_db()
    assert c.certification == old


@pytest.mark.parametrize("state", [State.DECIDED, State.DELIVERED, State.CLOSED, State.SCHEDULED_FOR_JURY])
def test_migration_refuses_candidacies_past_the_jury_atomically(alice, certifier, state):
    old, new = versions(alice, certifier)
    movable, past = make_candidacy(certification=old), make_candidacy(certification=old)
    Candidacy.objects.filter(pk=past.pk).update(state=state)
    rows_before = list(CandidacyBlock.objects.order_by("pk").values_list("pk", "block_id", "status"))
    with pytest.raises(ValidationError, match=f"n° {past.pk}"):
        services.candidacies_migrate(old=old, new=new, by=alice, candidacies=[movable, past])
    assert list(CandidacyBlock.objects.order_by("pk").values_list("pk", "block_id", "status")) == rows_before
    assert set(Candidacy.objects.values_list("certification_id", flat=True)) == {old.pk}
    assert not CandidacyEvent.objects.filter(name="version_migrate").exists()
    # Without a list, those that can move do, the others are reported.
    plans = services.candidacies_migrate(old=old, new=new, by=alice)
    assert {p.candidacy.pk: p.movable for p in plans} == {movable.pk: True, past.pk: False}
    assert Candidacy.objects.get(pk=past.pk).certification == old


def test_migration_of_another_certifiers_candidacies_is_refused(alice, bob, certifier):
    old, new = versions(alice, certifier, blocks=1)
    c = make_candidacy(certification=old)
    with pytest.raises(PermissionDenied):
        services.candidacies_migrate(old=old, new=new, by=bob, candidacies=[c])


STATUSES = [BlockStatus.TO_ACQUIRE, BlockStatus.EXEMPTED, BlockStatus.ACQUIRED, BlockStatus.NOT_ACQUIRED]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    statuses=st.lists(st.sampled_from(STATUSES), min_size=4, max_size=4),
    # For each new block: the old block it takes over, or none.
    mapping=st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=3)), min_size=1, max_size=6),
)
def test_migration_never_loses_an_acquired_block_that_has_a_mapping(alice, certifier, statuses, mapping):
    old = make_old(alice, certifier, blocks=4)
    new = services.certification_new_version(certification=old, by=alice)
    BlockEquivalence.objects.filter(certification=new).delete()
    Block.objects.filter(certification=new).delete()
    old_blocks = list(old.blocks.order_by("position"))
    for n, source in enumerate(mapping, start=1):
        block = services.block_create(certification=new, by=alice, title=f"Nouveau {n}")
        if source is not None:
            services.block_equivalence_declare(block=block, target_block=old_blocks[source], kind=VERSION, by=alice)
    c = make_candidacy(certification=old)
    set_statuses(c, statuses)
    successors = {}
    for eq in BlockEquivalence.objects.filter(certification=new, kind=VERSION):
        successors.setdefault(eq.target_block_id, []).append(eq.block_id)
    try:
        services.candidacies_migrate(old=old, new=new, by=alice, candidacies=[c])
    except ValidationError:
        # Refused only for an acquired or exempted block without successor; then nothing moved.
        assert any(
            s in (BlockStatus.ACQUIRED, BlockStatus.EXEMPTED) and b.pk not in successors
            for b, s in zip(old_blocks, statuses, strict=True)
        )
        assert Candidacy.objects.get(pk=c.pk).certification == old
        return
    after = dict(CandidacyBlock.objects.filter(candidacy=c).values_list("block_id", "status"))
    for block, status in zip(old_blocks, statuses, strict=True):
        for new_id in successors.get(block.pk, []):
            assert after[new_id] == status
    assert set(after) == set(new.blocks.values_list("pk", flat=True))
