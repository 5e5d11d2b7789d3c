"""The assessment grid as a form: one radio group and one observation per criterion."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cqp.assessments.enums import AssessmentSituation, Verdict

MET_CHOICES = [("yes", _("Satisfait")), ("no", _("Non satisfait"))]


class GridForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    situation = forms.ChoiceField(
        label=_("Situation d'évaluation"),
        choices=[("", "—"), *AssessmentSituation.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    assessed_on = forms.DateField(
        label=_("Date de l'évaluation"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Saisissez une date valide (jj/mm/aaaa).")},
    )
    verdict = forms.ChoiceField(label=_("Décision"), choices=Verdict.choices, required=False, widget=forms.RadioSelect)
    summary = forms.CharField(
        label=_("Informations pour le jury"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    no_conflict_declared = forms.BooleanField(
        label=_(
            "Je déclare n'avoir aucun lien avec le candidat : je ne suis ni son employeur, ni son formateur, "
            "ni son tuteur."
        ),
        required=False,
    )

    def __init__(self, *args, results=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["situation"].choices = AssessmentSituation.choices
        self.rows = []
        for result in results:
            met = forms.ChoiceField(
                label=result.criterion.text, choices=MET_CHOICES, required=False, widget=forms.RadioSelect
            )
            observation = forms.CharField(
                label=_("Observation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"met_{result.criterion_id}"] = met
            self.fields[f"obs_{result.criterion_id}"] = observation
            self.rows.append(result)

    def criteria(self):
        """(result, radio field, observation field) for the template."""
        return [(r, self[f"met_{r.criterion_id}"], self[f"obs_{r.criterion_id}"]) for r in self.rows]

    def service_values(self):
        data = self.cleaned_data
        answers = {"yes": True, "no": False}
        return {
            "revision": data["revision"],
            "situation": data["situation"] or "",
            "assessed_on": data["assessed_on"] or "",
            "verdict": data["verdict"] or "",
            "summary": data["summary"],
            "no_conflict_declared": data["no_conflict_declared"],
            "results": {
                r.criterion_id: (answers.get(data[f"met_{r.criterion_id}"]), data[f"obs_{r.criterion_id}"])
                for r in self.rows
            },
        }


def initial_of(assessment):
    initial = {
        "revision": assessment.revision,
        "situation": assessment.situation,
        "assessed_on": assessment.assessed_on,
        "verdict": assessment.verdict,
        "summary": assessment.summary,
        "no_conflict_declared": assessment.no_conflict_declared,
    }
    for r in assessment.results.all():
        initial[f"met_{r.criterion_id}"] = {True: "yes", False: "no"}.get(r.met, "")
        initial[f"obs_{r.criterion_id}"] = r.observation
    return initial


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("Motif de la correction"), widget=forms.Textarea(attrs={"rows": 3}))
