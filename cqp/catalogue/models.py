"""The catalogue: branches, certifiers, certifications (CQP, CQPI, CQPM), blocks and their referential.

Registry facts (from France compétences) and platform facts (entered by certifier staff)
live side by side: the importer owns the first and never touches the second.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import enums
from .search import SearchWords


class Branch(models.Model):
    """A professional branch: the social partners of one or more collective agreements."""

    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    name = models.CharField(_("nom"), max_length=255)
    description = models.TextField(_("présentation"), blank=True)
    website = models.URLField(_("site internet"), blank=True)
    opco_name = models.CharField(
        _("OPCO"), max_length=120, blank=True, help_text=_("Opérateur de compétences de la branche.")
    )
    opco_url = models.URLField(_("site de l'OPCO"), blank=True)

    class Meta:
        verbose_name = _("branche professionnelle")
        verbose_name_plural = _("branches professionnelles")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("www:certification_list") + f"?branch={self.slug}"


class CollectiveAgreement(models.Model):
    """A collective agreement (convention collective).

    The registries name an agreement by its number in the Journal officiel's series of brochures
    (« 3117 » for the artisanal bakery), not by its IDCC (« 843 »), which employers know from
    their payslips: both are kept, the IDCC when known.
    """

    number = models.CharField(
        _("numéro de brochure"),
        max_length=8,
        unique=True,
        help_text=_("Numéro de la convention au Journal officiel, tel que les répertoires le donnent."),
    )
    idcc = models.CharField(
        _("IDCC"), max_length=4, blank=True, db_index=True, help_text=_("Identifiant de la convention collective.")
    )
    label = models.CharField(_("intitulé"), max_length=500, blank=True)
    branch = models.ForeignKey(
        Branch, verbose_name=_("branche"), null=True, blank=True, on_delete=models.SET_NULL, related_name="agreements"
    )

    class Meta:
        verbose_name = _("convention collective")
        verbose_name_plural = _("conventions collectives")
        ordering = ["number"]

    def __str__(self):
        idcc = f" (IDCC {self.idcc})" if self.idcc else ""
        return f"{self.number} — {self.label}{idcc}" if self.label else f"{self.number}{idcc}"


class Certifier(models.Model):
    """A CPNE or certifying body. May certify for several branches."""

    siret = models.CharField(_("SIRET"), max_length=14, unique=True, null=True, blank=True)
    name = models.CharField(_("nom"), max_length=255)
    active = models.BooleanField(_("actif"), default=True)
    website = models.URLField(_("site internet"), blank=True, max_length=500)
    branches = models.ManyToManyField(Branch, verbose_name=_("branches"), blank=True, related_name="certifiers")

    class Meta:
        verbose_name = _("certificateur")
        verbose_name_plural = _("certificateurs")
        ordering = ["name"]
        indexes = [models.Index(Upper("name"), name="certifier_name_upper")]

    def __str__(self):
        return self.name


class Rome(models.Model):
    code = models.CharField(_("code ROME"), max_length=5, unique=True)
    label = models.CharField(_("métier"), max_length=255)

    class Meta:
        verbose_name = _("métier (ROME)")
        verbose_name_plural = _("métiers (ROME)")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.label}"


class Nsf(models.Model):
    code = models.CharField(_("code NSF"), max_length=8, unique=True)
    label = models.CharField(_("intitulé"), max_length=255)

    class Meta:
        verbose_name = _("domaine NSF")
        verbose_name_plural = _("domaines NSF")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.label}"


class Formacode(models.Model):
    code = models.CharField(_("Formacode"), max_length=8, unique=True)
    label = models.CharField(_("intitulé"), max_length=255)

    class Meta:
        verbose_name = _("Formacode")
        verbose_name_plural = _("Formacodes")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.label}"


class Certification(models.Model):
    """One registration version of a CQP, CQPI, CQPM or other certification."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("Code RNCP ou RS (RNCP37674, RS6117), ou code de la plateforme."),
    )
    registry = models.CharField(_("répertoire"), max_length=4, choices=enums.Registry.choices, db_index=True)
    kind = models.CharField(_("type"), max_length=5, choices=enums.CertificationKind.choices, db_index=True)
    title = models.CharField(_("intitulé"), max_length=500)
    source = models.CharField(_("origine"), max_length=8, choices=enums.Source.choices, default=enums.Source.PLATFORM)

    # Registration, as the registry states it.
    fiche_id = models.PositiveIntegerField(_("identifiant de fiche"), null=True, blank=True)
    fiche_state = models.CharField(_("état de la fiche"), max_length=40, blank=True)
    abbreviation = models.CharField(_("abrégé"), max_length=40, blank=True)
    abbreviation_label = models.CharField(_("libellé de l'abrégé"), max_length=255, blank=True)
    level = models.PositiveSmallIntegerField(_("niveau"), null=True, blank=True, db_index=True)
    level_code = models.CharField(_("niveau (code du répertoire)"), max_length=20, blank=True)
    active = models.BooleanField(_("active"), default=True, db_index=True)
    registration_type = models.CharField(_("type d'enregistrement"), max_length=80, blank=True)
    decision_date = models.DateField(_("date de décision"), null=True, blank=True)
    effective_date = models.DateField(_("date d'effet"), null=True, blank=True)
    publication_date = models.DateField(_("date de publication"), null=True, blank=True)
    last_jo_date = models.DateField(_("date du dernier JO"), null=True, blank=True)
    registration_end = models.DateField(_("fin d'enregistrement"), null=True, blank=True)
    delivery_deadline = models.DateField(_("date limite de délivrance"), null=True, blank=True)
    # Platform fact, set by its certifier when a new version takes over: the first day without new candidacies.
    retired_on = models.DateField(
        _("plus de nouvelle candidature à partir du"),
        null=True,
        blank=True,
        help_text=_("Date de retrait de cette version, fixée par le certificateur ; l'import ne la modifie pas."),
    )
    registration_years = models.PositiveSmallIntegerField(_("durée d'enregistrement (années)"), null=True, blank=True)
    partial_validation = models.BooleanField(_("validation partielle"), null=True, blank=True)

    # What the certification is about.
    objectives = models.TextField(_("objectifs et contexte"), blank=True)
    activities = models.TextField(_("activités visées"), blank=True)
    abilities = models.TextField(_("capacités attestées"), blank=True)
    sectors = models.TextField(_("secteurs d'activité"), blank=True)
    job_types = models.TextField(_("types d'emplois accessibles"), blank=True)
    entry_prerequisites = models.TextField(_("prérequis à l'entrée en formation"), blank=True)
    validation_prerequisites = models.TextField(_("prérequis à la validation"), blank=True)
    regulation = models.TextField(_("réglementation d'activités"), blank=True)
    url = models.TextField(_("lien de description"), blank=True)

    # Access routes (SI_JURY_*): list of AccessRoute values, and the jury composition of each.
    access_routes = models.JSONField(_("voies d'accès"), default=list, blank=True)
    jury_compositions = models.JSONField(_("composition des jurys"), default=dict, blank=True)
    # The branch's evaluation referential, beyond its criteria (platform data, never imported).
    optional_criteria_threshold = models.PositiveSmallIntegerField(
        _("seuil des critères non obligatoires (%)"),
        default=0,
        help_text=_("Part des critères non obligatoires d'un bloc à satisfaire, en plus de tous les obligatoires."),
    )
    train_partly_acquired = models.BooleanField(
        _("former aussi les blocs partiellement acquis"),
        default=True,
        help_text=_("Le parcours individualisé couvre les blocs à acquérir et, si coché, ceux partiellement acquis."),
    )
    # The certifier's rule on how long a block stays held (capitalisation); null: blocks never expire.
    block_validity_years = models.PositiveSmallIntegerField(
        _("durée de validité des blocs acquis (années)"),
        null=True,
        blank=True,
        help_text=_("vide : les blocs acquis n'expirent jamais"),
    )
    # Rights derived from registry and routes by services.certification_rights(); stored to filter on.
    vae_open = models.BooleanField(_("VAE ouverte"), default=False, db_index=True)
    cpf_eligible = models.BooleanField(_("éligible au CPF"), default=False, db_index=True)

    certifiers = models.ManyToManyField(
        Certifier, verbose_name=_("certificateurs"), blank=True, related_name="certifications"
    )
    branches = models.ManyToManyField(Branch, verbose_name=_("branches"), blank=True, related_name="certifications")
    agreements = models.ManyToManyField(
        CollectiveAgreement, verbose_name=_("conventions collectives"), blank=True, related_name="certifications"
    )
    rome = models.ManyToManyField(Rome, verbose_name=_("métiers (ROME)"), blank=True, related_name="certifications")
    nsf = models.ManyToManyField(Nsf, verbose_name=_("domaines NSF"), blank=True, related_name="certifications")
    formacodes = models.ManyToManyField(
        Formacode, verbose_name=_("Formacodes"), blank=True, related_name="certifications"
    )

    # Import bookkeeping.
    content_hash = models.CharField(_("empreinte du contenu importé"), max_length=64, blank=True)
    last_import = models.ForeignKey(
        "ImportRun",
        verbose_name=_("dernier import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_text = models.TextField(_("texte de recherche"), blank=True, editable=False)
    # The words of search_text, computed by PostgreSQL and indexed there; NULL on SQLite, which has an FTS5 table.
    search_vector = models.GeneratedField(
        expression=SearchWords("search_text"), output_field=SearchVectorField(), db_persist=True, editable=False
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["title", "code"]
        indexes = [
            # Serves the default order of the catalogue list (-active, title, code).
            models.Index(fields=["-active", "title", "code"], name="certification_list_order"),
            models.Index(fields=["kind", "active"]),
            # Counts of the public filters read this index alone (index-only scan), not the wide table.
            models.Index(
                fields=["active", "cpf_eligible", "vae_open", "kind", "registry", "level"], name="certification_filters"
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.title}"

    def get_absolute_url(self):
        return reverse("www:certification_detail", kwargs={"code": self.code})

    @property
    def level_label(self):
        return enums.LEVEL_LABELS.get(self.level, "")


class CertificationLineage(models.Model):
    """Old → new registration. Codes, not keys: either side may not be in the catalogue yet."""

    old_code = models.CharField(_("ancienne certification"), max_length=20, db_index=True)
    new_code = models.CharField(_("nouvelle certification"), max_length=20, db_index=True)

    class Meta:
        verbose_name = _("filiation")
        verbose_name_plural = _("filiations")
        constraints = [models.UniqueConstraint(fields=["old_code", "new_code"], name="lineage_unique")]

    def __str__(self):
        return f"{self.old_code} → {self.new_code}"


class Block(models.Model):
    """A block of competencies (bloc de compétences)."""

    certification = models.ForeignKey(
        Certification, verbose_name=_("certification"), on_delete=models.CASCADE, related_name="blocks"
    )
    code = models.CharField(_("code"), max_length=30)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    title = models.TextField(_("intitulé"))
    assessment_methods = models.TextField(_("modalités d'évaluation"), blank=True)
    source = models.CharField(_("origine"), max_length=8, choices=enums.Source.choices, default=enums.Source.PLATFORM)
    in_registry = models.BooleanField(
        _("présent au répertoire"), default=True, help_text=_("Faux quand un import récent ne mentionne plus ce bloc.")
    )

    class Meta:
        verbose_name = _("bloc de compétences")
        verbose_name_plural = _("blocs de compétences")
        ordering = ["certification", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["certification", "code"], name="block_code_unique")]
        indexes = [models.Index(fields=["code"])]

    def __str__(self):
        return f"{self.code} — {self.title[:80]}"


class Competency(models.Model):
    block = models.ForeignKey(Block, verbose_name=_("bloc"), on_delete=models.CASCADE, related_name="competencies")
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    text = models.TextField(_("compétence"))

    class Meta:
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        ordering = ["block", "position", "id"]

    def __str__(self):
        return self.text[:80]


class EvaluationCriterion(models.Model):
    """A criterion of the branch's evaluation referential. Platform data: imports never touch it."""

    block = models.ForeignKey(Block, verbose_name=_("bloc"), on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    text = models.TextField(_("critère"))
    mandatory = models.BooleanField(_("obligatoire"), default=True)

    class Meta:
        verbose_name = _("critère d'évaluation")
        verbose_name_plural = _("critères d'évaluation")
        ordering = ["block", "position", "id"]

    def __str__(self):
        return self.text[:80]


class BlockEquivalence(models.Model):
    """A block of this certification counts for a block (or the whole) of another one.

    Target by code, resolved to a row when it is in the catalogue: registry correspondences
    often point to fiches that are not in the same export.
    """

    certification = models.ForeignKey(
        Certification, verbose_name=_("certification"), on_delete=models.CASCADE, related_name="equivalences"
    )
    block = models.ForeignKey(
        Block, verbose_name=_("bloc"), null=True, blank=True, on_delete=models.CASCADE, related_name="equivalences"
    )
    target_certification_code = models.CharField(_("certification cible"), max_length=20, db_index=True)
    target_block_code = models.CharField(_("bloc cible"), max_length=30, blank=True)
    target_block = models.ForeignKey(
        Block, verbose_name=_("bloc cible (résolu)"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(
        _("nature"), max_length=10, choices=enums.EquivalenceKind.choices, default=enums.EquivalenceKind.EQUIVALENT
    )
    source = models.CharField(_("origine"), max_length=8, choices=enums.Source.choices, default=enums.Source.PLATFORM)

    class Meta:
        verbose_name = _("équivalence de blocs")
        verbose_name_plural = _("équivalences de blocs")
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "block", "target_certification_code", "target_block_code"],
                name="equivalence_unique",
            )
        ]

    def __str__(self):
        source = self.block.code if self.block_id else self.certification.code
        return f"{source} ≡ {self.target_block_code or self.target_certification_code}"


class Partner(models.Model):
    """An organisation the certifier habilitates (to train, to assess) for this certification."""

    certification = models.ForeignKey(
        Certification, verbose_name=_("certification"), on_delete=models.CASCADE, related_name="partners"
    )
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    name = models.CharField(_("nom"), max_length=255)
    habilitation = models.CharField(_("habilitation"), max_length=40, blank=True)
    active = models.BooleanField(_("actif"), default=True)
    active_since = models.DateField(_("actif depuis"), null=True, blank=True)
    state_changed_on = models.DateField(_("dernier changement d'état"), null=True, blank=True)

    class Meta:
        verbose_name = _("partenaire habilité")
        verbose_name_plural = _("partenaires habilités")
        ordering = ["certification", "name"]

    def __str__(self):
        return self.name


class YearStatistic(models.Model):
    """Yearly figures the registry publishes for a certification."""

    certification = models.ForeignKey(
        Certification, verbose_name=_("certification"), on_delete=models.CASCADE, related_name="year_statistics"
    )
    year = models.PositiveSmallIntegerField(_("année"))
    certified = models.PositiveIntegerField(_("certifiés"), null=True, blank=True)
    certified_vae = models.PositiveIntegerField(_("certifiés par VAE"), null=True, blank=True)
    employment_rate_6_months = models.PositiveSmallIntegerField(
        _("taux d'insertion à 6 mois (%)"), null=True, blank=True
    )
    job_rate_2_years = models.PositiveSmallIntegerField(
        _("taux d'insertion dans le métier à 2 ans (%)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("statistique annuelle")
        verbose_name_plural = _("statistiques annuelles")
        ordering = ["certification", "-year"]
        constraints = [models.UniqueConstraint(fields=["certification", "year"], name="year_statistic_unique")]

    def __str__(self):
        return f"{self.certification_id} {self.year}"


class ImportRun(models.Model):
    """One import of one registry file: what it did, for the record."""

    class Status(models.TextChoices):
        RUNNING = "RUNNING", _("En cours")
        DONE = "DONE", _("Terminé")
        FAILED = "FAILED", _("Échoué")
        DRY_RUN = "DRY_RUN", _("Essai à blanc")

    file_name = models.CharField(_("fichier"), max_length=500)
    file_format = models.CharField(_("format"), max_length=10)
    registry = models.CharField(_("répertoire"), max_length=4, blank=True)
    started_at = models.DateTimeField(_("début"), auto_now_add=True)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    status = models.CharField(_("état"), max_length=8, choices=Status.choices, default=Status.RUNNING)
    created = models.PositiveIntegerField(_("créées"), default=0)
    updated = models.PositiveIntegerField(_("mises à jour"), default=0)
    unchanged = models.PositiveIntegerField(_("inchangées"), default=0)
    no_longer_present = models.PositiveIntegerField(_("absentes du fichier"), default=0)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("import du répertoire")
        verbose_name_plural = _("imports du répertoire")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"
