"""Parsers for the values of France compétences' exports, quirks included.

Each parser turns a blank value into None and raises ValueError on a value it cannot read,
so that the readers can report the field and the fiche instead of storing a wrong fact.
"""

import datetime
import re

from cqp.catalogue import enums

_DATE_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SPACES = re.compile(r"\s+")
_LEVEL = re.compile(r"(?:NIV(?:EAU)?)\s*(\d+)", re.IGNORECASE)
_CODE = re.compile(r"(RNCP|RS)\s*0*(\d+)", re.IGNORECASE)

TRUE_WORDS = frozenset({"oui", "o", "yes", "y", "true", "vrai", "1", "active", "actif", "actifs"})
FALSE_WORDS = frozenset({"non", "n", "no", "false", "faux", "0", "inactive", "inactif", "inactifs"})


def clean_text(value, *, doubled_apostrophes=False) -> str:
    """Stripped text; the CSV export doubles apostrophes (`d''affaires`), the XML does not."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if doubled_apostrophes:
        text = text.replace("''", "'")
    return text


def parse_date(value) -> datetime.date | None:
    """`DD/MM/YYYY` (the export's form), also `YYYY-MM-DD`; a time part is ignored."""
    text = clean_text(value)
    if not text:
        return None
    head = text.split()[0].split("T")[0]
    if match := _DATE_DMY.fullmatch(head):
        day, month, year = (int(g) for g in match.groups())
    elif match := _DATE_ISO.fullmatch(head):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ValueError(f"date illisible « {text} » / unreadable date")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"date impossible « {text} » / impossible date") from None


def parse_siret(value) -> str | None:
    """Fourteen digits. The CSV export puts a TAB inside the quotes; spaces are dropped too."""
    text = _SPACES.sub("", str(value or "")).replace("\u00a0", "").replace("\u202f", "")
    if not text:
        return None
    if len(text) == 14 and text.isdigit():
        return text
    raise ValueError(f"SIRET invalide « {text[:30]} » (14 chiffres attendus) / invalid SIRET (14 digits expected)")


def parse_bool(value) -> bool | None:
    """`Oui`/`Non` (XML), `ACTIVE`/`INACTIVE` (CSV), `Actif`/`Inactif` (states)."""
    text = clean_text(value).lower()
    if not text:
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(f"valeur oui/non illisible « {text[:30]} » / unreadable yes/no value")


def parse_level(value) -> tuple[int | None, str]:
    """`NIV3` → (3, "NIV3"). `REPRISE` (no level in the national framework) or blank → (None, raw)."""
    code = clean_text(value)
    match = _LEVEL.fullmatch(code)
    if match and 1 <= int(match.group(1)) <= 8:
        return int(match.group(1)), code
    return None, code


def parse_int(value) -> int | None:
    """A count or a rate: `876`, `76`, `76,5 %` (rounded); negative values are refused."""
    text = clean_text(value).replace("%", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        number = round(float(text))
    except ValueError:
        raise ValueError(f"nombre illisible « {text[:30]} » / unreadable number") from None
    if number < 0:
        raise ValueError(f"nombre négatif « {text[:30]} » / negative number")
    return number


def normalize_code(value) -> str | None:
    """`RNCP 019468`, `rncp19468` → `RNCP19468`; None when it is not a registry code."""
    match = _CODE.fullmatch(clean_text(value))
    if not match:
        return None
    return f"{match.group(1).upper()}{int(match.group(2))}"


def registry_of(code: str) -> str:
    return enums.Registry.RS if code.startswith("RS") else enums.Registry.RNCP


def strip_code_prefix(label: str, code: str) -> str:
    """The CSV labels repeat the code: `251 : Mécanique générale` → `Mécanique générale`."""
    for separator in (" : ", " - ", ": ", " :"):
        prefix = f"{code}{separator}"
        if label.startswith(prefix):
            return label[len(prefix) :].strip()
    return label


# Competencies: the export flattens bullet lists into one line, items separated by runs of spaces.
_STRONG_BULLET = r"[•▪◦●○■□➢➤►✓✔]"  # never inside a sentence
_WEAK_BULLET = r"[-*·–—]"  # a dash may be punctuation: a bullet only after a break
_NUMBER = r"(?:\d{1,2}|[a-z])\s?[.)]\s|\d{1,2}\s?[:-]\s"
# A new item starts after a newline, before a bullet glyph, or after two spaces or more when what
# follows looks like the start of an item (a dash, a number, a capital letter). Runs of spaces
# before a lower-case word are line breaks flattened inside one item ("une solution   technique").
_ITEM_BREAK = re.compile(
    rf"\s*\n\s*|\s*(?={_STRONG_BULLET})|\s{{2,}}(?=(?:{_WEAK_BULLET})\s|{_NUMBER}|[A-ZÀ-ÖØ-Þ0-9«\"(])"
)
_ITEM_PREFIX = re.compile(rf"^(?:(?:{_STRONG_BULLET}|{_WEAK_BULLET})\s*|{_NUMBER})+")
_HAS_WORD = re.compile(r"\w")


def split_competencies(value) -> list[str]:
    """Split a flattened LISTE_COMPETENCES back into its competencies, in order.

    Bullets (-, •, *…) and list numbers (1., 2), a)) are removed; codes such as `A1C1.` that
    name a competency are kept. Inner runs of spaces are collapsed.
    """
    text = clean_text(value)
    if not text:
        return []
    items = []
    for chunk in _ITEM_BREAK.split(text):
        item = _ITEM_PREFIX.sub("", chunk.strip()).strip()
        item = _SPACES.sub(" ", item)
        if item and _HAS_WORD.search(item):
            items.append(item)
    return items
