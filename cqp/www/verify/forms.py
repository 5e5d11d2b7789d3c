"""The public form that checks a credential file or its pasted text."""

from io import BytesIO

from django import forms
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FILE_FIELD = "credential_file"


def too_large_message(limit: int) -> str:
    return _("Le document est trop volumineux : une attestation fait au plus %(limit)s.") % {
        "limit": filesizeformat(limit)
    }


class BoundedUploadHandler(FileUploadHandler):
    """Keeps at most limit + 1 bytes of the credential file in memory: past that the file is dropped (the
    rest of the stream is discarded unread into memory) and `too_large` tells the form why."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.too_large = False
        self.buffer = None

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        if field_name != FILE_FIELD:
            raise SkipFile
        self.buffer = BytesIO()

    def receive_data_chunk(self, raw_data, start):
        self.buffer.write(raw_data[: self.limit + 1 - self.buffer.tell()])
        if self.buffer.tell() > self.limit:
            self.too_large = True
            self.buffer = None
            raise SkipFile
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer,
            self.field_name,
            self.file_name,
            self.content_type,
            file_size,
            self.charset,
            self.content_type_extra,
        )


class VerifyForm(forms.Form):
    credential_file = forms.FileField(
        label=gettext_lazy("Fichier de l'attestation (.json)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json,application/ld+json"}),
    )
    credential_text = forms.CharField(
        label=gettext_lazy("Ou collez ici le texte de l'attestation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
    )

    def __init__(self, *args, limit: int, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = limit
        self.too_large = too_large

    def clean(self):
        data = super().clean()
        if self.too_large:
            raise forms.ValidationError(too_large_message(self.limit), code="too_large")
        upload, text = data.get("credential_file"), data.get("credential_text") or ""
        if upload and text:
            raise forms.ValidationError(
                _("Donnez soit un fichier, soit le texte collé, pas les deux à la fois."), code="both"
            )
        if not upload and not text and not self.errors:
            raise forms.ValidationError(
                _("Choisissez le fichier .json de l'attestation ou collez son texte."), code="empty"
            )
        if text and len(text.encode("utf-8")) > self.limit:
            raise forms.ValidationError(too_large_message(self.limit), code="too_large")
        return data

    def raw(self) -> bytes | str:
        upload = self.cleaned_data.get("credential_file")
        return upload.read(self.limit + 1) if upload else self.cleaned_data["credential_text"]
