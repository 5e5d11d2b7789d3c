"""Representations of candidacies, their trail and their documents; the bodies callers send.

Output serializers only shape rows the view fetched with their joins and prefetches: they never
query on their own. Input serializers only check shapes and look rows up; the rules are the
services' (cqp.candidacies.services), whose refusals the view turns into 400.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cqp.accounts.enums import OrganisationKind
from cqp.accounts.models import Organisation
from cqp.candidacies import enums, workflow
from cqp.candidacies.enums import State
from cqp.candidacies.models import Candidacy, Document, Tutor
from cqp.candidacies.selectors import available_transitions
from cqp.catalogue.models import Certification, Certifier


def described(field, values, description):
    """A code field whose values are listed in its description, not as an enum: drf-spectacular would
    name an enum component after the field, and `kind` or `from`/`to` would collide with others."""
    text = f"{description} ({', '.join(value or '« »' for value in values)})"
    return extend_schema_field({"type": "string", "description": text})(field)


TRANSITION_NAMES = sorted(workflow.TRANSITIONS)
EVENT_STATES = ["", *State.values]


def _absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


# Representation -----------------------------------------------------------------------------------


def _organisation(organisation):
    return None if organisation is None else {"id": organisation.pk, "name": organisation.name}


def _tutor(tutor):
    if tutor is None:
        return None
    return {"id": tutor.pk, "first_name": tutor.first_name, "last_name": tutor.last_name, "job_title": tutor.job_title}


class CandidateRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class TutorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    job_title = serializers.CharField()


class CandidacyBlockSerializer(serializers.Serializer):
    code = serializers.CharField(source="block.code")
    title = serializers.CharField(source="block.title")
    status = serializers.ChoiceField(
        choices=enums.BlockStatus.choices,
        help_text=(
            "to_acquire : à acquérir ; exempted : dispensé (déjà détenu) ; acquired : acquis ; not_acquired : non "
            "acquis. / to_acquire, exempted (already held), acquired, not_acquired."
        ),
    )


class ExperiencePeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True, required=False, help_text="Vide : en cours. / Null: ongoing.")
    job_title = serializers.CharField(max_length=200)
    employer_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CandidacySerializer(serializers.ModelSerializer):
    """One candidacy as its caller may see it. `available_transitions` depends on who asks."""

    candidate = CandidateRefSerializer(read_only=True)
    certification = serializers.CharField(source="certification.code", read_only=True)
    certification_title = serializers.CharField(source="certification.title", read_only=True)
    certifier = serializers.CharField(
        source="certifier.siret", read_only=True, help_text="SIRET du certificateur. / The certifier's SIRET."
    )
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    available_transitions = serializers.SerializerMethodField(
        help_text=(
            "Actions que l'appelant peut demander maintenant (POST …/transitions/) ; leurs conditions sont "
            "vérifiées à ce moment-là. / Transitions the caller may apply now; their conditions are checked then."
        )
    )
    blocks = CandidacyBlockSerializer(many=True, read_only=True)
    employer = OrganisationRefSerializer(read_only=True, allow_null=True)
    tutor = TutorRefSerializer(read_only=True, allow_null=True)
    training_org = OrganisationRefSerializer(read_only=True, allow_null=True)
    assessment_centre = OrganisationRefSerializer(read_only=True, allow_null=True)
    experience_periods = ExperiencePeriodSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField(
        help_text="La page de la candidature sur la plateforme. / The candidacy's page on the platform."
    )
    api_url = serializers.SerializerMethodField(help_text="Cette ressource dans l'API. / This resource in the API.")

    class Meta:
        model = Candidacy
        fields = [
            "id",
            "candidate",
            "certification",
            "certification_title",
            "certifier",
            "path",
            "situation",
            "funding",
            "state",
            "state_label",
            "available_transitions",
            "blocks",
            "employer",
            "tutor",
            "training_org",
            "assessment_centre",
            "experience_periods",
            "created_at",
            "state_changed_at",
            "url",
            "api_url",
        ]
        read_only_fields = fields

    def to_representation(self, candidacy):
        # Written out rather than field by field: for a page of 100 candidacies with their blocks,
        # DRF's per-field machinery cost several times the queries. The fields declared above stay
        # the schema's; tests compare both.
        created_at, state_changed_at = self.fields["created_at"], self.fields["state_changed_at"]
        return {
            "id": candidacy.pk,
            "candidate": {
                "id": candidacy.candidate.pk,
                "first_name": candidacy.candidate.first_name,
                "last_name": candidacy.candidate.last_name,
            },
            "certification": candidacy.certification.code,
            "certification_title": candidacy.certification.title,
            "certifier": candidacy.certifier.siret,
            "path": candidacy.path,
            "situation": candidacy.situation,
            "funding": candidacy.funding,
            "state": candidacy.state,
            "state_label": str(candidacy.get_state_display()),
            "available_transitions": self.get_available_transitions(candidacy),
            "blocks": [
                {"code": target.block.code, "title": target.block.title, "status": target.status}
                for target in candidacy.blocks.all()
            ],
            "employer": _organisation(candidacy.employer),
            "tutor": _tutor(candidacy.tutor),
            "training_org": _organisation(candidacy.training_org),
            "assessment_centre": _organisation(candidacy.assessment_centre),
            "experience_periods": [
                {
                    "start": period.start.isoformat(),
                    "end": period.end.isoformat() if period.end else None,
                    "job_title": period.job_title,
                    "employer_name": period.employer_name,
                }
                for period in candidacy.experience_periods.all()
            ],
            "created_at": created_at.to_representation(candidacy.created_at),
            "state_changed_at": state_changed_at.to_representation(candidacy.state_changed_at),
            "url": self.get_url(candidacy),
            "api_url": self.get_api_url(candidacy),
        }

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=sorted(workflow.TRANSITIONS))))
    def get_available_transitions(self, candidacy) -> list[str]:
        request = self.context.get("request")
        return [transition.name for transition in available_transitions(request.user, candidacy)]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, candidacy) -> str:
        return _absolute(self.context.get("request"), reverse("www:candidacy_detail", kwargs={"pk": candidacy.pk}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, candidacy) -> str:
        return _absolute(self.context.get("request"), reverse("api:candidacy-detail", kwargs={"pk": candidacy.pk}))


class EventActorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


# Acts of the trail that are not transitions of the workflow.
ACT_LABELS = {
    "create": _("Création de la candidature"),
    "update": _("Modification du brouillon"),
    "assign": _("Désignation des organismes"),
    "document": _("Dépôt d'une pièce"),
}


class CandidacyEventSerializer(serializers.Serializer):
    """One row of the trail: who, when, what, from which state to which, why."""

    def get_fields(self):
        # `from` is a Python keyword: the fields are declared here rather than as attributes.
        return {
            "who": EventActorSerializer(source="by", allow_null=True, help_text="Null : le système. / Null: system."),
            "when": serializers.DateTimeField(source="at"),
            "name": serializers.CharField(
                help_text=(
                    "Le nom d'une transition, ou create, update, assign, document. / A transition's name, or create, "
                    "update, assign, document."
                )
            ),
            "label": serializers.SerializerMethodField(),
            "from": described(
                serializers.CharField(source="from_state"),
                EVENT_STATES,
                "État d'avant, vide à la création. / State before, empty on create.",
            ),
            "to": described(serializers.CharField(source="to_state"), EVENT_STATES, "État d'après. / State after."),
            "why": serializers.CharField(source="comment", help_text="Motif donné, ou vide. / Reason, or empty."),
        }

    @extend_schema_field(OpenApiTypes.STR)
    def get_label(self, event) -> str:
        if event.name in ACT_LABELS:
            return str(ACT_LABELS[event.name])
        transition = workflow.TRANSITIONS.get(event.name)
        return str(transition.label) if transition else event.name


class DocumentSerializer(serializers.ModelSerializer):
    kind = described(serializers.CharField(), enums.DocumentKind.values, "Nature de la pièce. / Document kind.")
    download_url = serializers.SerializerMethodField(
        help_text="Le fichier, servi après contrôle des droits. / The file, served after a permission check."
    )

    class Meta:
        model = Document
        fields = ["id", "kind", "original_name", "content_type", "size", "uploaded_at", "download_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document) -> str:
        path = reverse("api:candidacy-document-file", kwargs={"pk": document.candidacy_id, "document_id": document.pk})
        return _absolute(self.context.get("request"), path)


# Bodies -------------------------------------------------------------------------------------------


class CandidateIdentitySerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    email = serializers.EmailField()


def _certification_field(**kwargs):
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=Certification.objects.all(),
        error_messages={
            "does_not_exist": "Certification inconnue : « {value} ». / Unknown certification: {value}.",
            "invalid": "Code de certification attendu (RNCP37674). / Expected a certification code.",
        },
        help_text="Code de la certification (RNCP37674, RS6117…). / Certification code.",
        **kwargs,
    )


def _organisation_field(kind, label, **kwargs):
    return serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=kind),
        allow_null=True,
        required=False,
        error_messages={
            "does_not_exist": f"{label} inconnue : {{pk_value}}. / Unknown organisation: {{pk_value}}.",
            "incorrect_type": "Identifiant numérique attendu. / Expected a numeric id.",
        },
        **kwargs,
    )


class CandidacyChangesSerializer(serializers.Serializer):
    """The fields of a draft a caller may set (PATCH), shared with the creation body."""

    situation = serializers.ChoiceField(choices=enums.Situation.choices)
    funding = serializers.ChoiceField(choices=enums.Funding.choices, allow_blank=True, required=False, default="")
    employer = _organisation_field(
        OrganisationKind.EMPLOYER, "Entreprise", help_text="Identifiant de l'entreprise. / Employer id."
    )
    tutor = serializers.PrimaryKeyRelatedField(
        queryset=Tutor.objects.all(),
        allow_null=True,
        required=False,
        error_messages={
            "does_not_exist": "Tuteur inconnu : {pk_value}. / Unknown tutor: {pk_value}.",
            "incorrect_type": "Identifiant numérique attendu. / Expected a numeric id.",
        },
        help_text="Identifiant d'un tuteur de l'entreprise. / Id of a tutor of the employer.",
    )
    experience_periods = ExperiencePeriodSerializer(many=True, required=False, default=list)
    blocks = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        allow_empty=False,
        help_text=(
            "Codes des blocs visés ; absent : tous les blocs (ceux déjà détenus sont dispensés). / Codes of the "
            "targeted blocks; absent: every block (those already held are exempted)."
        ),
    )


class CandidacyCreateSerializer(CandidacyChangesSerializer):
    certification = _certification_field()
    path = serializers.ChoiceField(choices=enums.Path.choices)
    certifier = serializers.SlugRelatedField(
        slug_field="siret",
        queryset=Certifier.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": "Certificateur inconnu : {value}. / Unknown certifier: {value}."},
        help_text=(
            "SIRET du certificateur qui instruit, parmi ceux de la certification ; absent : le vôtre ou le premier. "
            "/ SIRET of the certifier in charge, among the certification's; absent: yours or the first."
        ),
    )
    candidate = CandidateIdentitySerializer(
        required=False,
        help_text=(
            "La personne, quand une entreprise inscrit un salarié ou un certificateur une personne ; absent : "
            "l'appelant candidate pour lui-même. / The person, when an employer enrols an employee or a certifier "
            "someone; absent: the caller applies for themself."
        ),
    )


class CandidacyUpdateSerializer(CandidacyChangesSerializer):
    """PATCH body: every field optional; only those sent change. The path and the certification stay:
    another path or certification is another candidacy."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        # No defaults on PATCH: a field not sent is left as it is.
        self.fields["funding"].default = serializers.empty
        self.fields["experience_periods"].default = serializers.empty


class TransitionRequestSerializer(serializers.Serializer):
    name = described(
        serializers.CharField(max_length=40),
        TRANSITION_NAMES,
        "Une des `available_transitions` de la candidature. / One of the candidacy's available_transitions.",
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=5000,
        help_text="Motif, exigé pour certaines décisions. / Reason, required by some decisions.",
    )

    def validate_name(self, value):
        if value not in workflow.TRANSITIONS:
            raise serializers.ValidationError(
                f"Action inconnue : « {value} ». Actions possibles : {', '.join(TRANSITION_NAMES)}. / "
                f"Unknown transition: {value}."
            )
        return value


class DocumentUploadSerializer(serializers.Serializer):
    kind = described(serializers.CharField(max_length=12), enums.DocumentKind.values, "Nature. / Kind.")
    file = serializers.FileField(help_text="Le fichier (multipart/form-data). / The file.")

    def validate_kind(self, value):
        if value not in enums.DocumentKind.values:
            raise serializers.ValidationError(
                f"Nature de pièce inconnue : « {value} » ; attendu {', '.join(enums.DocumentKind.values)}. / "
                f"Unknown kind: {value}."
            )
        return value
