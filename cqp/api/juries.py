"""The national parity jury through the API: juries, sessions, the agenda, attendance, deliberations,
the signature of the minutes and delivery.

Scoped by cqp.juries.selectors: certifier staff see their certifier's juries and sessions, a jury
member the juries they hold a mandate on and the sessions they are convened to, a platform
administrator all; anything else is a 404. Each write calls one service of cqp.juries (or
cqp.awards) and turns its refusal into 400 (French messages) or 403 (the role may not act); an
amendment from a stale `revision` is a 409 carrying the version in force.
"""

from django.db.models import Count, Prefetch
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cqp.accounts.models import User
from cqp.awards import services as awards
from cqp.awards.models import Award
from cqp.candidacies.models import Candidacy
from cqp.candidacies.selectors import staff_certifier_ids
from cqp.catalogue.models import Certification, Certifier
from cqp.juries import selectors, services
from cqp.juries.enums import College, MemberRole, Opinion, ParityRule, SessionState
from cqp.juries.models import (
    AgendaItem,
    Deliberation,
    DeliberationBlock,
    Jury,
    JuryMember,
    JuryMinutes,
    JurySession,
    SessionMember,
)

from . import awards as award_api
from .candidacies import FORBIDDEN, REFUSED, UNAUTHORISED, CandidacyStepView, not_found
from .candidacy_serializers import CandidateRefSerializer
from .pagination import PagePagination

JURY_NOT_FOUND = "Jury introuvable. / Jury not found."
SESSION_NOT_FOUND = "Session de jury introuvable. / Jury session not found."
DELIBERATION_NOT_FOUND = "Délibération introuvable dans cette session. / Deliberation not found in this session."
NOT_ON_AGENDA = "Cette candidature n'est pas à l'ordre du jour de la session."
MINUTES_NOT_FOUND = "Pas de procès-verbal pour cette session. / No minutes for this session."


def _help(choices) -> str:
    return " ; ".join(f"{value} : {label}" for value, label in choices)


def _person(user) -> str:
    return user.get_full_name() or user.email


def _absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


# Representations ----------------------------------------------------------------------------------


class MandateSerializer(serializers.Serializer):
    start = serializers.DateField(source="mandate_start")
    end = serializers.DateField(source="mandate_end")


class JuryMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    college = serializers.CharField(help_text=_help(College.choices))
    represents = serializers.CharField(help_text="Organisation représentée. / Organisation represented.")
    role = serializers.CharField(help_text=_help(MemberRole.choices))
    mandate = MandateSerializer(source="*")

    def get_name(self, member) -> str:
        return _person(member.user)


class JurySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    certifier = serializers.CharField(source="certifier.siret", allow_null=True, help_text="SIRET du certificateur.")
    certifications = serializers.SerializerMethodField(help_text="Codes des certifications couvertes.")
    parity_rule = serializers.CharField(help_text=_help(ParityRule.choices))
    active = serializers.BooleanField()
    members = JuryMemberSerializer(many=True)
    api_url = serializers.SerializerMethodField()

    def get_certifications(self, jury) -> list[str]:
        return sorted(c.code for c in jury.certifications.all())

    def get_api_url(self, jury) -> str:
        return _absolute(self.context.get("request"), reverse("api:jury-detail", kwargs={"pk": jury.pk}))


class SessionMemberSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="member_id", help_text="Identifiant du mandat (membre du jury).")
    name = serializers.SerializerMethodField()
    college = serializers.CharField(source="member.college", help_text=_help(College.choices))
    represents = serializers.CharField(source="member.represents")
    role = serializers.CharField(source="member.role", help_text=_help(MemberRole.choices))
    convened_at = serializers.DateTimeField(allow_null=True)
    present = serializers.BooleanField(allow_null=True, help_text="Vide tant que non relevé. / Null until recorded.")

    def get_name(self, attendance) -> str:
        return _person(attendance.member.user)


class MinutesSerializer(serializers.Serializer):
    draft_sha256 = serializers.CharField(help_text="Empreinte du projet à signer (à renvoyer dans sha256).")
    drafted_at = serializers.DateTimeField()
    president = serializers.IntegerField(source="president_id")
    president_signed_at = serializers.DateTimeField(allow_null=True)
    vice_president = serializers.IntegerField(source="vice_president_id")
    vice_president_signed_at = serializers.DateTimeField(allow_null=True)
    pdf_sha256 = serializers.CharField(help_text="Empreinte du PDF signé ; vide avant les deux signatures.")


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    jury = serializers.IntegerField(source="jury_id")
    jury_name = serializers.CharField(source="jury.name")
    certifier = serializers.CharField(source="jury.certifier.siret", allow_null=True)
    parity_rule = serializers.CharField(source="jury.parity_rule", help_text=_help(ParityRule.choices))
    state = serializers.CharField(help_text=_help(SessionState.choices))
    date = serializers.DateTimeField(source="starts_at", help_text="Date et heure. / Date and time.")
    place = serializers.CharField()
    video_url = serializers.CharField()
    members = serializers.SerializerMethodField()
    regularity_problems = serializers.SerializerMethodField(
        help_text=(
            "Ce qui empêche d'ouvrir ou de poursuivre la délibération (vide quand la session est régulière, "
            "et une fois close). / What keeps the session from deliberating."
        )
    )
    agenda_count = serializers.IntegerField()
    opened_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    minutes = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    @extend_schema_field(SessionMemberSerializer(many=True))
    def get_members(self, session):
        return SessionMemberSerializer(session.attendances.all(), many=True).data

    def get_regularity_problems(self, session) -> list[str]:
        if session.state not in (SessionState.PLANNED, SessionState.OPEN):
            return []
        return selectors.session_regularity(session, list(session.attendances.all()))

    @extend_schema_field(MinutesSerializer(allow_null=True))
    def get_minutes(self, session):
        try:
            minutes = session.minutes
        except JuryMinutes.DoesNotExist:
            return None
        return MinutesSerializer(minutes).data

    def get_api_url(self, session) -> str:
        return _absolute(self.context.get("request"), reverse("api:jury-session-detail", kwargs={"pk": session.pk}))


class DeliberationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    opinion = serializers.CharField(help_text=_help(Opinion.choices))
    revision = serializers.IntegerField()


class RecusalSerializer(serializers.Serializer):
    member = serializers.IntegerField(help_text="Identifiant du mandat. / Member id.")
    name = serializers.CharField()
    reason = serializers.CharField()


class AgendaItemSerializer(serializers.Serializer):
    candidacy = serializers.IntegerField(source="candidacy_id")
    candidate = CandidateRefSerializer(source="candidacy.candidate")
    certification = serializers.CharField(source="candidacy.certification.code")
    path = serializers.CharField(source="candidacy.path")
    state = serializers.CharField(source="candidacy.state", help_text="État de la candidature. / Candidacy state.")
    position = serializers.IntegerField()
    corrects = serializers.IntegerField(
        source="corrects_id", allow_null=True, help_text="La délibération à corriger, le cas échéant."
    )
    correction_reason = serializers.CharField()
    candidate_convened_at = serializers.DateTimeField(allow_null=True)
    conflicts = RecusalSerializer(
        many=True, help_text="Membres convoqués liés au candidat : ils ne délibèrent pas sur lui."
    )
    deliberation = DeliberationRefSerializer(allow_null=True, help_text="Vide tant que le jury n'a pas délibéré.")


def _vote_counts():
    return {
        "for": serializers.IntegerField(min_value=0, default=0),
        "against": serializers.IntegerField(min_value=0, default=0),
        "abstain": serializers.IntegerField(min_value=0, default=0),
    }


class VoteCountSerializer(serializers.Serializer):
    # `for` is a keyword: the fields are declared in get_fields, not in the class body.
    def get_fields(self):
        return _vote_counts()


class VotesSerializer(serializers.Serializer):
    EMPLOYERS = VoteCountSerializer(help_text="Collège employeurs. / Employers' college.")
    EMPLOYEES = VoteCountSerializer(help_text="Collège salariés. / Employees' college.")


class DeliberationBlockSerializer(serializers.Serializer):
    code = serializers.CharField(source="block.code")
    title = serializers.CharField(source="block.title")
    validated = serializers.BooleanField()


class DeliberationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    candidacy = serializers.IntegerField(source="candidacy_id")
    opinion = serializers.CharField(help_text=_help(Opinion.choices))
    blocks = DeliberationBlockSerializer(many=True)
    votes = serializers.SerializerMethodField()
    motivation = serializers.CharField()
    recusals = RecusalSerializer(many=True, help_text="Membres déportés, avec la raison. / Recused members.")
    corrects = serializers.IntegerField(source="corrects_id", allow_null=True)
    correction_reason = serializers.CharField()
    is_current = serializers.BooleanField()
    revision = serializers.IntegerField(help_text="À renvoyer pour modifier (verrou optimiste). / Send back to amend.")
    recorded_by = serializers.SerializerMethodField()
    recorded_at = serializers.DateTimeField()

    @extend_schema_field(VotesSerializer)
    def get_votes(self, deliberation):
        return {
            college: dict(zip(("for", "against", "abstain"), counts, strict=True))
            for college, counts in deliberation.votes().items()
        }

    def get_recorded_by(self, deliberation) -> str:
        return _person(deliberation.recorded_by)


class DeliberationConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = DeliberationSerializer(help_text="La version en vigueur. / The version in force.")


class RefusalSerializer(serializers.Serializer):
    candidacy = serializers.IntegerField()
    already_notified = serializers.BooleanField(help_text="Le candidat avait déjà été informé. / Already told.")


class DeliveryErrorSerializer(serializers.Serializer):
    candidacy = serializers.IntegerField()
    detail = serializers.CharField()


class DeliveryResultSerializer(serializers.Serializer):
    awards = award_api.AwardSerializer(many=True, help_text="Certificats et attestations (déjà délivrés compris).")
    refusals = RefusalSerializer(many=True, help_text="Refus notifiés au candidat avec la motivation.")
    delivered = serializers.IntegerField(help_text="Délivrances nouvelles de cet appel. / New awards of this call.")
    errors = DeliveryErrorSerializer(
        many=True, help_text="Candidatures non délivrées et leur motif ; les autres le sont. / Not delivered, and why."
    )


class ConvocationSerializer(serializers.Serializer):
    members = serializers.IntegerField(help_text="Membres convoqués par cet appel.")
    candidates = serializers.IntegerField(help_text="Candidats convoqués par cet appel.")


# Bodies -------------------------------------------------------------------------------------------


class JuryCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    certifications = serializers.ListField(
        child=serializers.CharField(max_length=40), help_text="Codes des certifications couvertes."
    )
    parity_rule = serializers.CharField(
        required=False, default=ParityRule.EQUAL_MEMBERS, help_text=_help(ParityRule.choices)
    )
    certifier = serializers.CharField(
        required=False,
        default="",
        help_text="SIRET du certificateur ; facultatif quand vous n'en servez qu'un. / Optional with one certifier.",
    )


class JuryMemberCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="Adresse du compte de la personne. / The person's account e-mail.")
    college = serializers.CharField(help_text=_help(College.choices))
    represents = serializers.CharField(max_length=200)
    role = serializers.CharField(required=False, default=MemberRole.MEMBER, help_text=_help(MemberRole.choices))
    mandate_start = serializers.DateField()
    mandate_end = serializers.DateField()


class SessionCreateSerializer(serializers.Serializer):
    jury = serializers.IntegerField()
    date = serializers.DateTimeField(help_text="Date et heure. / Date and time.")
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    video_url = serializers.URLField(required=False, allow_blank=True, default="", max_length=500)
    members = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Mandats à convoquer ; absent : tous ceux dont le mandat couvre la date.",
    )


class SessionUpdateSerializer(serializers.Serializer):
    date = serializers.DateTimeField(required=False)
    place = serializers.CharField(required=False, allow_blank=True, max_length=300)
    video_url = serializers.URLField(required=False, allow_blank=True, max_length=500)


class AgendaAddSerializer(serializers.Serializer):
    candidacies = serializers.ListField(
        child=serializers.IntegerField(),
        allow_empty=False,
        help_text="Identifiants de candidatures prêtes pour le jury.",
    )


class AgendaCorrectionSerializer(serializers.Serializer):
    deliberation = serializers.IntegerField(help_text="La délibération signée à corriger. / Deliberation to correct.")
    reason = serializers.CharField(max_length=4000)


class AttendanceSerializer(serializers.Serializer):
    present = serializers.DictField(
        child=serializers.BooleanField(),
        allow_empty=False,
        help_text="Identifiant du mandat (`members[].member`) → présent ou non. / Member id → present.",
    )

    def validate_present(self, value):
        if not all(str(key).isascii() and str(key).isdigit() for key in value):
            raise serializers.ValidationError("Les clés sont les identifiants des membres convoqués.")
        return {int(key): flag for key, flag in value.items()}


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class DeliberationInputSerializer(serializers.Serializer):
    candidacy = serializers.IntegerField()
    validated_blocks = serializers.ListField(
        child=serializers.CharField(max_length=40), allow_empty=True, help_text="Codes des blocs validés."
    )
    votes = VotesSerializer()
    motivation = serializers.CharField(required=False, allow_blank=True, default="", max_length=8000)


class DeliberationAmendSerializer(serializers.Serializer):
    revision = serializers.IntegerField(
        help_text="La révision lue ; si elle n'est plus la bonne : 409. / The revision read; 409 if stale.",
        error_messages={"required": "Renvoyez la révision lue (champ revision)."},
    )
    validated_blocks = serializers.ListField(child=serializers.CharField(max_length=40), allow_empty=True)
    votes = VotesSerializer()
    motivation = serializers.CharField(required=False, allow_blank=True, default="", max_length=8000)


class SignSerializer(serializers.Serializer):
    sha256 = serializers.RegexField(
        r"^[0-9a-f]{64}$",
        required=False,
        allow_blank=True,
        default="",
        help_text="Empreinte du projet lu (`minutes.draft_sha256`). / SHA-256 of the draft read.",
        error_messages={"invalid": "Empreinte SHA-256 attendue : 64 caractères hexadécimaux."},
    )


class DeliverSerializer(serializers.Serializer):
    delivered_on = serializers.DateField(required=False, allow_null=True, default=None)


# Views --------------------------------------------------------------------------------------------


class _ScopedViewSet(viewsets.GenericViewSet):
    authentication_classes = CandidacyStepView.authentication_classes
    permission_classes = CandidacyStepView.permission_classes
    permission_denied = CandidacyStepView.permission_denied
    run = CandidacyStepView.run
    pagination_class = PagePagination
    filter_backends = []
    lookup_value_regex = "[0-9]+"


def with_jury_representation(queryset):
    return queryset.select_related("certifier").prefetch_related(
        Prefetch("certifications", queryset=Certification.objects.only("id", "code")),
        Prefetch(
            "members",
            queryset=JuryMember.objects.select_related("user").order_by("college", "role", "user__last_name", "pk"),
        ),
    )


@extend_schema_view(
    list=extend_schema(
        summary="Jurys paritaires",
        description=(
            "Les jurys du certificateur pour son personnel, ceux où l'on siège pour un membre ; leurs membres avec "
            "collège, organisation représentée, fonction et mandat. / The certifier's juries, or those one sits on."
        ),
        responses={200: JurySerializer(many=True), 401: UNAUTHORISED},
    ),
    retrieve=extend_schema(
        summary="Un jury", responses={200: JurySerializer, 401: UNAUTHORISED, 404: not_found(JURY_NOT_FOUND)}
    ),
    create=extend_schema(
        summary="Créer un jury",
        description=(
            "Par le personnel du certificateur : nom, certifications couvertes (codes), règle de parité. / By "
            "certifier staff."
        ),
        request=JuryCreateSerializer,
        responses={201: JurySerializer, 400: REFUSED, 401: UNAUTHORISED, 403: FORBIDDEN},
    ),
)
class JuryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _ScopedViewSet):
    serializer_class = JurySerializer
    queryset = Jury.objects.none()  # for the schema; get_queryset scopes every request

    def get_queryset(self):
        return with_jury_representation(selectors.juries_visible_to(self.request.user)).order_by("name", "pk")

    def get_object(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except Jury.DoesNotExist as exc:
            raise exceptions.NotFound(JURY_NOT_FOUND) from exc

    def represent(self, jury, status_code=status.HTTP_200_OK):
        fresh = with_jury_representation(Jury.objects.all()).get(pk=jury.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    def _certifier(self, siret):
        if siret:
            certifier = Certifier.objects.filter(siret=siret.replace(" ", "")).first()
            if certifier is None:
                raise exceptions.ValidationError({"certifier": ["Aucun certificateur n'a ce SIRET."]})
            return certifier
        mine = staff_certifier_ids(self.request.user)
        if not mine and not self.request.user.is_superuser:
            raise exceptions.PermissionDenied("Seul le personnel du certificateur organise ses jurys.")
        if len(mine) != 1:
            raise exceptions.ValidationError({"certifier": ["Indiquez le SIRET du certificateur."]})
        return Certifier.objects.get(pk=mine[0])

    def create(self, request, *args, **kwargs):
        body = JuryCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        certifier = self._certifier(data["certifier"])
        codes = {code.strip().upper() for code in data["certifications"]}
        certifications = list(Certification.objects.filter(code__in=codes))
        unknown = sorted(codes - {c.code for c in certifications})
        if unknown:
            raise exceptions.ValidationError({"certifications": [f"Certifications inconnues : {', '.join(unknown)}."]})
        jury = self.run(
            lambda: services.jury_create(
                certifier=certifier,
                by=request.user,
                name=data["name"],
                certifications=certifications,
                parity_rule=data["parity_rule"],
            )
        )
        response = self.represent(jury, status.HTTP_201_CREATED)
        response["Location"] = response.data["api_url"]
        return response

    @extend_schema(
        summary="Ajouter un membre au jury",
        description=(
            "Par le personnel du certificateur : la personne (un compte existant, par son adresse), son collège, "
            "l'organisation qu'elle représente, sa fonction et son mandat. Un président et un vice-président à la "
            "fois, de collèges différents. / Adds a mandate: an existing account, college, organisation, role, dates."
        ),
        request=JuryMemberCreateSerializer,
        responses={
            201: JurySerializer,
            400: REFUSED,
            401: UNAUTHORISED,
            403: FORBIDDEN,
            404: not_found(JURY_NOT_FOUND),
        },
    )
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        jury = self.get_object()
        body = JuryMemberCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        user = User.objects.filter(email__iexact=data["email"], is_active=True).first()
        if user is None:
            raise exceptions.ValidationError(
                {"email": ["Aucun compte actif n'a cette adresse : la personne crée d'abord son compte."]}
            )
        self.run(
            lambda: services.jury_member_add(
                jury=jury,
                by=request.user,
                user=user,
                college=data["college"],
                represents=data["represents"],
                role=data["role"],
                mandate_start=data["mandate_start"],
                mandate_end=data["mandate_end"],
            )
        )
        return self.represent(jury, status.HTTP_201_CREATED)


def with_session_representation(queryset):
    """A page of sessions in two queries, whatever its length: the sessions with their jury, certifier,
    minutes and agenda count joined; then their members convened, with their accounts."""
    return (
        queryset.select_related("jury__certifier", "minutes")
        .annotate(agenda_count=Count("agenda", distinct=True))
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=SessionMember.objects.select_related("member__user").order_by(
                    "member__college", "member__role", "member__user__last_name", "pk"
                ),
            )
        )
    )


def with_deliberation_representation(queryset):
    return queryset.select_related("recorded_by").prefetch_related(
        Prefetch("blocks", queryset=DeliberationBlock.objects.select_related("block").order_by("block__position"))
    )


SESSION_404 = not_found(SESSION_NOT_FOUND)
SESSION_WRITE = {400: REFUSED, 401: UNAUTHORISED, 403: FORBIDDEN, 404: SESSION_404}


def session_action(summary, description, *, request=None, response=SessionSerializer, **kwargs):
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={200: response, **SESSION_WRITE},
        **kwargs,
    )


@extend_schema_view(
    list=extend_schema(
        summary="Sessions de jury",
        description=(
            "Les sessions des jurys du certificateur pour son personnel, celles où l'on est convoqué pour un membre, "
            "les plus récentes d'abord ; chacune avec ses membres, leur présence et ce qui la rend irrégulière. / "
            "Sessions of the certifier's juries, or those one is convened to; newest first."
        ),
        responses={200: SessionSerializer(many=True), 401: UNAUTHORISED},
    ),
    retrieve=extend_schema(
        summary="Une session", responses={200: SessionSerializer, 401: UNAUTHORISED, 404: SESSION_404}
    ),
    create=extend_schema(
        summary="Planifier une session",
        description=(
            "Par le personnel du certificateur : le jury, la date et l'heure, un lieu ou un lien de visioconférence. "
            "Les membres dont le mandat couvre la date sont convoqués (ou ceux de `members`). / Plans a session; "
            "members whose mandate covers the date are convened."
        ),
        request=SessionCreateSerializer,
        responses={201: SessionSerializer, 400: REFUSED, 401: UNAUTHORISED, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Déplacer une session planifiée",
        description="Date, lieu, lien ; les convocations sont à renvoyer. / Date, place, link; convene again.",
        request=SessionUpdateSerializer,
        responses={200: SessionSerializer, **SESSION_WRITE},
    ),
)
class JurySessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _ScopedViewSet):
    serializer_class = SessionSerializer
    queryset = JurySession.objects.none()  # for the schema; get_queryset scopes every request
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def visible(self):
        return selectors.sessions_visible_to(self.request.user)

    def get_queryset(self):
        return with_session_representation(self.visible()).order_by("-starts_at", "-pk")

    def session(self):
        """The session for an action: found through the scope, with its jury (the services read it)."""
        try:
            return self.visible().select_related("jury").get(pk=self.kwargs["pk"])
        except JurySession.DoesNotExist as exc:
            raise exceptions.NotFound(SESSION_NOT_FOUND) from exc

    def get_object(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except JurySession.DoesNotExist as exc:
            raise exceptions.NotFound(SESSION_NOT_FOUND) from exc

    def represent(self, session, status_code=status.HTTP_200_OK):
        fresh = with_session_representation(JurySession.objects.all()).get(pk=session.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    def create(self, request, *args, **kwargs):
        body = SessionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        jury = selectors.juries_visible_to(request.user).filter(pk=data["jury"]).first()
        if jury is None:
            raise exceptions.ValidationError({"jury": ["Jury introuvable."]})
        members = None
        if data["members"] is not None:
            members = list(JuryMember.objects.filter(jury=jury, pk__in=data["members"]).select_related("user"))
            unknown = sorted(set(data["members"]) - {m.pk for m in members})
            if unknown:
                raise exceptions.ValidationError(
                    {"members": [f"Ces membres n'appartiennent pas à ce jury : {', '.join(map(str, unknown))}."]}
                )
        session = self.run(
            lambda: services.session_plan(
                jury=jury,
                by=request.user,
                starts_at=data["date"],
                place=data["place"],
                video_url=data["video_url"],
                members=members,
            )
        )
        response = self.represent(session, status.HTTP_201_CREATED)
        response["Location"] = response.data["api_url"]
        return response

    def partial_update(self, request, *args, **kwargs):
        session = self.session()
        body = SessionUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        self.run(
            lambda: services.session_update(
                session=session,
                by=request.user,
                starts_at=data.get("date"),
                place=data.get("place"),
                video_url=data.get("video_url"),
            )
        )
        return self.represent(session)

    # The agenda -------------------------------------------------------------------------------------

    def agenda(self, session, items):
        conflicts = selectors.conflicts_for(session, [item.candidacy for item in items])
        for item in items:
            item.conflicts = conflicts.get(item.candidacy_id, [])
        return AgendaItemSerializer(items, many=True).data

    @extend_schema(
        methods=["GET"],
        operation_id="jury_sessions_candidacies_list",
        summary="Ordre du jour",
        description=(
            "Les candidatures de la session dans l'ordre, avec le candidat, la certification, les membres liés au "
            "candidat (déportés) et la délibération si elle existe. / The agenda, with conflicts and deliberations."
        ),
        responses={200: AgendaItemSerializer(many=True), 401: UNAUTHORISED, 404: SESSION_404},
        parameters=None,
    )
    @extend_schema(
        methods=["POST"],
        operation_id="jury_sessions_candidacies_add",
        summary="Inscrire des candidatures à l'ordre du jour",
        description=(
            "Par le personnel du certificateur, session planifiée : des candidatures prêtes pour le jury, de ses "
            "certifications ; toutes ou aucune. / Adds candidacies ready for the jury: all or none."
        ),
        request=AgendaAddSerializer,
        # A plain array of the items added (the GET's component), not a page.
        responses={
            201: OpenApiResponse(
                {"type": "array", "items": {"$ref": "#/components/schemas/AgendaItem"}},
                description="Les candidatures inscrites. / The items added.",
            ),
            **SESSION_WRITE,
        },
    )
    @action(detail=True, methods=["get", "post"])
    def candidacies(self, request, pk=None):
        session = self.session()
        if request.method == "POST":
            body = AgendaAddSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            ids = set(body.validated_data["candidacies"])
            # The certifier's candidacies only: anyone else's is unknown here.
            found = list(
                Candidacy.objects.filter(pk__in=ids, certifier_id=session.jury.certifier_id).select_related(
                    "certification"
                )
            )
            unknown = sorted(ids - {c.pk for c in found})
            if unknown:
                raise exceptions.ValidationError(
                    {"candidacies": [f"Candidatures introuvables : {', '.join(map(str, unknown))}."]}
                )
            added = self.run(lambda: services.agenda_add(session=session, candidacies=found, by=request.user))
            added_ids = {item.pk for item in added}
            items = [item for item in selectors.agenda_rows(session) if item.pk in added_ids]
            return Response(self.agenda(session, items), status=status.HTTP_201_CREATED)
        items = selectors.agenda_rows(session)
        page = self.paginate_queryset(items)
        return self.get_paginated_response(self.agenda(session, page))

    @extend_schema(
        operation_id="jury_sessions_candidacies_remove",
        summary="Retirer une candidature de l'ordre du jour",
        description=(
            "Par le personnel du certificateur, session planifiée : la candidature redevient prête pour le jury. / "
            "The candidacy goes back to those ready for the jury."
        ),
        request=None,
        responses={204: None, **SESSION_WRITE},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"candidacies/(?P<candidacy_id>[0-9]+)",
        url_name="candidacy",
    )
    def candidacy(self, request, pk=None, candidacy_id=None):
        session = self.session()
        item = AgendaItem.objects.filter(session=session, candidacy_id=candidacy_id).select_related("candidacy").first()
        if item is None:
            raise exceptions.NotFound(
                "Cette candidature n'est pas à l'ordre du jour. / This candidacy is not on the agenda."
            )
        self.run(lambda: services.agenda_remove(session=session, candidacy=item.candidacy, by=request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Inscrire la correction d'une délibération",
        description=(
            "Par le personnel du certificateur, session planifiée du même jury : une délibération signée et en "
            "vigueur revient devant le jury, avec le motif ; la nouvelle délibération la remplacera à la signature. "
            "/ Puts a signed deliberation back before the jury for correction, with the reason."
        ),
        request=AgendaCorrectionSerializer,
        responses={201: AgendaItemSerializer, **SESSION_WRITE},
    )
    @action(detail=True, methods=["post"])
    def corrections(self, request, pk=None):
        session = self.session()
        body = AgendaCorrectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        deliberation = Deliberation.objects.filter(
            pk=body.validated_data["deliberation"], session__jury_id=session.jury_id
        ).first()
        if deliberation is None:
            raise exceptions.ValidationError({"deliberation": ["Délibération introuvable pour ce jury."]})
        item = self.run(
            lambda: services.agenda_add_correction(
                session=session, deliberation=deliberation, by=request.user, reason=body.validated_data["reason"]
            )
        )
        (row,) = [row for row in selectors.agenda_rows(session) if row.pk == item.pk]
        return Response(self.agenda(session, [row])[0], status=status.HTTP_201_CREATED)

    # Convocations, attendance, opening and closing -----------------------------------------------------

    @session_action(
        "Convoquer",
        "Envoie les convocations (courriel et PDF) aux membres et aux candidats qui ne l'ont pas encore été. / "
        "Sends the convocations not sent yet.",
        response=ConvocationSerializer,
    )
    @action(detail=True, methods=["post"])
    def convene(self, request, pk=None):
        session = self.session()
        sent = self.run(lambda: services.session_convene(session=session, by=request.user))
        return Response(ConvocationSerializer(sent).data)

    @session_action(
        "Relever les présences",
        "Par le personnel du certificateur ou le président : `present` associe l'identifiant de chaque mandat "
        "convoqué (`members[].member`) à true ou false. / Records who is present.",
        request=AttendanceSerializer,
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        session = self.session()
        body = AttendanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        present = body.validated_data["present"]
        self.run(lambda: services.attendance_record(session=session, by=request.user, present=present))
        return self.represent(session)

    @session_action(
        "Ouvrir la délibération",
        "Le jour de la session, quand elle est régulière (présences relevées, chaque collège présent, parité, "
        "président et vice-président présents) et que l'ordre du jour n'est pas vide ; sinon 400 avec chaque "
        "raison. / Opens the deliberation once the session is regular.",
    )
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        session = self.session()
        self.run(lambda: services.session_open(session=session, by=request.user))
        return self.represent(session)

    @session_action(
        "Clore les délibérations",
        "Rédige le projet de procès-verbal (`minutes.draft_sha256`) à signer par le président et le "
        "vice-président ; les candidatures sans délibération sont ajournées. / Closes and drafts the minutes.",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        session = self.session()
        self.run(lambda: services.session_close(session=session, by=request.user))
        return self.represent(session)

    @session_action(
        "Rouvrir les délibérations",
        "Avant les deux signatures, avec le motif : le projet et les signatures tombent. / Reopens, with a reason.",
        request=ReasonSerializer,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        session = self.session()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        self.run(
            lambda: services.session_reopen(session=session, by=request.user, reason=body.validated_data["reason"])
        )
        return self.represent(session)

    @session_action(
        "Annuler une session planifiée",
        "Avec le motif ; ses candidatures redeviennent prêtes pour le jury. / Cancels, with a reason.",
        request=ReasonSerializer,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        session = self.session()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        self.run(
            lambda: services.session_cancel(session=session, by=request.user, reason=body.validated_data["reason"])
        )
        return self.represent(session)

    # Deliberations ----------------------------------------------------------------------------------

    def deliberation_response(self, deliberation, status_code=status.HTTP_200_OK):
        fresh = with_deliberation_representation(Deliberation.objects.all()).get(pk=deliberation.pk)
        return Response(DeliberationSerializer(fresh).data, status=status_code)

    def record(self, session, candidacy, data, *, revision=None, status_code=status.HTTP_200_OK):
        """The service's refusals as 400/403; a stale revision as a 409 with the version in force."""
        try:
            deliberation = self.run(
                lambda: services.deliberation_record(
                    session=session,
                    candidacy=candidacy,
                    by=self.request.user,
                    validated_blocks=data["validated_blocks"],
                    votes=data["votes"],
                    motivation=data["motivation"],
                    revision=revision,
                )
            )
        except exceptions.ValidationError as exc:
            conflict = exc.__cause__
            if isinstance(conflict, services.DeliberationConflict):
                # Nothing was written: the caller keeps their input and sees the version in force.
                current = with_deliberation_representation(Deliberation.objects.all()).get(pk=conflict.current.pk)
                return Response(
                    {"detail": conflict.messages[0], "current": DeliberationSerializer(current).data},
                    status=status.HTTP_409_CONFLICT,
                )
            raise
        return self.deliberation_response(deliberation, status_code)

    @extend_schema(
        methods=["GET"],
        operation_id="jury_sessions_deliberations_list",
        summary="Délibérations de la session",
        description=(
            "Une par candidature délibérée : blocs validés ou non, avis (AWARD, PARTIAL, REFUSAL), voix par "
            "collège, membres déportés, motivation, révision. / One per candidacy deliberated."
        ),
        responses={200: DeliberationSerializer(many=True), 401: UNAUTHORISED, 404: SESSION_404},
    )
    @extend_schema(
        methods=["POST"],
        operation_id="jury_sessions_deliberations_record",
        summary="Délibérer sur une candidature",
        description=(
            "Par un membre présent sans lien avec le candidat, ou le personnel du certificateur, délibération "
            "ouverte : les blocs validés (codes) ; l'avis en découle (tous les blocs : AWARD ; certains : PARTIAL ; "
            "aucun : REFUSAL), motivation obligatoire pour PARTIAL et REFUSAL ; les voix de chaque collège (chaque "
            "votant une fois, membres déportés exclus). / Records the decision block by block; the opinion follows."
        ),
        request=DeliberationInputSerializer,
        responses={201: DeliberationSerializer, **SESSION_WRITE},
    )
    @action(detail=True, methods=["get", "post"])
    def deliberations(self, request, pk=None):
        session = self.session()
        if request.method == "POST":
            body = DeliberationInputSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
            candidacy = Candidacy.objects.filter(pk=data["candidacy"], agenda_items__session=session).first()
            if candidacy is None:
                raise exceptions.ValidationError({"candidacy": [NOT_ON_AGENDA]})
            return self.record(session, candidacy, data, status_code=status.HTTP_201_CREATED)
        rows = with_deliberation_representation(Deliberation.objects.filter(session=session)).order_by("pk")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DeliberationSerializer(page, many=True).data)

    @extend_schema(
        methods=["GET"],
        operation_id="jury_sessions_deliberation_retrieve",
        summary="Une délibération",
        responses={200: DeliberationSerializer, 401: UNAUTHORISED, 404: not_found(DELIBERATION_NOT_FOUND)},
    )
    @extend_schema(
        methods=["PUT", "PATCH"],
        summary="Modifier une délibération",
        description=(
            "Tant que la délibération est ouverte, avec la `revision` lue : si quelqu'un a enregistré depuis, rien "
            "n'est enregistré et la réponse 409 contient la version en vigueur. PATCH : les champs absents gardent "
            "leur valeur. / Amends while open; a stale revision is a 409 with the version in force."
        ),
        request=DeliberationAmendSerializer,
        responses={
            200: DeliberationSerializer,
            **SESSION_WRITE,
            409: OpenApiResponse(DeliberationConflictSerializer, description="Modifiée entre-temps. / Edited since."),
        },
    )
    @action(
        detail=True,
        methods=["get", "put", "patch"],
        url_path=r"deliberations/(?P<deliberation_id>[0-9]+)",
        url_name="deliberation",
    )
    def deliberation(self, request, pk=None, deliberation_id=None):
        session = self.session()
        deliberation = (
            with_deliberation_representation(Deliberation.objects.filter(session=session, pk=deliberation_id))
            .select_related("candidacy")
            .first()
        )
        if deliberation is None:
            raise exceptions.NotFound(DELIBERATION_NOT_FOUND)
        if request.method == "GET":
            return Response(DeliberationSerializer(deliberation).data)
        body = DeliberationAmendSerializer(data=request.data, partial=request.method == "PATCH")
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if "revision" not in data:
            raise exceptions.ValidationError({"revision": ["Renvoyez la révision lue (champ revision)."]})
        current = DeliberationSerializer(deliberation).data
        data.setdefault("validated_blocks", [b["code"] for b in current["blocks"] if b["validated"]])
        data.setdefault("votes", current["votes"])
        data.setdefault("motivation", deliberation.motivation)
        return self.record(session, deliberation.candidacy, data, revision=data["revision"])

    # Minutes and delivery ---------------------------------------------------------------------------

    @extend_schema(
        summary="Procès-verbal (PDF)",
        description=(
            "Le projet à signer tant que la session est close, le procès-verbal signé ensuite. / The draft while "
            "closed, the signed minutes afterwards."
        ),
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            401: UNAUTHORISED,
            404: not_found(MINUTES_NOT_FOUND),
        },
    )
    @action(detail=True, methods=["get"])
    def minutes(self, request, pk=None):
        session = self.session()
        minutes = JuryMinutes.objects.filter(session=session).first()
        try:
            handle = minutes.pdf.open("rb")
        except (AttributeError, ValueError, FileNotFoundError) as exc:
            raise exceptions.NotFound(MINUTES_NOT_FOUND) from exc
        signed = session.state == SessionState.SIGNED
        name = f"proces-verbal-{session.pk}.pdf" if signed else f"proces-verbal-{session.pk}-projet.pdf"
        response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @session_action(
        "Signer le procès-verbal",
        "Par le président ou le vice-président de la session, délibérations closes : une acceptation horodatée du "
        "projet ; `sha256` (facultatif) doit être l'empreinte du projet lu. Avec les deux signatures la session est "
        "signée et les décisions s'appliquent aux candidatures. / The president or vice-president accepts the "
        "draft; with both signatures the session is signed.",
        request=SignSerializer,
    )
    @action(detail=True, methods=["post"], url_path="minutes/sign", url_name="minutes-sign")
    def sign(self, request, pk=None):
        session = self.session()
        body = SignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        sha256 = body.validated_data["sha256"] or None
        self.run(lambda: services.minutes_sign(session=session, by=request.user, sha256=sha256))
        return self.represent(session)

    @session_action(
        "Délivrer",
        "Par le personnel du certificateur, procès-verbal signé : un certificat pour chaque avis AWARD, une "
        "attestation des blocs validés pour chaque avis PARTIAL (numérotés sans trou), un avis motivé au candidat "
        "pour chaque refus. Un second appel rend les mêmes délivrances. / Delivers on the signed minutes: awards, "
        "and refusals notified; idempotent.",
        request=DeliverSerializer,
        response=DeliveryResultSerializer,
    )
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        session = self.session()
        body = DeliverSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        delivered_on = body.validated_data["delivered_on"]
        results = self.run(lambda: awards.session_deliver(session=session, by=request.user, delivered_on=delivered_on))
        ids = [r.award.pk for r in results if r.award is not None]
        rows = award_api.with_representation(Award.objects.filter(pk__in=ids)).order_by("sequence", "pk")
        data = {
            "awards": rows,
            "refusals": [
                {"candidacy": r.candidacy.pk, "already_notified": r.already}
                for r in results
                if r.award is None and not r.error
            ],
            "errors": [{"candidacy": r.candidacy.pk, "detail": r.error} for r in results if r.error],
            "delivered": sum(1 for r in results if r.award is not None and not r.already),
        }
        return Response(DeliveryResultSerializer(data).data)


def register(router):
    """Add this module's viewsets to the API router."""
    router.register("juries", JuryViewSet, basename="jury")
    router.register("jury-sessions", JurySessionViewSet, basename="jury-session")
