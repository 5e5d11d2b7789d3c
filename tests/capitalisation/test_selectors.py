"""Holdings and passerelles: transitive equivalences, loops, expiry, ranking, the batch and new candidacies."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cqp.candidacies.services import held_block_ids
from cqp.capitalisation import selectors
from cqp.capitalisation.models import HeldBlock
from cqp.catalogue.models import Block, BlockEquivalence
from tests.candidacies.factories import CandidateFactory, candidacy
from tests.catalogue.factories import CertificationFactory

from .factories import cqp, hold, link

pytestmark = pytest.mark.django_db


def test_an_equivalence_chain_is_followed_and_a_loop_ends():
    _a, (a1, a2) = cqp(blocks=2, title="A")
    _b, (b1,) = cqp(blocks=1, title="B")
    _c, (c1, c2) = cqp(blocks=2, title="C")
    link(a1, b1, "COMMON")
    link(b1, c1, "VERSION")
    link(c1, a1)  # closes a loop A ≡ B ≡ C ≡ A
    person = CandidateFactory()
    hold(person, a1)
    assert held_block_ids(person) == {a1.pk, b1.pk, c1.pk}
    found = {h.block.code: h for h in selectors.holdings(person)}
    assert set(found) == {a1.code, b1.code, c1.code}
    assert found[a1.code].source == "EARLIER"
    assert found[b1.code].source == found[c1.code].source == "EQUIVALENCE"
    assert found[b1.code].via == a1 and found[b1.code].kind == "COMMON"
    assert found[c1.code].via == a1  # reached in one step through the loop's closing link
    assert a2.code not in found and c2.code not in found


def test_a_chain_gives_the_block_at_its_far_end():
    _a, (a1,) = cqp(blocks=1)
    _b, (b1,) = cqp(blocks=1)
    _c, (c1,) = cqp(blocks=1)
    link(a1, b1)
    link(c1, b1)  # stated the other way round: equivalences hold both ways
    person = CandidateFactory()
    hold(person, a1)
    found = {h.block.code: h for h in selectors.holdings(person)}
    assert found[c1.code].chain == [a1.code, b1.code, c1.code]


def test_an_expired_block_is_shown_and_does_not_count():
    _a, (a1, a2) = cqp(blocks=2)
    _b, (b1,) = cqp(blocks=1)
    link(a1, b1)
    person = CandidateFactory()
    hold(person, a1, obtained_on=date(2015, 1, 1), expires_on=date.today() - timedelta(days=1))
    hold(person, a2, obtained_on=date(2024, 1, 1), expires_on=date.today())
    [expired, in_force] = selectors.holdings(person)
    assert (expired.block, expired.in_force, expired.expires_on) == (a1, False, date.today() - timedelta(days=1))
    assert (in_force.block, in_force.in_force) == (a2, True)
    assert held_block_ids(person) == {a2.pk}
    [row] = selectors.passerelles_for(person)
    assert (row.held_blocks, row.missing_blocks) == ([a2.code], [a1.code])


def test_a_new_candidacy_on_a_new_version_targets_only_the_missing_blocks():
    old, (o1, o2, _o3) = cqp(blocks=3)
    new, (n1, n2, n3) = cqp(blocks=3)
    link(o1, n1, "VERSION")
    link(o2, n2, "VERSION")
    person = CandidateFactory()
    hold(person, o1, o2)
    draft = candidacy(candidate=person, certification=new)
    assert dict(draft.blocks.values_list("block__code", "status")) == {
        n1.code: "exempted",
        n2.code: "exempted",
        n3.code: "to_acquire",
    }
    again = candidacy(candidate=person, certification=old)
    assert again.blocks.filter(status="to_acquire").get().block.code == _o3.code


def test_passerelles_rank_by_coverage_then_title_and_keep_what_is_held_whole():
    _a, (a1, a2) = cqp(blocks=2, title="Zinc")
    _b, (b1, b2, b3, b4) = cqp(blocks=4, title="Bois")
    _c, (c1, c2, c3, c4) = cqp(blocks=4, title="Acier")
    link(a1, b1)
    link(a2, b2)
    link(a1, c1)
    link(a2, c2)
    link(b3, c3)
    person = CandidateFactory()
    hold(person, a1, a2)
    rows = selectors.passerelles_for(person)
    assert [(r.title, r.coverage) for r in rows] == [("Zinc", 1.0), ("Acier", 0.5), ("Bois", 0.5)]
    assert rows[0].complete and not rows[1].complete
    assert rows[1].held_blocks == [c1.code, c2.code] and rows[1].missing_blocks == [c3.code, c4.code]


def test_a_block_dropped_by_the_registry_is_not_counted():
    certification, (a1, a2, a3) = cqp(blocks=3)
    Block.objects.filter(pk=a3.pk).update(source="REGISTRY", in_registry=False)
    person = CandidateFactory()
    hold(person, a1)
    [row] = selectors.passerelles_for(person)
    assert (row.held_blocks, row.missing_blocks) == ([a1.code], [a2.code])


def test_passerelles_take_one_query_whatever_is_held(django_assert_num_queries):
    person = CandidateFactory()
    with django_assert_num_queries(1):
        assert selectors.passerelles_for(person) == []
    _a, blocks = cqp(blocks=6)
    for block in blocks:
        other, (target, _t) = cqp(blocks=2)
        link(block, target)
    hold(person, *blocks)
    with django_assert_num_queries(1):
        assert len(selectors.passerelles_for(person)) == 7
    with django_assert_num_queries(4):
        assert len(selectors.holdings(person)) == 12


def test_the_fiche_sees_which_certifications_its_blocks_count_for():
    a, (a1, a2) = cqp(blocks=2)
    b, (b1, b2, b3) = cqp(blocks=3, title="Bois")
    _c, (c1,) = cqp(blocks=1, title="Cuivre")
    link(a1, b1)
    link(a2, b2)
    link(b1, c1)
    shared = selectors.certification_shared_with(a)
    assert [(s.code, s.blocks, s.total) for s in shared] == [(b.code, 2, 3), (_c.code, 1, 1)]


def test_the_batch_gives_what_each_person_sees():
    _a, (a1, a2, a3) = cqp(blocks=3)
    _b, (b1, b2) = cqp(blocks=2)
    link(a1, b1)
    first, second, third = CandidateFactory(), CandidateFactory(), CandidateFactory()
    hold(first, a1)
    hold(second, a2, a3, b2)
    hold(third, a1, expires_on=date.today() - timedelta(days=1))
    batch = dict(selectors.passerelles_batch())
    assert set(batch) == {first.pk, second.pk}
    for person in (first, second):
        assert batch[person.pk] == selectors.passerelles_for(person)


# --- Properties over random catalogues -------------------------------------------------------------

catalogues = st.fixed_dictionaries(
    {
        "sizes": st.lists(st.integers(1, 4), min_size=1, max_size=5),
        "links": st.lists(st.tuples(st.integers(0, 19), st.integers(0, 19)), max_size=12),
        "held": st.lists(st.integers(0, 19), min_size=1, max_size=5, unique=True),
    }
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(catalogue=catalogues)
def test_coverage_and_blocks_hold_for_any_catalogue(catalogue):
    HeldBlock.objects.all().delete()
    BlockEquivalence.objects.all().delete()
    Block.objects.all().delete()
    certifications = [
        CertificationFactory(code=f"RNCP8{i:04d}", title=f"CQP {chr(65 + (i * 7) % 26)}")
        for i in range(len(catalogue["sizes"]))
    ]
    blocks = [
        Block.objects.create(certification=c, code=f"{c.code}BC{n:02d}", position=n, title="Bloc")
        for c, size in zip(certifications, catalogue["sizes"], strict=True)
        for n in range(1, size + 1)
    ]
    for x, y in catalogue["links"]:
        a, b = blocks[x % len(blocks)], blocks[y % len(blocks)]
        BlockEquivalence.objects.get_or_create(
            certification=a.certification,
            block=a,
            target_certification_code=b.certification.code,
            target_block_code=b.code,
            defaults={"target_block": b},
        )
    person = CandidateFactory()
    held = {blocks[i % len(blocks)] for i in catalogue["held"]}
    HeldBlock.objects.bulk_create(
        HeldBlock(candidate=person, block=b, source="EARLIER", obtained_on=date(2024, 1, 1)) for b in held
    )
    rows = selectors.passerelles_for(person)
    covered = held_block_ids(person)
    assert rows
    for row in rows:
        assert 0 < row.coverage <= 1
        own = list(Block.objects.filter(certification_id=row.certification_id).order_by("position", "code"))
        assert sorted(row.held_blocks + row.missing_blocks) == sorted(b.code for b in own)
        assert set(row.held_blocks) == {b.code for b in own if b.pk in covered}
    keys = [(-r.coverage, r.title, r.code) for r in rows]
    assert keys == sorted(keys)
    assert {b.certification_id for b in held} <= {r.certification_id for r in rows}
    assert dict(selectors.passerelles_batch())[person.pk] == rows
