"""The awards register through the API: certificates and block attestations delivered, their documents,
their revocation and the reissue of a lost document.

Scoped: certifier staff see the awards of their certifier, a candidate their own, a platform
administrator all; anyone else gets an empty list and a 404 on each award. Revoking is the
certifier's: whoever sees an award without being its certifier gets a 403 with the reason. Reissuing
is the certifier's staff's alone: anyone else gets a 404.
"""

import django_filters
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cqp.awards import services
from cqp.awards.enums import AwardKind
from cqp.awards.models import Award
from cqp.awards.selectors import awards_delivered_by, awards_visible_to
from cqp.candidacies.selectors import staff_certifier_ids
from cqp.credentials import services as credentials

from . import schema
from .candidacies import FORBIDDEN, REFUSED, UNAUTHORISED, CandidacyStepView, not_found
from .candidacy_serializers import CandidateRefSerializer
from .filters import PatternField, UpperChoiceField, _param
from .pagination import PagePagination

AWARD_NOT_FOUND = "Délivrance introuvable. / Award not found."
KIND_HELP = " ; ".join(f"{value} : {label}" for value, label in AwardKind.choices)
MESSAGES = {
    "year": "Année invalide : attendu quatre chiffres (2026). / Invalid year: expected four digits (2026).",
    "kind": (
        f"Nature invalide : attendu {' ou '.join(AwardKind.values)}. / "
        f"Invalid kind: expected {' or '.join(AwardKind.values)}."
    ),
    "certification": (
        "Certification invalide : attendu un code (RNCP37674, RS6117, CQP-00001), 40 caractères au plus. / "
        "Invalid certification: expected a code (RNCP37674, RS6117, CQP-00001), at most 40 characters."
    ),
}


def with_representation(queryset):
    """Everything a row shows, in two queries for a page: the award with its joins (its document too),
    then its blocks."""
    return queryset.select_related("certification", "certifier", "candidacy__candidate", "document").prefetch_related(
        "blocks"
    )


def absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def verification_url(award) -> str:
    return absolute(f"/verify/{award.uuid}/")


def _document(award):
    try:
        return award.document
    except ObjectDoesNotExist:
        return None


class AwardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="Numéro unique, sans trou par certificateur et par année.")
    candidacy = serializers.IntegerField(source="candidacy_id", help_text="Identifiant de la candidature.")
    candidate = CandidateRefSerializer(source="candidacy.candidate")
    certification = serializers.CharField(source="certification.code", help_text="Code de la certification.")
    certifier = serializers.CharField(
        source="certifier.siret", allow_null=True, help_text="SIRET du certificateur qui a délivré."
    )
    kind = serializers.CharField(help_text=KIND_HELP)
    blocks = serializers.SerializerMethodField(help_text="Codes des blocs couverts. / Block codes.")
    delivered_on = serializers.DateField()
    verification_url = serializers.SerializerMethodField(
        help_text="Page publique de vérification (absolue). / Public verification page."
    )
    revoked = serializers.BooleanField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    revocation_reason = serializers.CharField()
    document_url = serializers.SerializerMethodField(
        help_text=(
            "Le PDF (absolu) : l'adresse du registre pour le personnel du certificateur, celle de l'espace "
            "candidat pour le titulaire ; null tant qu'il n'est pas émis, et pour le titulaire d'une délivrance "
            "retirée. / The PDF: the register's URL for staff, the candidate space's for the holder; null while "
            "pending."
        )
    )
    credential_url = serializers.SerializerMethodField(
        help_text=(
            "L'attestation numérique signée (Open Badges 3.0), publique ; null tant qu'elle n'est pas émise. / "
            "The signed credential, public; null while pending."
        )
    )
    document_issued_at = serializers.SerializerMethodField(
        help_text="Émission du document ; null tant qu'il n'est pas émis. / When the document was issued."
    )

    def get_blocks(self, award) -> list[str]:
        return sorted(block.code for block in award.blocks.all())

    def get_verification_url(self, award) -> str:
        return verification_url(award)

    def _staff_of(self, award) -> bool:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        return user.is_superuser or award.certifier_id in staff_certifier_ids(user)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_document_url(self, award):
        if _document(award) is None:
            return None
        if self._staff_of(award):
            return absolute(reverse("www:award_document_pdf", kwargs={"pk": award.pk}))
        if award.revoked_at:
            return None
        return absolute(reverse("www:candidate_award_pdf", kwargs={"uuid": award.uuid}))

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_credential_url(self, award):
        if _document(award) is None:
            return None
        return absolute(reverse("www:verify_credential_json", kwargs={"uuid": award.uuid}))

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_document_issued_at(self, award):
        document = _document(award)
        return serializers.DateTimeField().to_representation(document.rendered_at) if document else None


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=4000,
        error_messages={"required": "Donnez le motif du retrait.", "blank": "Donnez le motif du retrait."},
    )


class AwardFilterSet(django_filters.FilterSet):
    year = _param(
        PatternField,
        message=MESSAGES["year"],
        pattern=r"[0-9]{4}",
        schema={"type": "integer", "description": "Année de délivrance. / Year of delivery."},
    )
    kind = _param(
        UpperChoiceField,
        message=MESSAGES["kind"],
        codes=AwardKind.values,
        schema={"type": "string", "enum": AwardKind.values, "description": "Nature. / Kind."},
    )
    certification = _param(
        PatternField,
        message=MESSAGES["certification"],
        pattern=r"[-A-Za-z0-9_.]{1,40}",
        schema={"type": "string", "maxLength": 40, "description": "Code de la certification. / Certification code."},
    )

    class Meta:
        model = Award
        fields = []

    def filter_queryset(self, queryset):
        values = {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}
        conditions = {}
        if "year" in values:
            conditions["year"] = int(values["year"])
        if "kind" in values:
            conditions["kind"] = values["kind"]
        if "certification" in values:
            conditions["certification__code"] = values["certification"].upper()
        return queryset.filter(**conditions)


@extend_schema_view(
    list=extend_schema(
        summary="Registre des délivrances",
        description=(
            "Certificats et attestations de blocs : ceux du certificateur pour son personnel, les siens pour un "
            "candidat ; les plus récents d'abord. / Certificates and block attestations: the certifier's for its "
            "staff, their own for a candidate; newest first."
        ),
        responses={
            200: AwardSerializer(many=True),
            400: schema.parameter_errors(*((name, MESSAGES[name]) for name in ("year", "kind", "certification"))),
            401: UNAUTHORISED,
        },
    ),
    retrieve=extend_schema(
        summary="Une délivrance",
        responses={200: AwardSerializer, 401: UNAUTHORISED, 404: not_found(AWARD_NOT_FOUND)},
    ),
)
class AwardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    authentication_classes = CandidacyStepView.authentication_classes
    permission_classes = CandidacyStepView.permission_classes
    permission_denied = CandidacyStepView.permission_denied
    run = CandidacyStepView.run
    serializer_class = AwardSerializer
    pagination_class = PagePagination
    filterset_class = AwardFilterSet
    queryset = Award.objects.none()  # for the schema; get_queryset scopes every request
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return with_representation(awards_visible_to(self.request.user)).order_by("-year", "-sequence", "-pk")

    def get_object(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except Award.DoesNotExist as exc:
            raise exceptions.NotFound(AWARD_NOT_FOUND) from exc

    @extend_schema(
        summary="Retirer une délivrance",
        description=(
            "Par le certificateur qui l'a délivrée, avec son motif (fraude, erreur) : elle reste au registre, "
            "marquée retirée. / By the certifier that delivered it, with the reason; it stays in the register."
        ),
        request=RevokeSerializer,
        responses={
            200: AwardSerializer,
            400: REFUSED,
            401: UNAUTHORISED,
            403: FORBIDDEN,
            404: not_found(AWARD_NOT_FOUND),
        },
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def revoke(self, request, pk=None):
        award = self.get_object()
        body = RevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        self.run(lambda: services.award_revoke(award=award, by=request.user, reason=body.validated_data["reason"]))
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Rééditer le document d'une délivrance",
        description=(
            "Un duplicata du PDF, par le personnel du certificateur qui l'a délivrée : même numéro, même "
            "attestation numérique signée, avec la mention de sa réédition. 404 pour tout autre appelant ; 400 "
            "tant que le document n'est pas émis ou si la délivrance est retirée. / A duplicate of the PDF, by "
            "the staff of the certifier that delivered it: same number, same signed credential."
        ),
        request=None,
        responses={
            200: AwardSerializer,
            400: REFUSED,
            401: UNAUTHORISED,
            403: FORBIDDEN,
            404: not_found(AWARD_NOT_FOUND),
        },
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reissue(self, request, pk=None):
        award = awards_delivered_by(request.user).filter(pk=self.kwargs["pk"]).first()
        if award is None:
            raise exceptions.NotFound(AWARD_NOT_FOUND)
        self.run(lambda: credentials.document_reissue(award=award, by=request.user))
        return Response(self.get_serializer(self.get_object()).data)


def register(router):
    """Add this module's viewsets to the API router."""
    router.register("awards", AwardViewSet, basename="award")
