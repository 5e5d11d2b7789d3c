"""Delivery by the CPNE or certifying body: numbered awards, on the basis of a signed jury opinion."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import enums


class AwardCounter(models.Model):
    """The last number given by a certifier in a year: locked while a number is taken, so numbers
    have no gap and no duplicate even under concurrent deliveries."""

    certifier = models.ForeignKey("catalogue.Certifier", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur de numéros")
        verbose_name_plural = _("compteurs de numéros")
        constraints = [models.UniqueConstraint(fields=["certifier", "year"], name="award_counter_unique")]

    def __str__(self):
        return f"{self.certifier_id} {self.year}: {self.last}"


class Award(models.Model):
    """A delivered certificate (AWARD opinion) or block attestation (PARTIAL opinion)."""

    uuid = models.UUIDField(_("identifiant de vérification"), default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("numéro"), max_length=40, unique=True)
    certifier = models.ForeignKey(
        "catalogue.Certifier", verbose_name=_("certificateur"), on_delete=models.PROTECT, related_name="awards"
    )
    year = models.PositiveSmallIntegerField(_("année"))
    sequence = models.PositiveIntegerField(_("rang dans l'année"))
    kind = models.CharField(_("nature"), max_length=20, choices=enums.AwardKind.choices)
    candidacy = models.ForeignKey(
        "candidacies.Candidacy", verbose_name=_("candidature"), on_delete=models.PROTECT, related_name="awards"
    )
    certification = models.ForeignKey(
        "catalogue.Certification", verbose_name=_("certification"), on_delete=models.PROTECT, related_name="awards"
    )
    deliberation = models.ForeignKey(
        "juries.Deliberation", verbose_name=_("délibération"), on_delete=models.PROTECT, related_name="awards"
    )
    blocks = models.ManyToManyField("catalogue.Block", verbose_name=_("blocs"), related_name="+")
    delivered_on = models.DateField(_("délivré le"))
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("délivré par"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("retiré par"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revocation_reason = models.TextField(_("motif du retrait"), blank=True)

    class Meta:
        verbose_name = _("délivrance")
        verbose_name_plural = _("délivrances")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["certifier", "year", "sequence"], name="award_sequence_unique"),
            # One award of each kind per deliberation: delivering twice gives the same award back.
            models.UniqueConstraint(fields=["deliberation", "kind"], name="award_per_deliberation"),
        ]

    def __str__(self):
        return self.number

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
