"""Files declaring certificate holders to the Caisse des Dépôts (Passeport de compétences) and what each declared."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccrochageAccount(models.Model):
    """The identifiers the Caisse des Dépôts gives a certifier when it subscribes to the deposit service."""

    certifier = models.OneToOneField(
        "catalogue.Certifier", verbose_name=_("certificateur"), on_delete=models.CASCADE, related_name="accrochage"
    )
    client_id = models.CharField(
        _("identifiant client"),
        max_length=8,
        validators=[RegexValidator(r"^.{8}$", _("L'identifiant client compte 8 caractères."))],
        help_text=_("Les 8 caractères donnés par la Caisse des Dépôts (idClient)."),
    )
    contract_id = models.CharField(
        _("numéro de contrat"), max_length=20, help_text=_("Le numéro du contrat de dépôt (idContrat).")
    )

    class Meta:
        verbose_name = _("compte de dépôt à la Caisse des Dépôts")
        verbose_name_plural = _("comptes de dépôt à la Caisse des Dépôts")

    def __str__(self):
        return f"{self.certifier} ({self.client_id})"


def _upload_to(instance, filename):
    return f"accrochage/{instance.certifier_id}/{filename}"


class AccrochageFile(models.Model):
    certifier = models.ForeignKey(
        "catalogue.Certifier", verbose_name=_("certificateur"), on_delete=models.PROTECT, related_name="+"
    )
    flux_id = models.CharField(_("identifiant du flux"), max_length=50, unique=True)
    period_start = models.DateField(_("délivrances du"))
    period_end = models.DateField(_("délivrances au"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("produit par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("produit le"), auto_now_add=True)
    file = models.FileField(_("fichier"), upload_to=_upload_to)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    count = models.PositiveIntegerField(_("délivrances déclarées"))

    class Meta:
        verbose_name = _("fichier d'accrochage")
        verbose_name_plural = _("fichiers d'accrochage")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.flux_id} ({self.count})"

    @property
    def filename(self) -> str:
        return f"accrochage-{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}-{self.pk}.xml"


class DeclarationKind(models.TextChoices):
    INITIAL = "INITIAL", _("Déclaration")
    CORRECTION = "CORRECTION", _("Correction (retrait)")


class AccrochageDeclaration(models.Model):
    award = models.ForeignKey(
        "awards.Award", verbose_name=_("délivrance"), on_delete=models.PROTECT, related_name="accrochage_declarations"
    )
    # Empty for a correction made by hand on the Caisse des Dépôts' space (the schema has no cancellation).
    file = models.ForeignKey(
        AccrochageFile,
        verbose_name=_("fichier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="declarations",
    )
    kind = models.CharField(
        _("nature"), max_length=10, choices=DeclarationKind.choices, default=DeclarationKind.INITIAL
    )
    declared_at = models.DateTimeField(_("déclarée le"), auto_now_add=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("déclaration d'accrochage")
        verbose_name_plural = _("déclarations d'accrochage")
        constraints = [
            # An award is declared once, and its revocation corrected once.
            models.UniqueConstraint(fields=["award", "kind"], name="accrochage_declared_once"),
        ]

    def __str__(self):
        return f"{self.award_id} {self.kind}"
