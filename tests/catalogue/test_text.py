from hypothesis import given
from hypothesis import strategies as st

from cqp.core.text import fold, search_words


def test_fold_removes_accents_case_and_punctuation():
    assert fold("Électricité — Maintenance d’Équipements") == "electricite maintenance d equipements"
    assert fold("Œuvre") == "oeuvre"
    assert fold(None) == ""


@given(st.text())
def test_fold_is_idempotent_and_ascii(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert all(c.isascii() for c in folded)


def test_search_words_are_distinct_and_bounded():
    assert search_words("Tourier tourier TOURIER boulangerie") == ["tourier", "boulangerie"]
    assert len(search_words(" ".join(f"mot{i}" for i in range(50)))) == 10
