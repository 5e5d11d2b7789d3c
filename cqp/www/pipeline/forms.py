"""Forms of the pipeline pages. They only read input: selectors filter, services write."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from cqp.accounts.enums import OrganisationKind
from cqp.accounts.models import Organisation
from cqp.candidacies.enums import Funding, Path, State
from cqp.www.candidacies.forms import CertificationCodeField, PathSituationMixin

from .selectors import SORTS

SORT_LABELS = {
    "recent": _("Les plus récentes d'abord"),
    "oldest": _("Les plus anciennes d'abord"),
    "state_changed": _("Dernier changement d'état d'abord"),
}
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CandidacyFilterForm(forms.Form):
    """Filters of a list of candidacies. An invalid filter is shown with its error and ignored."""

    certifier = forms.TypedChoiceField(label=_("Certificateur"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=_("État"), required=False, choices=[("", _("Tous les états")), *State.choices])
    certification = forms.ChoiceField(label=_("Certification"), required=False)
    path = forms.ChoiceField(label=_("Voie"), required=False, choices=[("", _("Les deux voies")), *Path.choices])
    organisation = forms.TypedChoiceField(
        label=_("Organisme de formation ou évaluateur"), required=False, coerce=int, empty_value=None
    )
    created_from = forms.DateField(label=_("Créée à partir du"), required=False, widget=DATE_WIDGET)
    created_to = forms.DateField(label=_("Créée jusqu'au"), required=False, widget=DATE_WIDGET)
    sort = forms.ChoiceField(label=_("Trier"), required=False, choices=[(key, SORT_LABELS[key]) for key in SORTS])

    def __init__(self, data, *, certifiers=(), certifications=(), organisations=None, **kwargs):
        super().__init__(data, **kwargs)
        if len(certifiers) > 1:
            self.fields["certifier"].choices = [
                ("", _("Tous mes certificateurs")),
                *((str(c.pk), c.name) for c in certifiers),
            ]
        else:
            del self.fields["certifier"]
        self.fields["certification"].choices = [("", _("Toutes les certifications")), *certifications]
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].choices = [
                ("", _("Tous les organismes")),
                (str(OrganisationKind.TRAINING_ORG.label), organisations.get(OrganisationKind.TRAINING_ORG, [])),
                (
                    str(OrganisationKind.ASSESSMENT_CENTRE.label),
                    organisations.get(OrganisationKind.ASSESSMENT_CENTRE, []),
                ),
            ]

    def clean(self):
        data = super().clean()
        start, end = data.get("created_from"), data.get("created_to")
        if start and end and start > end:
            self.add_error("created_to", _("Cette date doit suivre la date « Créée à partir du »."))
        return data

    def filters(self) -> dict:
        """The valid filters; an invalid one is dropped (its error is shown beside it)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: value for name, value in data.items() if value not in (None, "")}

    def query(self, **changes) -> str:
        """The query string of these filters, with some changed (None removes one); never the page."""
        params = QueryDict(mutable=True)
        valid = self.filters()
        for name in self.fields:
            if name in valid:
                params[name] = self.data[name]
        for name, value in changes.items():
            if value in (None, ""):
                params.pop(name, None)
            else:
                params[name] = value
        return params.urlencode()


class DecisionForm(forms.Form):
    """The eligibility decision taken inline on a submitted candidacy."""

    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("declare_admissible", _("Recevable")), ("declare_inadmissible", _("Non recevable"))],
    )
    comment = forms.CharField(label=_("Motif"), required=False, max_length=2000, widget=forms.Textarea)
    next = forms.CharField(required=False, max_length=2000)


class AssignForm(forms.Form):
    training_org = forms.ModelChoiceField(
        label=_("Organisme de formation"),
        queryset=None,
        required=False,
        empty_label=_("Aucun pour l'instant"),
    )
    assessment_centre = forms.ModelChoiceField(
        label=_("Organisme évaluateur"),
        queryset=None,
        required=False,
        empty_label=_("Aucun pour l'instant"),
        help_text=_("Seuls les organismes habilités pour cette certification sont proposés."),
        error_messages={
            "invalid_choice": _(
                "Cet organisme n'est pas habilité pour cette certification : choisissez-en un de la liste."
            )
        },
    )

    def __init__(self, *args, training_orgs, assessment_centres, with_training_org=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_training_org:
            self.fields["training_org"].queryset = training_orgs
        else:  # the VAE path has no training organisation
            del self.fields["training_org"]
        self.fields["assessment_centre"].queryset = assessment_centres


class StaffEnrolForm(PathSituationMixin):
    """Certifier staff enrol a person on one of their certifications (a job seeker sent by an adviser, say)."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom de naissance"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), help_text=_("La personne y recevra les nouvelles de sa candidature."))
    certification = CertificationCodeField()
    funding = forms.ChoiceField(
        label=_("Financement"),
        # CPF is the person's own choice: staff cannot mobilise it for them.
        choices=[("", _("— À préciser —"))] + [(f.value, f.label) for f in Funding if f != Funding.CPF],
        required=False,
    )
    employer = forms.ModelChoiceField(
        label=_("Entreprise"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.EMPLOYER).order_by("name"),
        required=False,
        empty_label=_("— Aucune —"),
        help_text=_(
            "Obligatoire pour le plan de développement des compétences, le contrat de professionnalisation et la Pro-A."
        ),
    )
