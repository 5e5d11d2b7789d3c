"""The simulator's form: a GET form, so that a result can be bookmarked and shared."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from cqp.catalogue.models import Certification
from cqp.orientation import selectors
from cqp.orientation.enums import Status
from cqp.orientation.messages import AGE_MAX, AGE_MIN, CERTIFICATION_MAX_LENGTH, EXPERIENCE_MAX, EXPERIENCE_MIN

# « 3248 », or « 3248 — Métallurgie » as the suggestion list writes it.
LEADING_IDCC = re.compile(r"^\s*(\d+)\b")


class OrientationForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Votre situation"),
        choices=Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez votre situation."), "invalid_choice": _("Situation inconnue.")},
    )
    age = forms.IntegerField(
        label=_("Votre âge (en années)"),
        required=False,
        min_value=AGE_MIN,
        max_value=AGE_MAX,
        error_messages={
            "invalid": _("Indiquez un nombre entier d'années."),
            "min_value": _("L'âge doit être compris entre 14 et 100 ans."),
            "max_value": _("L'âge doit être compris entre 14 et 100 ans."),
        },
    )
    disability_recognised = forms.BooleanField(
        label=_("Mon handicap est reconnu (RQTH ou autre reconnaissance)"), required=False
    )
    branch = forms.CharField(
        label=_("Convention collective de votre employeur (IDCC ou nom de la branche)"),
        required=False,
        max_length=200,
        help_text=_(
            "L'IDCC figure sur votre bulletin de paie, par exemple 3248 pour la métallurgie. Vous pouvez aussi "
            "taper le nom de la branche. Facultatif."
        ),
    )
    experience_months = forms.IntegerField(
        label=_("Votre expérience en rapport avec la certification (en mois)"),
        required=False,
        min_value=EXPERIENCE_MIN,
        max_value=EXPERIENCE_MAX,
        help_text=_("Un an = 12 mois. Comptez les emplois, stages, bénévolat… en lien avec le métier."),
        error_messages={
            "invalid": _("Indiquez un nombre entier de mois."),
            "min_value": _("L'expérience doit être comprise entre 0 et 600 mois."),
            "max_value": _("L'expérience doit être comprise entre 0 et 600 mois."),
        },
    )
    certification = forms.CharField(
        label=_("Certification visée (code RNCP ou RS)"),
        required=False,
        max_length=CERTIFICATION_MAX_LENGTH,
        help_text=_("Par exemple RNCP37674. Le code figure sur la fiche de la certification. Facultatif."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.branch_matches = []
        for name, field in self.fields.items():
            described = [f"id_{name}_helptext"] if field.help_text else []
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)
        self.fields["branch"].widget.attrs.update({"list": "orientation-branches", "autocomplete": "off"})
        self.fields["certification"].widget.attrs["autocomplete"] = "off"
        self.fields["age"].widget.attrs["inputmode"] = "numeric"
        self.fields["experience_months"].widget.attrs["inputmode"] = "numeric"

    def clean_branch(self):
        value = self.cleaned_data["branch"].strip()
        if not value:
            return None
        digits = LEADING_IDCC.match(value)
        if digits:
            if len(digits.group(1)) > 4:
                raise forms.ValidationError(_("Un IDCC compte 1 à 4 chiffres."))
            match = selectors.branch_for_idcc(digits.group(1))
            if match is None:
                raise forms.ValidationError(
                    _("IDCC inconnu : %(idcc)s n'est ni dans notre table des OPCO ni dans le catalogue.")
                    % {"idcc": digits.group(1)}
                )
            return match.idcc
        matches = selectors.search_branches(value)
        if len(matches) == 1:
            return matches[0].idcc
        if not matches:
            raise forms.ValidationError(
                _("Aucune convention collective ne correspond à « %(q)s ». Essayez l'IDCC de votre bulletin de paie.")
                % {"q": value}
            )
        self.branch_matches = matches
        raise forms.ValidationError(
            _("Plusieurs conventions collectives correspondent ; choisissez-en une ci-dessous ou tapez son IDCC.")
        )

    def clean_certification(self):
        value = self.cleaned_data["certification"].strip()
        if not value:
            return None
        code = Certification.objects.filter(code__iexact=value).values_list("code", flat=True).first()
        if code is None:
            raise forms.ValidationError(
                _("Aucune certification du catalogue n'a le code « %(code)s ».") % {"code": value}
            )
        return code

    def orientation_input(self) -> dict:
        data = self.cleaned_data
        return {
            "status": data["status"],
            "age": data.get("age"),
            "disability_recognised": data.get("disability_recognised", False),
            "idcc": data.get("branch"),
            "experience_months": data.get("experience_months"),
            "certification": data.get("certification"),
        }
