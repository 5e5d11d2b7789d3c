"""The blocks a person really holds (capitalisation): one row per person and block.

A row comes from a delivered award (the jury validated the block and the certifier delivered it)
or from an earlier certification recorded by certifier staff. Blocks held through an
equivalence are not stored: the selectors derive them from the catalogue's equivalences as they
stand, so a new or removed equivalence counts at once.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import HeldSource


class HeldBlock(models.Model):
    candidate = models.ForeignKey(
        "candidacies.Candidate", verbose_name=_("candidat"), on_delete=models.CASCADE, related_name="held_blocks"
    )
    block = models.ForeignKey("catalogue.Block", verbose_name=_("bloc"), on_delete=models.PROTECT, related_name="+")
    source = models.CharField(
        _("origine"),
        max_length=10,
        choices=[(HeldSource.JURY.value, HeldSource.JURY.label), (HeldSource.EARLIER.value, HeldSource.EARLIER.label)],
    )
    obtained_on = models.DateField(_("obtenu le"))
    award = models.ForeignKey(
        "awards.Award",
        verbose_name=_("délivrance"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="held_blocks",
    )
    expires_on = models.DateField(
        _("valable jusqu'au"), null=True, blank=True, help_text=_("Vide : sans limite de durée.")
    )
    reference = models.CharField(
        _("référence"),
        max_length=255,
        blank=True,
        help_text=_("Pour une certification antérieure : le document présenté (numéro, organisme, date)."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistré par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("bloc détenu")
        verbose_name_plural = _("blocs détenus")
        ordering = ["candidate", "obtained_on", "id"]
        constraints = [models.UniqueConstraint(fields=["candidate", "block"], name="held_block_unique")]

    def __str__(self):
        return f"{self.candidate_id}: {self.block_id} ({self.source})"

    def in_force(self, today) -> bool:
        return self.expires_on is None or self.expires_on >= today
