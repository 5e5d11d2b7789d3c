"""The back office of the catalogue, for platform administrators.

Certifier staff work in their own pages (cqp.www.certifier), which go through the services and
leave an audit trail; the admin is the platform administrators' tool of last resort.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from cqp.accounts.models import Membership

from . import models, rights
from .search import certification_search_text


class ReadOnlyMixin:
    """Rows written by the importer: readable here, never edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AgreementInline(admin.TabularInline):
    model = models.CollectiveAgreement
    extra = 0
    fields = ["number", "label"]


@admin.register(models.Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "opco_name", "agreement_numbers", "certification_count"]
    search_fields = ["name", "slug", "opco_name", "agreements__number"]
    list_filter = ["opco_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AgreementInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(certification_total=Count("certifications", distinct=True))
            .prefetch_related("agreements")
        )

    @admin.display(description=_("IDCC"))
    def agreement_numbers(self, obj):
        return ", ".join(a.number for a in obj.agreements.all())

    @admin.display(description=_("certifications"), ordering="certification_total")
    def certification_count(self, obj):
        return obj.certification_total


@admin.register(models.CollectiveAgreement)
class CollectiveAgreementAdmin(admin.ModelAdmin):
    list_display = ["number", "label", "branch"]
    search_fields = ["number", "label", "branch__name"]
    list_filter = ["branch"]
    autocomplete_fields = ["branch"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role"]
    autocomplete_fields = ["user"]
    verbose_name = _("membre du personnel")
    verbose_name_plural = _("personnel rattaché")


@admin.register(models.Certifier)
class CertifierAdmin(admin.ModelAdmin):
    list_display = ["name", "siret", "active", "certification_count"]
    search_fields = ["name", "siret"]
    list_filter = ["active", "branches"]
    filter_horizontal = ["branches"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(certification_total=Count("certifications", distinct=True))

    @admin.display(description=_("certifications"), ordering="certification_total")
    def certification_count(self, obj):
        return obj.certification_total


@admin.register(models.Rome)
class RomeAdmin(admin.ModelAdmin):
    list_display = ["code", "label"]
    search_fields = ["code", "label"]


@admin.register(models.Nsf)
class NsfAdmin(admin.ModelAdmin):
    list_display = ["code", "label"]
    search_fields = ["code", "label"]


@admin.register(models.Formacode)
class FormacodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label"]
    search_fields = ["code", "label"]


class BlockInline(admin.TabularInline):
    model = models.Block
    extra = 0
    fields = ["position", "code", "title", "source", "in_registry"]
    readonly_fields = ["source", "in_registry"]
    show_change_link = True


class EquivalenceInline(admin.TabularInline):
    model = models.BlockEquivalence
    fk_name = "certification"
    extra = 0
    fields = ["block", "kind", "target_certification_code", "target_block_code", "target_block", "source"]
    raw_id_fields = ["block", "target_block"]
    readonly_fields = ["source"]


class PartnerInline(ReadOnlyMixin, admin.TabularInline):
    model = models.Partner
    extra = 0
    fields = ["name", "siret", "habilitation", "active"]
    readonly_fields = fields
    max_num = 0
    can_delete = False


class YearStatisticInline(ReadOnlyMixin, admin.TabularInline):
    model = models.YearStatistic
    extra = 0
    fields = ["year", "certified", "certified_vae", "employment_rate_6_months", "job_rate_2_years"]
    readonly_fields = fields
    can_delete = False


@admin.register(models.Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "kind", "registry", "level", "active", "vae_open", "cpf_eligible", "source"]
    list_display_links = ["code", "title"]
    search_fields = ["code", "title", "abbreviation", "certifiers__name", "certifiers__siret"]
    list_filter = ["kind", "registry", "active", "level", "source", "vae_open", "cpf_eligible", "branches"]
    date_hierarchy = "registration_end"
    filter_horizontal = ["certifiers", "branches", "agreements"]
    raw_id_fields = ["rome", "nsf", "formacodes", "last_import"]
    readonly_fields = ["vae_open", "cpf_eligible", "search_text", "content_hash", "created_at", "updated_at"]
    inlines = [BlockInline, EquivalenceInline, PartnerInline, YearStatisticInline]
    list_per_page = 50
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["code", "registry", "kind", "title", "source", "abbreviation", "abbreviation_label"]}),
        (
            _("Enregistrement"),
            {
                "fields": [
                    "fiche_id",
                    "fiche_state",
                    "level",
                    "level_code",
                    "active",
                    "registration_type",
                    "decision_date",
                    "effective_date",
                    "publication_date",
                    "last_jo_date",
                    "registration_end",
                    "delivery_deadline",
                    "registration_years",
                    "partial_validation",
                ]
            },
        ),
        (_("Organisations"), {"fields": ["certifiers", "branches", "agreements"]}),
        (_("Voies d'accès et droits"), {"fields": ["access_routes", "jury_compositions", "vae_open", "cpf_eligible"]}),
        (
            _("Contenu"),
            {
                "classes": ["collapse"],
                "fields": [
                    "objectives",
                    "activities",
                    "abilities",
                    "sectors",
                    "job_types",
                    "entry_prerequisites",
                    "validation_prerequisites",
                    "regulation",
                    "url",
                ],
            },
        ),
        (_("Nomenclatures"), {"classes": ["collapse"], "fields": ["rome", "nsf", "formacodes"]}),
        (
            _("Suivi"),
            {
                "classes": ["collapse"],
                "fields": ["last_import", "content_hash", "search_text", "created_at", "updated_at"],
            },
        ),
    ]

    def save_related(self, request, form, formsets, change):
        # The admin bypasses the services: keep the derived fields right all the same.
        super().save_related(request, form, formsets, change)
        obj = form.instance
        obj.vae_open = rights.vae_open(registry=obj.registry, active=obj.active, access_routes=obj.access_routes)
        obj.cpf_eligible = rights.cpf_eligible(registry=obj.registry, active=obj.active)
        obj.search_text = certification_search_text(obj)
        obj.save(update_fields=["vae_open", "cpf_eligible", "search_text"])


@admin.register(models.CertificationLineage)
class CertificationLineageAdmin(admin.ModelAdmin):
    list_display = ["old_code", "new_code"]
    search_fields = ["old_code", "new_code"]


class CompetencyInline(admin.TabularInline):
    model = models.Competency
    extra = 0
    fields = ["position", "text"]


class CriterionInline(admin.TabularInline):
    model = models.EvaluationCriterion
    extra = 0
    fields = ["position", "text", "mandatory"]


@admin.register(models.Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["code", "short_title", "certification", "position", "source", "in_registry"]
    search_fields = ["code", "title", "certification__code", "certification__title"]
    list_filter = ["source", "in_registry", "certification__kind"]
    raw_id_fields = ["certification"]
    list_select_related = ["certification"]
    inlines = [CompetencyInline, CriterionInline]
    show_full_result_count = False

    @admin.display(description=_("intitulé"))
    def short_title(self, obj):
        return obj.title[:100]


@admin.register(models.Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ["short_text", "block", "position"]
    search_fields = ["text", "block__code"]
    raw_id_fields = ["block"]
    list_select_related = ["block"]
    show_full_result_count = False

    @admin.display(description=_("compétence"))
    def short_text(self, obj):
        return obj.text[:100]


@admin.register(models.EvaluationCriterion)
class EvaluationCriterionAdmin(admin.ModelAdmin):
    list_display = ["short_text", "block", "position", "mandatory"]
    search_fields = ["text", "block__code", "block__certification__code"]
    list_filter = ["mandatory"]
    raw_id_fields = ["block"]
    list_select_related = ["block"]

    @admin.display(description=_("critère"))
    def short_text(self, obj):
        return obj.text[:100]


@admin.register(models.BlockEquivalence)
class BlockEquivalenceAdmin(admin.ModelAdmin):
    list_display = ["certification", "block", "kind", "target_certification_code", "target_block_code", "source"]
    search_fields = ["certification__code", "block__code", "target_certification_code", "target_block_code"]
    list_filter = ["kind", "source"]
    raw_id_fields = ["certification", "block", "target_block"]
    list_select_related = ["certification", "block"]


@admin.register(models.Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "siret", "habilitation", "active", "certification"]
    search_fields = ["name", "siret", "certification__code"]
    list_filter = ["habilitation", "active"]
    raw_id_fields = ["certification"]
    list_select_related = ["certification"]
    show_full_result_count = False


@admin.register(models.YearStatistic)
class YearStatisticAdmin(admin.ModelAdmin):
    list_display = ["certification", "year", "certified", "certified_vae", "employment_rate_6_months"]
    search_fields = ["certification__code"]
    list_filter = ["year"]
    raw_id_fields = ["certification"]


@admin.register(models.ImportRun)
class ImportRunAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "file_name",
        "file_format",
        "registry",
        "status",
        "started_at",
        "finished_at",
        "created",
        "updated",
        "unchanged",
        "no_longer_present",
    ]
    list_filter = ["status", "file_format", "registry"]
    search_fields = ["file_name", "message"]
    date_hierarchy = "started_at"
