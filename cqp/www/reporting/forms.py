"""The statistics filters (GET): period, on which date, branch, CQP; the same rules for the page and the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cqp.catalogue.models import Branch
from cqp.reporting import selectors


class StatisticsFilterForm(forms.Form):
    date_from = forms.DateField(label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    period_on = forms.ChoiceField(
        label=_("Période appliquée à"),
        required=False,
        choices=[
            (selectors.PERIOD_CREATED, _("la date de création de la candidature")),
            (selectors.PERIOD_DELIVERED, _("la date de délivrance")),
        ],
    )
    branch = forms.ModelChoiceField(label=_("Branche"), required=False, queryset=Branch.objects.none())
    certification = forms.ModelChoiceField(label=_("CQP"), required=False, queryset=None)

    def __init__(self, *args, certifier_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        branches = Branch.objects.order_by("name")
        if certifier_ids is not None:
            branches = branches.filter(certifiers__in=certifier_ids).distinct()
        self.fields["branch"].queryset = branches
        self.fields["certification"].queryset = selectors.certifications_in_scope(certifier_ids)
        self.fields["certification"].label_from_instance = lambda c: f"{c.code} — {c.title}"
        self.certifier_ids = certifier_ids

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("La fin de la période précède son début."))
        return data

    def filters(self) -> selectors.Filters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.Filters(
            certifier_ids=self.certifier_ids,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            period_on=data.get("period_on") or selectors.PERIOD_CREATED,
            branch_id=data["branch"].pk if data.get("branch") else None,
            certification_id=data["certification"].pk if data.get("certification") else None,
        )
