"""Representations of the catalogue. Field names fixed by API.md never change within v1.

Serializers only shape rows the selectors have already fetched (with their prefetches):
they never query on their own, so the number of queries does not depend on the data.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cqp.catalogue import enums, rights
from cqp.catalogue.models import Block, Branch, Certification, Certifier


def _absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


class CertifierRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certifier
        fields = ["siret", "name"]
        read_only_fields = fields


class BranchRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Branch
        fields = ["slug", "name"]
        read_only_fields = fields


class CertificationCommonFields(serializers.Serializer):
    level = serializers.IntegerField(
        min_value=1, max_value=8, allow_null=True, read_only=True, help_text="Niveau 1 à 8, ou null. / Level or null."
    )
    url = serializers.SerializerMethodField(help_text="Fiche publique sur la plateforme. / Public page.")
    api_url = serializers.SerializerMethodField(help_text="Cette ressource dans l'API. / This resource in the API.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, certification) -> str:
        return _absolute(self.context.get("request"), certification.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, certification) -> str:
        path = reverse("api:certification-detail", kwargs={"code": certification.code})
        return _absolute(self.context.get("request"), path)


class CertificationSummarySerializer(CertificationCommonFields, serializers.ModelSerializer):
    certifiers = CertifierRefSerializer(many=True, read_only=True)

    class Meta:
        model = Certification
        fields = [
            "code",
            "title",
            "kind",
            "registry",
            "level",
            "active",
            "registration_end",
            "vae_open",
            "cpf_eligible",
            "certifiers",
            "url",
            "api_url",
        ]
        read_only_fields = fields


class CriterionSerializer(serializers.Serializer):
    text = serializers.CharField()
    mandatory = serializers.BooleanField()


class BlockSerializer(serializers.ModelSerializer):
    position = serializers.IntegerField(read_only=True, help_text="Ordre du bloc. / Order of the block.")
    competencies = serializers.SerializerMethodField(help_text="Compétences, dans l'ordre. / Competencies, in order.")
    criteria = CriterionSerializer(
        many=True,
        read_only=True,
        help_text="Critères du référentiel d'évaluation. / Criteria of the evaluation referential.",
    )

    class Meta:
        model = Block
        fields = ["code", "title", "position", "competencies", "assessment_methods", "criteria"]
        read_only_fields = fields

    def get_competencies(self, block) -> list[str]:
        return [competency.text for competency in block.competencies.all()]


class EquivalenceSerializer(serializers.Serializer):
    block = serializers.CharField(
        source="block.code",
        allow_null=True,
        read_only=True,
        help_text="Bloc de cette certification, ou null : la certification entière. / Block, or null: the whole.",
    )
    target_certification = serializers.CharField(source="target_certification_code")
    target_block = serializers.CharField(
        source="target_block_code",
        allow_null=True,
        help_text="Bloc cible, ou null : la certification cible entière. / Target block, or null: the whole.",
    )
    nature = serializers.ChoiceField(source="kind", choices=enums.EquivalenceKind.choices)

    def to_representation(self, equivalence):
        data = super().to_representation(equivalence)
        data["target_block"] = data["target_block"] or None
        return data


class RomeSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class RegistrationSerializer(serializers.Serializer):
    type = serializers.CharField(source="registration_type")
    decision_date = serializers.DateField(allow_null=True)
    effective_date = serializers.DateField(allow_null=True)
    publication_date = serializers.DateField(allow_null=True)
    last_official_journal_date = serializers.DateField(source="last_jo_date", allow_null=True)
    end = serializers.DateField(source="registration_end", allow_null=True)
    delivery_deadline = serializers.DateField(allow_null=True)
    years = serializers.IntegerField(source="registration_years", allow_null=True)


class CertificationDetailSerializer(CertificationCommonFields, serializers.ModelSerializer):
    """The fiche. `replaces`, `replaced_by` and `lifecycle` come from the view's context (lineage selector)."""

    level_label = serializers.CharField(read_only=True)
    lifecycle = serializers.SerializerMethodField()
    registration = RegistrationSerializer(source="*", read_only=True)
    certifiers = CertifierRefSerializer(many=True, read_only=True)
    branches = BranchRefSerializer(many=True, read_only=True)
    idcc = serializers.SerializerMethodField(
        help_text="IDCC des conventions collectives, quand connus. / IDCC of the collective agreements, when known."
    )
    blocks = BlockSerializer(many=True, read_only=True)
    equivalences = EquivalenceSerializer(many=True, read_only=True)
    replaces = serializers.SerializerMethodField(help_text="Codes des versions remplacées. / Codes it replaces.")
    replaced_by = serializers.SerializerMethodField(help_text="Codes des nouvelles versions. / Codes replacing it.")
    rome = RomeSerializer(many=True, read_only=True)
    nsf = serializers.SerializerMethodField(help_text="Codes NSF. / NSF codes.")
    formacodes = serializers.SerializerMethodField(help_text="Formacodes.")
    access_routes = serializers.ListField(
        child=serializers.ChoiceField(choices=enums.AccessRoute.choices),
        read_only=True,
        help_text="Voies d'accès ouvertes. / Open access routes.",
    )
    vae_reason = serializers.SerializerMethodField()
    cpf_reason = serializers.SerializerMethodField()
    description_url = serializers.CharField(
        source="url", read_only=True, help_text="Lien de description donné au répertoire. / Registry description link."
    )

    class Meta:
        model = Certification
        fields = [
            "code",
            "title",
            "kind",
            "registry",
            "level",
            "level_code",
            "level_label",
            "active",
            "lifecycle",
            "abbreviation",
            "registration_end",
            "registration",
            "certifiers",
            "branches",
            "idcc",
            "blocks",
            "equivalences",
            "replaces",
            "replaced_by",
            "rome",
            "nsf",
            "formacodes",
            "access_routes",
            "vae_open",
            "vae_reason",
            "cpf_eligible",
            "cpf_reason",
            "objectives",
            "activities",
            "abilities",
            "job_types",
            "url",
            "description_url",
            "api_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=enums.Lifecycle.choices))
    def get_lifecycle(self, certification) -> str:
        return self.context["lifecycle"]

    def get_replaces(self, certification) -> list[str]:
        return self.context["lineage"]["replaces"]

    def get_replaced_by(self, certification) -> list[str]:
        return self.context["lineage"]["replaced_by"]

    def get_idcc(self, certification) -> list[str]:
        return [agreement.idcc for agreement in certification.agreements.all() if agreement.idcc]

    def get_nsf(self, certification) -> list[str]:
        return [nsf.code for nsf in certification.nsf.all()]

    def get_formacodes(self, certification) -> list[str]:
        return [formacode.code for formacode in certification.formacodes.all()]

    def get_vae_reason(self, certification) -> str:
        return rights.vae_reason(
            registry=certification.registry, active=certification.active, access_routes=certification.access_routes
        )

    def get_cpf_reason(self, certification) -> str:
        return rights.cpf_reason(registry=certification.registry, active=certification.active)


class BranchSerializer(serializers.ModelSerializer):
    idcc = serializers.SerializerMethodField(
        help_text="IDCC des conventions collectives, quand connus. / IDCC of the collective agreements, when known."
    )
    certification_count = serializers.IntegerField(read_only=True)
    active_certification_count = serializers.IntegerField(read_only=True)
    certifications_url = serializers.SerializerMethodField()

    class Meta:
        model = Branch
        fields = [
            "slug",
            "name",
            "opco_name",
            "opco_url",
            "website",
            "idcc",
            "certification_count",
            "active_certification_count",
            "certifications_url",
        ]
        read_only_fields = fields

    def get_idcc(self, branch) -> list[str]:
        return [agreement.idcc for agreement in branch.agreements.all() if agreement.idcc]

    @extend_schema_field(OpenApiTypes.URI)
    def get_certifications_url(self, branch) -> str:
        path = reverse("api:certification-list") + f"?branch={branch.slug}"
        return _absolute(self.context.get("request"), path)


class CertifierSerializer(serializers.ModelSerializer):
    branches = BranchRefSerializer(many=True, read_only=True)
    certification_count = serializers.IntegerField(read_only=True)
    active_certification_count = serializers.IntegerField(read_only=True)
    certifications_url = serializers.SerializerMethodField(
        help_text="Ses certifications, ou null sans SIRET. / Its certifications, or null without SIRET."
    )

    class Meta:
        model = Certifier
        fields = [
            "siret",
            "name",
            "active",
            "website",
            "branches",
            "certification_count",
            "active_certification_count",
            "certifications_url",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_certifications_url(self, certifier) -> str | None:
        if not certifier.siret:
            return None
        path = reverse("api:certification-list") + f"?certifier={certifier.siret}"
        return _absolute(self.context.get("request"), path)
