"""Search by word starts: the indexed path of each database returns what the portable rule returns."""

import pytest
from django.db.models import Q

from cqp.catalogue.models import Certification
from cqp.catalogue.search import build_search_text
from cqp.catalogue.selectors import certification_list
from tests.catalogue.factories import CertificationFactory

pytestmark = pytest.mark.django_db


def portable(words):
    qs = Certification.objects.all()
    for word in words:
        qs = qs.filter(Q(search_text__startswith=word) | Q(search_text__contains=f" {word}"))
    return set(qs.values_list("code", flat=True))


@pytest.fixture
def fiches():
    for code, title in [
        ("RNCP90001", "CQP Soudeur industriel"),
        ("RNCP90002", "Soudage à l'arc et brasage"),
        ("RNCP90003", "Électricité industrielle de maintenance"),
        ("RS9001", "Conducteur de ligne automatisée"),
    ]:
        CertificationFactory(code=code, title=title)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("soud", {"RNCP90001", "RNCP90002"}),
        ("SOUDAGE", {"RNCP90002"}),
        ("oudage", set()),  # the middle of a word is not a word start
        ("electricite", {"RNCP90003"}),
        ("industriel", {"RNCP90001", "RNCP90003"}),
        ("conducteur de ligne", {"RS9001"}),
        ("rs9001", {"RS9001"}),
        ("90001", set()),
        ("l arc", {"RNCP90002"}),
    ],
)
def test_word_starts(fiches, query, expected):
    assert set(certification_list(q=query).values_list("code", flat=True)) == expected
    assert portable(query.lower().replace("é", "e").split()) == expected


def test_index_follows_edits_and_deletions(fiches):
    certification = Certification.objects.get(code="RS9001")
    certification.search_text = build_search_text(code="RS9001", title="Tourier en boulangerie")
    certification.save(update_fields=["search_text"])
    assert list(certification_list(q="tourier").values_list("code", flat=True)) == ["RS9001"]
    assert not certification_list(q="conducteur").exists()
    certification.delete()
    assert not certification_list(q="tourier").exists()


def test_sqlite_word_index_is_repaired_when_its_triggers_are_lost(fiches):
    from django.db import connection

    from cqp.catalogue.search import ensure_sqlite_word_index

    if connection.vendor != "sqlite":
        assert ensure_sqlite_word_index(connection) is False
        return
    assert ensure_sqlite_word_index(connection) is False  # intact after migrate: nothing to do
    with connection.cursor() as cursor:
        # What a table rebuild by a later migration does to the triggers.
        cursor.execute("DROP TRIGGER catalogue_certification_words_ai")
    assert ensure_sqlite_word_index(connection) is True
    CertificationFactory(code="RS9002", title="Tourier en boulangerie")
    assert list(certification_list(q="tourier").values_list("code", flat=True)) == ["RS9002"]
