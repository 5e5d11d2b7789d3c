"""Delivery: the certifier turns a signed jury opinion into numbered awards.

AWARD gives a certificate, PARTIAL a block attestation for the validated blocks (the candidacy then
continues for the missing blocks only), REFUSAL a notice with the motivation and what comes next.
Delivering is idempotent: a candidacy already delivered gives back its award.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cqp.candidacies import workflow
from cqp.candidacies.enums import State
from cqp.candidacies.models import Candidacy, CandidacyEvent
from cqp.candidacies.selectors import actor_roles
from cqp.candidacies.services import candidacy_transition
from cqp.capitalisation.services import held_blocks_record_from_award, held_blocks_withdraw_for_award
from cqp.core.models import AuditEvent
from cqp.juries.enums import Opinion, SessionState
from cqp.juries.models import AgendaItem, Deliberation, JurySession
from cqp.juries.selectors import current_deliberation, session_roles

from .enums import AwardKind
from .models import Award, AwardCounter

DELIVERING_ROLES = frozenset({workflow.CERTIFIER, workflow.ADMIN})
CORRECTING_STATES = (SessionState.PLANNED, SessionState.OPEN, SessionState.CLOSED)


def award_number_format(certifier, year: int, sequence: int) -> str:
    """SIRET (or the certifier's id) - year - rank: readable, unique, without gaps within a year.
    The whole SIRET, not the SIREN: several CPNEs may be hosted by one legal entity."""
    prefix = certifier.siret or f"C{certifier.pk}"
    return f"{prefix}-{year}-{sequence:06d}"


def award_next_sequence(*, certifier, year: int) -> int:
    """Take the next number of this certifier and year; the counter row stays locked until commit, so
    concurrent deliveries wait for each other and numbers have no gap and no duplicate."""
    AwardCounter.objects.bulk_create([AwardCounter(certifier=certifier, year=year, last=0)], ignore_conflicts=True)
    counter = AwardCounter.objects.select_for_update().get(certifier=certifier, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@dataclass
class DeliveryResult:
    candidacy: Candidacy
    award: Award | None
    opinion: str
    already: bool = False
    # Why this candidacy was not delivered in a session delivery (the others are); empty when it was.
    error: str = ""


def candidacy_deliver(*, candidacy, by, delivered_on=None) -> DeliveryResult:
    """Deliver on the basis of the candidacy's signed opinion. Raises PermissionDenied or ValidationError."""
    delivered_on = delivered_on or timezone.localdate()
    with transaction.atomic():
        candidacy = (
            Candidacy.objects.select_for_update().select_related("certifier", "certification").get(pk=candidacy.pk)
        )
        if not actor_roles(by, candidacy) & DELIVERING_ROLES:
            raise PermissionDenied(_("Seul le certificateur de la candidature délivre la certification."))
        deliberation = current_deliberation(candidacy)
        if deliberation is None:
            raise ValidationError(
                _("Aucun avis signé du jury : la délivrance se fait sur la base du procès-verbal signé.")
            )
        kind = {Opinion.AWARD: AwardKind.CERTIFICATE, Opinion.PARTIAL: AwardKind.BLOCK_ATTESTATION}.get(
            deliberation.opinion
        )
        if kind is None:
            return DeliveryResult(
                candidacy, None, deliberation.opinion, already=_notify_refusal(candidacy, deliberation, by)
            )
        existing = Award.objects.filter(deliberation=deliberation, kind=kind).first()
        if existing is not None:
            return DeliveryResult(candidacy, existing, deliberation.opinion, already=True)
        pending = (
            AgendaItem.objects.filter(corrects=deliberation, session__state__in=CORRECTING_STATES)
            .select_related("session")
            .first()
        )
        if pending is not None:
            # Delivering now would be undone by the correction, and a reopened candidacy could no longer
            # take the corrected decision at signature.
            raise ValidationError(
                _(
                    "Le jury doit corriger cette décision lors de la session du %(day)s : délivrez après la "
                    "signature de son procès-verbal."
                )
                % {"day": formats.date_format(timezone.localtime(pending.session.starts_at), "j F Y")}
            )
        if candidacy.state != State.DECIDED:
            raise ValidationError(
                _("La candidature est « %(state)s » : elle n'attend pas de délivrance.")
                % {"state": candidacy.get_state_display()}
            )
        if delivered_on > timezone.localdate():
            raise ValidationError(_("La date de délivrance ne peut pas être dans le futur."))
        if delivered_on < timezone.localdate(deliberation.session.signed_at):
            raise ValidationError(_("La délivrance ne peut pas précéder la signature du procès-verbal."))
        year = delivered_on.year
        sequence = award_next_sequence(certifier=candidacy.certifier, year=year)
        award = Award.objects.create(
            number=award_number_format(candidacy.certifier, year, sequence),
            certifier=candidacy.certifier,
            year=year,
            sequence=sequence,
            kind=kind,
            candidacy=candidacy,
            certification=candidacy.certification,
            deliberation=deliberation,
            delivered_on=delivered_on,
            delivered_by=by,
        )
        if kind == AwardKind.CERTIFICATE:
            blocks = [row.block_id for row in candidacy.blocks.all()]
        else:
            blocks = list(deliberation.blocks.filter(validated=True).values_list("block_id", flat=True))
        award.blocks.set(blocks)
        held_blocks_record_from_award(award=award)
        candidacy_transition(candidacy=candidacy, name="deliver", by=by, comment=award.number)
        # The PDF and the signed credential are drawn in the background once the delivery is committed.
        transaction.on_commit(lambda: _issue_documents(award.pk))
        if kind == AwardKind.BLOCK_ATTESTATION:
            # The candidacy goes on for the missing blocks only; validated blocks stay acquired.
            candidacy_transition(
                candidacy=candidacy,
                name="reopen",
                by=by,
                comment=_("La candidature continue pour les blocs qui restent à valider."),
            )
    return DeliveryResult(candidacy, award, deliberation.opinion)


def _issue_documents(award_id: int) -> None:
    from cqp.credentials.tasks import issue_award_documents

    issue_award_documents.enqueue(award_id)


def _notify_refusal(candidacy, deliberation, by) -> bool:
    """Tell the candidate of the refusal once, with the motivation and the next steps. True if already told."""
    if CandidacyEvent.objects.filter(
        candidacy=candidacy, name="jury_refusal_notice", data__deliberation=deliberation.pk
    ).exists():
        return True
    event = CandidacyEvent.objects.create(
        candidacy=candidacy,
        by=by,
        name="jury_refusal_notice",
        comment=deliberation.motivation,
        data={"deliberation": deliberation.pk, "notify": [workflow.CANDIDATE, workflow.EMPLOYER]},
    )
    from cqp.candidacies.notifications import notify_notice

    transaction.on_commit(lambda: notify_notice(event_id=event.pk))
    return False


def session_deliver(*, session, by, delivered_on=None) -> list[DeliveryResult]:
    """Deliver every candidacy decided in a signed session: a candidacy that cannot be delivered gets its
    reason in `error` and the others are delivered; already delivered ones give their award back."""
    session = JurySession.objects.select_related("jury").get(pk=session.pk)
    if not session_roles(by, session) & {"certifier_staff", "platform_admin"}:
        raise PermissionDenied(_("Seul le personnel du certificateur délivre."))
    if session.state != SessionState.SIGNED:
        raise ValidationError(_("La délivrance se fait sur la base du procès-verbal signé."))
    results = []
    # One transaction for the session (one commit, numbers consecutive for the session), a savepoint per
    # candidacy (candidacy_deliver is atomic): one that is refused rolls back alone.
    with transaction.atomic():
        deliberations = Deliberation.objects.filter(session=session, is_current=True).select_related("candidacy")
        for deliberation in deliberations.order_by("pk"):
            try:
                results.append(candidacy_deliver(candidacy=deliberation.candidacy, by=by, delivered_on=delivered_on))
            except ValidationError as refused:
                reason = " ".join(refused.messages)
                results.append(DeliveryResult(deliberation.candidacy, None, deliberation.opinion, error=reason))
        AuditEvent.objects.create(
            actor=by,
            action="jury_session_deliver",
            object_type="juries.jurysession",
            object_id=str(session.pk),
            after={"awards": sum(1 for r in results if r.award and not r.already)},
        )
    return results


def award_revoke(*, award, by, reason) -> Award:
    """Withdraw an award (fraud, error): it stays in the register, marked revoked with its reason."""
    with transaction.atomic():
        award = Award.objects.select_for_update().select_related("candidacy").get(pk=award.pk)
        if not actor_roles(by, award.candidacy) & DELIVERING_ROLES:
            raise PermissionDenied(_("Seul le certificateur qui l'a délivrée retire une certification."))
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": [_("Donnez le motif du retrait.")]})
        if award.revoked_at:
            raise ValidationError(_("Cette délivrance est déjà retirée."))
        award.revoked_at = timezone.now()
        award.revoked_by = by
        award.revocation_reason = reason
        award.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        # The credential's bit in its status list is set and the list published again, in this transaction.
        from cqp.credentials.services import credential_revoke

        credential_revoke(award=award)
        held_blocks_withdraw_for_award(award=award, by=by)
        CandidacyEvent.objects.create(
            candidacy=award.candidacy, by=by, name="award_revoke", comment=reason, data={"award": award.number}
        )
        AuditEvent.objects.create(
            actor=by, action="award_revoke", object_type="awards.award", object_id=str(award.pk), reason=reason
        )
    return award
