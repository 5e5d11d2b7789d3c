"""Forms of the employer's space: enrolling an employee, the company's tutors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cqp.accounts.models import Organisation
from cqp.candidacies.enums import FUNDING_NEEDS_TUTOR, Funding
from cqp.candidacies.models import Tutor
from cqp.www.candidacies.forms import CertificationCodeField, PathSituationMixin

EMPLOYER_FUNDING = (Funding.PLAN, Funding.CONTRAT_PRO, Funding.PRO_A)
NEW_TUTOR_FIELDS = ("tutor_first_name", "tutor_last_name", "tutor_job_title", "tutor_email")


class TutorForm(forms.ModelForm):
    class Meta:
        model = Tutor
        fields = ["first_name", "last_name", "job_title", "email"]

    def __init__(self, *args, employers=(), **kwargs):
        super().__init__(*args, **kwargs)
        # A person acting for several companies says which one a new tutor belongs to.
        if self.instance.pk is None and len(employers) > 1:
            self.fields["employer"] = forms.ModelChoiceField(
                label=_("Entreprise"),
                queryset=Organisation.objects.filter(pk__in=[e.pk for e in employers]),
            )


class EnrolForm(PathSituationMixin):
    employer = forms.ModelChoiceField(label=_("Entreprise"), queryset=None, empty_label=None)
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom de naissance"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), help_text=_("Le salarié y recevra les nouvelles de sa candidature."))
    certification = CertificationCodeField()
    funding = forms.ChoiceField(
        label=_("Financement"),
        choices=[(f.value, f.label) for f in EMPLOYER_FUNDING],
        widget=forms.RadioSelect,
    )
    tutor = forms.ModelChoiceField(
        label=_("Tuteur"),
        queryset=None,
        required=False,
        empty_label=_("— Aucun, ou un nouveau tuteur ci-dessous —"),
        help_text=_("Obligatoire pour le contrat de professionnalisation et la Pro-A."),
    )
    tutor_first_name = forms.CharField(label=_("Prénom du nouveau tuteur"), max_length=150, required=False)
    tutor_last_name = forms.CharField(label=_("Nom du nouveau tuteur"), max_length=150, required=False)
    tutor_job_title = forms.CharField(label=_("Fonction du nouveau tuteur"), max_length=200, required=False)
    tutor_email = forms.EmailField(label=_("E-mail du nouveau tuteur"), required=False)

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        self.fields["tutor"].queryset = Tutor.objects.filter(employer__in=employers).select_related("employer")
        if len(employers) == 1:
            self.fields["employer"].widget = forms.HiddenInput()
            self.initial.setdefault("employer", employers[0].pk)

    def clean(self):
        data = super().clean()
        new_tutor = {name.removeprefix("tutor_"): data.get(name, "") for name in NEW_TUTOR_FIELDS}
        wants_new = any(new_tutor.values())
        if wants_new:
            for name in ("tutor_first_name", "tutor_last_name"):
                if not data.get(name):
                    self.add_error(name, _("Indiquez le prénom et le nom du nouveau tuteur."))
            if data.get("tutor"):
                self.add_error("tutor", _("Choisissez un tuteur existant ou créez-en un, pas les deux."))
        tutor = data.get("tutor")
        if tutor and data.get("employer") and tutor.employer_id != data["employer"].pk:
            self.add_error("tutor", _("Ce tuteur n'appartient pas à l'entreprise choisie."))
        if data.get("funding") in FUNDING_NEEDS_TUTOR and not tutor and not wants_new:
            self.add_error(
                "tutor",
                _(
                    "Le contrat de professionnalisation et la Pro-A demandent un tuteur de l'entreprise : "
                    "choisissez-en un ou créez-le ci-dessous."
                ),
            )
        data["new_tutor"] = new_tutor if wants_new else None
        return data
