"""Public orientation: which path, which funding, whom to ask. No account, no CSRF, nothing written.

The view only validates the input, calls the orientation selector and shapes the answer; every rule
lives in `cqp.orientation.rules`.
"""

from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from cqp.catalogue.models import Certification
from cqp.orientation import opco as opco_table
from cqp.orientation import selectors
from cqp.orientation.enums import ContactKind, FundingName, PathName, Status
from cqp.orientation.messages import (
    AGE_MAX,
    AGE_MIN,
    CERTIFICATION_MAX_LENGTH,
    EXPERIENCE_MAX,
    EXPERIENCE_MIN,
    MESSAGES,
)

INTEGER_ERRORS = ("invalid", "min_value", "max_value", "max_string_length", "null", "required")


def _errors(message, keys=("invalid", "null", "blank", "required", "max_length", "invalid_choice")):
    return dict.fromkeys(keys, message)


class OrientationInputSerializer(serializers.Serializer):
    default_error_messages = {
        "invalid": (
            'Données invalides : attendu un objet JSON ({{"status": "EMPLOYEE", …}}), reçu {datatype}. '
            "/ Invalid data: expected a JSON object, got {datatype}."
        )
    }

    status = serializers.ChoiceField(
        choices=Status.choices,
        help_text="Situation de la personne. / The person's situation.",
        error_messages={**_errors(MESSAGES["status"]), "required": MESSAGES["status_required"]},
    )
    age = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=AGE_MIN,
        max_value=AGE_MAX,
        help_text="Âge en années (14 à 100). / Age in years (14 to 100).",
        error_messages=_errors(MESSAGES["age"], INTEGER_ERRORS),
    )
    disability_recognised = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=False,
        help_text="Handicap reconnu (RQTH…). / Recognised disability.",
        error_messages=_errors(MESSAGES["disability_recognised"], ("invalid", "null", "required")),
    )
    idcc = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=10,
        help_text=(
            "IDCC de la convention collective de l'employeur, 1 à 4 chiffres (3248). "
            "/ IDCC of the employer's collective agreement, 1 to 4 digits."
        ),
        error_messages=_errors(MESSAGES["idcc_format"]),
    )
    experience_months = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=EXPERIENCE_MIN,
        max_value=EXPERIENCE_MAX,
        help_text=(
            "Mois d'expérience en rapport avec la certification (0 à 600). "
            "/ Months of experience related to the certification (0 to 600)."
        ),
        error_messages=_errors(MESSAGES["experience_months"], INTEGER_ERRORS),
    )
    certification = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=CERTIFICATION_MAX_LENGTH,
        help_text="Code de la certification (RNCP37674, RS6117). / Certification code.",
        error_messages=_errors(MESSAGES["certification_format"]),
    )

    def validate_idcc(self, value):
        if not value:
            return None
        normalised = opco_table.normalise_idcc(value)
        if normalised is None:
            raise serializers.ValidationError(MESSAGES["idcc_format"])
        if selectors.branch_for_idcc(normalised) is None:
            raise serializers.ValidationError(MESSAGES["idcc_unknown"])
        return normalised

    def validate_certification(self, value):
        value = (value or "").strip()
        if not value:
            return None
        code = Certification.objects.filter(code__iexact=value).values_list("code", flat=True).first()
        if code is None:
            raise serializers.ValidationError(MESSAGES["certification_unknown"])
        return code


class OutcomeSerializer(serializers.Serializer):
    open = serializers.BooleanField(help_text="Ouvert pour cette personne. / Open to this person.")
    reason = serializers.CharField(help_text="Pourquoi, en français simple, avec les chiffres utilisés.")


class PathSerializer(OutcomeSerializer):
    name = serializers.ChoiceField(choices=PathName.choices)


class FundingSerializer(OutcomeSerializer):
    name = serializers.ChoiceField(choices=FundingName.choices)


# A pattern, not an enum: enums become shared components, and `kind` is already taken by other ones.
@extend_schema_field({"type": "string", "pattern": f"^({'|'.join(ContactKind.values)})$"})
class ContactKindField(serializers.CharField):
    pass


class ContactSerializer(serializers.Serializer):
    kind = ContactKindField(help_text=" ; ".join(f"{value} : {label}" for value, label in ContactKind.choices))
    name = serializers.CharField()
    url = serializers.URLField()
    reason = serializers.CharField(help_text="Pourquoi ce contact. / Why this contact.")


class OrientationCertificationSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField(help_text="La fiche publique. / The public fiche.")


class OrientationBranchSerializer(serializers.Serializer):
    idcc = serializers.CharField()
    label = serializers.CharField()
    opco = serializers.CharField(allow_null=True, help_text="Nom de l'OPCO, s'il est connu. / OPCO name, if known.")


class OrientationSerializer(serializers.Serializer):
    paths = PathSerializer(many=True)
    funding = FundingSerializer(many=True)
    contacts = ContactSerializer(many=True)
    certification = OrientationCertificationSerializer(allow_null=True)
    branch = OrientationBranchSerializer(allow_null=True)


BAD_INPUT = OpenApiResponse(
    response={"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    description="Donnée invalide : un message par champ. / Invalid input: one message per field.",
    examples=[
        OpenApiExample(
            f"{name} invalide / invalid {name}",
            value={name: [MESSAGES[key]]},
            status_codes=["400"],
            response_only=True,
        )
        for name, key in [
            ("status", "status"),
            ("age", "age"),
            ("experience_months", "experience_months"),
            ("idcc", "idcc_unknown"),
            ("certification", "certification_unknown"),
        ]
    ],
)


class OrientationViewSet(viewsets.GenericViewSet):
    """Public and stateless: no authentication, hence no CSRF check."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = OrientationInputSerializer

    @extend_schema(
        operation_id="orientation_create",
        summary="Orientation : parcours, financements, contacts",
        description=(
            "Selon la situation de la personne, dit quelles voies (formation, VAE) et quels financements lui sont "
            "ouverts, chacun avec sa raison en français, et à qui s'adresser. Public, sans compte ; rien n'est "
            "enregistré. Les règles : /orientation/regles/. / Which paths and funding are open to the person, "
            "each with its reason in French, and whom to contact. Public; nothing is stored."
        ),
        request=OrientationInputSerializer,
        responses={200: OrientationSerializer, 400: BAD_INPUT},
        examples=[
            OpenApiExample(
                "Salarié de la métallurgie / Metalworking employee",
                value={
                    "status": "EMPLOYEE",
                    "age": 19,
                    "disability_recognised": False,
                    "idcc": "3248",
                    "experience_months": 14,
                    "certification": "RNCP37674",
                },
                request_only=True,
            )
        ],
    )
    def create(self, request):
        serializer = OrientationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        answer = selectors.orientation_for(
            status=data["status"],
            age=data.get("age"),
            disability_recognised=bool(data.get("disability_recognised")),
            idcc=data.get("idcc"),
            experience_months=data.get("experience_months"),
            certification=data.get("certification"),
        )
        certification = answer.certification
        branch = answer.branch
        body = {
            "paths": answer.orientation.paths,
            "funding": answer.orientation.funding,
            "contacts": answer.orientation.contacts,
            "certification": (
                {
                    "code": certification.code,
                    "title": certification.title,
                    "url": request.build_absolute_uri(
                        reverse("www:certification_detail", kwargs={"code": certification.code})
                    ),
                }
                if certification
                else None
            ),
            "branch": (
                {"idcc": branch.idcc, "label": branch.label, "opco": branch.opco.name if branch.opco else None}
                if branch
                else None
            ),
        }
        return Response(OrientationSerializer(body).data)


def register(router):
    """Add this module's viewset to the API router."""
    router.register("orientation", OrientationViewSet, basename="orientation")
