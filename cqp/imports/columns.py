"""The template's columns and the values they accept, matched case- and accent-insensitively."""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from cqp.candidacies.enums import Funding, Path, Situation


def normalise(text) -> str:
    """Lower case, no accents, one space between words: how headers and listed values are compared."""
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("’", "'").replace("*", "")
    text = re.sub(r"\(.*?\)", " ", text)
    return re.sub(r"[\s_\-]+", " ", text).strip()


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool
    help: str
    example: str
    aliases: tuple = field(default=())


COLUMNS = (
    Column("last_name", _("Nom de naissance"), True, _("Tel qu'il figurera sur le certificat."), "Moreau", ("nom",)),
    Column("first_name", _("Prénom"), True, _("Le premier prénom de l'état civil."), "Inès"),
    Column(
        "email",
        _("E-mail"),
        True,
        _("L'adresse de la personne : elle y recevra les nouvelles de sa candidature."),
        "ines.moreau@exemple.fr",
        ("email", "courriel", "adresse e-mail", "adresse email", "mail"),
    ),
    Column(
        "birth_date",
        _("Date de naissance"),
        True,
        _("JJ/MM/AAAA, AAAA-MM-JJ, JJ-MM-AAAA ou une cellule date du tableur."),
        "14/03/1990",
    ),
    Column(
        "certification",
        _("Code de la certification"),
        True,
        _("Par exemple RNCP37869 ou RS5432 : il figure en tête de la fiche du catalogue."),
        "RNCP37869",
        ("certification", "code certification", "code"),
    ),
    Column("path", _("Voie"), True, _("Par la formation, ou par la VAE."), "Par la formation", ("voie d'acces",)),
    Column("situation", _("Situation"), True, _("Salarié, jeune, ou demandeur d'emploi."), "Salarié"),
    Column(
        "funding",
        _("Financement"),
        False,
        _("Facultatif : plan de développement des compétences, contrat de professionnalisation, Pro-A, CPF…"),
        "Plan de développement des compétences (employeur)",
    ),
    Column(
        "blocks",
        _("Blocs visés"),
        False,
        _("Facultatif : codes des blocs séparés par des virgules ; vide pour tous les blocs."),
        "",
        ("blocs",),
    ),
)
BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED = tuple(c.key for c in COLUMNS if c.required)


def header_lookup() -> dict[str, str]:
    lookup = {}
    for column in COLUMNS:
        for name in (column.key, str(column.label), *column.aliases):
            lookup[normalise(name)] = column.key
    return lookup


def _choices(enum, aliases) -> dict[str, str]:
    table = {}
    for value, label in enum.choices:
        table[normalise(value)] = value
        table[normalise(label)] = value
    for alias, value in aliases.items():
        table[normalise(alias)] = value
    return table


PATH_VALUES = _choices(Path, {"formation": Path.TRAINING, "vae": Path.VAE})
SITUATION_VALUES = _choices(
    Situation,
    {
        "salarie": Situation.EMPLOYEE,
        "jeune": Situation.YOUNG,
        "demandeur d'emploi": Situation.JOB_SEEKER,
        "demandeuse d'emploi": Situation.JOB_SEEKER,
    },
)
FUNDING_VALUES = _choices(
    Funding,
    {
        "plan": Funding.PLAN,
        "plan de developpement des competences": Funding.PLAN,
        "contrat pro": Funding.CONTRAT_PRO,
        "contrat de professionnalisation": Funding.CONTRAT_PRO,
        "pro a": Funding.PRO_A,
        "cpf": Funding.CPF,
        "compte personnel de formation": Funding.CPF,
    },
)
