"""Query parameters of the candidacy list: strict parsing, one clear message (French / English) per bad one.

Every filter is a condition on a column of the candidacy row or on a joined key (certification
code, certifier SIRET), so the list keeps to its indexes; the scoping is applied before, by
the view, with cqp.candidacies.selectors.candidacies_visible_to.
"""

import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import extend_schema_field

from cqp.candidacies.enums import Path, State
from cqp.candidacies.models import Candidacy

from .filters import PatternField, StrictFilter, UpperChoiceField

MESSAGES = {
    "state": (
        f"État invalide : attendu l'un de {', '.join(State.values)}. / "
        f"Invalid state: expected one of {', '.join(State.values)}."
    ),
    "path": "Voie invalide : attendu TRAINING ou VAE. / Invalid path: expected TRAINING or VAE.",
    "certification": (
        "Certification invalide : attendu un code (RNCP37674, RS6117, CQP-00001), 40 caractères au plus. / "
        "Invalid certification: expected a code (RNCP37674, RS6117, CQP-00001), at most 40 characters."
    ),
    "certifier": (
        "Certificateur invalide : attendu un SIRET de 14 chiffres. / Invalid certifier: expected a SIRET of 14 digits."
    ),
    "created_after": (
        "Date invalide pour « created_after » : attendu AAAA-MM-JJ ou une date et heure ISO 8601. / "
        "Invalid created_after: expected YYYY-MM-DD or an ISO 8601 date-time."
    ),
    "created_before": (
        "Date invalide pour « created_before » : attendu AAAA-MM-JJ ou une date et heure ISO 8601. / "
        "Invalid created_before: expected YYYY-MM-DD or an ISO 8601 date-time."
    ),
}
RANGE_MESSAGE = "« created_before » doit être après « created_after ». / created_before must come after created_after."


class MomentField(forms.Field):
    """An ISO 8601 date (the start of that day, in the platform's time zone) or date-time."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip()
        try:
            moment = parse_datetime(text)
            day = None if moment else parse_date(text)
        except ValueError:
            moment = day = None
        if moment is None and day is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if moment is None:
            moment = datetime.datetime.combine(day, datetime.time())
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment


def _param(field_class, *, message, schema, **field_kwargs):
    return extend_schema_field(schema)(StrictFilter(field_class, message=message, **field_kwargs))


class CandidacyFilterSet(django_filters.FilterSet):
    state = _param(
        UpperChoiceField,
        message=MESSAGES["state"],
        codes=State.values,
        schema={"type": "string", "enum": State.values, "description": "État de la candidature. / State."},
    )
    path = _param(
        UpperChoiceField,
        message=MESSAGES["path"],
        codes=Path.values,
        schema={
            "type": "string",
            "enum": Path.values,
            "description": "Voie : TRAINING (formation) ou VAE. / Path: TRAINING or VAE.",
        },
    )
    certification = _param(
        PatternField,
        message=MESSAGES["certification"],
        pattern=r"[-A-Za-z0-9_.]{1,40}",
        schema={
            "type": "string",
            "maxLength": 40,
            "description": "Code de la certification (RNCP37674, RS6117…). / Certification code.",
        },
    )
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
    created_after = _param(
        MomentField,
        message=MESSAGES["created_after"],
        schema={
            "type": "string",
            "format": "date-time",
            "description": (
                "Créées à partir de ce moment (inclus) ; une date seule vaut son début, heure de Paris. / "
                "Created at or after this moment; a bare date means its start, Paris time."
            ),
        },
    )
    created_before = _param(
        MomentField,
        message=MESSAGES["created_before"],
        schema={
            "type": "string",
            "format": "date-time",
            "description": (
                "Créées avant ce moment (exclu) ; une date seule vaut son début : created_before=2026-02-01 "
                "s'arrête au 31 janvier inclus. / Created before this moment (excluded); a bare date means its "
                "start."
            ),
        },
    )

    class Meta:
        model = Candidacy
        fields = []

    def is_valid(self):
        valid = super().is_valid()
        if valid:
            after = self.form.cleaned_data.get("created_after")
            before = self.form.cleaned_data.get("created_before")
            if after and before and before <= after:
                self.form.add_error("created_before", RANGE_MESSAGE)
                return False
        return valid

    def filter_queryset(self, queryset):
        values = {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}
        conditions = {}
        if "state" in values:
            conditions["state"] = values["state"]
        if "path" in values:
            conditions["path"] = values["path"]
        if "certification" in values:
            conditions["certification__code"] = values["certification"].upper()
        if "certifier" in values:
            conditions["certifier__siret"] = values["certifier"]
        if "created_after" in values:
            conditions["created_at__gte"] = values["created_after"]
        if "created_before" in values:
            conditions["created_at__lt"] = values["created_before"]
        return queryset.filter(**conditions)
