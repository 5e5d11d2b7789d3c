"""The spine of the workflow: create, submit, decide admissibility, with the trail it leaves."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cqp.candidacies import rules, services
from cqp.candidacies.models import CandidacyEvent
from cqp.candidacies.selectors import available_transitions, candidacies_visible_to

from .factories import CandidateFactory, candidacy, certification_with_blocks, certifier_staff

pytestmark = pytest.mark.django_db


def test_a_candidate_submits_and_the_certifier_admits(mailoutbox, django_capture_on_commit_callbacks):
    certification = certification_with_blocks()
    staff = certifier_staff(certification.certifiers.get())
    draft = candidacy(certification=certification)
    assert [t.name for t in available_transitions(draft.candidate.user, draft)] == ["submit", "withdraw"]

    with django_capture_on_commit_callbacks(execute=True):
        services.candidacy_transition(candidacy=draft, name="submit", by=draft.candidate.user)
        admitted = services.candidacy_transition(
            candidacy=draft, name="declare_admissible", by=staff, comment="Dossier complet"
        )

    assert admitted.state == "ADMISSIBLE"
    trail = list(CandidacyEvent.objects.filter(candidacy=draft).values_list("name", "from_state", "to_state", "by"))
    assert trail == [
        ("create", "", "DRAFT", draft.candidate.user.pk),
        ("submit", "DRAFT", "SUBMITTED", draft.candidate.user.pk),
        ("declare_admissible", "SUBMITTED", "ADMISSIBLE", staff.pk),
    ]
    assert {address for m in mailoutbox for address in m.to} == {draft.candidate.user.email, staff.email}
    assert "Recevable" in mailoutbox[-1].body and mailoutbox[-1].alternatives


def test_the_candidate_cannot_admit_their_own_candidacy():
    draft = candidacy()
    services.candidacy_transition(candidacy=draft, name="submit", by=draft.candidate.user)
    with pytest.raises(PermissionDenied):
        services.candidacy_transition(candidacy=draft, name="declare_admissible", by=draft.candidate.user)


def test_vae_is_refused_with_too_little_experience():
    certification = certification_with_blocks()
    draft = candidacy(
        certification=certification,
        path="VAE",
        funding="",
        experience_periods=[
            {"start": date(2025, 1, 1), "end": date(2025, 6, 30), "job_title": "Opératrice"},
            {"start": date(2025, 3, 1), "end": date(2025, 8, 31), "job_title": "Opératrice"},
        ],
    )
    with pytest.raises(ValidationError) as refused:
        services.candidacy_transition(candidacy=draft, name="submit", by=draft.candidate.user)
    assert "au moins un an d'expérience" in str(refused.value)
    draft.refresh_from_db()
    assert draft.state == "DRAFT"


def test_overlapping_periods_count_once():
    class P:
        def __init__(self, start, end):
            self.start, self.end = start, end

    periods = [P(date(2024, 1, 1), date(2024, 12, 31)), P(date(2024, 6, 1), date(2025, 1, 31))]
    assert rules.experience_days(periods, today=date(2026, 1, 1)) == 366 + 31


def test_candidacies_are_visible_to_their_own_people_only():
    mine = candidacy()
    other = candidacy()
    assert list(candidacies_visible_to(mine.candidate.user)) == [mine]
    staff = certifier_staff(other.certifier)
    assert list(candidacies_visible_to(staff)) == [other]
    assert list(candidacies_visible_to(CandidateFactory().user)) == []
