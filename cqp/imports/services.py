"""Writes of the spreadsheet import: keep a file with its preview, then commit it once, all or nothing.

The candidacies are made by cqp.candidacies.enrolment.candidacy_create_for, the service behind the
employer's and the certifier's enrolment pages and the API: the same rights and rules, row by row.
They are created in draft: what the file cannot carry (experience periods for VAE, the tutor of
a work-study contract) is added on the candidacy before it is deposited.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqp.candidacies import enrolment
from cqp.candidacies.models import Candidate
from cqp.core.models import AuditEvent

from .models import BatchScope, BatchStatus, ImportBatch
from .parser import FileRefused, read_table
from .validation import Scope, preview

# Above this, a commit is refused: each row goes through the full enrolment service (rights, rules,
# blocks, trail) inside one transaction, which holds the database for minutes beyond a few thousand
# rows. The preview itself works up to parser.MAX_ROWS.
MAX_COMMIT_ROWS = 5000


def max_commit_rows() -> int:
    return getattr(settings, "CQP_IMPORT_MAX_COMMIT_ROWS", MAX_COMMIT_ROWS)


def batch_scope(batch) -> Scope:
    from cqp.candidacies.selectors import staff_certifier_ids

    if batch.scope == BatchScope.CERTIFIER:
        return Scope(kind=BatchScope.CERTIFIER, certifier_ids=set(staff_certifier_ids(batch.created_by)))
    return Scope(kind=BatchScope.EMPLOYER, employer=batch.employer)


def _summary(batch):
    return {"status": batch.status, "rows": batch.rows, "error_rows": batch.error_rows, "sha256": batch.sha256}


@transaction.atomic
def batch_preview_create(*, by, scope: Scope, uploaded_file) -> ImportBatch:
    """Keep the file and its preview report. A file refused as a whole is kept too, with its reasons."""
    data = uploaded_file.read()
    digest = hashlib.sha256(data).hexdigest()
    batch = ImportBatch(
        created_by=by,
        scope=scope.kind,
        employer=scope.employer,
        file_name=(uploaded_file.name or "")[-255:],
        sha256=digest,
    )
    try:
        report = preview(read_table(data, batch.file_name), scope=scope)
    except FileRefused as refused:
        batch.status = BatchStatus.REFUSED
        batch.report = {"file_errors": refused.messages}
    else:
        batch.rows = report.rows
        batch.error_rows = len(report.error_rows)
        batch.report = report.as_json()
        if not report.rows:
            batch.status = BatchStatus.REFUSED
            batch.report["file_errors"] = [_("Le fichier ne contient aucune ligne sous les titres des colonnes.")]
    if batch.status != BatchStatus.REFUSED:
        batch.file.save(digest, ContentFile(data), save=False)
    batch.save()
    AuditEvent.objects.create(
        actor=by,
        action="import_preview",
        object_type="imports.ImportBatch",
        object_id=str(batch.pk),
        after={**_summary(batch), "file_name": batch.file_name},
    )
    return batch


class CommitRefused(Exception):
    def __init__(self, messages, report=None):
        super().__init__(*messages)
        self.messages = messages
        self.report = report


def batch_commit(*, batch: ImportBatch, by) -> ImportBatch:
    """Create every candidacy of the file, or none. A batch already imported is left as it is.

    Raises CommitRefused (French messages; `report` holds the row errors when rows were refused).
    """
    try:
        with transaction.atomic():
            return _commit(batch, by)
    except CommitRefused as refused:
        if refused.report is not None:
            # The report is kept outside the rolled-back work, so that the preview shows the errors.
            ImportBatch.objects.filter(pk=batch.pk).update(
                report=refused.report, error_rows=refused.report["error_rows"]
            )
        raise


def _commit(batch, by):
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.created_by_id != by.pk:
        raise PermissionDenied
    if batch.status == BatchStatus.DONE:
        return batch  # a second submit of the same preview: nothing more to do
    if batch.status != BatchStatus.PREVIEWED:
        raise CommitRefused([_("Ce fichier a été refusé : déposez un fichier corrigé.")])
    if batch.rows > max_commit_rows():
        raise CommitRefused(
            [
                _(
                    "Un import crée au plus %(max)s candidatures à la fois ; ce fichier compte %(rows)s lignes : "
                    "découpez-le en fichiers de %(max)s lignes au plus."
                )
                % {"max": max_commit_rows(), "rows": batch.rows}
            ]
        )
    earlier = (
        ImportBatch.objects.filter(sha256=batch.sha256, status=BatchStatus.DONE, scope=batch.scope)
        .filter(created_by=by)
        .first()
    )
    if earlier is not None:
        raise CommitRefused(
            [
                _("Ce fichier a déjà été importé le %(date)s (import n° %(pk)s) : rien n'a été créé de nouveau.")
                % {"date": timezone.localtime(earlier.committed_at).strftime("%d/%m/%Y à %H:%M"), "pk": earlier.pk}
            ]
        )

    # The data may have changed since the preview: check again, then create.
    rows = []
    with batch.file.open("rb") as handle:
        data = handle.read()
    try:
        report = preview(read_table(data, batch.file_name), scope=batch_scope(batch), on_row=lambda *r: rows.append(r))
    except FileRefused as refused:
        raise CommitRefused(refused.messages) from refused
    if report.error_count:
        message = _("Des lignes sont en erreur : corrigez le fichier et déposez-le de nouveau.")
        raise CommitRefused([message], report.as_json())

    created, birth_dates, errors = [], [], {}
    for line, row in rows:
        try:
            with transaction.atomic():
                candidacy = enrolment.candidacy_create_for(by=by, data=_enrolment_data(batch, row))
        except (ValidationError, PermissionDenied) as error:
            errors[line] = _service_messages(error)
            continue
        created.append(candidacy.pk)
        if candidacy.candidate.birth_date is None:
            birth_dates.append((candidacy.candidate_id, row["birth_date"]))
    if errors:
        for line, messages in errors.items():
            for message in messages:
                report.error(line, None, _("ligne %(line)s : %(message)s") % {"line": line, "message": message})
        raise CommitRefused(
            [
                _(
                    "L'enregistrement a refusé des lignes : rien n'a été créé. "
                    "Corrigez-les et déposez le fichier de nouveau."
                )
            ],
            report.as_json(),
        )
    for candidate_id, birth_date in birth_dates:
        Candidate.objects.filter(pk=candidate_id, birth_date__isnull=True).update(birth_date=birth_date)
    before = _summary(batch)
    batch.status = BatchStatus.DONE
    batch.committed_at = timezone.now()
    batch.candidacy_count = len(created)
    batch.save(update_fields=["status", "committed_at", "candidacy_count"])
    AuditEvent.objects.create(
        actor=by,
        action="import_commit",
        object_type="imports.ImportBatch",
        object_id=str(batch.pk),
        before=before,
        after={
            **_summary(batch),
            "candidacy_ids": created,
            "birth_date_set_for_candidates": [pk for pk, _date in birth_dates],
        },
    )
    return batch


def _enrolment_data(batch, row) -> dict:
    data = {
        "candidate": {"first_name": row["first_name"], "last_name": row["last_name"], "email": row["email"]},
        "certification": row["certification"],
        "path": row["path"],
        "situation": row["situation"],
        "funding": row["funding"] or "",
    }
    if batch.employer_id:
        data["employer"] = batch.employer
    if row.get("blocks"):
        data["blocks"] = row["blocks"]
    return data


def _service_messages(error) -> list[str]:
    if isinstance(error, PermissionDenied):
        return [str(error) or _("vous ne pouvez pas inscrire cette personne.")]
    return [str(message) for message in error.messages]
