"""The steps between admissibility and the jury: positioning, the individual training plan,
block-by-block assessment, and on the VAE path the admissibility file and the validation dossier.

History is kept everywhere: a revision or a correction is a new row that points to the one it
replaces; nothing submitted is edited in place.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import enums


class Positioning(models.Model):
    """An évaluation préalable: per targeted block, what is acquired and what remains. Revisions are new rows."""

    candidacy = models.ForeignKey(
        "candidacies.Candidacy", verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="positionings"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("en vigueur"), default=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)
    comment = models.TextField(_("commentaire"), blank=True)
    revision_reason = models.TextField(_("motif de la révision"), blank=True)

    class Meta:
        verbose_name = _("positionnement")
        verbose_name_plural = _("positionnements")
        ordering = ["candidacy", "-version"]
        constraints = [models.UniqueConstraint(fields=["candidacy", "version"], name="positioning_version_unique")]

    def __str__(self):
        return f"{self.candidacy_id} v{self.version}"


class PositioningBlock(models.Model):
    positioning = models.ForeignKey(
        Positioning, verbose_name=_("positionnement"), on_delete=models.CASCADE, related_name="results"
    )
    block = models.ForeignKey("catalogue.Block", verbose_name=_("bloc"), on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("résultat"), max_length=10, choices=enums.PositioningResult.choices)
    comment = models.TextField(_("commentaire"), blank=True)
    evidence = models.ForeignKey(
        "candidacies.Document",
        verbose_name=_("preuve"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("résultat de positionnement")
        verbose_name_plural = _("résultats de positionnement")
        ordering = ["block__position", "block__code"]
        constraints = [models.UniqueConstraint(fields=["positioning", "block"], name="positioning_block_unique")]

    def __str__(self):
        return f"{self.block_id}: {self.get_result_display()}"


class TrainingPlan(models.Model):
    """The parcours de formation individualisé: only the blocks that remain. A new version supersedes the old."""

    candidacy = models.ForeignKey(
        "candidacies.Candidacy", verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="training_plans"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("statut"), max_length=12, choices=enums.PlanStatus.choices, default=enums.PlanStatus.PROPOSED
    )
    training_org = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisme de formation"), on_delete=models.PROTECT, related_name="+"
    )
    funding = models.CharField(_("financement"), max_length=16, blank=True)
    tutor = models.ForeignKey(
        "candidacies.Tutor", verbose_name=_("tuteur"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField(_("début"), null=True, blank=True)
    end = models.DateField(_("fin"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposé par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("proposé le"), auto_now_add=True)
    accepted_by_candidate_at = models.DateTimeField(_("accepté par le candidat le"), null=True, blank=True)
    accepted_by_employer_at = models.DateTimeField(_("accepté par l'entreprise le"), null=True, blank=True)
    completed_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("parcours de formation individualisé")
        verbose_name_plural = _("parcours de formation individualisés")
        ordering = ["candidacy", "-version"]
        constraints = [models.UniqueConstraint(fields=["candidacy", "version"], name="training_plan_version_unique")]

    def __str__(self):
        return f"{self.candidacy_id} v{self.version}"


class TrainingModule(models.Model):
    """A module of the plan, for one block: hours, dates, progress declared by the training organisation."""

    plan = models.ForeignKey(TrainingPlan, verbose_name=_("parcours"), on_delete=models.CASCADE, related_name="modules")
    block = models.ForeignKey("catalogue.Block", verbose_name=_("bloc"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("module"), max_length=255)
    hours = models.PositiveSmallIntegerField(_("heures"))
    start = models.DateField(_("début"), null=True, blank=True)
    end = models.DateField(_("fin"), null=True, blank=True)
    hours_attended = models.PositiveSmallIntegerField(_("heures suivies"), default=0)
    completed_at = models.DateField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("module de formation")
        verbose_name_plural = _("modules de formation")
        ordering = ["plan", "block__position", "id"]

    def __str__(self):
        return self.title


class BlockAssessment(models.Model):
    """The assessment of one block, criterion by criterion. Submitted rows are locked; a correction is a new version."""

    candidacy = models.ForeignKey(
        "candidacies.Candidacy", verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="assessments"
    )
    block = models.ForeignKey("catalogue.Block", verbose_name=_("bloc"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(
        _("état"), max_length=10, choices=enums.AssessmentState.choices, default=enums.AssessmentState.DRAFT
    )
    assessment_centre = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisme évaluateur"), on_delete=models.PROTECT, related_name="+"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("évaluateur"), on_delete=models.PROTECT, related_name="+"
    )
    situation = models.CharField(
        _("situation d'évaluation"), max_length=10, choices=enums.AssessmentSituation.choices, blank=True
    )
    assessed_on = models.DateField(_("date de l'évaluation"), null=True, blank=True)
    verdict = models.CharField(_("décision"), max_length=12, choices=enums.Verdict.choices, blank=True)
    summary = models.TextField(_("informations pour le jury"), blank=True)
    no_conflict_declared = models.BooleanField(
        _("absence de lien déclarée"),
        default=False,
        help_text=_("L'évaluateur déclare n'avoir ni employé ni formé le candidat."),
    )
    supersedes = models.OneToOneField(
        "self", verbose_name=_("corrige"), null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    correction_reason = models.TextField(_("motif de la correction"), blank=True)
    # Set when a signed jury session decided on the block: a later round (after a partial opinion) starts
    # a new version, and this one stays in the history shown to the jury.
    judged = models.BooleanField(_("examinée par le jury"), default=False)
    # Optimistic lock for concurrent edits of the same grid: bumped by each save of the draft.
    revision = models.PositiveIntegerField(_("révision"), default=0)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("transmise le"), null=True, blank=True)

    class Meta:
        verbose_name = _("évaluation d'un bloc")
        verbose_name_plural = _("évaluations des blocs")
        ordering = ["candidacy", "block__position", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["candidacy", "block", "version"], name="assessment_version_unique")
        ]

    def __str__(self):
        return f"{self.candidacy_id} {self.block_id} v{self.version}"


class CriterionResult(models.Model):
    assessment = models.ForeignKey(
        BlockAssessment, verbose_name=_("évaluation"), on_delete=models.CASCADE, related_name="results"
    )
    criterion = models.ForeignKey(
        "catalogue.EvaluationCriterion", verbose_name=_("critère"), on_delete=models.PROTECT, related_name="+"
    )
    met = models.BooleanField(_("satisfait"), null=True)
    observation = models.TextField(_("observation"), blank=True)

    class Meta:
        verbose_name = _("résultat d'un critère")
        verbose_name_plural = _("résultats des critères")
        ordering = ["criterion__position", "criterion_id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="criterion_result_unique")]

    def __str__(self):
        return f"{self.criterion_id}: {self.met}"


class AssessmentEvidence(models.Model):
    assessment = models.ForeignKey(
        BlockAssessment, verbose_name=_("évaluation"), on_delete=models.CASCADE, related_name="evidence"
    )
    document = models.ForeignKey(
        "candidacies.Document", verbose_name=_("pièce"), on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self):
        return f"{self.assessment_id} {self.document_id}"


class VaeEligibility(models.Model):
    """The recevabilité file of a VAE candidacy. Only one is active at a time; resubmissions are new rows."""

    candidacy = models.ForeignKey(
        "candidacies.Candidacy",
        verbose_name=_("candidature"),
        on_delete=models.CASCADE,
        related_name="vae_eligibilities",
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(
        _("état"), max_length=12, choices=enums.EligibilityState.choices, default=enums.EligibilityState.DRAFT
    )
    relevant_days = models.PositiveIntegerField(_("jours d'expérience retenus"), default=0)
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    reasons = models.TextField(_("motifs"), blank=True)

    class Meta:
        verbose_name = _("recevabilité VAE")
        verbose_name_plural = _("recevabilités VAE")
        ordering = ["candidacy", "-version"]
        constraints = [models.UniqueConstraint(fields=["candidacy", "version"], name="vae_eligibility_version_unique")]

    def __str__(self):
        return f"{self.candidacy_id} v{self.version}"


class VaeDossierEntry(models.Model):
    """Per block, the experience the candidate describes to prove it, with evidence."""

    candidacy = models.ForeignKey(
        "candidacies.Candidacy", verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="vae_dossier"
    )
    block = models.ForeignKey("catalogue.Block", verbose_name=_("bloc"), on_delete=models.PROTECT, related_name="+")
    narrative = models.TextField(_("expérience décrite"))
    documents = models.ManyToManyField("candidacies.Document", verbose_name=_("preuves"), blank=True, related_name="+")
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("partie du dossier de validation")
        verbose_name_plural = _("dossier de validation")
        constraints = [models.UniqueConstraint(fields=["candidacy", "block"], name="vae_dossier_block_unique")]

    def __str__(self):
        return f"{self.candidacy_id} {self.block_id}"
