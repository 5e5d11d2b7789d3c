"""Forms of the certifier pages. They only read input: the services validate and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cqp.catalogue import enums
from cqp.catalogue.models import Branch

LEVEL_CHOICES = [("", _("Sans niveau")), *((str(n), label) for n, label in enums.LEVEL_LABELS.items())]
TEXT_FIELD_LABELS = {
    "objectives": _("Objectifs et contexte"),
    "activities": _("Activités visées"),
    "abilities": _("Capacités attestées"),
    "sectors": _("Secteurs d'activité"),
    "job_types": _("Types d'emplois accessibles"),
    "entry_prerequisites": _("Prérequis à l'entrée en formation"),
    "validation_prerequisites": _("Prérequis à la validation"),
}


def add_service_errors(form: forms.Form, error: ValidationError):
    """Attach a service's ValidationError to the fields it names, the rest to the whole form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _text_area(rows=4):
    return forms.Textarea(attrs={"rows": rows})


class _TextsMixin(forms.Form):
    """The free texts of a fiche, shared by the create and update forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in TEXT_FIELD_LABELS.items():
            self.fields[name] = forms.CharField(label=label, required=False, widget=_text_area())


class CertificationCreateForm(_TextsMixin):
    certifier = forms.ModelChoiceField(label=_("Certificateur"), queryset=None, empty_label=None)
    title = forms.CharField(
        label=_("Intitulé"),
        max_length=500,
        help_text=_("Tel qu'il figurera sur le certificat, par exemple « CQP Opérateur régleur sur machines »."),
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=enums.CertificationKind.choices,
        help_text=_("Un CQPI est créé par deux branches ou plus ; un CQPM par la métallurgie."),
    )
    registry = forms.ChoiceField(
        label=_("Enregistrement"),
        choices=enums.Registry.choices,
        initial=enums.Registry.NONE,
        widget=forms.RadioSelect,
        help_text=_(
            "Non enregistré : la plateforme lui donne un code (CQP-00001…). Enregistré au RNCP : VAE et CPF "
            "possibles. Au Répertoire spécifique : CPF possible, pas de VAE."
        ),
    )
    code = forms.CharField(
        label=_("Code RNCP ou RS"),
        required=False,
        max_length=20,
        help_text=_("Seulement si la certification est enregistrée : par exemple RNCP37674 ou RS6117."),
    )
    level = forms.ChoiceField(label=_("Niveau (cadre national)"), choices=LEVEL_CHOICES, required=False)
    registration_end = forms.DateField(
        label=_("Fin d'enregistrement"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Pour une certification enregistrée au RNCP ou au RS."),
    )
    branches = forms.ModelMultipleChoiceField(
        label=_("Branches professionnelles"),
        queryset=Branch.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    access_routes = forms.MultipleChoiceField(
        label=_("Voies d'accès"),
        choices=enums.AccessRoute.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, certifiers, single_certifier=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certifier"].queryset = certifiers
        if single_certifier is not None:
            # Nothing to choose: the page names the certifier instead.
            self.fields["certifier"].widget = forms.HiddenInput()
            self.fields["certifier"].initial = single_certifier.pk
        if not self.fields["branches"].queryset.exists():
            del self.fields["branches"]
        # The free texts come last, after the identity.
        order = ["certifier", "title", "kind", "registry", "code", "level", "registration_end"]
        order += ["branches", "access_routes", *TEXT_FIELD_LABELS]  # order_fields skips a missing name
        self.order_fields(order)

    def identity_fields(self):
        return [self[name] for name in self.fields if name not in TEXT_FIELD_LABELS]

    def text_fields(self):
        return [self[name] for name in TEXT_FIELD_LABELS]


class CertificationUpdateForm(_TextsMixin):
    title = forms.CharField(label=_("Intitulé"), max_length=500)
    kind = forms.ChoiceField(label=_("Type"), choices=enums.CertificationKind.choices)
    level = forms.ChoiceField(label=_("Niveau (cadre national)"), choices=LEVEL_CHOICES, required=False)
    active = forms.BooleanField(
        label=_("Active : de nouvelles candidatures sont possibles"),
        required=False,
    )
    registration_end = forms.DateField(
        label=_("Fin d'enregistrement"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    access_routes = forms.MultipleChoiceField(
        label=_("Voies d'accès"),
        choices=enums.AccessRoute.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    block_validity_years = forms.IntegerField(
        label=_("Durée de validité des blocs acquis (années)"),
        required=False,
        min_value=1,
        max_value=99,
        help_text=_("vide : les blocs acquis n'expirent jamais"),
    )
    reason = forms.CharField(
        label=_("Motif de la modification"),
        required=False,
        max_length=500,
        help_text=_("Facultatif ; il figure dans l'historique."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([name for name in self.fields if name != "reason"] + ["reason"])


class BranchesForm(forms.Form):
    branches = forms.ModelMultipleChoiceField(
        label=_("Branches professionnelles"),
        queryset=Branch.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class BlockForm(forms.Form):
    title = forms.CharField(label=_("Intitulé du bloc"), widget=_text_area(2))
    competencies = forms.CharField(
        label=_("Compétences"),
        required=False,
        widget=_text_area(6),
        help_text=_("Une compétence par ligne, dans l'ordre."),
    )
    assessment_methods = forms.CharField(
        label=_("Modalités d'évaluation"),
        required=False,
        widget=_text_area(3),
        help_text=_("Par exemple : mise en situation professionnelle observée par un évaluateur."),
    )


class CriterionForm(forms.Form):
    text = forms.CharField(label=_("Critère d'évaluation"), widget=_text_area(2))
    mandatory = forms.BooleanField(
        label=_("Critère obligatoire"),
        required=False,
        initial=True,
        help_text=_("Un critère obligatoire non satisfait empêche de valider le bloc."),
    )


class CriterionUpdateForm(CriterionForm):
    position = forms.IntegerField(label=_("Rang dans la liste"), min_value=1, required=False)


class BlockMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Monter")), ("down", _("Descendre"))])


class EquivalenceSearchForm(forms.Form):
    code = forms.CharField(
        label=_("Code de la certification ou du bloc"),
        max_length=30,
        required=False,
        help_text=_("Par exemple RNCP36086, CQP-00002 ou RNCP36086BC01."),
    )


class EquivalenceForm(forms.Form):
    target_block = forms.TypedChoiceField(label=_("Bloc équivalent"), coerce=int, widget=forms.RadioSelect)
    kind = forms.ChoiceField(
        label=_("Nature"),
        choices=[
            (enums.EquivalenceKind.COMMON, _("Bloc commun (déclaré sur les deux fiches)")),
            (enums.EquivalenceKind.EQUIVALENT, _("Correspondance (ce bloc vaut le bloc choisi)")),
        ],
        initial=enums.EquivalenceKind.COMMON,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_block"].choices = [
            (b.pk, f"{b.certification.code} — {b.code} — {b.title[:120]}") for b in candidates
        ]


class ConfirmForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"), required=False, max_length=500, help_text=_("Facultatif ; il figure dans l'historique.")
    )


# --------------------------------------------------------------------------- versions


class NewVersionForm(forms.Form):
    code = forms.CharField(
        label=_("Code RNCP ou RS de la nouvelle version"),
        required=False,
        max_length=20,
        help_text=_("Seulement si la nouvelle version est déjà enregistrée ; sinon elle reçoit un code CQP-…"),
    )
    title = forms.CharField(
        label=_("Intitulé de la nouvelle version"),
        required=False,
        max_length=500,
        help_text=_("Laissez vide pour garder l'intitulé actuel."),
    )
    reason = forms.CharField(
        label=_("Motif"), required=False, max_length=500, help_text=_("Facultatif ; il figure dans l'historique.")
    )


class VersionEquivalenceForm(forms.Form):
    block = forms.TypedChoiceField(label=_("Bloc de la nouvelle version"), coerce=int)
    target_block = forms.TypedChoiceField(label=_("Bloc de l'ancienne version qu'il reprend"), coerce=int)

    def __init__(self, *args, new_blocks=(), old_blocks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["block"].choices = [(b.pk, f"{b.code} — {b.title[:100]}") for b in new_blocks]
        self.fields["target_block"].choices = [(b.pk, f"{b.code} — {b.title[:100]}") for b in old_blocks]


class RetireForm(forms.Form):
    on = forms.DateField(
        label=_("Plus de nouvelle candidature à partir du"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Les candidatures en cours gardent cette version, sauf si vous les faites passer sur la nouvelle."),
    )
    replaced_by = forms.ChoiceField(label=_("Remplacée par"), required=False)
    reason = forms.CharField(
        label=_("Motif"), required=False, max_length=500, help_text=_("Facultatif ; il figure dans l'historique.")
    )

    def __init__(self, *args, successors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].choices = [("", _("Aucune nouvelle version sur la plateforme"))] + [
            (c.code, f"{c.code} — {c.title}") for c in successors
        ]


class MigrateForm(forms.Form):
    candidacies = forms.TypedMultipleChoiceField(
        label=_("Candidatures à faire passer sur la nouvelle version"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, movable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidacies"].choices = [
            (p.candidacy.pk, f"n° {p.candidacy.pk} — {p.candidacy.candidate} ({p.candidacy.get_state_display()})")
            for p in movable
        ]
