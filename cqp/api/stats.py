"""The figures behind the statistics pages, as JSON: same filters, same scope (the certifiers the caller is
staff of; every certifier for a platform administrator); anyone else gets a 404."""

import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.response import Response

from cqp.catalogue.models import Branch
from cqp.reporting import selectors

from . import schema
from .candidacies import UNAUTHORISED, CandidacyStepView, not_found

STATS_NOT_FOUND = "Statistiques réservées au personnel des certificateurs. / Statistics are for certifier staff."
PERIODS = (selectors.PERIOD_CREATED, selectors.PERIOD_DELIVERED)
MESSAGES = {
    "date": "Date invalide : AAAA-MM-JJ attendu. / Invalid date: YYYY-MM-DD expected.",
    "order": "La fin de la période précède son début. / The period ends before it starts.",
    "period_on": "Valeur attendue : created ou delivered. / Expected: created or delivered.",
    "branch": "Branche inconnue (identifiant attendu). / Unknown branch (slug expected).",
    "certification": (
        "Certification inconnue ou hors de vos certificateurs (code attendu). "
        "/ Unknown certification or not one of your certifiers' (code expected)."
    ),
}


def _date(params, name, errors):
    value = params.get(name)
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors[name] = [MESSAGES["date"]]
        return None


def filters_from_query(params, certifier_ids) -> selectors.Filters:
    """The query parameters as Filters, or a 400 naming each bad parameter."""
    errors = {}
    date_from, date_to = _date(params, "date_from", errors), _date(params, "date_to", errors)
    if date_from and date_to and date_from > date_to:
        errors["date_to"] = [MESSAGES["order"]]
    period_on = params.get("period_on") or selectors.PERIOD_CREATED
    if period_on not in PERIODS:
        errors["period_on"] = [MESSAGES["period_on"]]
    branch_id = certification_id = None
    if params.get("branch"):
        branch_id = Branch.objects.filter(slug=params["branch"]).values_list("pk", flat=True).first()
        if branch_id is None:
            errors["branch"] = [MESSAGES["branch"]]
    if params.get("certification"):
        certifications = selectors.certifications_in_scope(certifier_ids).filter(code=params["certification"])
        certification_id = certifications.values_list("pk", flat=True).first()
        if certification_id is None:
            errors["certification"] = [MESSAGES["certification"]]
    if errors:
        raise exceptions.ValidationError(errors)
    return selectors.Filters(
        certifier_ids=certifier_ids,
        date_from=date_from,
        date_to=date_to,
        period_on=period_on,
        branch_id=branch_id,
        certification_id=certification_id,
    )


def _rate(row):
    return {
        "key": row.key,
        "label": row.label,
        "award": row.award,
        "partial": row.partial,
        "refusal": row.refusal,
        "decided": row.decided,
        "rate": row.rate,
    }


def _counts(rows):
    return [{"key": row.key, "label": row.label, "count": row.count} for row in rows]


def as_json(stats: selectors.Statistics) -> dict:
    durations = stats.durations
    return {
        "total": stats.total,
        "by_state": _counts(stats.by_state),
        "by_path": _counts(stats.by_path),
        "by_situation": _counts(stats.by_situation),
        "by_funding": _counts(stats.by_funding),
        "rates_by_certification": [_rate(r) for r in stats.rates_by_certification],
        "rates_by_session": [_rate(r) for r in stats.rates_by_session],
        "rates_by_assessment_centre": [_rate(r) for r in stats.rates_by_assessment_centre],
        "rates_by_training_org": [_rate(r) for r in stats.rates_by_training_org],
        "durations": {
            "count": durations.count,
            "q1_days": durations.q1,
            "median_days": durations.median,
            "q3_days": durations.q3,
            "bins": [{"from_days": b.low, "to_days": b.high, "count": b.count} for b in durations.bins],
        },
        "failed_blocks": [
            {
                "code": r.code,
                "title": r.title,
                "certification": r.certification,
                "failed": r.failed,
                "decided": r.decided,
            }
            for r in stats.failed_blocks
        ],
        "yearly": [
            {
                "year": r.year,
                "certification": r.certification,
                "title": r.title,
                "holders": r.holders,
                "vae_holders": r.vae_holders,
            }
            for r in stats.yearly
        ],
    }


class StatsViewSet(viewsets.ViewSet):
    authentication_classes = CandidacyStepView.authentication_classes
    permission_classes = CandidacyStepView.permission_classes
    permission_denied = CandidacyStepView.permission_denied

    @extend_schema(
        summary="Statistiques des certificateurs",
        description=(
            "Les chiffres de la page Statistiques : candidatures par état, voie, situation et financement ; taux "
            "d'obtention (avis AWARD sur décisions AWARD + PARTIAL + REFUSAL) par certification, session, "
            "organisme évaluateur et organisme de formation ; délai candidature → délivrance (quartiles, "
            "histogramme) ; blocs le plus souvent non validés ; titulaires par année (dont VAE). Périmètre : les "
            "certificateurs dont l'appelant est membre du personnel, tous pour un administrateur ; 404 sinon. "
            "/ The statistics page's figures, for certifier staff (their certifiers) and platform admins."
        ),
        parameters=[
            OpenApiParameter("date_from", OpenApiTypes.DATE, description="Début de période. / Period start."),
            OpenApiParameter("date_to", OpenApiTypes.DATE, description="Fin de période (incluse). / Period end."),
            OpenApiParameter(
                "period_on",
                OpenApiTypes.STR,
                enum=list(PERIODS),
                description=(
                    "Date à laquelle la période s'applique : création de la candidature ou délivrance. "
                    "/ Which date the period applies to."
                ),
            ),
            OpenApiParameter("branch", OpenApiTypes.STR, description="Identifiant de branche. / Branch slug."),
            OpenApiParameter("certification", OpenApiTypes.STR, description="Code de certification. / Code."),
        ],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="Les chiffres. / The figures."),
            400: OpenApiResponse(schema.ErrorSerializer, description="Paramètre invalide. / Bad parameter."),
            401: UNAUTHORISED,
            404: not_found(STATS_NOT_FOUND),
        },
    )
    def list(self, request):
        if not selectors.may_see_statistics(request.user):
            raise exceptions.NotFound(STATS_NOT_FOUND)
        filters = filters_from_query(request.query_params, selectors.scope_for(request.user))
        return Response(as_json(selectors.cached_statistics(filters)))


def register(router):
    """Add this module's viewsets to the API router."""
    router.register("stats", StatsViewSet, basename="stats")
