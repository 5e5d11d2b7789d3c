from django import forms
from django.utils.translation import gettext_lazy as _


class PeriodForm(forms.Form):
    certifier = forms.TypedChoiceField(label=_("Certificateur"), coerce=int)
    start = forms.DateField(label=_("Délivrés à partir du"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Jusqu'au (inclus)"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, certifiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certifier"].choices = [(c.pk, c.name) for c in certifiers]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error("end", _("La date de fin doit suivre la date de début."))
        return cleaned
