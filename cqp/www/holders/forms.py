"""The certifier staff's form to record the blocks of an earlier certification."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cqp.catalogue.models import Block


def add_service_errors(form: forms.Form, error: ValidationError):
    """Attach a service's ValidationError to the fields it names, the rest to the whole form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class CertificationChoiceForm(forms.Form):
    """First step, sent by GET: which certification of one's certifier the earlier certificate is of."""

    certification = forms.ModelChoiceField(
        label=_("Certification"),
        queryset=None,
        to_field_name="code",
        empty_label=_("— choisir —"),
        error_messages={"invalid_choice": _("Cette certification ne relève pas de votre certificateur.")},
    )

    def __init__(self, *args, certifications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certification"].queryset = certifications
        self.fields["certification"].label_from_instance = lambda c: f"{c.code} — {c.title}"


class EarlierBlocksForm(forms.Form):
    """Second step: the blocks of the chosen certification shown on the earlier certificate."""

    certification = forms.ModelChoiceField(
        queryset=None,
        to_field_name="code",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Cette certification ne relève pas de votre certificateur.")},
    )
    blocks = forms.ModelMultipleChoiceField(
        label=_("Blocs obtenus"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Cochez au moins un bloc."),
            "invalid_choice": _(
                "Ce bloc ne relève pas de la certification choisie : un bloc d'une certification "
                "d'un autre certificateur ne s'enregistre pas ici."
            ),
        },
    )
    obtained_on = forms.DateField(
        label=_("Date d'obtention"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("La date figurant sur le certificat ou l'attestation antérieur."),
    )
    reference = forms.CharField(
        label=_("Référence du certificat antérieur"),
        max_length=255,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text=_("Numéro, organisme qui l'a délivré, date : de quoi retrouver le document présenté."),
    )

    def __init__(self, *args, certifications, certification, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certification"].queryset = certifications
        self.fields["blocks"].queryset = Block.objects.filter(certification=certification).order_by("position", "code")
        self.fields["blocks"].label_from_instance = lambda b: f"{b.code} — {b.title}"
        if certification is not None:
            self.initial.setdefault("certification", certification.code)
