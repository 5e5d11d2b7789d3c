"""Passerelles through the API: the certifications a person is closest to, from the blocks they hold.

Seen by the person themself, by the staff of a certifier with a candidacy of that person, and by
a platform administrator; anyone else gets a 404, as if the person did not exist.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action

from cqp.candidacies.models import Candidacy, Candidate
from cqp.candidacies.selectors import _candidate_id, staff_certifier_ids
from cqp.capitalisation.selectors import passerelles_for

from .candidacies import UNAUTHORISED, CandidacyStepView, not_found
from .pagination import PagePagination

CANDIDATE_NOT_FOUND = "Candidat introuvable. / Candidate not found."


class PasserelleSerializer(serializers.Serializer):
    certification = serializers.CharField(source="code", help_text="Code de la certification. / Certification code.")
    title = serializers.CharField(help_text="Intitulé. / Title.")
    active = serializers.BooleanField(help_text="Certification active (ouverte aux candidatures). / Active.")
    coverage = serializers.FloatField(
        min_value=0,
        max_value=1,
        help_text=(
            "Part des blocs de la certification déjà détenus, de 0 à 1 ; les lignes sont classées par elle, la plus "
            "haute d'abord (puis par intitulé). / Share of the certification's blocks already held, 0 to 1."
        ),
    )
    complete = serializers.BooleanField(
        help_text="Tous les blocs sont détenus (couverture 1). / Every block is held (coverage 1)."
    )
    held_blocks = serializers.ListField(
        child=serializers.CharField(),
        help_text=(
            "Codes des blocs de la certification couverts, par le même bloc ou par une équivalence (bloc commun, "
            "correspondance, version). / Codes of the target's blocks covered, by the same block or an equivalence."
        ),
    )
    missing_blocks = serializers.ListField(
        child=serializers.CharField(), help_text="Codes des blocs qui restent à acquérir. / Blocks still to acquire."
    )


def candidate_visible_or_404(user, pk) -> Candidate:
    """The candidate if `user` may see their passerelles: themself, staff of a certifier with one of their
    candidacies, a platform administrator."""
    candidate = Candidate.objects.filter(pk=pk).first()
    if candidate is not None and user.is_active:
        if user.is_superuser or _candidate_id(user) == candidate.pk:
            return candidate
        certifiers = staff_certifier_ids(user)
        if certifiers and Candidacy.objects.filter(candidate=candidate, certifier_id__in=certifiers).exists():
            return candidate
    raise exceptions.NotFound(CANDIDATE_NOT_FOUND)


class CandidateViewSet(viewsets.GenericViewSet):
    authentication_classes = CandidacyStepView.authentication_classes
    permission_classes = CandidacyStepView.permission_classes
    permission_denied = CandidacyStepView.permission_denied
    serializer_class = PasserelleSerializer
    pagination_class = PagePagination
    queryset = Candidate.objects.none()  # for the schema; the action scopes every request
    lookup_value_regex = "[0-9]+"

    @extend_schema(
        summary="Passerelles d'un candidat",
        description=(
            "Les certifications du catalogue dont la personne détient déjà au moins un bloc, directement "
            "(validé par un jury et délivré, ou certification antérieure enregistrée par un certificateur) ou par "
            "équivalence, suivie de proche en proche : blocs détenus et manquants, classées par couverture. Une "
            "certification détenue en entier reste listée (couverture 1, complete). Vu par la personne, par le "
            "personnel d'un certificateur ayant une candidature de cette personne, par un administrateur ; 404 "
            "pour tout autre appelant. / Certifications ranked by the blocks already held (directly or through "
            "equivalences, transitively)."
        ),
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="Identifiant du candidat.")],
        responses={200: PasserelleSerializer(many=True), 401: UNAUTHORISED, 404: not_found(CANDIDATE_NOT_FOUND)},
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def passerelles(self, request, pk=None):
        candidate = candidate_visible_or_404(request.user, pk)
        rows = passerelles_for(candidate)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def register(router):
    """Add this module's viewsets to the API router."""
    router.register("candidates", CandidateViewSet, basename="candidate")
