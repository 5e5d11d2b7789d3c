"""One uploaded spreadsheet: its preview report, then its commit, once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    PREVIEWED = "PREVIEWED", _("Aperçu")
    REFUSED = "REFUSED", _("Fichier refusé")
    DONE = "DONE", _("Importé")


class BatchScope(models.TextChoices):
    EMPLOYER = "EMPLOYER", _("Entreprise")
    CERTIFIER = "CERTIFIER", _("Certificateur")


def batch_path(batch, filename):
    # Never the uploaded name on disk: it is kept in file_name.
    return f"imports/{batch.sha256}"


class ImportBatch(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("déposé par"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    scope = models.CharField(_("au titre de"), max_length=10, choices=BatchScope.choices)
    employer = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("entreprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(_("nom du fichier"), max_length=255)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, db_index=True)
    file = models.FileField(_("fichier"), upload_to=batch_path)
    rows = models.PositiveIntegerField(_("lignes"), default=0)
    error_rows = models.PositiveIntegerField(_("lignes en erreur"), default=0)
    status = models.CharField(_("état"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PREVIEWED)
    report = models.JSONField(_("compte rendu"), default=dict, blank=True)
    committed_at = models.DateTimeField(_("importé le"), null=True, blank=True)
    candidacy_count = models.PositiveIntegerField(_("candidatures créées"), default=0)

    class Meta:
        verbose_name = _("import de tableur")
        verbose_name_plural = _("imports de tableurs")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"
