from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import OrganisationKind, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address."""

    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("accès à l'administration"), default=False)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email


class Organisation(models.Model):
    """An employer, a training organisation, an assessment centre or an adviser.

    Certifiers are `catalogue.Certifier`: the registries name them, the catalogue owns them.
    """

    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices, db_index=True)
    name = models.CharField(_("nom"), max_length=255)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, db_index=True)
    idcc = models.CharField(
        _("IDCC"), max_length=4, blank=True, help_text=_("Convention collective appliquée (entreprises).")
    )
    branch = models.ForeignKey(
        "catalogue.Branch",
        verbose_name=_("branche"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(_("e-mail de contact"), blank=True)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    accredited_certifications = models.ManyToManyField(
        "catalogue.Certification",
        verbose_name=_("certifications pour lesquelles l'organisme est habilité"),
        blank=True,
        related_name="accredited_organisations",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "siret"], condition=~models.Q(siret=""), name="organisation_kind_siret_unique"
            )
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A role a person holds within an organisation."""

    user = models.ForeignKey(User, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    certifier = models.ForeignKey(
        "catalogue.Certifier",
        verbose_name=_("certificateur"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    created_at = models.DateTimeField(_("depuis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rattachement")
        verbose_name_plural = _("rattachements")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "certifier", "organisation"], name="membership_unique_org")
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.certifier or self.organisation or ''}"
