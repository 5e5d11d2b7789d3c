"""Writes of the candidacy pages that chain the candidacy services, each in one transaction so that
a refusal at any step writes nothing (no Candidate row, no draft, no tutor left behind)."""

from django.db import transaction

from cqp.candidacies import services
from cqp.candidacies.enums import BlockStatus
from cqp.candidacies.models import Candidacy, Candidate, Tutor
from cqp.core.models import AuditEvent

TUTOR_FIELDS = ("first_name", "last_name", "job_title", "email")


def _candidate_for(user) -> Candidate:
    candidate = Candidate.objects.filter(user=user).first()
    if candidate is None:
        candidate = Candidate.objects.create(
            user=user,
            first_name=user.first_name or user.email.split("@")[0],
            last_name=user.last_name,
            email=user.email,
        )
    return candidate


@transaction.atomic
def candidacy_apply(*, by, submit: bool, **fields) -> Candidacy:
    """A person applies for themself: their Candidate row (made from their account if missing), the
    candidacy in draft, then deposited when `submit`."""
    candidacy = services.candidacy_create(by=by, candidate=_candidate_for(by), **fields)
    if submit:
        candidacy = services.candidacy_transition(candidacy=candidacy, name="submit", by=by)
    return candidacy


@transaction.atomic
def employee_enrol(
    *, by, employer, first_name, last_name, email, tutor=None, new_tutor=None, submit: bool = True, **fields
) -> Candidacy:
    """An employer enrols an employee: the person, the tutor when created on the way, the candidacy."""
    if new_tutor:
        tutor = tutor_create(by=by, employer=employer, **new_tutor)
    candidate = Candidate.objects.create(first_name=first_name, last_name=last_name, email=email)
    candidacy = services.candidacy_create(by=by, candidate=candidate, employer=employer, tutor=tutor, **fields)
    if submit:
        candidacy = services.candidacy_transition(candidacy=candidacy, name="submit", by=by)
    return candidacy


def exempted_block_codes(candidacy) -> list[str]:
    return list(
        candidacy.blocks.filter(status=BlockStatus.EXEMPTED)
        .order_by("block__position")
        .values_list("block__code", flat=True)
    )


def _tutor_data(tutor):
    return {name: getattr(tutor, name) for name in TUTOR_FIELDS}


@transaction.atomic
def tutor_create(*, by, employer, first_name, last_name, job_title="", email="") -> Tutor:
    tutor = Tutor.objects.create(
        employer=employer, first_name=first_name, last_name=last_name, job_title=job_title, email=email
    )
    AuditEvent.objects.create(
        actor=by,
        action="tutor_create",
        object_type="candidacies.Tutor",
        object_id=str(tutor.pk),
        after=_tutor_data(tutor),
    )
    return tutor


@transaction.atomic
def tutor_update(*, tutor, by, **changes) -> Tutor:
    tutor = Tutor.objects.select_for_update().get(pk=tutor.pk)
    before = _tutor_data(tutor)
    for name in TUTOR_FIELDS:
        if name in changes:
            setattr(tutor, name, changes[name])
    tutor.save()
    AuditEvent.objects.create(
        actor=by,
        action="tutor_update",
        object_type="candidacies.Tutor",
        object_id=str(tutor.pk),
        before=before,
        after=_tutor_data(tutor),
    )
    return tutor
