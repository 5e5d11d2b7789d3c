"""The évaluation préalable and the individual training plan through the API.

Scoped like every candidacy endpoint: a candidacy the caller may not see is a 404; a refusal of the
service is a 400 with its French messages, a role that may not act a 403.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from cqp.assessments import selectors, services
from cqp.assessments.enums import PlanStatus, PositioningResult
from cqp.candidacies.enums import Funding
from cqp.candidacies.models import Tutor

from .candidacies import FORBIDDEN, REFUSED, UNAUTHORISED, CandidacyStepView, not_found

# A plain string in the schema: a choice field named "status" collides with the other "status" enums.
PLAN_STATUS_HELP = " ; ".join(f"{value} : {label}" for value, label in PlanStatus.choices)


def _person(user) -> str | None:
    return (user.get_full_name() or user.email) if user else None


class PositioningResultSerializer(serializers.Serializer):
    block = serializers.CharField(source="block.code", help_text="Code du bloc. / Block code.")
    result = serializers.ChoiceField(choices=PositioningResult.choices)
    comment = serializers.CharField()
    evidence = serializers.IntegerField(
        source="evidence_id", allow_null=True, help_text="Identifiant de la pièce de preuve. / Evidence document id."
    )


class PositioningSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    is_current = serializers.BooleanField()
    by = serializers.SerializerMethodField()
    at = serializers.DateTimeField()
    comment = serializers.CharField()
    revision_reason = serializers.CharField()
    results = PositioningResultSerializer(many=True)

    def get_by(self, positioning) -> str | None:
        return _person(positioning.by)


class PositioningFileSerializer(serializers.Serializer):
    current = PositioningSerializer(allow_null=True)
    history = PositioningSerializer(many=True, help_text="Toutes les versions, la plus récente d'abord.")
    remaining_blocks = serializers.ListField(
        child=serializers.CharField(),
        help_text="Blocs à former : à acquérir, et partiellement acquis si la branche le veut. / Blocks to train.",
    )


class PositioningInputResultSerializer(serializers.Serializer):
    block = serializers.CharField(max_length=40)
    result = serializers.ChoiceField(
        choices=PositioningResult.choices,
        error_messages={"invalid_choice": "Choisissez : ACQUIRED, PARTLY ou TO_ACQUIRE."},
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    evidence = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Identifiant d'une pièce déposée sur la candidature. / A document of the candidacy.",
    )


class PositioningInputSerializer(serializers.Serializer):
    results = PositioningInputResultSerializer(many=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    revision_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=4000,
        help_text="Obligatoire pour réviser un positionnement. / Required to revise a positioning.",
    )


class ModuleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    block = serializers.CharField(source="block.code")
    title = serializers.CharField()
    hours = serializers.IntegerField()
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    hours_attended = serializers.IntegerField()
    completed_at = serializers.DateField(allow_null=True)


class PlanSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    status = serializers.CharField(help_text=PLAN_STATUS_HELP)
    training_org = serializers.CharField(source="training_org.name")
    funding = serializers.CharField()
    tutor = serializers.SerializerMethodField()
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    accepted_by_candidate_at = serializers.DateTimeField(allow_null=True)
    accepted_by_employer_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    required_acceptances = serializers.SerializerMethodField()
    pending_acceptances = serializers.SerializerMethodField()
    modules = ModuleSerializer(many=True)

    def get_tutor(self, plan) -> str | None:
        return str(plan.tutor) if plan.tutor_id else None

    def get_required_acceptances(self, plan) -> list[str]:
        return sorted(selectors.training_plan_required_acceptances(plan, candidacy=self.context["candidacy"]))

    def get_pending_acceptances(self, plan) -> list[str]:
        return sorted(selectors.training_plan_pending_acceptances(plan, candidacy=self.context["candidacy"]))


class PlanSummarySerializer(serializers.Serializer):
    version = serializers.IntegerField()
    status = serializers.CharField(help_text=PLAN_STATUS_HELP)
    created_at = serializers.DateTimeField()


class PlanFileSerializer(serializers.Serializer):
    current = PlanSerializer(allow_null=True)
    history = PlanSummarySerializer(many=True, help_text="Toutes les versions, la plus récente d'abord.")
    remaining_blocks = serializers.ListField(child=serializers.CharField())


class ModuleInputSerializer(serializers.Serializer):
    block = serializers.CharField(max_length=40, help_text="Code d'un bloc restant à former. / A remaining block.")
    title = serializers.CharField(max_length=255)
    hours = serializers.IntegerField(min_value=1, max_value=services.MODULE_MAX_HOURS)
    start = serializers.DateField(required=False, allow_null=True, default=None)
    end = serializers.DateField(required=False, allow_null=True, default=None)


class PlanInputSerializer(serializers.Serializer):
    modules = ModuleInputSerializer(many=True)
    start = serializers.DateField()
    end = serializers.DateField()
    funding = serializers.ChoiceField(
        choices=Funding.choices, error_messages={"invalid_choice": "Choisissez un financement de la liste."}
    )
    tutor = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Identifiant du tuteur (alternance). / Tutor id."
    )


class PositioningView(CandidacyStepView):
    def file(self, candidacy, status_code=status.HTTP_200_OK):
        history = selectors.positioning_history(candidacy)
        current = next((p for p in history if p.is_current), None)
        data = {
            "current": current,
            "history": history,
            "remaining_blocks": [b.code for b in selectors.positioning_remaining_blocks(candidacy, positioning=current)]
            if current
            else [],
        }
        return Response(PositioningFileSerializer(data).data, status=status_code)

    @extend_schema(
        operation_id="candidacies_positioning_retrieve",
        summary="Positionnement (évaluation préalable)",
        description=(
            "Le positionnement en vigueur, bloc par bloc, ses versions précédentes et les blocs qui restent à former. "
            "/ The positioning in force, its previous versions and the blocks that remain to train."
        ),
        responses={200: PositioningFileSerializer, 401: UNAUTHORISED, 404: not_found()},
    )
    def get(self, request, pk):
        return self.file(self.candidacy(pk))

    @extend_schema(
        operation_id="candidacies_positioning_record",
        summary="Enregistrer ou réviser le positionnement",
        description=(
            "Par l'organisme de formation de la candidature ou son certificateur : un résultat par bloc visé non "
            "dispensé. Une révision crée une nouvelle version et demande son motif. Le premier positionnement d'une "
            "candidature recevable la fait passer à « Positionnement fait ». / By the training organisation or the "
            "certifier staff: one result per targeted block; a revision is a new version with its reason."
        ),
        request=PositioningInputSerializer,
        responses={
            201: PositioningFileSerializer,
            400: REFUSED,
            401: UNAUTHORISED,
            403: FORBIDDEN,
            404: not_found(),
        },
    )
    def post(self, request, pk):
        candidacy = self.candidacy(pk)
        body = PositioningInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        documents = {d.pk: d for d in candidacy.documents.filter(pk__in=[r["evidence"] for r in data["results"]])}
        unknown = [r["block"] for r in data["results"] if r["evidence"] is not None and r["evidence"] not in documents]
        if unknown:
            raise exceptions.ValidationError(
                {
                    "results": [
                        f"Bloc {code} : la preuve doit être une pièce déposée sur cette candidature."
                        for code in unknown
                    ]
                }
            )
        results = {
            row["block"]: (row["result"], row["comment"], documents.get(row["evidence"])) for row in data["results"]
        }
        self.run(
            lambda: services.positioning_record(
                candidacy=candidacy,
                by=request.user,
                results=results,
                comment=data["comment"],
                revision_reason=data["revision_reason"],
            )
        )
        return self.file(candidacy, status.HTTP_201_CREATED)


class _PlanView(CandidacyStepView):
    def file(self, candidacy, status_code=status.HTTP_200_OK):
        data = {
            "current": selectors.training_plan_current(candidacy),
            "history": selectors.training_plan_history(candidacy),
            "remaining_blocks": [b.code for b in selectors.positioning_remaining_blocks(candidacy)],
        }
        return Response(PlanFileSerializer(data, context={"candidacy": candidacy}).data, status=status_code)


class TrainingPlanView(_PlanView):
    @extend_schema(
        operation_id="candidacies_training_plan_retrieve",
        summary="Parcours de formation individualisé",
        description=(
            "Le parcours en vigueur avec ses modules (heures prévues et suivies), les acceptations attendues, et "
            "l'historique des versions. / The plan in force with its modules, the acceptances awaited, its versions."
        ),
        responses={200: PlanFileSerializer, 401: UNAUTHORISED, 404: not_found()},
    )
    def get(self, request, pk):
        return self.file(self.candidacy(pk))

    @extend_schema(
        operation_id="candidacies_training_plan_propose",
        summary="Proposer le parcours",
        description=(
            "Par l'organisme de formation de la candidature : un module au moins pour chaque bloc restant à former "
            "et seulement pour eux, dates cohérentes, tuteur pour l'alternance. Remplace le parcours précédent. / "
            "By the training organisation: modules for the remaining blocks only; supersedes the previous plan."
        ),
        request=PlanInputSerializer,
        responses={201: PlanFileSerializer, 400: REFUSED, 401: UNAUTHORISED, 403: FORBIDDEN, 404: not_found()},
    )
    def post(self, request, pk):
        candidacy = self.candidacy(pk)
        body = PlanInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        tutor = None
        if data["tutor"] is not None:
            tutor = Tutor.objects.filter(pk=data["tutor"], employer_id=candidacy.employer_id).first()
            if tutor is None:
                raise exceptions.ValidationError({"tutor": ["Choisissez un tuteur de l'entreprise du candidat."]})
        modules = [
            {"block_code": m["block"], "title": m["title"], "hours": m["hours"], "start": m["start"], "end": m["end"]}
            for m in data["modules"]
        ]
        self.run(
            lambda: services.training_plan_propose(
                candidacy=candidacy,
                by=request.user,
                modules=modules,
                start=data["start"],
                end=data["end"],
                funding=data["funding"],
                tutor=tutor,
            )
        )
        return self.file(candidacy, status.HTTP_201_CREATED)


class TrainingPlanAcceptView(_PlanView):
    @extend_schema(
        operation_id="candidacies_training_plan_accept",
        summary="Accepter le parcours",
        description=(
            "Par le candidat, et par l'entreprise quand elle finance (plan de développement, contrat de "
            "professionnalisation, Pro-A). Le parcours est accepté quand toutes les acceptations sont là. / By the "
            "candidate, and the employer when it pays; accepted once every acceptance is given."
        ),
        request=None,
        responses={200: PlanFileSerializer, 400: REFUSED, 401: UNAUTHORISED, 403: FORBIDDEN, 404: not_found()},
    )
    def post(self, request, pk):
        candidacy = self.candidacy(pk)
        plan = selectors.training_plan_current(candidacy)
        if plan is None:
            raise exceptions.ValidationError({"non_field_errors": ["Aucun parcours n'a été proposé."]})
        self.run(lambda: services.training_plan_accept(plan=plan, by=request.user))
        return self.file(candidacy)


class TrainingPlanStartView(_PlanView):
    @extend_schema(
        operation_id="candidacies_training_plan_start",
        summary="Commencer la formation",
        description=(
            "Par l'organisme de formation, une fois le parcours accepté : la candidature passe « En formation ». / "
            "By the training organisation, once the plan is accepted: the candidacy goes into training."
        ),
        request=None,
        responses={200: PlanFileSerializer, 400: REFUSED, 401: UNAUTHORISED, 403: FORBIDDEN, 404: not_found()},
    )
    def post(self, request, pk):
        candidacy = self.candidacy(pk)
        plan = selectors.training_plan_current(candidacy)
        if plan is None:
            raise exceptions.ValidationError({"non_field_errors": ["Aucun parcours n'a été proposé."]})
        self.run(lambda: services.training_plan_start(plan=plan, by=request.user))
        return self.file(candidacy)


class ProgressInputSerializer(serializers.Serializer):
    hours_attended = serializers.IntegerField(min_value=0)
    completed_on = serializers.DateField(required=False, allow_null=True, default=None)


class TrainingModuleProgressView(_PlanView):
    @extend_schema(
        operation_id="candidacies_training_module_progress",
        summary="Déclarer la progression d'un module",
        description=(
            "Par l'organisme de formation pendant la formation : heures suivies (au plus la durée prévue) et date "
            "de fin (pas dans le futur). Le parcours est terminé quand tous ses modules le sont. / Hours attended "
            "and completion date of a module; the plan is completed when all modules are."
        ),
        request=ProgressInputSerializer,
        responses={200: PlanFileSerializer, 400: REFUSED, 401: UNAUTHORISED, 403: FORBIDDEN, 404: not_found()},
    )
    def post(self, request, pk, module_id):
        candidacy = self.candidacy(pk)
        plan = selectors.training_plan_current(candidacy)
        module = plan.modules.filter(pk=module_id).first() if plan else None
        if module is None:
            raise exceptions.NotFound("Module introuvable dans le parcours en vigueur. / Module not found.")
        body = ProgressInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        self.run(
            lambda: services.training_module_progress(
                module=module,
                by=request.user,
                hours_attended=body.validated_data["hours_attended"],
                completed_on=body.validated_data["completed_on"],
            )
        )
        return self.file(candidacy)


urlpatterns = [
    path("positioning/", PositioningView.as_view(), name="positioning"),
    path("training-plan/", TrainingPlanView.as_view(), name="training-plan"),
    path("training-plan/accept/", TrainingPlanAcceptView.as_view(), name="training-plan-accept"),
    path("training-plan/start/", TrainingPlanStartView.as_view(), name="training-plan-start"),
    path(
        "training-plan/modules/<int:module_id>/progress/",
        TrainingModuleProgressView.as_view(),
        name="training-module-progress",
    ),
]
