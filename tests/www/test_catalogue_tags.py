"""Display helpers of the catalogue pages: registry texts, levels, SIRET."""

from types import SimpleNamespace

import pytest

from cqp.www.templatetags.catalogue_tags import level_display, registry_text, siret_display


def test_registry_text_splits_flattened_bullets_into_a_list():
    flat = "Le titulaire :   - prépare les pièces   - soude   - contrôle"
    assert (
        registry_text(flat)
        == "<p>Le titulaire :</p><ul><li>prépare les pièces</li><li>soude</li><li>contrôle</li></ul>"
    )


def test_registry_text_keeps_paragraphs_and_escapes():
    assert registry_text("Un <b>texte</b>\nSecond   Troisième") == (
        "<p>Un &lt;b&gt;texte&lt;/b&gt;</p><p>Second</p><p>Troisième</p>"
    )


@pytest.mark.parametrize("value", ["", None, "   "])
def test_registry_text_empty(value):
    assert registry_text(value) == ""


@pytest.mark.parametrize(
    ("level", "expected"),
    [(3, "Niveau 3 (CEC 3)"), (8, "Niveau 8 (CEC 8)"), (None, "Sans niveau")],
)
def test_level_display(level, expected):
    assert level_display(SimpleNamespace(level=level, level_code="REPRISE" if level is None else "")) == expected


def test_siret_display():
    assert siret_display("77567135600025") == "775 671 356 00025"
    assert siret_display("ABC") == "ABC"
    assert siret_display(None) == ""
