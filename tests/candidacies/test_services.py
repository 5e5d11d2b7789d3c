"""Drafts edited, organisations assigned, messages posted: who may, what is refused, the trail left."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cqp.accounts.enums import Role
from cqp.candidacies import services
from cqp.candidacies.models import CandidacyEvent, Message
from cqp.catalogue.models import BlockEquivalence
from tests.capitalisation.factories import hold

from .factories import (
    CandidateFactory,
    OrganisationFactory,
    TutorFactory,
    UserFactory,
    admin_user,
    candidacy,
    candidacy_in_state,
    certification_with_blocks,
    certifier_staff,
    member,
)

pytestmark = pytest.mark.django_db


def events(candidacy, name):
    return list(CandidacyEvent.objects.filter(candidacy=candidacy, name=name))


# candidacy_update


def test_the_candidate_edits_their_draft_and_the_trail_says_what_changed():
    draft = candidacy(funding="PLAN", situation="EMPLOYEE")
    employer = draft.employer
    tutor = TutorFactory(employer=employer)
    updated = services.candidacy_update(
        candidacy=draft,
        by=draft.candidate.user,
        funding="PRO_A",
        tutor=tutor,
        experience_periods=[{"start": date(2022, 1, 1), "end": None, "job_title": " Conducteur de ligne "}],
        block_codes=[f"{draft.certification.code}BC01"],
    )
    assert (updated.funding, updated.tutor) == ("PRO_A", tutor)
    assert [p.job_title for p in updated.experience_periods.all()] == ["Conducteur de ligne"]
    assert list(updated.blocks.values_list("block__code", flat=True)) == [f"{draft.certification.code}BC01"]
    [event] = events(draft, "update")
    assert event.by == draft.candidate.user
    assert event.data["changed"]["funding"] == ["PLAN", "PRO_A"]
    assert set(event.data["changed"]) == {"funding", "tutor", "experience_periods", "blocks"}


def test_blocks_added_back_are_exempted_when_the_person_holds_them():
    certification = certification_with_blocks(blocks=2)
    candidate = CandidateFactory()
    earlier = candidacy(candidate=candidate, certification=certification_with_blocks(blocks=1))
    hold(candidate, earlier.blocks.get().block)  # delivered: capitalised
    target = certification.blocks.get(position=2)
    BlockEquivalence.objects.create(
        certification=earlier.certification,
        block=earlier.blocks.get().block,
        target_certification_code=certification.code,
        target_block_code=target.code,
        target_block=target,
    )
    draft = candidacy(candidate=candidate, certification=certification, block_codes=[f"{certification.code}BC01"])
    services.candidacy_update(
        candidacy=draft, by=candidate.user, block_codes=[f"{certification.code}BC01", f"{certification.code}BC02"]
    )
    assert dict(draft.blocks.values_list("block__position", "status")) == {1: "to_acquire", 2: "exempted"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"funding": "BITCOIN"}, "financement"),
        ({"situation": "RETIRED"}, "situation"),
        ({"experience_periods": [{"start": date(2024, 5, 1), "end": date(2024, 1, 1), "job_title": "X"}]}, "finit"),
        ({"experience_periods": [{"start": None, "job_title": ""}]}, "date de début"),
        ({"block_codes": ["RNCP00000BC99"]}, "Blocs inconnus"),
        ({"block_codes": []}, "au moins un bloc"),
    ],
)
def test_bad_changes_are_refused_in_french_and_change_nothing(changes, message):
    draft = candidacy()
    before = (draft.funding, draft.situation, draft.blocks.count(), draft.experience_periods.count())
    with pytest.raises(ValidationError, match=message):
        services.candidacy_update(candidacy=draft, by=draft.candidate.user, **changes)
    draft.refresh_from_db()
    assert (draft.funding, draft.situation, draft.blocks.count(), draft.experience_periods.count()) == before
    assert events(draft, "update") == []


def test_a_tutor_of_another_company_is_refused():
    draft = candidacy()
    with pytest.raises(ValidationError, match="tuteur doit appartenir"):
        services.candidacy_update(candidacy=draft, by=draft.candidate.user, tutor=TutorFactory())


def test_only_a_draft_is_edited():
    submitted = candidacy_in_state("SUBMITTED")
    with pytest.raises(ValidationError, match="Seul un brouillon"):
        services.candidacy_update(candidacy=submitted, by=submitted.candidate.user, funding="CPF")


def test_an_unknown_field_is_a_programming_error():
    draft = candidacy()
    with pytest.raises(TypeError):
        services.candidacy_update(candidacy=draft, by=draft.candidate.user, state="DELIVERED")


def test_who_may_edit_a_draft():
    employer = OrganisationFactory()
    boss = member(UserFactory(), Role.EMPLOYER, organisation=employer)
    by_employer = candidacy(by=boss, employer=employer)
    by_candidate = candidacy(employer=employer)
    other_boss = member(UserFactory(), Role.EMPLOYER, organisation=OrganisationFactory())

    services.candidacy_update(candidacy=by_employer, by=boss, situation="EMPLOYEE")
    services.candidacy_update(candidacy=by_employer, by=certifier_staff(by_employer.certifier), situation="EMPLOYEE")
    services.candidacy_update(candidacy=by_employer, by=admin_user(), situation="EMPLOYEE")
    for refused, user in [
        (by_candidate, boss),  # the candidate made it: their employer follows it, does not edit it
        (by_employer, other_boss),
        (by_employer, UserFactory()),
        (by_employer, certifier_staff(certification_with_blocks().certifiers.get())),
    ]:
        with pytest.raises(PermissionDenied):
            services.candidacy_update(candidacy=refused, by=user, situation="JOB_SEEKER")
    with pytest.raises(ValidationError, match="changer d'entreprise"):
        services.candidacy_update(candidacy=by_employer, by=boss, employer=OrganisationFactory(), tutor=None)


# candidacy_assign


def test_certifier_staff_assign_an_accredited_assessment_centre_and_a_training_organisation(
    mailoutbox, django_capture_on_commit_callbacks
):
    submitted = candidacy_in_state("SUBMITTED", training_org=None)
    staff = certifier_staff(submitted.certifier)
    training_org = OrganisationFactory(training_org=True)
    trainer = member(UserFactory(), Role.TRAINING_ORG, organisation=training_org)
    centre = OrganisationFactory(assessment_centre=True)
    centre.accredited_certifications.add(submitted.certification)
    assessor = member(UserFactory(), Role.ASSESSOR, organisation=centre)

    with django_capture_on_commit_callbacks(execute=True):
        assigned = services.candidacy_assign(
            candidacy=submitted, by=staff, training_org=training_org, assessment_centre=centre
        )
    assert (assigned.training_org, assigned.assessment_centre) == (training_org, centre)
    [event] = events(submitted, "assign")
    assert (event.by, event.data["training_org"], event.data["assessment_centre"]) == (
        staff,
        training_org.name,
        centre.name,
    )
    [mail] = mailoutbox
    assert set(mail.to) == {submitted.candidate.user.email, trainer.email, assessor.email}
    assert mail.subject.startswith("Organismes désignés")
    assert training_org.name in mail.body and mail.alternatives


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("not_accredited", "pas habilité"),
        ("employer_as_centre", "pas un organisme évaluateur"),
        ("employer_as_training_org", "pas un organisme de formation"),
        ("nothing", "Choisissez un organisme"),
    ],
)
def test_assignment_refusals(which, message):
    submitted = candidacy_in_state("SUBMITTED", training_org=None)
    before = submitted.assessment_centre
    kwargs = {
        "not_accredited": {"assessment_centre": OrganisationFactory(assessment_centre=True)},
        "employer_as_centre": {"assessment_centre": OrganisationFactory()},
        "employer_as_training_org": {"training_org": OrganisationFactory()},
        "nothing": {},
    }[which]
    with pytest.raises(ValidationError, match=message):
        services.candidacy_assign(candidacy=submitted, by=certifier_staff(submitted.certifier), **kwargs)
    submitted.refresh_from_db()
    assert (submitted.training_org, submitted.assessment_centre) == (None, before)
    assert events(submitted, "assign") == []


def test_a_vae_candidacy_has_no_training_organisation():
    vae = candidacy_in_state("ADMISSIBLE", path="VAE")
    with pytest.raises(ValidationError, match="VAE"):
        services.candidacy_assign(candidacy=vae, by=admin_user(), training_org=OrganisationFactory(training_org=True))


def test_only_the_candidacys_certifier_assigns():
    submitted = candidacy_in_state("SUBMITTED")
    for user in [
        submitted.candidate.user,
        member(UserFactory(), Role.EMPLOYER, organisation=submitted.employer),
        certifier_staff(certification_with_blocks().certifiers.get()),
    ]:
        with pytest.raises(PermissionDenied):
            services.candidacy_assign(candidacy=submitted, by=user, training_org=OrganisationFactory(training_org=True))


# message_post


def test_a_message_is_kept_on_the_candidacy_and_sent_to_the_others(mailoutbox, django_capture_on_commit_callbacks):
    submitted = candidacy_in_state("SUBMITTED")
    staff = certifier_staff(submitted.certifier)
    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_post(candidacy=submitted, by=staff, body="  Merci de joindre votre CV.  ")
    assert message.body == "Merci de joindre votre CV."
    assert events(submitted, "message")[0].by == staff
    [mail] = mailoutbox
    assert submitted.candidate.user.email in mail.to and staff.email not in mail.to
    assert "Merci de joindre votre CV." in mail.body


@pytest.mark.parametrize(("body", "message"), [("   ", "Écrivez"), ("x" * 5001, "raccourcissez")])
def test_an_empty_or_too_long_message_is_refused(body, message):
    draft = candidacy()
    with pytest.raises(ValidationError, match=message):
        services.message_post(candidacy=draft, by=draft.candidate.user, body=body)
    assert not Message.objects.exists()


def test_a_stranger_cannot_write_on_a_candidacy():
    draft = candidacy()
    with pytest.raises(PermissionDenied):
        services.message_post(candidacy=draft, by=UserFactory(), body="Bonjour")
    assert not Message.objects.exists()


def test_an_edit_that_changes_nothing_leaves_no_trail():
    draft = candidacy(funding="PLAN", situation="EMPLOYEE")
    services.candidacy_update(candidacy=draft, by=draft.candidate.user, funding="PLAN", situation="EMPLOYEE")
    assert events(draft, "update") == []
