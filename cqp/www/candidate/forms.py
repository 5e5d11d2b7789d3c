"""The candidate's application form: its shape only; the rules of the sheet are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cqp.candidacies.enums import Funding
from cqp.candidacies.identity import IDENTITY_FIELDS
from cqp.candidacies.models import FRANCE_INSEE, Candidate
from cqp.www.candidacies.forms import PathSituationMixin

# Routes a person may choose alone: those needing an employer are the employer's to choose.
CANDIDATE_FUNDING = (Funding.CPF, Funding.FRANCE_TRAVAIL, Funding.REGION, Funding.PERSONAL, Funding.OTHER)


def block_choices(certification):
    return [
        (b.code, f"{b.code} — {b.title}")
        for b in certification.blocks.filter(in_registry=True).order_by("position", "code")
    ]


class ApplyForm(PathSituationMixin):
    funding = forms.ChoiceField(
        label=_("Financement"),
        required=False,
        help_text=_(
            "Obligatoire pour la voie de la formation. Le CPF n'est proposé que si la certification y est éligible."
        ),
    )
    blocks = forms.MultipleChoiceField(
        label=_("Blocs de compétences visés"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tous par défaut ; décochez ceux que vous ne visez pas. Les blocs que vous détenez déjà "
            "seront dispensés automatiquement."
        ),
        error_messages={"required": _("Cochez au moins un bloc.")},
    )

    def __init__(self, *args, certification, **kwargs):
        super().__init__(*args, **kwargs)
        self.certification = certification
        routes = [f for f in CANDIDATE_FUNDING if f != Funding.CPF or certification.cpf_eligible]
        self.fields["funding"].choices = [("", _("— Choisissez —"))] + [(f.value, f.label) for f in routes]
        self.fields["blocks"].choices = block_choices(certification)
        if not self.is_bound and "blocks" not in self.initial:
            self.initial["blocks"] = [code for code, _label in self.fields["blocks"].choices]

    def block_codes(self):
        """None when every block is targeted (the service then takes them all)."""
        chosen = self.cleaned_data["blocks"]
        return None if len(chosen) == len(self.fields["blocks"].choices) else chosen


class IdentityForm(forms.ModelForm):
    """The holder's civil identity, as on their identity document; shared by the candidate and certifier staff."""

    class Meta:
        model = Candidate
        fields = IDENTITY_FIELDS
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("sex", "birth_date"):
            self.fields[name].required = True
        self.fields["birth_country"].help_text = _(
            "3 chiffres du code officiel géographique de l'INSEE : 100 pour la France (laissez vide), 352 pour "
            "l'Algérie, 350 pour le Maroc…"
        )

    def clean_birth_insee_code(self):
        return self.cleaned_data["birth_insee_code"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        country = cleaned.get("birth_country", "")
        located = cleaned.get("birth_insee_code") or cleaned.get("birth_postal_code")
        invalid = "birth_insee_code" in self.errors or "birth_postal_code" in self.errors
        if country in ("", FRANCE_INSEE) and not located and not invalid:
            self.add_error(
                "birth_insee_code",
                _("Né(e) en France : indiquez le code INSEE ou, à défaut, le code postal de la commune de naissance."),
            )
        return cleaned
