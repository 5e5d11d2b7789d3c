"""What makes an award verifiable: the signed Open Badges credential, its entry in a status list, the PDF
document that carries it, and the certifier's document style. Private keys are never stored here."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import enums

COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Une couleur s'écrit #RRVVBB, par exemple #1f3a93."))


class IssuerKey(models.Model):
    """A public key of the platform's did:web issuer. The private half lives in a file or an environment
    variable named in the settings; retired keys stay published so that what they signed still verifies."""

    key_id = models.CharField(_("identifiant de clé"), max_length=64, unique=True)
    public_key_multibase = models.CharField(_("clé publique (multibase)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retirée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("clé de l'émetteur")
        verbose_name_plural = _("clés de l'émetteur")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.key_id


class StatusList(models.Model):
    """A Bitstring Status List: one bit per credential, set when its award is revoked. The signed list
    credential is kept as published."""

    purpose = models.CharField(
        _("objet"), max_length=20, choices=enums.StatusPurpose.choices, default=enums.StatusPurpose.REVOCATION
    )
    size = models.PositiveIntegerField(_("nombre d'entrées"))
    bits = models.BinaryField(_("bits"))
    allocated = models.PositiveIntegerField(_("entrées attribuées"), default=0)
    signed_json = models.TextField(_("liste signée"), blank=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("liste de statuts")
        verbose_name_plural = _("listes de statuts")

    def __str__(self):
        return f"{self.pk} ({self.allocated}/{self.size})"


class Credential(models.Model):
    """The Open Badges 3.0 credential of an award, kept byte for byte as signed."""

    award = models.OneToOneField(
        "awards.Award", verbose_name=_("délivrance"), on_delete=models.PROTECT, related_name="credential"
    )
    signed_json = models.TextField(_("attestation signée"))
    key = models.ForeignKey(IssuerKey, verbose_name=_("clé"), on_delete=models.PROTECT, related_name="credentials")
    status_list = models.ForeignKey(
        StatusList, verbose_name=_("liste de statuts"), on_delete=models.PROTECT, related_name="credentials"
    )
    status_index = models.PositiveIntegerField(_("rang dans la liste"))
    issued_at = models.DateTimeField(_("émise le"), auto_now_add=True)

    class Meta:
        verbose_name = _("attestation vérifiable")
        verbose_name_plural = _("attestations vérifiables")
        constraints = [
            models.UniqueConstraint(fields=["status_list", "status_index"], name="credential_status_entry_unique")
        ]

    def __str__(self):
        return f"{self.award_id}"


def document_path(instance, filename):
    return f"awards/{instance.award.year}/{instance.award.uuid}.pdf"


class AwardDocument(models.Model):
    """The PDF parchment (certificate) or block attestation of an award, the signed credential inside."""

    award = models.OneToOneField(
        "awards.Award", verbose_name=_("délivrance"), on_delete=models.PROTECT, related_name="document"
    )
    file = models.FileField(_("fichier"), upload_to=document_path, max_length=200)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("taille (octets)"))
    rendered_at = models.DateTimeField(_("édité le"))
    reissued_at = models.DateTimeField(_("réédité le"), null=True, blank=True)
    reissue_count = models.PositiveSmallIntegerField(_("rééditions"), default=0)
    notified_at = models.DateTimeField(_("titulaire prévenu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("document délivré")
        verbose_name_plural = _("documents délivrés")

    def __str__(self):
        return self.file.name


def style_upload(instance, filename):
    return f"styles/{instance.certifier_id}/{filename}"


class DocumentStyle(models.Model):
    """How a certifier's certificates and attestations look: logo, colours, wording, signatures. Staff
    restyle it on the web; documents issued later use it, documents already issued keep theirs."""

    certifier = models.OneToOneField(
        "catalogue.Certifier", verbose_name=_("certificateur"), on_delete=models.CASCADE, related_name="document_style"
    )
    logo = models.ImageField(_("logo"), upload_to=style_upload, blank=True)
    primary_colour = models.CharField(_("couleur principale"), max_length=7, default="#1f3a93", validators=[COLOUR])
    accent_colour = models.CharField(_("couleur d'accent"), max_length=7, default="#b8860b", validators=[COLOUR])
    certificate_heading = models.CharField(
        _("titre du parchemin"), max_length=200, default="Certificat de qualification professionnelle"
    )
    certificate_wording = models.TextField(
        _("texte du parchemin"),
        default="Vu l'avis du jury paritaire, la commission paritaire nationale de l'emploi délivre à",
    )
    attestation_heading = models.CharField(
        _("titre de l'attestation"), max_length=200, default="Attestation de validation de blocs de compétences"
    )
    attestation_wording = models.TextField(
        _("texte de l'attestation"),
        default="Vu l'avis du jury paritaire, la commission paritaire nationale de l'emploi atteste que",
    )
    footer = models.TextField(_("pied de page"), blank=True)
    delivery_place = models.CharField(_("lieu de délivrance"), max_length=120, default="Paris")
    president_name = models.CharField(_("nom du président ou de la présidente"), max_length=200, blank=True)
    president_signature = models.ImageField(_("signature du président"), upload_to=style_upload, blank=True)
    vice_president_name = models.CharField(
        _("nom du vice-président ou de la vice-présidente"), max_length=200, blank=True
    )
    vice_president_signature = models.ImageField(_("signature du vice-président"), upload_to=style_upload, blank=True)
    extra_css = models.TextField(_("feuille de style complémentaire (CSS)"), blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("présentation des documents")
        verbose_name_plural = _("présentations des documents")

    def __str__(self):
        return f"{self.certifier}"
