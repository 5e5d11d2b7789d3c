"""Which OPCO advises an employer, from the IDCC of its collective agreement.

The table is data (`data/opco.json`, its source in `data/README.md`); this module only reads it.
"""

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "opco.json"
IDCC_PATTERN = re.compile(r"^\d{1,4}$")

# France compétences' public service that finds the OPCO of a company from its SIRET.
FIND_MY_OPCO_URL = "https://quel-est-mon-opco.francecompetences.fr/"


@dataclass(frozen=True)
class Opco:
    key: str
    name: str
    url: str


@dataclass(frozen=True)
class BranchEntry:
    idcc: str
    label: str
    opco: Opco
    industry: bool


@cache
def _table() -> tuple[dict[str, Opco], dict[str, BranchEntry]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    opcos = {key: Opco(key=key, name=row["name"], url=row["url"]) for key, row in data["opcos"].items()}
    branches = {
        row["idcc"]: BranchEntry(
            idcc=row["idcc"], label=row["label"], opco=opcos[row["opco"]], industry=row.get("industry", False)
        )
        for row in data["branches"]
    }
    return opcos, branches


def opcos() -> dict[str, Opco]:
    return _table()[0]


def branches() -> list[BranchEntry]:
    return sorted(_table()[1].values(), key=lambda b: b.label)


def normalise_idcc(value) -> str | None:
    """« 44 », « 044 » and « 0044 » are the same agreement: four digits, or None when it is not an IDCC."""
    text = str(value).strip()
    if not IDCC_PATTERN.match(text):
        return None
    return text.zfill(4)


def branch_for_idcc(idcc: str) -> BranchEntry | None:
    normalised = normalise_idcc(idcc)
    return _table()[1].get(normalised) if normalised else None


def fold(text: str) -> str:
    """Lower case without accents, for a search that forgives both."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_table(query: str) -> list[BranchEntry]:
    words = fold(query).split()
    if not words:
        return []
    return [b for b in branches() if all(w in fold(b.label) for w in words)]
