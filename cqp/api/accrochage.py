"""The Caisse des Dépôts "accrochage" file through the API.

`GET exports/accrochage/?certifier=SIRET&from=YYYY-MM-DD&to=YYYY-MM-DD` produces, records and returns the
file declaring the period's certificates not yet declared (each award is declared once: asking again gives
400 "nothing to declare"). For the staff of that certifier only; anyone else gets a 404.
"""

import datetime

from django.core.exceptions import ValidationError
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.response import Response

from cqp.accrochage import services
from cqp.candidacies.selectors import staff_certifier_ids
from cqp.catalogue.models import Certifier

from .candidacies import CandidacyStepView

NOT_FOUND = "Certificateur introuvable. / Certifier not found."
BAD_DATE = "Date invalide : attendu AAAA-MM-JJ. / Invalid date: expected YYYY-MM-DD."


def _date(request, name):
    try:
        return datetime.date.fromisoformat(request.query_params.get(name, ""))
    except ValueError:
        raise exceptions.ValidationError({name: [BAD_DATE]}) from None


class AccrochageExportViewSet(viewsets.ViewSet):
    authentication_classes = CandidacyStepView.authentication_classes
    permission_classes = CandidacyStepView.permission_classes

    @extend_schema(
        summary="Fichier d'accrochage (Caisse des Dépôts) / Accrochage file",
        parameters=[
            OpenApiParameter("certifier", str, required=True, description="SIRET du certificateur."),
            OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="Délivrés à partir du."),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True, description="Délivrés jusqu'au (inclus)."),
        ],
        responses={
            (200, "application/xml"): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="Dates invalides, rien à déclarer, ou identités incomplètes (listées)."),
            404: OpenApiResponse(description=NOT_FOUND),
        },
    )
    def list(self, request):
        siret = request.query_params.get("certifier", "")
        certifier = Certifier.objects.filter(siret=siret, pk__in=staff_certifier_ids(request.user)).first()
        if not siret or certifier is None:
            raise exceptions.NotFound(NOT_FOUND)
        start, end = _date(request, "from"), _date(request, "to")
        missing = services.accrochage_missing(certifier=certifier, start=start, end=end)
        if missing:
            return Response(
                {
                    "detail": "Identité des titulaires incomplète. / Holders' identity incomplete.",
                    "missing": [{"award": m.number, "holder": m.holder, "missing": m.missing} for m in missing],
                },
                status=400,
            )
        try:
            record = services.accrochage_build(certifier=certifier, start=start, end=end, by=request.user)
        except ValidationError as error:
            return Response({"detail": " ".join(error.messages)}, status=400)
        return FileResponse(
            record.file.open("rb"), as_attachment=True, filename=record.filename, content_type="application/xml"
        )


def register(router):
    """Add this module's viewset to the API router."""
    router.register("exports/accrochage", AccrochageExportViewSet, basename="export-accrochage")
