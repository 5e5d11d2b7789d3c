"""The VAE recevabilité through the API: the current file and its history, filing it, deciding it.

Scoped like every candidacy endpoint: a candidacy the caller may not see is a 404.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from cqp.assessments import selectors, services
from cqp.assessments.enums import EligibilityState

from .candidacies import FORBIDDEN, REFUSED, UNAUTHORISED, CandidacyStepView, not_found


class EligibilitySerializer(serializers.Serializer):
    version = serializers.IntegerField()
    state = serializers.ChoiceField(choices=EligibilityState.choices)
    relevant_days = serializers.IntegerField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.SerializerMethodField()
    reasons = serializers.CharField()

    def get_decided_by(self, eligibility) -> str | None:
        user = eligibility.decided_by
        return user.get_full_name() or user.email if user else None


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)
    job_title = serializers.CharField()
    employer_name = serializers.CharField()
    activities = serializers.CharField()
    blocks = serializers.SerializerMethodField()

    def get_blocks(self, period) -> list[str]:
        return [block.code for block in period.blocks.all()]


class EligibilityFileSerializer(serializers.Serializer):
    relevant_days = serializers.IntegerField(help_text="Jours d'expérience retenus, chevauchements comptés une fois.")
    relevant_months = serializers.IntegerField()
    periods = PeriodSerializer(many=True)
    current = EligibilitySerializer(allow_null=True)
    history = EligibilitySerializer(many=True)


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[EligibilityState.ADMISSIBLE, EligibilityState.INADMISSIBLE, EligibilityState.INCOMPLETE],
        error_messages={"invalid_choice": "Choisissez : ADMISSIBLE, INADMISSIBLE ou INCOMPLETE."},
    )
    reasons = serializers.CharField(required=False, allow_blank=True, default="")


class _VaeView(CandidacyStepView):
    def file(self, candidacy, status_code=status.HTTP_200_OK):
        experience = selectors.vae_experience(candidacy)
        history = selectors.vae_eligibility_history(candidacy)
        data = {
            "relevant_days": experience["days"],
            "relevant_months": experience["months"],
            "periods": experience["periods"],
            "current": history[0] if history else None,
            "history": history,
        }
        return Response(EligibilityFileSerializer(data).data, status=status_code)


class VaeEligibilityView(_VaeView):
    @extend_schema(
        operation_id="candidacies_vae_eligibility_retrieve",
        summary="Recevabilité VAE",
        description=(
            "Les périodes d'expérience déclarées, l'expérience retenue (chevauchements comptés une fois), le dossier "
            "de recevabilité en cours et ses versions précédentes. / Declared periods, relevant experience, the "
            "current admissibility file and its history."
        ),
        responses={200: EligibilityFileSerializer, 401: UNAUTHORISED, 404: not_found()},
    )
    def get(self, request, pk):
        return self.file(self.candidacy(pk))

    @extend_schema(
        operation_id="candidacies_vae_eligibility_submit",
        summary="Déposer le dossier de recevabilité",
        description=(
            "Refusé (400) sous un an d'expérience en rapport avec la certification ou sans justificatif "
            "d'expérience ; un seul dossier en cours à la fois. / Files the admissibility file; 400 under one year "
            "of relevant experience or without proof."
        ),
        request=None,
        responses={201: EligibilityFileSerializer, 400: REFUSED, 401: UNAUTHORISED, 403: FORBIDDEN, 404: not_found()},
    )
    def post(self, request, pk):
        candidacy = self.candidacy(pk)
        self.run(lambda: services.vae_eligibility_submit(candidacy=candidacy, by=request.user))
        return self.file(candidacy, status.HTTP_201_CREATED)


class VaeEligibilityDecideView(_VaeView):
    @extend_schema(
        operation_id="candidacies_vae_eligibility_decide",
        summary="Décider de la recevabilité",
        description=(
            "Par le certificateur de la candidature : ADMISSIBLE, INADMISSIBLE ou INCOMPLETE ; motifs obligatoires "
            "sauf pour ADMISSIBLE. / By the candidacy's certifier staff; reasons required unless ADMISSIBLE."
        ),
        request=DecisionSerializer,
        responses={200: EligibilityFileSerializer, 400: REFUSED, 401: UNAUTHORISED, 403: FORBIDDEN, 404: not_found()},
    )
    def post(self, request, pk):
        candidacy = self.candidacy(pk)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        current = selectors.vae_eligibility_current(candidacy)
        if current is None:
            raise exceptions.ValidationError({"non_field_errors": ["Aucun dossier de recevabilité n'a été déposé."]})
        self.run(
            lambda: services.vae_eligibility_decide(
                eligibility=current,
                by=request.user,
                decision=body.validated_data["decision"],
                reasons=body.validated_data["reasons"],
            )
        )
        return self.file(candidacy)
