"""Reminders for candidacies idle for too long: once per idle period, to the people who can move them on."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cqp.accounts.enums import Role
from cqp.candidacies import services, tasks
from cqp.candidacies.models import Candidacy, CandidacyEvent

from .factories import UserFactory, candidacy_in_state, certifier_staff, member

pytestmark = pytest.mark.django_db


def age(candidacy, days):
    """Move the candidacy's whole past `days` days back, as if nothing had happened since."""
    shift = timedelta(days=days)
    Candidacy.objects.filter(pk=candidacy.pk).update(state_changed_at=candidacy.state_changed_at - shift)
    for event in CandidacyEvent.objects.filter(candidacy=candidacy):
        CandidacyEvent.objects.filter(pk=event.pk).update(at=event.at - shift)


def reminders(candidacy):
    return CandidacyEvent.objects.filter(candidacy=candidacy, name="reminder").count()


def test_an_idle_candidacy_is_reminded_once_to_those_who_can_move_it_on(mailoutbox, django_capture_on_commit_callbacks):
    submitted = candidacy_in_state("SUBMITTED")
    staff = certifier_staff(submitted.certifier)
    member(UserFactory(), Role.EMPLOYER, organisation=submitted.employer)
    fresh = candidacy_in_state("SUBMITTED")
    age(submitted, 31)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.candidacies_remind_idle(days=30) == [submitted.pk]
    [mail] = mailoutbox
    # Submitted: the certifier decides admissibility; the candidate and the employer are not chased.
    assert mail.to == [staff.email]
    assert mail.subject.startswith("Candidature en attente")
    assert "depuis 30 jours" in mail.body and "Déclarer recevable" in mail.body
    assert mail.alternatives[0][1] == "text/html"

    with django_capture_on_commit_callbacks(execute=True):
        assert services.candidacies_remind_idle(days=30) == []
    assert len(mailoutbox) == 1
    assert (reminders(submitted), reminders(fresh)) == (1, 0)


def test_a_new_idle_period_after_some_activity_brings_a_new_reminder():
    submitted = candidacy_in_state("SUBMITTED")
    age(submitted, 40)
    services.candidacies_remind_idle(days=30)
    # Activity, then idle again.
    services.message_post(candidacy=submitted, by=submitted.candidate.user, body="Où en est mon dossier ?")
    assert services.candidacies_remind_idle(days=30) == []
    later = timezone.now() + timedelta(days=31)
    assert services.candidacies_remind_idle(days=30, now=later) == [submitted.pk]
    assert reminders(submitted) == 2


def test_a_draft_reminds_the_candidate_and_the_employer(mailoutbox, django_capture_on_commit_callbacks):
    draft = candidacy_in_state("DRAFT")
    boss = member(UserFactory(), Role.EMPLOYER, organisation=draft.employer)
    certifier_staff(draft.certifier)
    age(draft, 60)
    with django_capture_on_commit_callbacks(execute=True):
        services.candidacies_remind_idle(days=30)
    assert sorted(mailoutbox[0].to) == sorted([draft.candidate.user.email, boss.email])


@pytest.mark.parametrize("state", ["INADMISSIBLE", "WITHDRAWN", "DECIDED", "DELIVERED", "CLOSED"])
def test_candidacies_that_wait_for_nobody_are_not_reminded(state):
    done = candidacy_in_state(state)
    age(done, 400)
    assert services.candidacies_remind_idle(days=30) == []


def test_the_command_takes_its_delay_from_the_settings_or_days(settings):
    settings.CQP_IDLE_REMINDER_DAYS = 100
    submitted = candidacy_in_state("SUBMITTED")
    age(submitted, 50)
    out = StringIO()
    call_command("remind_idle_candidacies", stdout=out)
    assert out.getvalue().startswith("0 candidacies reminded")
    call_command("remind_idle_candidacies", "--days", "45", stdout=out)
    assert "1 candidacies reminded (idle for 45 days" in out.getvalue()
    with pytest.raises(CommandError, match="au moins un"):
        call_command("remind_idle_candidacies", "--days", "0", stdout=out)


def test_the_task_sends_the_reminders():
    submitted = candidacy_in_state("SUBMITTED")
    age(submitted, 31)
    result = tasks.remind_idle_candidacies.enqueue(30)
    assert result.return_value == 1
    assert reminders(submitted) == 1
