"""Forms of the VAE pages: they read input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cqp.assessments.enums import EligibilityState


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Début"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(
        label=_("Fin"),
        required=False,
        help_text=_("Vide si vous occupez toujours cet emploi."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    job_title = forms.CharField(label=_("Emploi occupé"), max_length=200)
    employer_name = forms.CharField(label=_("Employeur"), max_length=200, required=False)
    activities = forms.CharField(
        label=_("Activités exercées"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    blocks = forms.ModelMultipleChoiceField(
        label=_("Blocs de compétences en rapport"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidacy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["blocks"].queryset = candidacy.certification.blocks.filter(
            pk__in=candidacy.blocks.values("block_id")
        ).order_by("position")
        self.fields["blocks"].label_from_instance = lambda block: f"{block.code} — {block.title}"


class ProofForm(forms.Form):
    file = forms.FileField(
        label=_("Justificatif d'expérience"),
        help_text=_("Certificat de travail, bulletin de salaire, attestation… PDF, PNG ou JPEG."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            (EligibilityState.ADMISSIBLE, _("Recevable")),
            (EligibilityState.INADMISSIBLE, _("Non recevable")),
            (EligibilityState.INCOMPLETE, _("Incomplète : le candidat complète et redépose")),
        ],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Motifs"),
        required=False,
        help_text=_("Obligatoires si le dossier n'est pas recevable ou est incomplet : le candidat les lira."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DossierEntryForm(forms.Form):
    narrative = forms.CharField(
        label=_("L'expérience qui montre que vous maîtrisez ce bloc"), widget=forms.Textarea(attrs={"rows": 8})
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("Preuves déjà déposées"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    file = forms.FileField(label=_("Ajouter une preuve"), required=False, help_text=_("PDF, PNG ou JPEG."))

    def __init__(self, *args, candidacy, block, **kwargs):
        kwargs.setdefault("prefix", f"block-{block.pk}")
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = candidacy.documents.order_by("uploaded_at", "pk")
        self.fields["documents"].label_from_instance = lambda document: document.original_name
