"""The public catalogue API: read-only, open to everyone, token-aware.

Views only parse, call a selector and shape the answer. Write methods are not routed: every
caller, anonymous or authenticated, gets 405.
"""

import json

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework import mixins, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from cqp.catalogue import selectors
from cqp.catalogue.models import Branch, Certification, Certifier

from . import filters, schema, serializers
from .authentication import TokenOrBearerAuthentication


class PublicListViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Public catalogue data: anyone may read; a token identifies the calling system."""

    # Token first: a wrong token gets 401 with a challenge, not 403.
    authentication_classes = [TokenOrBearerAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]
    filter_backends = [DjangoFilterBackend]


@extend_schema_view(
    list=extend_schema(
        summary="Certifications du catalogue",
        description=(
            "Certifications (CQP, CQPI, CQPM et autres), actives d'abord, puis par intitulé. Filtres combinables. "
            "/ Catalogue certifications, active first, then by title; filters combine."
        ),
        responses=schema.list_responses(
            serializers.CertificationSummarySerializer, ("level", filters.MESSAGES["level"])
        ),
    ),
    retrieve=extend_schema(
        summary="Fiche d'une certification",
        description=(
            "La fiche complète : enregistrement, certificateurs, blocs et critères, équivalences, filiation. "
            "/ The full fiche: registration, certifiers, blocks and criteria, equivalences, lineage."
        ),
        parameters=[
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                description=(
                    "Code RNCP ou RS (RNCP37674, RS6117), ou code de la plateforme pour un CQP non enregistré. "
                    "/ RNCP or RS code, or the platform's code of an unregistered CQP."
                ),
            )
        ],
        responses={
            200: serializers.CertificationDetailSerializer,
            404: schema.not_found("Code inconnu. / Unknown code."),
        },
    ),
)
class CertificationViewSet(mixins.RetrieveModelMixin, PublicListViewSet):
    queryset = Certification.objects.all()
    filterset_class = filters.CertificationFilterSet
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    # What a list row shows: leave the long texts (search text, objectives) in the database.
    LIST_COLUMNS = (
        "code",
        "title",
        "kind",
        "registry",
        "level",
        "active",
        "registration_end",
        "vae_open",
        "cpf_eligible",
    )

    CERTIFIERS = Prefetch("certifiers", queryset=Certifier.objects.only("pk", "siret", "name"))

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.CertificationDetailSerializer
        return serializers.CertificationSummarySerializer

    def filter_queryset(self, queryset):
        # The filter set validates, then calls selectors.certification_list (the pages' selector).
        return super().filter_queryset(queryset).only(*self.LIST_COLUMNS).prefetch_related(self.CERTIFIERS)

    def get_object(self):
        code = self.kwargs[self.lookup_field]
        certification = selectors.certification_detail(code=code)
        if certification is None and code != code.upper():
            certification = selectors.certification_detail(code=code.upper())
        if certification is None:
            raise NotFound(f"Certification introuvable : {code}. / Certification not found: {code}.")
        return certification

    def retrieve(self, request, *args, **kwargs):
        certification = self.get_object()
        lineage = selectors.certification_lineage(code=certification.code)
        lifecycle = selectors.certification_lifecycle(certification=certification, replaced_by=lineage["replaced_by"])
        context = {**self.get_serializer_context(), "lineage": lineage, "lifecycle": lifecycle}
        return Response(serializers.CertificationDetailSerializer(certification, context=context).data)


@extend_schema_view(
    list=extend_schema(
        summary="Branches professionnelles",
        description=(
            "Branches par nom, avec leurs conventions collectives (IDCC) et le nombre de leurs certifications. "
            "/ Branches by name, with their collective agreements and how many certifications they have."
        ),
        responses=schema.list_responses(serializers.BranchSerializer),
    ),
)
class BranchViewSet(PublicListViewSet):
    queryset = Branch.objects.all()
    serializer_class = serializers.BranchSerializer
    filterset_class = filters.BranchFilterSet


@extend_schema_view(
    list=extend_schema(
        summary="Certificateurs",
        description=(
            "CPNE et organismes certificateurs par nom, avec leurs branches et le nombre de leurs certifications. "
            "/ Certifying bodies by name, with their branches and how many certifications they deliver."
        ),
        responses=schema.list_responses(serializers.CertifierSerializer),
    ),
)
class CertifierViewSet(PublicListViewSet):
    queryset = Certifier.objects.all()
    serializer_class = serializers.CertifierSerializer
    filterset_class = filters.CertifierFilterSet


class LocalSwaggerView(SpectacularSwaggerView):
    """The docs page, with nothing fetched from elsewhere.

    Swagger UI's default `validatorUrl` makes every visitor's browser send the schema's address
    to validator.swagger.io for a badge; the schema is validated in our tests instead.
    """

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        settings = {**spectacular_settings.SWAGGER_UI_SETTINGS, "validatorUrl": None}
        response.data["settings"] = json.dumps(settings, indent=2)
        return response
