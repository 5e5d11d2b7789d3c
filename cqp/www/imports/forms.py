from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV ou XLSX"),
        help_text=_("Une ligne par candidature, sous les titres des colonnes du modèle."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, employers=(), **kwargs):
        super().__init__(*args, **kwargs)
        # A person acting for several companies says which one employs the people of the file.
        if len(employers) > 1:
            self.fields["employer"] = forms.TypedChoiceField(
                label=_("Entreprise qui emploie ces personnes"),
                choices=[(e.pk, e.name) for e in employers],
                coerce=int,
            )
