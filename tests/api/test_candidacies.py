"""The candidacy API: representation, creation by each kind of caller, transitions, trail, filters, cursor."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cqp.accounts.enums import Role
from cqp.accounts.models import User
from cqp.candidacies.models import Candidacy, CandidacyBlock, CandidacyEvent, Candidate
from tests.candidacies.factories import (
    CandidateFactory,
    OrganisationFactory,
    TutorFactory,
    UserFactory,
    candidacy,
    certification_with_blocks,
    certifier_staff,
    member,
)
from tests.catalogue.factories import CertificationFactory, CertifierFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/candidacies/"


def detail(pk, tail=""):
    return f"/api/v1/candidacies/{pk}/{tail}"


def build_world():
    """Two certifiers, each with a certification; two of everything around one candidacy each."""
    world = {"admin": User.objects.create_superuser(email="admin@cqp.example", password="un mot de passe solide")}
    for side in ("a", "b"):
        certifier = CertifierFactory()
        certification = certification_with_blocks(certifier=certifier)
        employer = OrganisationFactory()
        training_org = OrganisationFactory(training_org=True)
        centre = OrganisationFactory(assessment_centre=True)
        candidate = CandidateFactory()
        made = candidacy(candidate=candidate, certification=certification, employer=employer)
        Candidacy.objects.filter(pk=made.pk).update(training_org=training_org, assessment_centre=centre)
        world[side] = {
            "candidacy": made,
            "certification": certification,
            "certifier": certifier,
            "employer": employer,
            "training_organisation": training_org,
            "assessment_centre": centre,
            "candidate": candidate.user,
            "employer_member": member(UserFactory(), Role.EMPLOYER, organisation=employer),
            "training_org": member(UserFactory(), Role.TRAINING_ORG, organisation=training_org),
            "assessor": member(UserFactory(), Role.ASSESSOR, organisation=centre),
            "certifier_staff": certifier_staff(certifier),
        }
    return world


@pytest.fixture
def world():
    return build_world()


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# Representation ------------------------------------------------------------------------------------


def test_the_candidate_reads_their_candidacy_with_the_fixed_fields(api, world):
    mine = world["a"]["candidacy"]
    api.force_authenticate(world["a"]["candidate"])

    body = api.get(detail(mine.pk)).json()

    assert body["id"] == mine.pk
    assert body["candidate"] == {
        "id": mine.candidate_id,
        "first_name": mine.candidate.first_name,
        "last_name": mine.candidate.last_name,
    }
    assert body["certification"] == world["a"]["certification"].code
    assert body["certifier"] == world["a"]["certifier"].siret
    assert (body["path"], body["situation"], body["funding"], body["state"]) == (
        "TRAINING",
        "EMPLOYEE",
        "PLAN",
        "DRAFT",
    )
    assert body["state_label"] == "Brouillon"
    assert body["available_transitions"] == ["submit", "withdraw"]
    code = world["a"]["certification"].code
    assert [(b["code"], b["status"]) for b in body["blocks"]] == [
        (f"{code}BC01", "to_acquire"),
        (f"{code}BC02", "to_acquire"),
        (f"{code}BC03", "to_acquire"),
    ]
    assert body["employer"] == {"id": world["a"]["employer"].pk, "name": world["a"]["employer"].name}
    training_org, centre = world["a"]["training_organisation"], world["a"]["assessment_centre"]
    assert body["training_org"] == {"id": training_org.pk, "name": training_org.name}
    assert body["assessment_centre"] == {"id": centre.pk, "name": centre.name}
    assert body["tutor"] is None
    assert body["api_url"] == f"http://testserver{detail(mine.pk)}"
    assert body["url"] == f"http://testserver/espace/candidatures/{mine.pk}/"
    assert body["created_at"] and body["state_changed_at"]


def test_available_transitions_depend_on_who_asks(api, world):
    mine = world["a"]["candidacy"]
    api.force_authenticate(world["a"]["candidate"])
    api.post(detail(mine.pk, "transitions/"), {"name": "submit"}, format="json")

    api.force_authenticate(world["a"]["certifier_staff"])
    staff_view = api.get(detail(mine.pk)).json()["available_transitions"]
    api.force_authenticate(world["a"]["candidate"])
    candidate_view = api.get(detail(mine.pk)).json()["available_transitions"]
    api.force_authenticate(world["a"]["training_org"])
    training_view = api.get(detail(mine.pk)).json()["available_transitions"]

    assert staff_view == ["declare_admissible", "declare_inadmissible", "withdraw"]
    assert candidate_view == ["withdraw"]
    assert training_view == []


def test_exempted_and_acquired_blocks_show_their_status(api, world):
    mine = world["a"]["candidacy"]
    first, second, _ = CandidacyBlock.objects.filter(candidacy=mine).order_by("block__position")
    CandidacyBlock.objects.filter(pk=first.pk).update(status="exempted")
    CandidacyBlock.objects.filter(pk=second.pk).update(status="acquired")
    api.force_authenticate(world["a"]["candidate"])

    statuses = [b["status"] for b in api.get(detail(mine.pk)).json()["blocks"]]

    assert statuses == ["exempted", "acquired", "to_acquire"]


def test_anonymous_callers_get_401(api, world):
    for response in [
        api.get(LIST),
        api.get(detail(world["a"]["candidacy"].pk)),
        api.post(LIST, {}, format="json"),
        api.post(detail(world["a"]["candidacy"].pk, "transitions/"), {"name": "submit"}, format="json"),
        api.get(detail(world["a"]["candidacy"].pk, "history/")),
    ]:
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("keyword", ["Token", "Bearer"])
def test_a_token_identifies_the_calling_system(api, world, keyword):
    token = Token.objects.create(user=world["a"]["certifier_staff"])
    api.credentials(HTTP_AUTHORIZATION=f"{keyword} {token.key}")

    assert ids(api.get(LIST)) == [world["a"]["candidacy"].pk]


def test_delete_and_put_are_not_allowed(api, world):
    api.force_authenticate(world["admin"])

    assert api.delete(detail(world["a"]["candidacy"].pk)).status_code == 405
    assert api.put(detail(world["a"]["candidacy"].pk), {}, format="json").status_code == 405
    assert Candidacy.objects.count() == 2


# Creation ------------------------------------------------------------------------------------------


def test_a_candidate_applies_for_themself(api, world):
    user = UserFactory(first_name="Inès", last_name="Moreau")
    api.force_authenticate(user)
    certification = world["a"]["certification"]

    response = api.post(
        LIST,
        {
            "certification": certification.code,
            "path": "VAE",
            "situation": "JOB_SEEKER",
            "experience_periods": [
                {"start": "2020-01-01", "end": "2023-12-31", "job_title": "Opératrice", "employer_name": "Usine"}
            ],
            "blocks": [f"{certification.code}BC02"],
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == body["api_url"]
    assert body["candidate"]["first_name"] == "Inès" and body["candidate"]["last_name"] == "Moreau"
    assert (body["path"], body["state"], body["funding"]) == ("VAE", "DRAFT", "")
    assert [b["code"] for b in body["blocks"]] == [f"{certification.code}BC02"]
    assert body["experience_periods"] == [
        {"start": "2020-01-01", "end": "2023-12-31", "job_title": "Opératrice", "employer_name": "Usine"}
    ]
    assert Candidate.objects.get(user=user).email == user.email
    assert body["available_transitions"] == ["submit", "withdraw"]
    assert ids(api.get(LIST)) == [body["id"]]


def test_an_employer_enrols_an_employee_with_a_tutor(api, world):
    employer = world["a"]["employer"]
    tutor = TutorFactory(employer=employer)
    api.force_authenticate(world["a"]["employer_member"])

    response = api.post(
        LIST,
        {
            "certification": world["a"]["certification"].code,
            "path": "TRAINING",
            "situation": "EMPLOYEE",
            "funding": "CONTRAT_PRO",
            "tutor": tutor.pk,
            "candidate": {"first_name": "Noé", "last_name": "Lambert", "email": "noe.lambert@exemple.fr"},
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["employer"] == {"id": employer.pk, "name": employer.name}
    assert body["tutor"]["id"] == tutor.pk
    assert body["candidate"]["last_name"] == "Lambert"
    assert Candidate.objects.get(pk=body["candidate"]["id"]).user is None
    made = Candidacy.objects.get(pk=body["id"])
    assert made.created_by == world["a"]["employer_member"]


def test_an_employer_enrolling_a_person_with_an_account_links_their_record(api, world):
    person = UserFactory(email="lea.roux@exemple.fr", first_name="Léa", last_name="Roux")
    api.force_authenticate(world["a"]["employer_member"])

    response = api.post(
        LIST,
        {
            "certification": world["a"]["certification"].code,
            "path": "TRAINING",
            "situation": "EMPLOYEE",
            "funding": "PLAN",
            "candidate": {"first_name": "Léa", "last_name": "Roux", "email": "LEA.ROUX@exemple.fr"},
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    api.force_authenticate(person)
    assert ids(api.get(LIST)) == [response.json()["id"]]


def test_a_candidate_with_a_record_applies_again_under_the_same_record(api, world):
    user = world["a"]["candidate"]
    api.force_authenticate(user)

    response = api.post(
        LIST,
        {
            "certification": world["b"]["certification"].code,
            "path": "TRAINING",
            "situation": "EMPLOYEE",
            "funding": "CPF",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["candidate"]["id"] == world["a"]["candidacy"].candidate_id
    assert Candidate.objects.filter(user=user).count() == 1
    assert sorted(ids(api.get(LIST))) == sorted([world["a"]["candidacy"].pk, response.json()["id"]])


def test_the_platform_admin_enrols_anyone_on_any_certification(api, world):
    api.force_authenticate(world["admin"])

    response = api.post(
        LIST,
        {
            "certification": world["b"]["certification"].code,
            "path": "TRAINING",
            "situation": "YOUNG",
            "funding": "REGION",
            "candidate": {"first_name": "Yanis", "last_name": "Bernard", "email": "yanis.bernard@exemple.fr"},
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["certifier"] == world["b"]["certifier"].siret
    api.force_authenticate(world["b"]["certifier_staff"])
    assert response.json()["id"] in ids(api.get(LIST))


def test_an_employer_cannot_enrol_for_another_employer(api, world):
    api.force_authenticate(world["a"]["employer_member"])

    response = api.post(
        LIST,
        {
            "certification": world["a"]["certification"].code,
            "path": "TRAINING",
            "situation": "EMPLOYEE",
            "funding": "PLAN",
            "employer": world["b"]["employer"].pk,
            "candidate": {"first_name": "Noé", "last_name": "Lambert", "email": "noe.lambert@exemple.fr"},
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"employer": ["Vous ne pouvez inscrire que les salariés de votre entreprise."]}
    assert not Candidate.objects.filter(last_name="Lambert").exists()


def test_certifier_staff_enrol_someone_on_their_certification_only(api, world):
    api.force_authenticate(world["a"]["certifier_staff"])
    body = {
        "path": "TRAINING",
        "situation": "JOB_SEEKER",
        "funding": "FRANCE_TRAVAIL",
        "candidate": {"first_name": "Sam", "last_name": "Petit", "email": "sam.petit@exemple.fr"},
    }

    made = api.post(LIST, {**body, "certification": world["a"]["certification"].code}, format="json")
    refused = api.post(LIST, {**body, "certification": world["b"]["certification"].code}, format="json")

    assert made.status_code == 201, made.content
    assert made.json()["certifier"] == world["a"]["certifier"].siret
    assert refused.status_code == 400
    assert refused.json() == {"certification": ["Cette certification n'est pas délivrée par votre certificateur."]}
    assert Candidacy.objects.filter(certification=world["b"]["certification"]).count() == 1


def test_a_training_org_cannot_enrol_someone(api, world):
    api.force_authenticate(world["a"]["training_org"])

    response = api.post(
        LIST,
        {
            "certification": world["a"]["certification"].code,
            "path": "TRAINING",
            "situation": "EMPLOYEE",
            "candidate": {"first_name": "Sam", "last_name": "Petit", "email": "sam.petit@exemple.fr"},
        },
        format="json",
    )

    assert response.status_code == 403
    assert "n'envoyez pas « candidate »" in response.json()["detail"]
    assert not Candidate.objects.filter(last_name="Petit").exists()


def test_bad_bodies_get_a_message_per_field_and_write_nothing(api, world):
    user = UserFactory()
    api.force_authenticate(user)

    response = api.post(
        LIST,
        {
            "certification": "RNCP00000",
            "path": "BOAT",
            "situation": "EMPLOYEE",
            "experience_periods": [{"start": "hier", "job_title": "x"}],
        },
        format="json",
    )

    assert response.status_code == 400
    errors = response.json()
    assert errors["certification"] == ["Certification inconnue : « RNCP00000 ». / Unknown certification: RNCP00000."]
    assert set(errors) == {"certification", "path", "experience_periods"}
    assert not Candidate.objects.filter(user=user).exists()


def test_the_service_refusals_come_back_under_their_keys_and_nothing_is_written(api, world):
    expired = CertificationFactory(expired=True)
    expired.certifiers.add(world["a"]["certifier"])
    user = UserFactory()
    api.force_authenticate(user)
    before = Candidacy.objects.count()

    response = api.post(
        LIST,
        {"certification": expired.code, "path": "TRAINING", "situation": "EMPLOYEE", "funding": "CPF"},
        format="json",
    )
    unknown_block = api.post(
        LIST,
        {
            "certification": world["a"]["certification"].code,
            "path": "TRAINING",
            "situation": "EMPLOYEE",
            "funding": "CPF",
            "blocks": ["RNCP1BC09"],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "n'est plus active" in response.json()["certification"][0]
    assert unknown_block.status_code == 400
    assert "Blocs inconnus pour cette certification : RNCP1BC09." in unknown_block.json()["blocks"]
    assert Candidacy.objects.count() == before
    # The candidate record made for the caller went with the refused candidacy.
    assert not Candidate.objects.filter(user=user).exists()


def test_a_tutor_of_another_employer_is_refused(api, world):
    api.force_authenticate(world["a"]["employer_member"])

    response = api.post(
        LIST,
        {
            "certification": world["a"]["certification"].code,
            "path": "TRAINING",
            "situation": "EMPLOYEE",
            "funding": "CONTRAT_PRO",
            "tutor": TutorFactory(employer=world["b"]["employer"]).pk,
            "candidate": {"first_name": "Noé", "last_name": "Lambert", "email": "noe.lambert@exemple.fr"},
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"tutor": ["Le tuteur doit appartenir à l'entreprise du candidat."]}


def test_a_caller_without_names_is_asked_for_them(api, world):
    api.force_authenticate(UserFactory(first_name="", last_name=""))

    response = api.post(
        LIST,
        {"certification": world["a"]["certification"].code, "path": "TRAINING", "situation": "YOUNG"},
        format="json",
    )

    assert response.status_code == 400
    assert "prénom et nom" in response.json()["candidate"][0]


# Transitions and trail --------------------------------------------------------------------------------


def test_transitions_move_the_candidacy_and_answer_with_it(api, world):
    mine = world["a"]["candidacy"]
    api.force_authenticate(world["a"]["candidate"])
    submitted = api.post(detail(mine.pk, "transitions/"), {"name": "submit"}, format="json")
    api.force_authenticate(world["a"]["certifier_staff"])
    admitted = api.post(
        detail(mine.pk, "transitions/"), {"name": "declare_admissible", "comment": "Dossier complet"}, format="json"
    )

    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == "SUBMITTED"
    assert admitted.status_code == 200
    assert admitted.json()["state"] == "ADMISSIBLE"
    assert admitted.json()["available_transitions"] == ["record_positioning", "withdraw"]


def test_a_transition_not_possible_now_is_refused_with_its_reason(api, world):
    mine = world["a"]["candidacy"]
    api.force_authenticate(world["a"]["certifier_staff"])

    response = api.post(detail(mine.pk, "transitions/"), {"name": "deliver"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["« Délivrer » n'est pas possible quand la candidature est « Brouillon »."]
    }
    assert Candidacy.objects.get(pk=mine.pk).state == "DRAFT"


def test_a_transition_whose_conditions_fail_gives_every_reason(api, world):
    draft = candidacy(
        candidate=CandidateFactory(),
        certification=world["a"]["certification"],
        path="VAE",
        funding="",
        experience_periods=[
            {"start": datetime.date(2025, 1, 1), "end": datetime.date(2025, 3, 31), "job_title": "Opératrice"}
        ],
    )
    api.force_authenticate(draft.candidate.user)

    response = api.post(detail(draft.pk, "transitions/"), {"name": "submit"}, format="json")

    assert response.status_code == 400
    assert any("au moins un an d'expérience" in message for message in response.json()["non_field_errors"])
    assert Candidacy.objects.get(pk=draft.pk).state == "DRAFT"
    assert CandidacyEvent.objects.filter(candidacy=draft).count() == 1


def test_a_role_that_may_not_apply_a_transition_gets_403(api, world):
    mine = world["a"]["candidacy"]
    api.force_authenticate(world["a"]["candidate"])
    api.post(detail(mine.pk, "transitions/"), {"name": "submit"}, format="json")

    response = api.post(detail(mine.pk, "transitions/"), {"name": "declare_admissible"}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "Vous ne pouvez pas effectuer cette action sur cette candidature."}


def test_unknown_or_missing_transition_names_and_missing_reasons_are_400(api, world):
    mine = world["a"]["candidacy"]
    api.force_authenticate(world["a"]["candidate"])

    unknown = api.post(detail(mine.pk, "transitions/"), {"name": "teleport"}, format="json")
    missing = api.post(detail(mine.pk, "transitions/"), {}, format="json")
    no_reason = api.post(detail(mine.pk, "transitions/"), {"name": "withdraw"}, format="json")

    assert unknown.status_code == 400 and "Action inconnue : « teleport »" in unknown.json()["name"][0]
    assert missing.status_code == 400 and "name" in missing.json()
    assert no_reason.status_code == 400
    assert "motif" in no_reason.json()["non_field_errors"][0]


def test_the_history_says_who_when_from_to_and_why(api, world):
    mine = world["a"]["candidacy"]
    candidate = world["a"]["candidate"]
    staff = world["a"]["certifier_staff"]
    api.force_authenticate(candidate)
    api.post(detail(mine.pk, "transitions/"), {"name": "submit"}, format="json")
    api.force_authenticate(staff)
    api.post(
        detail(mine.pk, "transitions/"), {"name": "declare_inadmissible", "comment": "Pièces manquantes"}, format="json"
    )

    api.force_authenticate(candidate)
    response = api.get(detail(mine.pk, "history/"))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    rows = [(r["name"], r["from"], r["to"], r["why"], r["who"]["id"]) for r in body["results"]]
    assert rows == [
        ("create", "", "DRAFT", "", candidate.pk),
        ("submit", "DRAFT", "SUBMITTED", "", candidate.pk),
        ("declare_inadmissible", "SUBMITTED", "INADMISSIBLE", "Pièces manquantes", staff.pk),
    ]
    assert body["results"][2]["who"]["name"] == staff.get_full_name()
    assert body["results"][2]["label"] == "Déclarer non recevable"
    assert all(r["when"] for r in body["results"])


# Filters and cursor ----------------------------------------------------------------------------------


def test_filters_narrow_the_list(api, world):
    api.force_authenticate(world["admin"])
    a, b = world["a"]["candidacy"], world["b"]["candidacy"]
    vae = candidacy(certification=world["b"]["certification"], path="VAE", funding="")
    Candidacy.objects.filter(pk=a.pk).update(state="SUBMITTED", created_at=timezone.now() - datetime.timedelta(days=40))

    assert ids(api.get(LIST)) == [vae.pk, b.pk, a.pk]
    assert ids(api.get(LIST, {"state": "SUBMITTED"})) == [a.pk]
    assert ids(api.get(LIST, {"state": "draft"})) == [vae.pk, b.pk]
    assert ids(api.get(LIST, {"path": "VAE"})) == [vae.pk]
    assert ids(api.get(LIST, {"certification": world["b"]["certification"].code})) == [vae.pk, b.pk]
    assert ids(api.get(LIST, {"certifier": world["a"]["certifier"].siret})) == [a.pk]
    since = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    assert ids(api.get(LIST, {"created_after": since})) == [vae.pk, b.pk]
    assert ids(api.get(LIST, {"created_before": since})) == [a.pk]
    assert ids(api.get(LIST, {"certifier": "00000000000000"})) == []


@pytest.mark.parametrize(
    ("name", "value", "start"),
    [
        ("state", "FLYING", "État invalide"),
        ("path", "BOAT", "Voie invalide"),
        ("certification", "RNCP 1; DROP", "Certification invalide"),
        ("certifier", "123", "Certificateur invalide"),
        ("created_after", "31/12/2025", "Date invalide pour « created_after »"),
        ("created_before", "2025-13-45", "Date invalide pour « created_before »"),
        ("page_size", "1000", "Taille de page invalide"),
        ("cursor", "pas-un-curseur", "Curseur invalide"),
    ],
)
def test_bad_filter_values_are_400_in_french_and_english(api, world, name, value, start):
    api.force_authenticate(world["admin"])

    response = api.get(LIST, {name: value})

    assert response.status_code == 400
    message = response.json()[name][0]
    assert message.startswith(start) and " / " in message


def test_an_empty_date_range_is_refused(api, world):
    api.force_authenticate(world["admin"])

    response = api.get(LIST, {"created_after": "2026-02-01", "created_before": "2026-01-01"})

    assert response.status_code == 400
    assert "created_before" in response.json()


def test_a_forged_cursor_position_is_refused(api, world):
    import base64

    api.force_authenticate(world["admin"])
    cursor = base64.b64encode(b"p=not-a-date").decode()

    response = api.get(LIST, {"cursor": cursor})

    assert response.status_code == 400
    assert "Curseur invalide" in response.json()["cursor"][0]


def test_the_cursor_walks_every_candidacy_once_newest_first(api, world):
    certification = world["a"]["certification"]
    for _ in range(5):
        candidacy(certification=certification)
    api.force_authenticate(world["a"]["certifier_staff"])
    expected = list(Candidacy.objects.filter(certifier=world["a"]["certifier"]).values_list("pk", flat=True))

    seen, url, pages = [], LIST + "?page_size=2", 0
    while url:
        body = api.get(url).json()
        assert set(body) == {"next", "previous", "results"}
        seen += [row["id"] for row in body["results"]]
        url, pages = body["next"], pages + 1

    assert seen == expected
    assert pages == 3
    assert len(expected) == 6


# Changes to a draft ---------------------------------------------------------------------------------


def test_the_candidate_changes_their_draft(api, world):
    mine = world["a"]["candidacy"]
    code = world["a"]["certification"].code
    api.force_authenticate(world["a"]["candidate"])

    response = api.patch(
        detail(mine.pk),
        {
            "situation": "JOB_SEEKER",
            "funding": "CPF",
            "employer": None,
            "blocks": [f"{code}BC03"],
            "experience_periods": [{"start": "2019-05-01", "job_title": "Soudeur"}],
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["situation"], body["funding"], body["employer"]) == ("JOB_SEEKER", "CPF", None)
    assert [b["code"] for b in body["blocks"]] == [f"{code}BC03"]
    assert body["experience_periods"] == [
        {"start": "2019-05-01", "end": None, "job_title": "Soudeur", "employer_name": ""}
    ]
    assert CandidacyEvent.objects.filter(candidacy=mine, name="update").exists()
    history = api.get(detail(mine.pk, "history/")).json()["results"]
    assert history[-1]["label"] == "Modification du brouillon"


def test_only_the_fields_sent_change(api, world):
    mine = world["a"]["candidacy"]
    api.force_authenticate(world["a"]["certifier_staff"])

    body = api.patch(detail(mine.pk), {"situation": "YOUNG"}, format="json").json()

    assert (body["situation"], body["funding"]) == ("YOUNG", "PLAN")
    assert body["employer"]["id"] == world["a"]["employer"].pk
    assert len(body["blocks"]) == 3


def test_a_submitted_candidacy_is_no_longer_changed(api, world):
    mine = world["a"]["candidacy"]
    api.force_authenticate(world["a"]["candidate"])
    api.post(detail(mine.pk, "transitions/"), {"name": "submit"}, format="json")

    response = api.patch(detail(mine.pk), {"situation": "YOUNG"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Seul un brouillon se modifie : cette candidature est « Déposée »."]
    }
    assert Candidacy.objects.get(pk=mine.pk).situation == "EMPLOYEE"


def test_an_assigned_training_org_may_read_but_not_change_a_draft(api, world):
    mine = world["a"]["candidacy"]
    api.force_authenticate(world["a"]["training_org"])

    response = api.patch(detail(mine.pk), {"situation": "YOUNG"}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "Vous ne pouvez pas modifier cette candidature."}


def test_bad_changes_are_refused_under_their_keys(api, world):
    mine = world["a"]["candidacy"]
    api.force_authenticate(world["a"]["candidate"])

    shape = api.patch(detail(mine.pk), {"funding": "LOTTERY", "tutor": "x"}, format="json")
    rule = api.patch(detail(mine.pk), {"tutor": TutorFactory(employer=world["b"]["employer"]).pk}, format="json")

    assert shape.status_code == 400 and set(shape.json()) == {"funding", "tutor"}
    assert rule.status_code == 400
    assert rule.json() == {"tutor": ["Le tuteur doit appartenir à l'entreprise du candidat."]}


# Documents ------------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_candidate_uploads_a_document_checked_by_its_content(api, world, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    mine = world["a"]["candidacy"]
    api.force_authenticate(world["a"]["candidate"])
    pdf = SimpleUploadedFile("attestation.pdf", b"%PDF-1.7\n1 0 obj\n", content_type="application/pdf")
    fake = SimpleUploadedFile("photo.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    stored = api.post(detail(mine.pk, "documents/"), {"kind": "EXPERIENCE", "file": pdf}, format="multipart")
    refused = api.post(detail(mine.pk, "documents/"), {"kind": "EXPERIENCE", "file": fake}, format="multipart")
    bad_kind = api.post(
        detail(mine.pk, "documents/"),
        {"kind": "SELFIE", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.7\n")},
        format="multipart",
    )

    assert stored.status_code == 201, stored.content
    row = stored.json()
    assert (row["kind"], row["original_name"], row["content_type"]) == (
        "EXPERIENCE",
        "attestation.pdf",
        "application/pdf",
    )
    assert refused.status_code == 400 and refused.json()["file"]
    assert bad_kind.status_code == 400 and "Nature de pièce inconnue" in bad_kind.json()["kind"][0]
    listing = api.get(detail(mine.pk, "documents/")).json()
    assert [d["id"] for d in listing["results"]] == [row["id"]]
    served = api.get(row["download_url"])
    assert b"".join(served.streaming_content) == b"%PDF-1.7\n1 0 obj\n"


# Schema ---------------------------------------------------------------------------------------------


def test_the_schema_declares_every_candidacy_endpoint_with_its_fixed_fields(tmp_path):
    import json

    from django.core.management import call_command

    path = tmp_path / "openapi.json"
    call_command("spectacular", "--fail-on-warn", "--validate", "--format", "openapi-json", "--file", str(path))
    openapi = json.loads(path.read_text())
    paths = openapi["paths"]

    assert set(paths[LIST]) - {"parameters"} == {"get", "post"}
    assert set(paths["/api/v1/candidacies/{id}/"]) - {"parameters"} == {"get", "patch"}
    assert set(paths["/api/v1/candidacies/{id}/transitions/"]) == {"post"}
    assert set(paths["/api/v1/candidacies/{id}/history/"]) == {"get"}
    assert set(paths["/api/v1/candidacies/{id}/documents/"]) == {"get", "post"}
    parameters = {p["name"] for p in paths[LIST]["get"]["parameters"]}
    assert {"state", "path", "certification", "certifier", "created_after", "created_before"} <= parameters
    assert {"cursor", "page_size"} <= parameters
    candidacy_schema = openapi["components"]["schemas"]["Candidacy"]
    fixed = {"id", "candidate", "certification", "path", "state", "available_transitions", "blocks"}
    assert fixed <= set(candidacy_schema["required"])
    block = openapi["components"]["schemas"]["CandidacyBlock"]
    assert {"code", "status"} <= set(block["properties"])
    event = openapi["components"]["schemas"]["CandidacyEvent"]
    assert {"who", "when", "name", "from", "to", "why"} <= set(event["properties"])
    assert {"400", "401", "403", "404"} <= set(paths["/api/v1/candidacies/{id}/transitions/"]["post"]["responses"])
    assert paths[LIST]["get"]["security"]
