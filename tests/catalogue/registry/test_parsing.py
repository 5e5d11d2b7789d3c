import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cqp.catalogue.registry import parsing

# Dates ---------------------------------------------------------------------------------------


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31)))
def test_dates_in_the_export_form_and_iso_form_read_back(day):
    assert parsing.parse_date(day.strftime("%d/%m/%Y")) == day
    assert parsing.parse_date(f"  {day:%d/%m/%Y}\t") == day
    assert parsing.parse_date(day.isoformat()) == day
    assert parsing.parse_date(f"{day:%d/%m/%Y} 00:00:00") == day


@pytest.mark.parametrize("blank", [None, "", "   ", "\t"])
def test_blank_dates_are_none(blank):
    assert parsing.parse_date(blank) is None


@pytest.mark.parametrize("bad", ["31/02/2024", "2024/13/01", "hier", "32/01/2020", "01/2020"])
def test_unreadable_dates_are_refused(bad):
    with pytest.raises(ValueError, match="date"):
        parsing.parse_date(bad)


# SIRET ---------------------------------------------------------------------------------------


@given(
    st.from_regex(r"[0-9]{14}", fullmatch=True),
    st.sampled_from(["", "\t", " ", "\t ", "\u00a0"]),
    st.sampled_from(["", "\t", " ", "\r\n"]),
)
def test_siret_keeps_fourteen_digits_whatever_the_whitespace(siret, before, after):
    assert parsing.parse_siret(f"{before}{siret}{after}") == siret


def test_siret_with_tab_inside_quotes_as_in_the_csv_export():
    assert parsing.parse_siret("\t78466840200018") == "78466840200018"
    assert parsing.parse_siret("784 668 402 00018") == "78466840200018"


@given(st.text(alphabet="0123456789ABC", min_size=1, max_size=20).filter(lambda s: not (len(s) == 14 and s.isdigit())))
def test_anything_but_fourteen_digits_is_not_a_siret(value):
    with pytest.raises(ValueError, match="SIRET"):
        parsing.parse_siret(value)


def test_blank_siret_is_none():
    assert parsing.parse_siret("") is None
    assert parsing.parse_siret(None) is None
    assert parsing.parse_siret("\t") is None


# Levels --------------------------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=8))
def test_levels_of_the_national_framework(level):
    assert parsing.parse_level(f"NIV{level}") == (level, f"NIV{level}")
    assert parsing.parse_level(f" niv{level} ") == (level, f"niv{level}")


@pytest.mark.parametrize("raw", ["REPRISE", "", "NIV0", "NIV9", "Sans niveau"])
def test_no_level_keeps_the_raw_code(raw):
    assert parsing.parse_level(raw) == (None, raw)


@given(st.text(max_size=12))
def test_level_is_none_or_within_one_to_eight(raw):
    level, code = parsing.parse_level(raw)
    assert level is None or 1 <= level <= 8
    assert code == parsing.clean_text(raw)


# Booleans ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["Oui", "OUI", "oui", "ACTIVE", "Actif", "true", "1"])
def test_yes_values(value):
    assert parsing.parse_bool(value) is True


@pytest.mark.parametrize("value", ["Non", "NON", "INACTIVE", "Inactif", "false", "0"])
def test_no_values(value):
    assert parsing.parse_bool(value) is False


def test_blank_boolean_is_none_and_garbage_is_refused():
    assert parsing.parse_bool("") is None
    assert parsing.parse_bool(None) is None
    with pytest.raises(ValueError):
        parsing.parse_bool("peut-être")


@given(st.sampled_from(sorted(parsing.TRUE_WORDS | parsing.FALSE_WORDS)), st.sampled_from(["", " ", "\t"]))
def test_booleans_ignore_case_and_whitespace(word, pad):
    assert parsing.parse_bool(f"{pad}{word.upper()}{pad}") is (word in parsing.TRUE_WORDS)


# Numbers, codes, texts -----------------------------------------------------------------------


def test_numbers():
    assert parsing.parse_int("876") == 876
    assert parsing.parse_int("76,4 %") == 76
    assert parsing.parse_int("") is None
    with pytest.raises(ValueError):
        parsing.parse_int("NC")
    with pytest.raises(ValueError):
        parsing.parse_int("-3")


def test_registry_codes_are_normalised():
    assert parsing.normalize_code(" rncp19468 ") == "RNCP19468"
    assert parsing.normalize_code("RS 6117") == "RS6117"
    assert parsing.normalize_code("RNCP019468") == "RNCP19468"
    assert parsing.normalize_code("19468") is None
    assert parsing.normalize_code("CQP-00001") is None
    assert parsing.registry_of("RS6117") == "RS"
    assert parsing.registry_of("RNCP19468") == "RNCP"


def test_doubled_apostrophes_of_the_csv_export():
    assert parsing.clean_text("Management et ingénierie d''affaires", doubled_apostrophes=True) == (
        "Management et ingénierie d'affaires"
    )
    assert parsing.clean_text("d''affaires") == "d''affaires"


def test_code_prefix_of_csv_labels():
    assert parsing.strip_code_prefix("251 : Mécanique générale", "251") == "Mécanique générale"
    assert parsing.strip_code_prefix("Boulangerie", "21538") == "Boulangerie"


# Competencies --------------------------------------------------------------------------------


def test_competencies_flattened_with_dashes():
    text = "- Analyser le dossier de l'affaire  - Proposer une ou plusieurs solutions  - Comparer plusieurs solutions"
    assert parsing.split_competencies(text) == [
        "Analyser le dossier de l'affaire",
        "Proposer une ou plusieurs solutions",
        "Comparer plusieurs solutions",
    ]


def test_competencies_flattened_with_runs_of_spaces_keep_inner_line_breaks_together():
    text = "- Valider une solution   technique  - Renseigner la maquette numérique du projet"
    assert parsing.split_competencies(text) == [
        "Valider une solution technique",
        "Renseigner la maquette numérique du projet",
    ]


def test_competencies_with_bullets_numbers_and_codes():
    assert parsing.split_competencies("• Accueillir • Conseiller\n* Vendre") == ["Accueillir", "Conseiller", "Vendre"]
    assert parsing.split_competencies("1. Préparer la séance   2) Animer la séance") == [
        "Préparer la séance",
        "Animer la séance",
    ]
    # Competency codes name the competency: they stay.
    assert parsing.split_competencies("A1C1. Evaluer le contexte        A1C2.Apprécier les incidences") == [
        "A1C1. Evaluer le contexte",
        "A1C2.Apprécier les incidences",
    ]


def test_a_dash_inside_a_sentence_is_not_a_bullet():
    text = "Piloter son activité en intégrant les enjeux de l’entreprise - en particulier la rentabilité"
    assert parsing.split_competencies(text) == [text]


def test_empty_competencies():
    assert parsing.split_competencies("") == []
    assert parsing.split_competencies(None) == []
    assert parsing.split_competencies("  -   -  ") == []


_first = st.sampled_from("ABCDEFGHIJKLMNOPRSTUVÉ")
_rest = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàçô', ()/", min_size=2, max_size=40)
competency = st.builds(
    lambda first, second, rest: first + second + rest, _first, st.sampled_from("aeiouré"), _rest
).map(lambda text: " ".join(text.split()))


@given(
    st.lists(competency, min_size=1, max_size=12),
    st.sampled_from(["   ", "  - ", "\n", " • ", "      * ", "  ", "\n- "]),
    st.sampled_from(["", "- ", "• "]),
)
def test_flattened_lists_split_back_into_their_items(items, separator, lead):
    assert parsing.split_competencies(lead + separator.join(items)) == items
