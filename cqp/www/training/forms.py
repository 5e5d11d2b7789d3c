"""Forms of the positioning and training plan pages. They check the shape of the input; the rules live
in cqp.assessments.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cqp.assessments.enums import PositioningResult
from cqp.candidacies.enums import Funding

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PositioningForm(forms.Form):
    """One radio group and one comment per block, then the overall comment and the revision's reason."""

    comment = forms.CharField(
        label=_("Commentaire d'ensemble"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, blocks, current=None, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.blocks = blocks
        previous = {row.block_id: row for row in current.results.all()} if current else {}
        self.rows = []
        # The documents are read once for every row's list.
        self.documents = {document.pk: document for document in (documents if documents is not None else [])}
        evidence_choices = [("", _("Aucune"))] + [(pk, str(d)) for pk, d in self.documents.items()]
        for block in blocks:
            result_name, comment_name = f"result_{block.pk}", f"comment_{block.pk}"
            self.fields[result_name] = forms.ChoiceField(
                label=_("Positionnement du bloc %(code)s") % {"code": block.code},
                choices=PositioningResult.choices,
                widget=forms.RadioSelect,
                initial=previous[block.pk].result if block.pk in previous else None,
                error_messages={"required": _("Choisissez acquis, partiellement acquis ou à acquérir.")},
            )
            self.fields[comment_name] = forms.CharField(
                label=_("Commentaire sur le bloc %(code)s") % {"code": block.code},
                required=False,
                max_length=4000,
                initial=previous[block.pk].comment if block.pk in previous else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            evidence_name = f"evidence_{block.pk}"
            self.fields[evidence_name] = forms.TypedChoiceField(
                label=_("Preuve pour le bloc %(code)s") % {"code": block.code},
                choices=evidence_choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=previous[block.pk].evidence_id if block.pk in previous else None,
                help_text=_("Une pièce déposée sur la candidature."),
            )
            self.rows.append((block, result_name, comment_name, evidence_name))
        if current is not None:
            self.fields["revision_reason"] = forms.CharField(
                label=_("Motif de la révision"),
                max_length=4000,
                help_text=_("Obligatoire : la version précédente reste dans l'historique."),
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": _("Donnez le motif de la révision.")},
            )

    def grid(self):
        """(block, result field, comment field, evidence field) for each row of the grid."""
        return [(block, self[result], self[comment], self[evidence]) for block, result, comment, evidence in self.rows]

    def results(self) -> dict:
        return {
            block.code: (
                self.cleaned_data[result],
                self.cleaned_data[comment],
                self.documents.get(self.cleaned_data[evidence]),
            )
            for block, result, comment, evidence in self.rows
        }


class PlanForm(forms.Form):
    start = forms.DateField(label=_("Début du parcours"), widget=DATE_WIDGET)
    end = forms.DateField(label=_("Fin du parcours"), widget=DATE_WIDGET)
    funding = forms.ChoiceField(label=_("Financement"), choices=[("", "—"), *Funding.choices])
    tutor = forms.ModelChoiceField(
        label=_("Tuteur (alternance)"),
        queryset=None,
        required=False,
        empty_label=_("Aucun"),
        help_text=_("Obligatoire pour le contrat de professionnalisation et la Pro-A."),
    )

    def __init__(self, *args, tutors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tutor"].queryset = tutors


class ModuleForm(forms.Form):
    block_code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    title = forms.CharField(label=_("Intitulé du module"), max_length=255)
    hours = forms.IntegerField(label=_("Heures"), min_value=1, max_value=2000)
    start = forms.DateField(label=_("Début"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=_("Fin"), required=False, widget=DATE_WIDGET)


ModuleFormSet = forms.formset_factory(ModuleForm, extra=0, max_num=40, absolute_max=40)
MODULES_PREFIX = "modules"


class ProgressForm(forms.Form):
    hours_attended = forms.IntegerField(label=_("Heures suivies"), min_value=0, max_value=2000)
    completed_on = forms.DateField(
        label=_("Terminé le"),
        required=False,
        help_text=_("Vide tant que le module n'est pas terminé."),
        widget=DATE_WIDGET,
    )
