"""The candidate's application form: its shape only; the rules of the sheet are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cqp.candidacies.enums import Funding
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
