"""Forms of the jury pages. They read the input; the rules (parity, mandates, states) live in the services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqp.candidacies.enums import Path
from cqp.juries.enums import College, MemberRole, ParityRule

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


class JuryForm(forms.Form):
    certifier = forms.TypedChoiceField(label=_("Certificateur"), coerce=int)
    name = forms.CharField(
        label=_("Nom du jury"),
        max_length=200,
        help_text=_("Par exemple « Jury paritaire national de la métallurgie »."),
    )
    certifications = forms.MultipleChoiceField(
        label=_("Certifications couvertes"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cochez chaque CQP sur lequel ce jury délibère."),
    )
    parity_rule = forms.ChoiceField(
        label=_("Règle de parité"),
        choices=ParityRule.choices,
        initial=ParityRule.EQUAL_MEMBERS,
        widget=forms.RadioSelect,
        help_text=_(
            "Autant de votants dans chaque collège, ou un vote pondéré où chaque collège pèse la moitié des voix "
            "quel que soit le nombre de ses votants."
        ),
    )

    def __init__(self, *args, certifiers=(), certifications=(), **kwargs):
        super().__init__(*args, **kwargs)
        certifiers = list(certifiers)
        self.fields["certifier"].choices = [(c.pk, c.name) for c in certifiers]
        if len(certifiers) == 1:
            self.fields["certifier"].initial = certifiers[0].pk
            self.fields["certifier"].widget = forms.HiddenInput()
        self.fields["certifications"].choices = [(str(c.pk), f"{c.code} — {c.title}") for c in certifications]


class MemberForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail du membre"),
        help_text=_(
            "Si aucun compte ne porte cette adresse, un compte est ouvert et la personne reçoit un e-mail "
            "pour choisir son mot de passe."
        ),
    )
    first_name = forms.CharField(
        label=_("Prénom"), max_length=150, required=False, help_text=_("Pour un nouveau compte seulement.")
    )
    last_name = forms.CharField(
        label=_("Nom"), max_length=150, required=False, help_text=_("Pour un nouveau compte seulement.")
    )
    college = forms.ChoiceField(label=_("Collège"), choices=College.choices, widget=forms.RadioSelect)
    represents = forms.CharField(
        label=_("Organisation représentée"),
        max_length=200,
        help_text=_("Organisation professionnelle d'employeurs ou syndicat de salariés."),
    )
    role = forms.ChoiceField(
        label=_("Fonction"),
        choices=MemberRole.choices,
        initial=MemberRole.MEMBER,
        widget=forms.RadioSelect,
        help_text=_("Le président et le vice-président appartiennent à des collèges différents."),
    )
    mandate_start = forms.DateField(label=_("Début du mandat"), widget=DATE_WIDGET)
    mandate_end = forms.DateField(label=_("Fin du mandat"), widget=DATE_WIDGET)

    def service_values(self) -> dict:
        return dict(self.cleaned_data)


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date et heure"),
        input_formats=DATETIME_FORMATS,
        widget=DATETIME_WIDGET,
    )
    place = forms.CharField(
        label=_("Lieu"),
        max_length=300,
        required=False,
        help_text=_("Adresse de la salle ; ou bien un lien de visioconférence, ou les deux."),
    )
    video_url = forms.URLField(
        label=_("Lien de visioconférence"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )

    def clean(self):
        data = super().clean()
        empty = not (data.get("place") or "").strip() and not (data.get("video_url") or "").strip()
        if empty and "video_url" not in self.errors:
            self.add_error("place", _("Indiquez un lieu ou un lien de visioconférence."))
        return data

    @staticmethod
    def initial_of(session) -> dict:
        return {
            "starts_at": timezone.localtime(session.starts_at),
            "place": session.place,
            "video_url": session.video_url,
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label=None, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text


class ReadyFilterForm(forms.Form):
    """Filters of the candidacies ready for the jury. An invalid filter is shown with its error and ignored."""

    certification = forms.TypedChoiceField(label=_("Certification"), required=False, coerce=int, empty_value=None)
    path = forms.ChoiceField(label=_("Voie"), required=False, choices=[("", _("Les deux voies")), *Path.choices])
    centre = forms.TypedChoiceField(label=_("Organisme évaluateur"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, certifications=(), centres=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["certification"].choices = [
            ("", _("Toutes les certifications du jury")),
            *((str(c.pk), f"{c.code} — {c.title}") for c in certifications),
        ]
        self.fields["centre"].choices = [("", _("Tous les organismes")), *((str(o.pk), o.name) for o in centres)]

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: value for name, value in data.items() if value not in (None, "")}

    def hidden_inputs(self) -> list[tuple[str, str]]:
        """The valid filters as (name, value), to carry them in the forms of the page."""
        valid = self.filters()
        return [(name, self.data[name]) for name in self.fields if name in valid]
