"""Issuing what makes an award verifiable: the signed credential, its status entry, the PDF document.

Every step is idempotent and safe to run again after a crash: a credential is created once per award (row
lock on the award, one-to-one constraint), the PDF is drawn from the credential as stored, and the document
row is written only after its file, under the same lock. A worker killed anywhere leaves at most a file that
the next run overwrites."""

import hashlib
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqp.awards.models import Award
from cqp.candidacies import workflow
from cqp.candidacies.selectors import actor_roles
from cqp.core.models import AuditEvent

from . import keys, openbadges
from .models import AwardDocument, Credential, StatusList
from .vc import proof, status_list

log = logging.getLogger(__name__)

REISSUING_ROLES = frozenset({workflow.CERTIFIER, workflow.ADMIN})
# A list is left once half full: random indexes stay cheap to draw and holders stay hidden in the crowd.
STATUS_LIST_FILL = 0.5


def _sign(document: dict) -> tuple[dict, object]:
    key = keys.signing_key()
    return proof.sign(document, private_key=key.private_key, verification_method=key.verification_method), key


def status_list_publish(*, status_list_row: StatusList) -> StatusList:
    """Sign the list as it stands and keep the signed credential for /status/<n>/."""
    document = status_list.status_list_credential(
        url=openbadges.status_list_url(status_list_row),
        issuer=keys.issuer_did(),
        bitstring=status_list.Bitstring.from_bytes(bytes(status_list_row.bits)),
        valid_from=timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    signed, _key = _sign(document)
    status_list_row.signed_json = _dumps(signed)
    status_list_row.save(update_fields=["signed_json", "updated_at"])
    return status_list_row


def _dumps(document: dict) -> str:
    import json

    return json.dumps(document, ensure_ascii=False, indent=2)


def _status_entry_allocate() -> tuple[StatusList, int]:
    """A random free index in a list that is less than half full (a new list when none is)."""
    size = settings.CQP_STATUS_LIST_SIZE
    row = (
        StatusList.objects.select_for_update()
        .filter(allocated__lt=int(size * STATUS_LIST_FILL), size=size)
        .order_by("pk")
        .first()
    )
    if row is None:
        row = StatusList.objects.create(size=size, bits=bytes(size // 8))
        status_list_publish(status_list_row=row)
    # At most half the list is taken: a draw is free with odds of one in two or better, so a few queries at most.
    index = secrets.randbelow(row.size)
    while Credential.objects.filter(status_list=row, status_index=index).exists():
        index = secrets.randbelow(row.size)
    row.allocated += 1
    row.save(update_fields=["allocated", "updated_at"])
    return row, index


def credential_issue(*, award: Award) -> Credential:
    """The award's signed Open Badges credential, created once. Raises ValidationError for a revoked award
    and ImproperlyConfigured when the platform has no signing key."""
    existing = Credential.objects.filter(award_id=award.pk).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        award = Award.objects.select_for_update().get(pk=award.pk)
        existing = Credential.objects.filter(award=award).first()
        if existing is not None:
            return existing
        if award.revoked_at:
            raise ValidationError(_("Cette délivrance est retirée : aucun document n'est émis."))
        award = (
            Award.objects.select_related("certification", "certifier", "candidacy__candidate")
            .prefetch_related("blocks", "certification__nsf")
            .get(pk=award.pk)
        )
        row, index = _status_entry_allocate()
        list_url = openbadges.status_list_url(row)
        entry = status_list.status_entry(list_url=list_url, index=index)
        document = openbadges.build_unsigned(award=award, issuer_id=keys.issuer_did(), status_entry=entry)
        signed, key = _sign(document)
        # Open Badges 3.0 (its JSON schema, 1EdTech's validator) wants the proofs as a list.
        signed["proof"] = [signed["proof"]]
        key_row = keys.IssuerKey.objects.get(key_id=key.key_id)
        return Credential.objects.create(
            award=award, signed_json=_dumps(signed), key=key_row, status_list=row, status_index=index
        )


def _render(award: Award, credential: Credential, *, reissued_at=None) -> bytes:
    from . import documents

    return documents.render_award_pdf(award=award, credential_json=credential.signed_json, reissued_at=reissued_at)


def _store(document: AwardDocument, award: Award, pdf: bytes) -> None:
    """Write the file under its fixed name, replacing a leftover of a run that died before its commit."""
    name = AwardDocument.file.field.generate_filename(document, "document.pdf")
    storage = AwardDocument.file.field.storage
    if storage.exists(name):
        storage.delete(name)
    document.file.save(name, ContentFile(pdf), save=False)
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.size = len(pdf)


def award_documents_issue(*, award_id: int) -> AwardDocument | None:
    """Credential then PDF of an award; nothing twice. None for a revoked award."""
    award = Award.objects.select_related("certification", "certifier", "candidacy__candidate").get(pk=award_id)
    document = AwardDocument.objects.filter(award=award).first()
    if document is not None:
        return document
    if award.revoked_at:
        return None
    credential = credential_issue(award=award)
    pdf = _render(award, credential)
    with transaction.atomic():
        Award.objects.select_for_update().filter(pk=award.pk).first()
        document = AwardDocument.objects.filter(award=award).first()
        if document is not None:
            return document  # another worker finished first
        document = AwardDocument(award=award, rendered_at=timezone.now())
        _store(document, award, pdf)
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            return AwardDocument.objects.get(award=award)
        transaction.on_commit(lambda: _notify_holder(document.pk))
    return document


def _notify_holder(document_id: int) -> None:
    from .tasks import send_document_email

    send_document_email.enqueue(document_id)


def document_reissue(*, award: Award, by) -> AwardDocument:
    """A lost document drawn again: same number, same credential, marked as a duplicate with its date."""
    with transaction.atomic():
        award = (
            Award.objects.select_for_update()
            .select_related("certification", "certifier", "candidacy__candidate")
            .get(pk=award.pk)
        )
        if not actor_roles(by, award.candidacy) & REISSUING_ROLES:
            raise PermissionDenied(_("Seul le certificateur qui l'a délivrée réédite un document."))
        if award.revoked_at:
            raise ValidationError(_("Cette délivrance est retirée : aucun document n'est réédité."))
        credential = Credential.objects.filter(award=award).first()
        document = AwardDocument.objects.filter(award=award).first()
        if credential is None or document is None:
            raise ValidationError(_("Le document n'est pas encore émis : il le sera sous peu."))
        now = timezone.now()
        pdf = _render(award, credential, reissued_at=now)
        _store(document, award, pdf)
        document.reissued_at = now
        document.reissue_count += 1
        document.save()
        AuditEvent.objects.create(
            actor=by,
            action="award_document_reissue",
            object_type="awards.award",
            object_id=str(award.pk),
            after={"number": award.number, "reissue": document.reissue_count},
        )
    return document


def credential_revoke(*, award: Award) -> None:
    """Set the award's bit in its status list and publish the list again. Call inside the revocation's
    transaction; an award without credential has nothing to revoke (none will be issued)."""
    credential = Credential.objects.filter(award=award).first()
    if credential is None:
        return
    row = StatusList.objects.select_for_update().get(pk=credential.status_list_id)
    bits = status_list.Bitstring.from_bytes(bytes(row.bits))
    if bits.get(credential.status_index):
        return
    bits.set(credential.status_index, True)
    row.bits = bits.to_bytes()
    row.save(update_fields=["bits", "updated_at"])
    status_list_publish(status_list_row=row)


def session_documents_enqueue(*, award_ids) -> int:
    """Queue the issuance of each award without a document; returns how many were queued."""
    from .tasks import issue_award_documents

    pending = list(
        Award.objects.filter(pk__in=list(award_ids), revoked_at=None, document__isnull=True).values_list(
            "pk", flat=True
        )
    )
    for pk in pending:
        issue_award_documents.enqueue(pk)
    return len(pending)
