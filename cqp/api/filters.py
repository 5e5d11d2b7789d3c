"""Query parameters of the catalogue endpoints: strict parsing, one clear message per bad parameter.

The filtering itself is the catalogue's selector, shared with the pages; these classes only
turn the query string into its keyword arguments, and declare them in the OpenAPI schema.
Every message is in French, then in English, so that a caller in either language can fix it.
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema_field

from cqp.catalogue import enums, selectors
from cqp.catalogue.models import Branch, Certification, Certifier

from . import selectors as api_selectors

SEARCH_MAX_LENGTH = 200

MESSAGES = {
    "q": (
        f"Recherche trop longue : {SEARCH_MAX_LENGTH} caractères au plus. / "
        f"Search too long: at most {SEARCH_MAX_LENGTH} characters."
    ),
    "registry": "Répertoire invalide : attendu RNCP, RS ou NONE. / Invalid registry: expected RNCP, RS or NONE.",
    "level": "Niveau invalide : attendu un nombre de 1 à 8. / Invalid level: expected a number from 1 to 8.",
    "kind": "Type invalide : attendu CQP, CQPI, CQPM ou OTHER. / Invalid kind: expected CQP, CQPI, CQPM or OTHER.",
    "branch": (
        "Branche invalide : attendu l'identifiant d'une branche (lettres sans accents, chiffres, tirets), "
        "voir /api/v1/branches/. / Invalid branch: expected a branch slug (letters, digits "
        "and hyphens), see /api/v1/branches/."
    ),
    "certifier": (
        "Certificateur invalide : attendu un SIRET de 14 chiffres. / Invalid certifier: expected a SIRET of 14 digits."
    ),
    "rome": (
        "Métier invalide : attendu un code ROME (H2913) ou un mot de son intitulé, 100 caractères au plus. / "
        "Invalid rome: expected a ROME code (H2913) or a word of its label, at most 100 characters."
    ),
}


def boolean_message(name):
    return f"Valeur invalide pour « {name} » : attendu true ou false. / Invalid {name}: expected true or false."


class StrictBooleanField(forms.Field):
    """`true`/`false` (also 1/0, oui/non, yes/no); anything else is an error, never ignored."""

    TRUE = frozenset({"true", "1", "oui", "yes"})
    FALSE = frozenset({"false", "0", "non", "no"})

    def to_python(self, value):
        if value in (None, ""):
            return None
        folded = str(value).strip().lower()
        if folded in self.TRUE:
            return True
        if folded in self.FALSE:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class UpperChoiceField(forms.Field):
    """One of fixed codes, whatever the case of the letters."""

    def __init__(self, *, codes, **kwargs):
        self.codes = tuple(codes)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return None
        code = str(value).strip().upper()
        if code not in self.codes:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return code


class LevelField(forms.Field):
    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip()
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 8:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


class PatternField(forms.Field):
    """A string matching a pattern, after trimming and an optional clean-up."""

    def __init__(self, *, pattern, normalise=None, **kwargs):
        self.pattern = re.compile(pattern)
        self.normalise = normalise
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip()
        if self.normalise:
            text = self.normalise(text)
        if not self.pattern.fullmatch(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return text


class StrictFilter(django_filters.Filter):
    """A query parameter parsed by its own form field; the filter set does the filtering."""

    def __init__(self, field_class, *, message, **field_kwargs):
        self.field_class = field_class
        super().__init__(error_messages={"invalid": message, "max_length": message}, **field_kwargs)


def _param(field_class, *, message, schema, **field_kwargs):
    """A query parameter: its form field, its message and its OpenAPI schema (with a description)."""
    return extend_schema_field(schema)(StrictFilter(field_class, message=message, **field_kwargs))


def search_param(description):
    return _param(
        forms.CharField,
        message=MESSAGES["q"],
        max_length=SEARCH_MAX_LENGTH,
        strip=True,
        schema={"type": "string", "maxLength": SEARCH_MAX_LENGTH, "description": description},
    )


def boolean_param(name, description):
    return _param(
        StrictBooleanField,
        message=boolean_message(name),
        schema={"type": "boolean", "description": description},
    )


BRANCH_SLUG = r"[-a-zA-Z0-9_]+"


def branch_param(description):
    return _param(
        PatternField,
        message=MESSAGES["branch"],
        pattern=BRANCH_SLUG,
        schema={"type": "string", "pattern": f"^{BRANCH_SLUG}$", "description": description},
    )


class CatalogueFilterSet(django_filters.FilterSet):
    """Validates every parameter, then hands the cleaned values (empty ones left out) to `select()`."""

    def filter_queryset(self, queryset):
        values = {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}
        return self.select(queryset, **values)

    def select(self, queryset, **values):
        raise NotImplementedError


class CertificationFilterSet(CatalogueFilterSet):
    q = search_param(
        "Mots cherchés, sans tenir compte des accents ni des majuscules, dans l'intitulé, le code, les blocs, "
        "les compétences et les métiers ; chaque mot doit être présent. / Words searched, ignoring accents and "
        "case, in the title, code, blocks, competencies and jobs; every word must match."
    )
    registry = _param(
        UpperChoiceField,
        message=MESSAGES["registry"],
        codes=enums.Registry.values,
        schema={
            "type": "string",
            "enum": enums.Registry.values,
            "description": "Répertoire : RNCP, RS (Répertoire spécifique) ou NONE (non enregistrée). / Registry.",
        },
    )
    level = _param(
        LevelField,
        message=MESSAGES["level"],
        schema={
            "type": "integer",
            "minimum": 1,
            "maximum": 8,
            "description": "Niveau du cadre national (et du CEC), de 1 à 8. / National (and EQF) level, 1 to 8.",
        },
    )
    active = boolean_param(
        "active", "Enregistrement actif (true) ou non (false). / Registration active (true) or not (false)."
    )
    kind = _param(
        UpperChoiceField,
        message=MESSAGES["kind"],
        codes=enums.CertificationKind.values,
        schema={
            "type": "string",
            "enum": enums.CertificationKind.values,
            "description": "Type : CQP, CQPI (interbranche), CQPM (métallurgie) ou OTHER. / Kind.",
        },
    )
    branch = branch_param("Identifiant (slug) d'une branche, voir /api/v1/branches/. / Branch slug.")
    certifier = _param(
        PatternField,
        message=MESSAGES["certifier"],
        pattern=r"[0-9]{14}",
        normalise=lambda text: re.sub(r"\s", "", text),
        schema={
            "type": "string",
            "pattern": "^[0-9]{14}$",
            "description": "SIRET du certificateur, 14 chiffres. / Certifier's SIRET, 14 digits.",
        },
    )
    rome = _param(
        forms.CharField,
        message=MESSAGES["rome"],
        max_length=100,
        strip=True,
        schema={
            "type": "string",
            "maxLength": 100,
            "description": "Code ROME (H2913) ou partie de l'intitulé du métier. / ROME code or part of the job label.",
        },
    )
    vae = boolean_param("vae", "true : ouvertes à la VAE. / true: open to VAE (accreditation of prior experience).")
    cpf = boolean_param("cpf", "true : éligibles au CPF. / true: eligible for CPF funding.")

    class Meta:
        model = Certification
        fields = []

    def select(self, queryset, **values):
        # The selector is the one the catalogue pages use: the whole public catalogue, filtered.
        return selectors.certification_list(**values)


class BranchFilterSet(CatalogueFilterSet):
    q = search_param("Mots cherchés dans le nom, sans accents ni majuscules. / Words searched in the name.")

    class Meta:
        model = Branch
        fields = []

    def select(self, queryset, **values):
        return api_selectors.branch_list(**values)


class CertifierFilterSet(CatalogueFilterSet):
    q = search_param("Mots cherchés dans le nom, sans accents ni majuscules. / Words searched in the name.")
    branch = branch_param("Identifiant (slug) d'une branche pour laquelle il certifie. / Branch slug.")

    class Meta:
        model = Certifier
        fields = []

    def select(self, queryset, **values):
        return api_selectors.certifier_list(**values)
