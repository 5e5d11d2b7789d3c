"""The holder's civil identity: what the certificate and the Caisse des Dépôts declaration need."""

from django.db import transaction

from cqp.core.models import AuditEvent

from .models import FRANCE_INSEE, Candidate

IDENTITY_FIELDS = (
    "first_name",
    "other_first_names",
    "last_name",
    "usage_name",
    "sex",
    "birth_date",
    "birth_country",
    "birth_insee_code",
    "birth_postal_code",
    "birth_city",
)


def _snapshot(candidate: Candidate) -> dict:
    return {
        name: (value.isoformat() if hasattr(value, "isoformat") else value)
        for name in IDENTITY_FIELDS
        if (value := getattr(candidate, name)) is not None
    }


def born_in_france(candidate: Candidate) -> bool:
    return candidate.birth_country in ("", FRANCE_INSEE)


@transaction.atomic
def candidate_identity_update(*, candidate: Candidate, by, reason: str = "", **fields) -> Candidate:
    """Write the identity fields given (validated by the caller's form) and audit the change."""
    unknown = set(fields) - set(IDENTITY_FIELDS)
    if unknown:
        raise TypeError(f"not identity fields: {sorted(unknown)}")
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    before = _snapshot(candidate)
    for name, value in fields.items():
        setattr(candidate, name, value)
    candidate.full_clean(exclude=["user"])
    after = _snapshot(candidate)
    if after == before:
        return candidate
    candidate.save(update_fields=list(fields))
    changed = [k for k in IDENTITY_FIELDS if before.get(k) != after.get(k)]
    AuditEvent.objects.create(
        actor=by,
        action="candidate.identity_updated",
        object_type="candidacies.Candidate",
        object_id=str(candidate.pk),
        before={k: before.get(k) for k in changed},
        after={k: after.get(k) for k in changed},
        reason=reason,
    )
    return candidate
