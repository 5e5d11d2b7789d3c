"""The candidacy API: authenticated, every read and write scoped to what the caller may see.

Every lookup goes through cqp.candidacies.selectors.candidacies_visible_to: a candidacy the
caller may not see is a 404, never a 403. Writes call one service each and turn its refusal
(Django's ValidationError or PermissionDenied) into 400 or 403; ATOMIC_REQUESTS and the
services' own transactions make sure a refusal writes nothing.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import FileResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cqp.accounts.models import Organisation
from cqp.candidacies import services
from cqp.candidacies.enrolment import candidacy_create_for
from cqp.candidacies.models import Candidacy, CandidacyBlock, Document, ExperiencePeriod
from cqp.candidacies.selectors import candidacies_visible_to, candidacy_events_visible_to

from . import candidacy_serializers as serializers
from . import schema
from .authentication import TokenOrBearerAuthentication
from .candidacy_filters import MESSAGES, CandidacyFilterSet
from .candidacy_pagination import CURSOR_MESSAGE, CandidacyCursorPagination
from .pagination import PagePagination

NOT_FOUND = "Candidature introuvable. / Candidacy not found."
NOT_SIGNED_IN = "Identifiez-vous (session ou jeton). / Authentication required (session or token)."

# Only what the representation shows: the certification's long texts stay in the database.
REPRESENTATION_COLUMNS = (
    "id",
    "path",
    "situation",
    "funding",
    "state",
    "state_changed_at",
    "created_at",
    "employer_id",
    "training_org_id",
    "assessment_centre_id",
    "candidate__id",
    "candidate__first_name",
    "candidate__last_name",
    "candidate__user_id",
    "certification__id",
    "certification__code",
    "certification__title",
    "certifier__id",
    "certifier__siret",
    "tutor__id",
    "tutor__first_name",
    "tutor__last_name",
    "tutor__job_title",
)
BLOCKS = Prefetch(
    "blocks",
    queryset=CandidacyBlock.objects.select_related("block")
    .only("id", "candidacy_id", "status", "block__id", "block__code", "block__title", "block__position")
    .order_by("block__position", "block__code"),
)
PERIODS = Prefetch("experience_periods", queryset=ExperiencePeriod.objects.order_by("start", "id"))
ORGANISATION_FIELDS = ("employer", "training_org", "assessment_centre")


def with_representation(queryset):
    """The joins and prefetches the representation reads: a fixed number of queries per page.

    The three organisations are not joined: nine joined tables cost PostgreSQL more to plan (around
    a hundred milliseconds) than to run; they come in one query for the page (`attach_organisations`).
    """
    return (
        queryset.select_related("candidate", "certification", "certifier", "tutor")
        .only(*REPRESENTATION_COLUMNS)
        .prefetch_related(BLOCKS, PERIODS)
    )


def attach_organisations(candidacies):
    """The employer, training organisation and assessment centre of every candidacy, in one query."""
    ids = {getattr(c, f"{name}_id") for c in candidacies for name in ORGANISATION_FIELDS} - {None}
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=ids).only("id", "name")} if ids else {}
    for candidacy in candidacies:
        for name in ORGANISATION_FIELDS:
            field = Candidacy._meta.get_field(name)
            field.set_cached_value(candidacy, found.get(getattr(candidacy, field.attname)))
    return candidacies


def refusal(exc: DjangoValidationError) -> exceptions.ValidationError:
    """A service's refusal as a 400: its French messages under the body's keys, the rest under non_field_errors."""
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {("non_field_errors" if key == "__all__" else key): messages for key, messages in exc.message_dict.items()}
        )
    return exceptions.ValidationError({"non_field_errors": exc.messages})


def not_found(description=NOT_FOUND):
    return OpenApiResponse(schema.ErrorSerializer, description=description)


def bad_request(description):
    return OpenApiResponse(
        response={"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        description=description,
    )


UNAUTHORISED = OpenApiResponse(schema.ErrorSerializer, description=NOT_SIGNED_IN)
FORBIDDEN = OpenApiResponse(
    schema.ErrorSerializer, description="Votre rôle ne permet pas cette action. / Your role may not do this."
)
REFUSED = bad_request(
    "Refusé : un message en français par champ concerné (non_field_errors pour l'ensemble). / "
    "Refused: French messages by field (non_field_errors for the whole)."
)


@extend_schema_view(
    list=extend_schema(
        summary="Candidatures visibles",
        description=(
            "Les candidatures que l'appelant peut voir (candidat : les siennes ; entreprise : celles de ses "
            "salariés ; organismes : celles qui leur sont confiées ; certificateur : celles de ses certifications), "
            "les plus récentes d'abord, par curseur. / The candidacies the caller may see, newest first, by cursor."
        ),
        responses={
            200: serializers.CandidacySerializer(many=True),
            400: schema.parameter_errors(
                *((name, MESSAGES[name]) for name in ("state", "path", "created_after")), ("cursor", CURSOR_MESSAGE)
            ),
            401: UNAUTHORISED,
        },
    ),
    retrieve=extend_schema(
        summary="Une candidature",
        responses={200: serializers.CandidacySerializer, 401: UNAUTHORISED, 404: not_found()},
    ),
    create=extend_schema(
        summary="Créer une candidature (brouillon)",
        description=(
            "Sans `candidate` : l'appelant candidate pour lui-même. Avec `candidate` : une entreprise inscrit un "
            "salarié (l'entreprise est la sienne), un certificateur inscrit une personne sur l'une de ses "
            "certifications. Les blocs déjà détenus sont dispensés. / Without `candidate`: the caller applies for "
            "themself; with it: an employer enrols an employee, certifier staff enrol someone."
        ),
        request=serializers.CandidacyCreateSerializer,
        responses={201: serializers.CandidacySerializer, 400: REFUSED, 401: UNAUTHORISED, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Modifier une candidature en brouillon",
        description=(
            "Seuls les champs envoyés changent ; possible tant que la candidature est en brouillon. / Only the "
            "fields sent change; while the candidacy is a draft."
        ),
        request=serializers.CandidacyUpdateSerializer,
        responses={
            200: serializers.CandidacySerializer,
            400: REFUSED,
            401: UNAUTHORISED,
            403: FORBIDDEN,
            404: not_found(),
        },
    ),
)
class CandidacyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    # Token first: without credentials the answer is 401 with a challenge, not 403.
    authentication_classes = [TokenOrBearerAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.CandidacySerializer
    pagination_class = CandidacyCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = CandidacyFilterSet
    queryset = Candidacy.objects.none()  # for the schema; get_queryset scopes every request
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(NOT_SIGNED_IN)
        super().permission_denied(request, message=message, code=code)

    def visible(self):
        return candidacies_visible_to(self.request.user)

    def get_queryset(self):
        return with_representation(self.visible())

    def get_object(self, queryset=None):
        try:
            if queryset is None:
                return attach_organisations([self.get_queryset().get(pk=self.kwargs["pk"])])[0]
            return queryset.get(pk=self.kwargs["pk"])
        except Candidacy.DoesNotExist as exc:
            raise exceptions.NotFound(NOT_FOUND) from exc

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":
            attach_organisations(page)
        return page

    def represent(self, candidacy, status_code=status.HTTP_200_OK):
        fresh = attach_organisations([with_representation(Candidacy.objects.all()).get(pk=candidacy.pk)])[0]
        return Response(self.get_serializer(fresh).data, status=status_code)

    def create(self, request, *args, **kwargs):
        body = serializers.CandidacyCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            candidacy = candidacy_create_for(by=request.user, data=body.validated_data)
        except DjangoValidationError as exc:
            raise refusal(exc) from exc
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        response = self.represent(candidacy, status.HTTP_201_CREATED)
        response["Location"] = response.data["api_url"]
        return response

    def partial_update(self, request, *args, **kwargs):
        candidacy = self.get_object(self.visible())
        body = serializers.CandidacyUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        if "blocks" in changes:
            changes["block_codes"] = changes.pop("blocks")
        try:
            candidacy = services.candidacy_update(candidacy=candidacy, by=request.user, **changes)
        except DjangoValidationError as exc:
            raise refusal(exc) from exc
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return self.represent(candidacy)

    @extend_schema(
        summary="Appliquer une transition",
        description=(
            "Fait avancer la candidature par l'une de ses `available_transitions`. Refusée (400) quand l'action "
            "n'est pas possible dans l'état actuel ou que ses conditions ne sont pas remplies, avec les raisons ; "
            "403 quand votre rôle ne la permet pas. / Applies one transition; 400 with the reasons when not "
            "possible now, 403 when your role may not apply it."
        ),
        request=serializers.TransitionRequestSerializer,
        responses={
            200: serializers.CandidacySerializer,
            400: REFUSED,
            401: UNAUTHORISED,
            403: FORBIDDEN,
            404: not_found(),
        },
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        candidacy = self.get_object(self.visible())
        body = serializers.TransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            candidacy = services.candidacy_transition(
                candidacy=candidacy,
                name=body.validated_data["name"],
                by=request.user,
                comment=body.validated_data["comment"],
            )
        except DjangoValidationError as exc:
            raise refusal(exc) from exc
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return self.represent(candidacy)

    @extend_schema(
        summary="Historique de la candidature",
        description=(
            "Chaque changement, du plus ancien au plus récent : qui, quand, quoi, de quel état vers quel état, "
            "pourquoi. / Every change, oldest first: who, when, what, from, to, why."
        ),
        responses={200: serializers.CandidacyEventSerializer(many=True), 401: UNAUTHORISED, 404: not_found()},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=PagePagination, filter_backends=[])
    def history(self, request, pk=None):
        candidacy = self.get_object(self.visible())
        events = candidacy_events_visible_to(request.user, candidacy).select_related("by").order_by("at", "id")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(serializers.CandidacyEventSerializer(page, many=True).data)

    @extend_schema(
        methods=["GET"],
        summary="Pièces de la candidature",
        responses={200: serializers.DocumentSerializer(many=True), 401: UNAUTHORISED, 404: not_found()},
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Déposer une pièce",
        description=(
            "multipart/form-data : `kind` et `file`. Le type est vérifié sur le contenu, la taille est limitée. / "
            "kind and file; the type is checked on the content, the size is limited."
        ),
        request={"multipart/form-data": serializers.DocumentUploadSerializer},
        responses={
            201: serializers.DocumentSerializer,
            400: REFUSED,
            401: UNAUTHORISED,
            403: FORBIDDEN,
            404: not_found(),
        },
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=PagePagination,
        filter_backends=[],
        parser_classes=[MultiPartParser, FormParser],
    )
    def documents(self, request, pk=None):
        candidacy = self.get_object(self.visible())
        if request.method == "POST":
            body = serializers.DocumentUploadSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            try:
                document = services.document_upload(
                    candidacy=candidacy,
                    by=request.user,
                    kind=body.validated_data["kind"],
                    uploaded_file=body.validated_data["file"],
                )
            except DjangoValidationError as exc:
                raise refusal(exc) from exc
            except DjangoPermissionDenied as exc:
                raise exceptions.PermissionDenied(str(exc)) from exc
            data = serializers.DocumentSerializer(document, context=self.get_serializer_context()).data
            return Response(data, status=status.HTTP_201_CREATED)
        documents = Document.objects.filter(candidacy=candidacy).order_by("-uploaded_at", "-id")
        page = self.paginate_queryset(documents)
        data = serializers.DocumentSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Télécharger une pièce",
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            401: UNAUTHORISED,
            404: not_found("Pièce introuvable. / Document not found."),
        },
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>[0-9]+)/file", url_name="document-file")
    def document_file(self, request, pk=None, document_id=None):
        candidacy = self.get_object(self.visible().only("pk"))
        try:
            document = Document.objects.get(candidacy=candidacy, pk=document_id)
            handle = document.file.open("rb")
        except (Document.DoesNotExist, FileNotFoundError) as exc:
            raise exceptions.NotFound("Pièce introuvable. / Document not found.") from exc
        response = FileResponse(
            handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
        )
        # Never rendered by the browser as a page of the platform, whatever its content.
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class CandidacyStepView(APIView):
    """One step of a candidacy (positioning, plan, VAE file…): found through the scope, refusals as 400/403."""

    authentication_classes = [TokenOrBearerAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(NOT_SIGNED_IN)
        super().permission_denied(request, message=message, code=code)

    def candidacy(self, pk):
        try:
            return candidacies_visible_to(self.request.user).select_related("certification").get(pk=pk)
        except Candidacy.DoesNotExist as exc:
            raise exceptions.NotFound(NOT_FOUND) from exc

    def run(self, call):
        try:
            return call()
        except DjangoValidationError as exc:
            raise refusal(exc) from exc
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
