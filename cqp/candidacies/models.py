"""Candidates and their candidacies: one person, one certification version, one path."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import enums

# Formats the Caisse des Dépôts "accrochage" file needs for the holder's place of birth.
validate_insee_commune = RegexValidator(
    r"^(?:[0-9]{2}|2[AB])[0-9]{3}$",
    _(
        "Le code commune INSEE compte 5 caractères : 5 chiffres (ex. 75056), ou 2A/2B suivi de 3 chiffres "
        "pour la Corse."
    ),
)
validate_postal_code = RegexValidator(r"^[0-9]{5}$", _("Le code postal compte 5 chiffres (ex. 69001)."))
validate_insee_country = RegexValidator(
    r"^[0-9]{3}$",
    _("Le code pays INSEE compte 3 chiffres (ex. 100 pour la France, 352 pour l'Algérie)."),
)

# INSEE country code of France (COG 99100): a person born in France is located by commune.
FRANCE_INSEE = "100"


def validate_not_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("La date ne peut pas être dans le futur."), code="future")


class Sex(models.TextChoices):
    # The two values the Caisse des Dépôts schema accepts (type "genre").
    F = "F", _("Féminin")
    M = "M", _("Masculin")


class Candidate(models.Model):
    """A person seeking a certification. Identity is what delivery and the legal export need, no more."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidate",
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom de naissance"), max_length=150)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True, validators=[validate_not_future])
    email = models.EmailField(_("e-mail"), blank=True)
    # Identity the holder declaration (accrochage) needs; blank for records made before it was asked.
    other_first_names = models.CharField(
        _("autres prénoms"),
        max_length=150,
        blank=True,
        help_text=_("Dans l'ordre de l'état civil, séparés par un espace."),
    )
    usage_name = models.CharField(_("nom d'usage"), max_length=150, blank=True)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, blank=True)
    birth_country = models.CharField(
        _("pays de naissance (code INSEE)"),
        max_length=3,
        blank=True,
        validators=[validate_insee_country],
        help_text=_("3 chiffres : 100 pour la France."),
    )
    birth_insee_code = models.CharField(
        _("code INSEE de la commune de naissance"),
        max_length=5,
        blank=True,
        validators=[validate_insee_commune],
        help_text=_("Par exemple 75056 pour Paris, 2A004 pour Ajaccio."),
    )
    birth_postal_code = models.CharField(
        _("code postal de la commune de naissance"),
        max_length=5,
        blank=True,
        validators=[validate_postal_code],
        help_text=_("À défaut du code INSEE."),
    )
    birth_city = models.CharField(_("commune de naissance"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("candidat")
        verbose_name_plural = _("candidats")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class Tutor(models.Model):
    """The tutor an employer names for a work-study candidacy."""

    employer = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("entreprise"), on_delete=models.CASCADE, related_name="tutors"
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    job_title = models.CharField(_("fonction"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("tuteur")
        verbose_name_plural = _("tuteurs")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class Candidacy(models.Model):
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidat"), on_delete=models.PROTECT, related_name="candidacies"
    )
    certification = models.ForeignKey(
        "catalogue.Certification", verbose_name=_("certification"), on_delete=models.PROTECT, related_name="candidacies"
    )
    certifier = models.ForeignKey(
        "catalogue.Certifier",
        verbose_name=_("certificateur"),
        on_delete=models.PROTECT,
        related_name="candidacies",
        help_text=_("Celui des certificateurs de la certification qui instruit et délivre."),
    )
    path = models.CharField(_("voie"), max_length=8, choices=enums.Path.choices)
    situation = models.CharField(_("situation"), max_length=12, choices=enums.Situation.choices)
    funding = models.CharField(_("financement"), max_length=16, choices=enums.Funding.choices, blank=True)
    employer = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("entreprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employee_candidacies",
    )
    tutor = models.ForeignKey(
        Tutor, verbose_name=_("tuteur"), null=True, blank=True, on_delete=models.PROTECT, related_name="candidacies"
    )
    training_org = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisme de formation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_candidacies",
    )
    assessment_centre = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisme évaluateur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessed_candidacies",
    )
    state = models.CharField(_("état"), max_length=20, choices=enums.State.choices, default=enums.State.DRAFT)
    state_changed_at = models.DateTimeField(_("état depuis le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("créée par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["certifier", "state", "-created_at"], name="candidacy_pipeline"),
            models.Index(fields=["state", "state_changed_at"], name="candidacy_idle"),
            # Lists newest first (API cursor): read in index order and stop at the page's end.
            models.Index(fields=["-created_at", "-id"], name="candidacy_newest"),
            # The certifier's pipeline, newest first or by last change: read in index order, stop at the page.
            models.Index(fields=["certifier", "-created_at", "-id"], name="candidacy_certifier_newest"),
            models.Index(fields=["certifier", "-state_changed_at", "-id"], name="candidacy_certifier_changed"),
        ]

    def __str__(self):
        return f"{self.candidate} — {self.certification.code} ({self.get_path_display()})"


class ExperiencePeriod(models.Model):
    """A dated period of experience related to the certification, declared for a candidacy."""

    candidacy = models.ForeignKey(
        Candidacy, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="experience_periods"
    )
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"), null=True, blank=True, help_text=_("Vide si l'activité est en cours."))
    job_title = models.CharField(_("emploi occupé"), max_length=200)
    employer_name = models.CharField(_("employeur"), max_length=200, blank=True)
    activities = models.TextField(_("activités exercées"), blank=True)
    blocks = models.ManyToManyField("catalogue.Block", verbose_name=_("blocs en rapport"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("période d'expérience")
        verbose_name_plural = _("périodes d'expérience")
        ordering = ["start"]

    def __str__(self):
        return f"{self.job_title} ({self.start} → {self.end or '…'})"


class CandidacyBlock(models.Model):
    """A block of the certification targeted by the candidacy, with where the person stands on it."""

    candidacy = models.ForeignKey(
        Candidacy, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="blocks"
    )
    block = models.ForeignKey("catalogue.Block", verbose_name=_("bloc"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("statut"), max_length=14, choices=enums.BlockStatus.choices, default=enums.BlockStatus.TO_ACQUIRE
    )

    class Meta:
        verbose_name = _("bloc visé")
        verbose_name_plural = _("blocs visés")
        ordering = ["block__position", "block__code"]
        constraints = [models.UniqueConstraint(fields=["candidacy", "block"], name="candidacy_block_unique")]

    def __str__(self):
        return f"{self.block.code}: {self.get_status_display()}"


class CandidacyEvent(models.Model):
    """Append-only trail of a candidacy: every transition and every notable act, who, when, from, to, why."""

    candidacy = models.ForeignKey(
        Candidacy, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("de"), max_length=20, blank=True)
    to_state = models.CharField(_("vers"), max_length=20, blank=True)
    comment = models.TextField(_("motif"), blank=True)
    data = models.JSONField(_("détails"), default=dict, blank=True)

    class Meta:
        verbose_name = _("événement de candidature")
        verbose_name_plural = _("historique des candidatures")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.name} {self.from_state}→{self.to_state}"


def document_path(document, filename):
    # Never the uploaded name on disk: it is kept in original_name.
    return f"candidacies/{document.candidacy_id}/{timezone.now():%Y%m%d%H%M%S%f}"


class Document(models.Model):
    """A piece of evidence. Stored outside the web root, served only through a permission check."""

    candidacy = models.ForeignKey(
        Candidacy, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("nature"), max_length=12, choices=enums.DocumentKind.choices)
    file = models.FileField(_("fichier"), upload_to=document_path)
    original_name = models.CharField(_("nom d'origine"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("déposé par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("pièce")
        verbose_name_plural = _("pièces")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name


class Message(models.Model):
    """A message on a candidacy, readable by everyone who may see the candidacy."""

    candidacy = models.ForeignKey(
        Candidacy, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "id"]

    def __str__(self):
        return self.body[:60]
