"""The filters of the public catalogue: a GET form whose invalid values are ignored, never fatal."""

import re

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from cqp.catalogue import enums

from .selectors import WITHOUT_LEVEL

TRUE_VALUES = {"true", "1", "on", "oui", "yes"}
FALSE_VALUES = {"false", "0", "off", "non", "no"}


def _is_true(value) -> bool:
    return str(value).strip().lower() in TRUE_VALUES


class FlagInput(forms.CheckboxInput):
    """A checkbox that hands the raw value to the field, so that `vae=peut-être` can be refused."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=_is_true)

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def format_value(self, value):
        return "true"


class FlagField(forms.Field):
    """True for `true`/`oui`/…, False for `false`/`non`/…, None when absent."""

    widget = FlagInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return None
        value = str(value).strip().lower()
        if value in TRUE_VALUES:
            return True
        if value in FALSE_VALUES:
            return False
        raise forms.ValidationError(_("Valeur attendue : cochée ou non."), code="invalid")


def level_choices():
    levels = [(str(n), _("Niveau %(n)s (CEC %(n)s)") % {"n": n}) for n in range(3, 9)]
    return [
        ("", _("Tous les niveaux")),
        *levels,
        (WITHOUT_LEVEL, _("Sans niveau (RS, anciennes fiches, hors répertoire)")),
    ]


class CatalogueFilterForm(forms.Form):
    """Every filter of the list. `filters()` gives the valid ones, `ignored()` says which were dropped and why."""

    q = forms.CharField(label=_("Mots-clés"), required=False, max_length=200)
    branch = forms.ChoiceField(label=_("Branche professionnelle"), required=False)
    certifier = forms.CharField(
        label=_("Certificateur (SIRET)"),
        required=False,
        max_length=40,
        help_text=_("Les 14 chiffres du SIRET, par exemple 775 671 356 00025."),
    )
    registry = forms.ChoiceField(
        label=_("Répertoire"),
        required=False,
        choices=[
            ("", _("Tous")),
            (enums.Registry.RNCP, _("RNCP")),
            (enums.Registry.RS, _("Répertoire spécifique (RS)")),
            (enums.Registry.NONE, _("Aucun (non enregistrée)")),
        ],
    )
    level = forms.ChoiceField(label=_("Niveau"), required=False, choices=level_choices)
    active = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=[
            ("", _("Toutes")),
            ("true", _("Actives")),
            ("false", _("Plus actives (expirées ou remplacées)")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Tous les types")), *enums.CertificationKind.choices],
    )
    vae = FlagField(label=_("Ouverte à la VAE"))
    cpf = FlagField(label=_("Éligible au CPF"))
    rome = forms.CharField(
        label=_("Métier (code ROME ou intitulé)"),
        required=False,
        max_length=120,
        help_text=_("Par exemple H2913 ou soudeur."),
    )

    def __init__(self, data=None, *, branches=(), **kwargs):
        if data is not None:
            # Codes are accepted in any case, as the API accepts them.
            if isinstance(data, QueryDict):
                data = data.copy()
            else:
                data, given = QueryDict(mutable=True), data
                data.update(given)
            for name in ("registry", "kind"):
                if name in data:
                    data[name] = data[name].strip().upper()
        super().__init__(data, **kwargs)
        self.fields["branch"].choices = [("", _("Toutes les branches")), *branches]

    def clean_certifier(self):
        value = re.sub(r"\s+", "", self.cleaned_data["certifier"])
        if value and not re.fullmatch(r"\d{14}", value):
            raise forms.ValidationError(_("Un SIRET compte 14 chiffres."), code="invalid")
        return value

    def _values(self):
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def filters(self) -> dict:
        """Keyword arguments for the list selector: valid, non-empty values only."""
        return {name: value for name, value in self._values().items() if value not in (None, "")}

    def ignored(self) -> list[dict]:
        """The filters dropped because their value is not valid: label, value as given, what to do."""
        if not self.is_bound:
            return []
        self.is_valid()
        return [
            {"label": self.fields[name].label, "value": self.data.get(name, ""), "errors": errors}
            for name, errors in self.errors.items()
        ]

    def full_clean(self):
        super().full_clean()
        # Tie each error message to its field for screen readers.
        for name in self.errors:
            if name in self.fields:
                auto_id = self[name].auto_id
                described = [f"{auto_id}_error"]
                if self.fields[name].help_text:
                    described.insert(0, f"{auto_id}_helptext")
                self.fields[name].widget.attrs.update({"aria-describedby": " ".join(described)})

    def active_filters(self) -> list[dict]:
        """The filters in use, each with the address of the same list without it."""
        result = []
        for name, value in self.filters().items():
            field = self.fields[name]
            shown = dict(field.choices).get(value, value) if hasattr(field, "choices") else value
            if isinstance(field, FlagField):
                shown = _("oui") if value else _("non")
            rest = self.data.copy()
            for key in (name, "page"):
                rest.pop(key, None)
            query = rest.urlencode()
            result.append(
                {"name": name, "label": field.label, "value": shown, "without": f"?{query}" if query else "?"}
            )
        return result
