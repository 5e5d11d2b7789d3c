"""Forms of the candidacy pages. They check the shape of the input; the rules live in the services."""

from types import SimpleNamespace

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cqp.candidacies import rules
from cqp.candidacies.enums import DocumentKind, Path, Situation
from cqp.catalogue.models import Certification


def add_service_errors(form: forms.Form, error: ValidationError):
    """Attach a service's ValidationError to the fields it names, the rest to the whole form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def certification_by_code(code: str) -> Certification:
    """The certification a person names by its code, refused with the reason when it takes no candidacy."""
    code = (code or "").strip()
    certification = (
        Certification.objects.filter(code__iexact=code).prefetch_related("certifiers").first() if code else None
    )
    if certification is None:
        raise ValidationError(
            _("Aucune certification ne porte le code « %(code)s ». Vérifiez le code sur sa fiche du catalogue."),
            params={"code": code[:40]},
        )
    problems = rules.certification_problems(certification)
    if problems:
        raise ValidationError(problems)
    return certification


class CertificationCodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Code de la certification"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "help_text", _("Par exemple RNCP37869 ou RS5432 : il figure en tête de la fiche du catalogue.")
        )
        super().__init__(**kwargs)

    def clean(self, value):
        return certification_by_code(super().clean(value))


class CertificationChoiceForm(forms.Form):
    certification = CertificationCodeField()


def radio(choices):
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect)


class PathSituationMixin(forms.Form):
    path = forms.ChoiceField(label=_("Voie d'accès"), choices=Path.choices, widget=forms.RadioSelect)
    situation = forms.ChoiceField(label=_("Situation"), choices=Situation.choices, widget=forms.RadioSelect)


class ExperiencePeriodForm(forms.Form):
    start = forms.DateField(label=_("Début"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(
        label=_("Fin"),
        required=False,
        help_text=_("Vide si vous occupez toujours cet emploi."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    job_title = forms.CharField(label=_("Emploi occupé"), max_length=200)
    employer_name = forms.CharField(label=_("Employeur"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("La fin de la période doit venir après son début."))
        return data


ExperiencePeriodFormSet = forms.formset_factory(ExperiencePeriodForm, extra=3, max_num=30, absolute_max=30)
PERIODS_PREFIX = "periodes"


def periods_formset(data=None, *, add_one=False):
    """The experience periods; `add_one` shows the posted rows plus an empty one, without errors."""
    if data is not None and add_one:
        data = data.copy()
        key = f"{PERIODS_PREFIX}-TOTAL_FORMS"
        try:
            data[key] = str(min(int(data.get(key, 3)) + 1, 30))
        except ValueError:
            data[key] = "4"
    return ExperiencePeriodFormSet(data, prefix=PERIODS_PREFIX)


def periods_from(formset) -> list[dict]:
    return [
        {name: form.cleaned_data[name] or ("" if name != "end" else None) for name in ExperiencePeriodForm.base_fields}
        for form in formset.forms
        if form.cleaned_data
    ]


def vae_hint(path, periods) -> str:
    """When VAE is refused for too little experience, the way that remains open."""
    spans = [SimpleNamespace(start=row["start"], end=row.get("end")) for row in periods]
    if path == Path.VAE and rules.experience_days(spans) < rules.VAE_MINIMUM_DAYS:
        return _(
            "Vous pouvez candidater par la voie de la formation : choisissez « Par la formation » "
            "et un financement, puis déposez la candidature."
        )
    return ""


# --------------------------------------------------------------------------- candidacy page


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("Commentaire"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, transition, **kwargs):
        kwargs.setdefault("auto_id", f"id_{transition.name}_%s")
        super().__init__(*args, **kwargs)
        self.transition = transition
        if transition.comment_required:
            self.fields["comment"].required = True
            self.fields["comment"].error_messages["required"] = _(
                "Donnez le motif de cette décision : il sera communiqué aux personnes concernées."
            )
            self.fields["comment"].label = _("Motif")
            self.fields["comment"].help_text = _("Obligatoire : il sera communiqué aux personnes concernées.")


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Nature de la pièce"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("Fichier"), help_text=_("PDF, JPEG ou PNG."))


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Votre message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
