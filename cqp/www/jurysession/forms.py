"""Forms of the jury session pages: attendance, reopening, signature, deliberation, delivery, revocation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cqp.awards.enums import AwardKind
from cqp.juries.enums import College

PRESENCE_CHOICES = [("yes", _("Présent")), ("no", _("Absent"))]


class AttendanceForm(forms.Form):
    """One radio group per convened member: present or absent."""

    def __init__(self, *args, attendance=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(attendance)
        for row in self.rows:
            self.fields[f"present_{row.member_id}"] = forms.ChoiceField(
                label=str(row.member),
                choices=PRESENCE_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": _("Indiquez si cette personne est présente ou absente.")},
            )
            if row.present is not None and not self.is_bound:
                self.initial[f"present_{row.member_id}"] = "yes" if row.present else "no"

    def members(self):
        return [(row, self[f"present_{row.member_id}"]) for row in self.rows]

    def present(self) -> dict[int, bool]:
        return {row.member_id: self.cleaned_data[f"present_{row.member_id}"] == "yes" for row in self.rows}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Donnez le motif.")},
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label


class SignForm(forms.Form):
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


VOTE_LABELS = {"for": _("pour"), "against": _("contre"), "abstain": _("abstention")}


class DeliberationForm(forms.Form):
    """One checkbox per block the jury decides on, the votes of each college, the motivation."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    motivation = forms.CharField(
        label=_("Motivation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Obligatoire pour une attestation partielle ou un refus, et quand la décision s'écarte de "
            "l'évaluation : elle est communiquée au candidat."
        ),
    )

    def __init__(self, *args, blocks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.block_rows = list(blocks)
        for row in self.block_rows:
            self.fields[f"block_{row.block.code}"] = forms.BooleanField(
                label=f"{row.block.code} — {row.block.title}", required=False
            )
        for college in College:
            for key, label in VOTE_LABELS.items():
                self.fields[f"{college.value.lower()}_{key}"] = forms.IntegerField(
                    label=f"{college.label} : {label}",
                    min_value=0,
                    max_value=99,
                    initial=0,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                    error_messages={
                        "required": _("Indiquez le nombre de voix (0 si aucune)."),
                        "invalid": _("Le nombre de voix est un nombre entier."),
                        "min_value": _("Le nombre de voix n'est pas négatif."),
                    },
                )

    def block_fields(self):
        return [(row, self[f"block_{row.block.code}"]) for row in self.block_rows]

    def vote_fields(self):
        return [(college, [self[f"{college.value.lower()}_{key}"] for key in VOTE_LABELS]) for college in College]

    def validated_codes(self) -> list[str]:
        return [row.block.code for row in self.block_rows if self.cleaned_data.get(f"block_{row.block.code}")]

    def votes(self) -> dict:
        return {
            college.value: {key: self.cleaned_data[f"{college.value.lower()}_{key}"] for key in VOTE_LABELS}
            for college in College
        }


def deliberation_initial(deliberation) -> dict:
    initial = {"revision": deliberation.revision, "motivation": deliberation.motivation}
    for row in deliberation.blocks.all():
        initial[f"block_{row.block.code}"] = row.validated
    for college, values in deliberation.votes().items():
        for key, value in zip(VOTE_LABELS, values, strict=True):
            initial[f"{college.lower()}_{key}"] = value
    return initial


class AwardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Année"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Nature"), required=False, choices=[("", _("Toutes")), *AwardKind.choices])
    certification = forms.TypedChoiceField(label=_("Certification"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years=(), certifications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Toutes")), *((y, y) for y in years)]
        self.fields["certification"].choices = [
            ("", _("Toutes")),
            *((c.pk, f"{c.code} — {c.title}") for c in certifications),
        ]
