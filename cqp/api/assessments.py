"""Block assessments through the API: the grids of a candidacy with their versions, and what the
jury still waits for.

Scoped like every candidacy endpoint: a candidacy the caller may not see is a 404; who sees it but
may not assess gets a 403 with the reason; a refused grid is a 400 with French messages; a save
from a stale `revision` is a 409 that carries the version saved by the other person.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from cqp.assessments import selectors, services
from cqp.assessments.enums import AssessmentState, Verdict
from cqp.assessments.models import BlockAssessment
from cqp.candidacies.models import Document
from cqp.catalogue.models import Block

from .candidacies import FORBIDDEN, REFUSED, UNAUTHORISED, CandidacyStepView, not_found

ASSESSMENT_NOT_FOUND = "Évaluation introuvable. / Assessment not found."


class CriterionResultSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion_id", help_text="Identifiant du critère. / Criterion id.")
    text = serializers.CharField(source="criterion.text")
    mandatory = serializers.BooleanField(source="criterion.mandatory")
    met = serializers.BooleanField(allow_null=True, help_text="Vide tant que non renseigné. / Null until answered.")
    observation = serializers.CharField()


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    block = serializers.CharField(source="block.code", help_text="Code du bloc. / Block code.")
    version = serializers.IntegerField()
    state = serializers.CharField(help_text=" ; ".join(f"{v} : {label}" for v, label in AssessmentState.choices))
    verdict = serializers.CharField(help_text="ACQUIRED, NOT_ACQUIRED, ou vide tant que non décidé.")
    criteria = CriterionResultSerializer(source="results", many=True)
    assessor = serializers.SerializerMethodField()
    assessment_centre = serializers.CharField(source="assessment_centre.name")
    situation = serializers.CharField(help_text="WORKPLACE, SIMULATION, INTERVIEW, PORTFOLIO ou vide.")
    assessed_on = serializers.DateField(allow_null=True)
    summary = serializers.CharField(help_text="Informations de l'organisme évaluateur pour le jury.")
    no_conflict_declared = serializers.BooleanField()
    revision = serializers.IntegerField(help_text="À renvoyer dans PATCH (verrou optimiste). / Send back in PATCH.")
    supersedes = serializers.IntegerField(source="supersedes_id", allow_null=True)
    correction_reason = serializers.CharField()
    evidence = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(allow_null=True)

    def get_assessor(self, assessment) -> str:
        return assessment.assessor.get_full_name() or assessment.assessor.email

    def get_evidence(self, assessment) -> list[int]:
        return [e.document_id for e in assessment.evidence.all()]


class AssessmentFileSerializer(serializers.Serializer):
    ready_for_jury = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField(), help_text="Ce qui manque, bloc par bloc.")
    assessments = AssessmentSerializer(many=True, help_text="Toutes les versions, par bloc, la plus récente d'abord.")


class AssessmentStartSerializer(serializers.Serializer):
    block = serializers.CharField(max_length=40, help_text="Code du bloc à évaluer. / Block code.")


class CriterionInputSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    met = serializers.BooleanField(allow_null=True)
    observation = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class AssessmentUpdateSerializer(serializers.Serializer):
    revision = serializers.IntegerField(
        help_text="La révision lue. Si quelqu'un a enregistré depuis : 409. / The revision read; 409 if stale.",
        error_messages={"required": "Renvoyez la révision lue (champ revision)."},
    )
    # A plain string (the service checks it): a choice field named "situation" collides with the candidacy's.
    situation = serializers.CharField(
        required=False, allow_blank=True, help_text="WORKPLACE, SIMULATION, INTERVIEW ou PORTFOLIO."
    )
    assessed_on = serializers.DateField(
        required=False, allow_null=True, error_messages={"invalid": "Date au format AAAA-MM-JJ."}
    )
    criteria = CriterionInputSerializer(many=True, required=False)
    verdict = serializers.ChoiceField(
        choices=Verdict.choices,
        required=False,
        error_messages={"invalid_choice": "Choisissez : ACQUIRED ou NOT_ACQUIRED."},
    )
    summary = serializers.CharField(required=False, allow_blank=True, max_length=8000)
    no_conflict_declared = serializers.BooleanField(required=False)


class AssessmentConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = AssessmentSerializer(help_text="La version enregistrée par l'autre personne. / The stored version.")


class CorrectionSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=4000, error_messages={"required": "Donnez le motif de la correction.", "blank": "Donnez le motif."}
    )


class _AssessmentView(CandidacyStepView):
    def one(self, candidacy, assessment_id):
        try:
            return BlockAssessment.objects.get(candidacy=candidacy, pk=assessment_id)
        except BlockAssessment.DoesNotExist as exc:
            raise exceptions.NotFound(ASSESSMENT_NOT_FOUND) from exc

    def represent(self, assessment, status_code=status.HTTP_200_OK):
        fresh = selectors.assessment_history(assessment.candidacy_id).get(pk=assessment.pk)
        return Response(AssessmentSerializer(fresh).data, status=status_code)


class AssessmentListView(_AssessmentView):
    @extend_schema(
        operation_id="candidacies_assessments_list",
        summary="Évaluations des blocs",
        description=(
            "Toutes les évaluations de la candidature, bloc par bloc, avec leurs versions (corrections), et ce qui "
            "manque pour la transmettre au jury. / Every block assessment with its versions, and what the jury "
            "still waits for."
        ),
        responses={200: AssessmentFileSerializer, 401: UNAUTHORISED, 404: not_found()},
    )
    def get(self, request, pk):
        candidacy = self.candidacy(pk)
        ready, missing = selectors.readiness_for_jury(candidacy)
        data = {"ready_for_jury": ready, "missing": missing, "assessments": selectors.assessment_history(candidacy)}
        return Response(AssessmentFileSerializer(data).data)

    @extend_schema(
        operation_id="candidacies_assessments_start",
        summary="Commencer l'évaluation d'un bloc",
        description=(
            "Par un évaluateur de l'organisme évaluateur désigné, habilité pour la certification et sans lien avec "
            "le candidat : une grille en brouillon, un résultat par critère du référentiel. / Starts a draft grid."
        ),
        request=AssessmentStartSerializer,
        responses={201: AssessmentSerializer, 400: REFUSED, 401: UNAUTHORISED, 403: FORBIDDEN, 404: not_found()},
    )
    def post(self, request, pk):
        candidacy = self.candidacy(pk)
        body = AssessmentStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        block = Block.objects.filter(code=body.validated_data["block"], certification=candidacy.certification).first()
        if block is None:
            raise exceptions.ValidationError({"block": ["Ce bloc n'appartient pas à la certification visée."]})
        assessment = self.run(lambda: services.assessment_start(candidacy=candidacy, block=block, by=request.user))
        return self.represent(assessment, status.HTTP_201_CREATED)


class AssessmentDetailView(_AssessmentView):
    @extend_schema(
        operation_id="candidacies_assessments_retrieve",
        summary="Une évaluation",
        responses={200: AssessmentSerializer, 401: UNAUTHORISED, 404: not_found()},
    )
    def get(self, request, pk, assessment_id):
        return self.represent(self.one(self.candidacy(pk), assessment_id))

    @extend_schema(
        operation_id="candidacies_assessments_update",
        summary="Enregistrer la grille (brouillon)",
        description=(
            "Champs absents : inchangés. `revision` est obligatoire : si quelqu'un a enregistré la grille depuis, "
            "rien n'est enregistré et la réponse 409 contient sa version. / Missing fields are left as they are; "
            "a stale revision is a 409 with the stored version."
        ),
        request=AssessmentUpdateSerializer,
        responses={
            200: AssessmentSerializer,
            400: REFUSED,
            401: UNAUTHORISED,
            403: FORBIDDEN,
            404: not_found(),
            409: OpenApiResponse(AssessmentConflictSerializer, description="Modifiée entre-temps. / Edited since."),
        },
    )
    def patch(self, request, pk, assessment_id):
        assessment = self.one(self.candidacy(pk), assessment_id)
        body = AssessmentUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        if "criteria" in values:
            values["results"] = {c["criterion"]: (c["met"], c["observation"]) for c in values.pop("criteria")}
        try:
            assessment = self.run(lambda: services.assessment_save(assessment=assessment, by=request.user, **values))
        except exceptions.ValidationError as exc:
            conflict = exc.__cause__
            if isinstance(conflict, services.AssessmentConflict):
                # Nothing was written: the caller keeps their input and sees the other person's version.
                current = selectors.assessment_history(assessment.candidacy_id).get(pk=assessment.pk)
                return Response(
                    {"detail": conflict.messages[0], "current": AssessmentSerializer(current).data},
                    status=status.HTTP_409_CONFLICT,
                )
            raise
        return self.represent(assessment)


class AssessmentSubmitView(_AssessmentView):
    @extend_schema(
        operation_id="candidacies_assessments_submit",
        summary="Transmettre l'évaluation",
        description=(
            "Verrouille la grille après contrôle : chaque critère renseigné, une observation pour chaque critère "
            "non satisfait et chaque critère obligatoire, situation et date (pas dans le futur), déclaration "
            "d'absence de lien, décision cohérente avec la grille. / Locks the grid after checking it."
        ),
        request=None,
        responses={200: AssessmentSerializer, 400: REFUSED, 401: UNAUTHORISED, 403: FORBIDDEN, 404: not_found()},
    )
    def post(self, request, pk, assessment_id):
        assessment = self.one(self.candidacy(pk), assessment_id)
        return self.represent(self.run(lambda: services.assessment_submit(assessment=assessment, by=request.user)))


class AssessmentCorrectView(_AssessmentView):
    @extend_schema(
        operation_id="candidacies_assessments_correct",
        summary="Corriger une évaluation transmise",
        description=(
            "Une évaluation transmise ne se modifie jamais : la correction est une nouvelle version en brouillon, "
            "avec son motif ; l'ancienne reste en vigueur jusqu'à la transmission de la nouvelle. / A correction "
            "is a new draft version with its reason."
        ),
        request=CorrectionSerializer,
        responses={201: AssessmentSerializer, 400: REFUSED, 401: UNAUTHORISED, 403: FORBIDDEN, 404: not_found()},
    )
    def post(self, request, pk, assessment_id):
        assessment = self.one(self.candidacy(pk), assessment_id)
        body = CorrectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data["reason"]
        correction = self.run(
            lambda: services.assessment_correct(assessment=assessment, by=request.user, reason=reason)
        )
        return self.represent(correction, status.HTTP_201_CREATED)


class EvidenceSerializer(serializers.Serializer):
    document = serializers.IntegerField(help_text="Identifiant d'une pièce de la candidature. / A document id.")


class AssessmentEvidenceView(_AssessmentView):
    @extend_schema(
        operation_id="candidacies_assessments_evidence",
        summary="Joindre une pièce à l'évaluation",
        description=(
            "Joint à la grille en brouillon une pièce déjà déposée sur la candidature (voir `/documents/`). / "
            "Attaches a document of the candidacy to a draft grid."
        ),
        request=EvidenceSerializer,
        responses={200: AssessmentSerializer, 400: REFUSED, 401: UNAUTHORISED, 403: FORBIDDEN, 404: not_found()},
    )
    def post(self, request, pk, assessment_id):
        assessment = self.one(self.candidacy(pk), assessment_id)
        body = EvidenceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        document = Document.objects.filter(pk=body.validated_data["document"]).first()
        if document is None:
            raise exceptions.ValidationError(
                {"document": ["Pièce introuvable : déposez-la d'abord sur la candidature."]}
            )
        self.run(lambda: services.assessment_attach_evidence(assessment=assessment, by=request.user, document=document))
        return self.represent(assessment)


urlpatterns = [
    path("assessments/", AssessmentListView.as_view(), name="assessments"),
    path("assessments/<int:assessment_id>/", AssessmentDetailView.as_view(), name="assessment"),
    path("assessments/<int:assessment_id>/submit/", AssessmentSubmitView.as_view(), name="assessment-submit"),
    path("assessments/<int:assessment_id>/correct/", AssessmentCorrectView.as_view(), name="assessment-correct"),
    path("assessments/<int:assessment_id>/evidence/", AssessmentEvidenceView.as_view(), name="assessment-evidence"),
]
