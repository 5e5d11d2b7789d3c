"""The national parity jury: juries and their members, sessions, agendas, deliberations, minutes.

A signed session is frozen: nothing in it changes; a correction is a new deliberation, in a later
session, that references the one it corrects (append-only history).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import enums


class Jury(models.Model):
    """A certifier's national parity jury, for one or more of its CQPs."""

    certifier = models.ForeignKey(
        "catalogue.Certifier", verbose_name=_("certificateur"), on_delete=models.PROTECT, related_name="juries"
    )
    name = models.CharField(_("nom"), max_length=200)
    certifications = models.ManyToManyField(
        "catalogue.Certification", verbose_name=_("certifications couvertes"), related_name="juries"
    )
    parity_rule = models.CharField(
        _("règle de parité"), max_length=16, choices=enums.ParityRule.choices, default=enums.ParityRule.EQUAL_MEMBERS
    )
    active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("jury paritaire")
        verbose_name_plural = _("jurys paritaires")
        ordering = ["certifier", "name"]

    def __str__(self):
        return self.name


class JuryMember(models.Model):
    """A person's mandate on a jury: their college, the organisation they represent, their role."""

    jury = models.ForeignKey(Jury, verbose_name=_("jury"), on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("personne"), on_delete=models.PROTECT, related_name="jury_mandates"
    )
    college = models.CharField(_("collège"), max_length=10, choices=enums.College.choices)
    represents = models.CharField(
        _("organisation représentée"),
        max_length=200,
        help_text=_("Organisation professionnelle d'employeurs ou syndicat de salariés."),
    )
    role = models.CharField(
        _("fonction"), max_length=16, choices=enums.MemberRole.choices, default=enums.MemberRole.MEMBER
    )
    mandate_start = models.DateField(_("début du mandat"))
    mandate_end = models.DateField(_("fin du mandat"))

    class Meta:
        verbose_name = _("membre de jury")
        verbose_name_plural = _("membres de jury")
        ordering = ["jury", "college", "user__last_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mandate_end__gte=models.F("mandate_start")), name="jury_member_mandate_dates"
            )
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.email} ({self.get_college_display()})"

    def on(self, day) -> bool:
        return self.mandate_start <= day <= self.mandate_end


class JurySession(models.Model):
    jury = models.ForeignKey(Jury, verbose_name=_("jury"), on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(_("date et heure"))
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    video_url = models.URLField(_("lien de visioconférence"), blank=True, max_length=500)
    state = models.CharField(
        _("état"), max_length=10, choices=enums.SessionState.choices, default=enums.SessionState.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("planifiée par"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("planifiée le"), auto_now_add=True)
    opened_at = models.DateTimeField(_("délibération ouverte le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("délibérations closes le"), null=True, blank=True)
    signed_at = models.DateTimeField(_("procès-verbal signé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("session de jury")
        verbose_name_plural = _("sessions de jury")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["jury", "state"], name="jury_session_state")]

    def __str__(self):
        return f"{self.jury} — {self.starts_at:%d/%m/%Y}"


class SessionMember(models.Model):
    """A member convened to a session, and whether they attended."""

    session = models.ForeignKey(
        JurySession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(JuryMember, verbose_name=_("membre"), on_delete=models.PROTECT, related_name="+")
    convened_at = models.DateTimeField(_("convoqué le"), null=True, blank=True)
    present = models.BooleanField(_("présent"), null=True, blank=True)

    class Meta:
        verbose_name = _("membre convoqué")
        verbose_name_plural = _("membres convoqués")
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="session_member_unique")]

    def __str__(self):
        return f"{self.member} — {self.session}"


class AgendaItem(models.Model):
    """A candidacy on a session's agenda; `corrects` when the jury is to correct an earlier deliberation."""

    session = models.ForeignKey(JurySession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="agenda")
    candidacy = models.ForeignKey(
        "candidacies.Candidacy", verbose_name=_("candidature"), on_delete=models.PROTECT, related_name="agenda_items"
    )
    position = models.PositiveIntegerField(_("ordre"), default=0)
    corrects = models.ForeignKey(
        "Deliberation",
        verbose_name=_("corrige la délibération"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    correction_reason = models.TextField(_("motif de la correction"), blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ajoutée par"), on_delete=models.PROTECT)
    added_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)
    candidate_convened_at = models.DateTimeField(_("candidat convoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("candidature à l'ordre du jour")
        verbose_name_plural = _("ordre du jour")
        ordering = ["session", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "candidacy"], name="agenda_item_unique")]

    def __str__(self):
        return f"{self.session} — {self.candidacy_id}"


class Deliberation(models.Model):
    """The jury's decision on one candidacy, block by block, and the opinion that follows."""

    session = models.ForeignKey(
        JurySession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="deliberations"
    )
    candidacy = models.ForeignKey(
        "candidacies.Candidacy", verbose_name=_("candidature"), on_delete=models.PROTECT, related_name="deliberations"
    )
    opinion = models.CharField(_("avis"), max_length=8, choices=enums.Opinion.choices)
    motivation = models.TextField(_("motivation"), blank=True)
    employers_for = models.PositiveSmallIntegerField(_("employeurs : pour"), default=0)
    employers_against = models.PositiveSmallIntegerField(_("employeurs : contre"), default=0)
    employers_abstain = models.PositiveSmallIntegerField(_("employeurs : abstention"), default=0)
    employees_for = models.PositiveSmallIntegerField(_("salariés : pour"), default=0)
    employees_against = models.PositiveSmallIntegerField(_("salariés : contre"), default=0)
    employees_abstain = models.PositiveSmallIntegerField(_("salariés : abstention"), default=0)
    # Members who did not deliberate on this candidacy because of a link to it: [{member, name, reason}].
    recusals = models.JSONField(_("membres déportés"), default=list, blank=True)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrige"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
    )
    correction_reason = models.TextField(_("motif de la correction"), blank=True)
    # The deliberation in force for the candidacy once its session is signed (a correction replaces it).
    is_current = models.BooleanField(_("en vigueur"), default=True)
    # Optimistic lock: two people saving the same deliberation, the second is told.
    revision = models.PositiveIntegerField(_("révision"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saisie par"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("saisie le"), auto_now=True)

    class Meta:
        verbose_name = _("délibération")
        verbose_name_plural = _("délibérations")
        ordering = ["session", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "candidacy"], name="deliberation_unique")]

    def __str__(self):
        return f"{self.candidacy_id} — {self.get_opinion_display()}"

    def votes(self) -> dict:
        return {
            enums.College.EMPLOYERS: (self.employers_for, self.employers_against, self.employers_abstain),
            enums.College.EMPLOYEES: (self.employees_for, self.employees_against, self.employees_abstain),
        }


class DeliberationBlock(models.Model):
    deliberation = models.ForeignKey(
        Deliberation, verbose_name=_("délibération"), on_delete=models.CASCADE, related_name="blocks"
    )
    block = models.ForeignKey("catalogue.Block", verbose_name=_("bloc"), on_delete=models.PROTECT, related_name="+")
    validated = models.BooleanField(_("validé"))

    class Meta:
        verbose_name = _("décision sur un bloc")
        verbose_name_plural = _("décisions sur les blocs")
        constraints = [models.UniqueConstraint(fields=["deliberation", "block"], name="deliberation_block_unique")]

    def __str__(self):
        return f"{self.block_id}: {self.validated}"


def minutes_path(instance, filename):
    return f"juries/minutes/{instance.session_id}/{filename}"


class JuryMinutes(models.Model):
    """Le procès-verbal: drafted when deliberations close, signed by the president and the vice-president.

    Each signature is a recorded, timestamped acceptance of the draft's SHA-256; once both are there the
    final PDF, with the signatures, is stored and the session is signed."""

    session = models.OneToOneField(
        JurySession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="minutes"
    )
    draft_sha256 = models.CharField(_("empreinte du projet"), max_length=64)
    drafted_at = models.DateTimeField(_("rédigé le"))
    president = models.ForeignKey(JuryMember, verbose_name=_("président"), on_delete=models.PROTECT, related_name="+")
    president_signed_at = models.DateTimeField(_("signé par le président le"), null=True, blank=True)
    vice_president = models.ForeignKey(
        JuryMember, verbose_name=_("vice-président"), on_delete=models.PROTECT, related_name="+"
    )
    vice_president_signed_at = models.DateTimeField(_("signé par le vice-président le"), null=True, blank=True)
    pdf = models.FileField(_("procès-verbal (PDF)"), upload_to=minutes_path, blank=True)
    pdf_sha256 = models.CharField(_("empreinte du PDF"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("procès-verbal")
        verbose_name_plural = _("procès-verbaux")

    def __str__(self):
        return str(self.session)
