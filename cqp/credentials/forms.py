"""The form of the certifier's document style: colours as colour pickers, images checked with Pillow."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .documents import ATTESTATION, CERTIFICATE, STYLE_FIELDS
from .models import DocumentStyle

IMAGE_MAX_BYTES = 1024 * 1024
IMAGE_FORMATS = {"PNG", "JPEG"}
EXTRA_CSS_MAX = 20_000
IMAGE_FIELDS = ("logo", "president_signature", "vice_president_signature")
DOCUMENT_CHOICES = [(CERTIFICATE, _("Parchemin (certificat)")), (ATTESTATION, _("Attestation de blocs"))]

_NOT_AN_IMAGE = _("Ce fichier n'est pas une image PNG ou JPEG (les images SVG ne sont pas acceptées).")


class DocumentStyleForm(forms.ModelForm):
    class Meta:
        model = DocumentStyle
        fields = list(STYLE_FIELDS)
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
            "certificate_wording": forms.Textarea(attrs={"rows": 2}),
            "attestation_wording": forms.Textarea(attrs={"rows": 2}),
            "footer": forms.Textarea(attrs={"rows": 3}),
            "extra_css": forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "class": "code"}),
        }
        help_texts = {
            "logo": _("PNG ou JPEG, 1 Mo au plus."),
            "president_signature": _("PNG ou JPEG, 1 Mo au plus, de préférence sur fond transparent."),
            "vice_president_signature": _("PNG ou JPEG, 1 Mo au plus, de préférence sur fond transparent."),
            "footer": _("Adresse, mentions légales : imprimé en bas de chaque document."),
            "extra_css": _(
                "Pour aller plus loin que les couleurs : règles CSS ajoutées après la feuille de base "
                "(20 000 caractères au plus). Aucune ressource externe n'est chargée."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extra_css"].validators.append(MaxLengthValidator(EXTRA_CSS_MAX))
        self.fields["extra_css"].widget.attrs["maxlength"] = EXTRA_CSS_MAX
        for name in IMAGE_FIELDS:
            field = self.fields[name]
            field.error_messages["invalid_image"] = _NOT_AN_IMAGE
            field.widget.attrs["accept"] = "image/png,image/jpeg"

    def _clean_image(self, name):
        image = self.cleaned_data.get(name)
        upload = self.files.get(self.add_prefix(name))
        if not upload or not image:
            return image  # unchanged, or cleared
        if upload.size > IMAGE_MAX_BYTES:
            raise forms.ValidationError(_("Cette image dépasse 1 Mo : réduisez-la avant de la déposer."))
        # Django's ImageField opened it with Pillow; only PNG and JPEG are drawn in the PDF.
        if getattr(getattr(upload, "image", None), "format", None) not in IMAGE_FORMATS:
            raise forms.ValidationError(_NOT_AN_IMAGE)
        return image

    def clean_logo(self):
        return self._clean_image("logo")

    def clean_president_signature(self):
        return self._clean_image("president_signature")

    def clean_vice_president_signature(self):
        return self._clean_image("vice_president_signature")


class PreviewChoiceForm(forms.Form):
    document = forms.ChoiceField(label=_("Document à prévisualiser"), choices=DOCUMENT_CHOICES, required=False)

    def kind(self) -> str:
        if self.is_valid() and self.cleaned_data["document"]:
            return self.cleaned_data["document"]
        return CERTIFICATE
