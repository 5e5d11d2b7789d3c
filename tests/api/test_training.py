"""Positioning and training plan through the API: scoped reads, writes by the right roles, French refusals."""

import pytest
from rest_framework.test import APIClient

from cqp.accounts.enums import Role
from tests.assessments.training_helpers import PLAN_END, PLAN_START, admissible, codes, people, position, propose
from tests.candidacies.factories import OrganisationFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def client(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def url(candidacy, tail):
    return f"/api/v1/candidacies/{candidacy.pk}/{tail}"


def test_the_training_org_records_then_revises_the_positioning():
    candidacy = admissible(blocks=2)
    org = client(people(candidacy)["training_org"])
    first, second = codes(candidacy)
    body = {
        "results": [
            {"block": first, "result": "ACQUIRED", "comment": "Trois ans au poste"},
            {"block": second, "result": "TO_ACQUIRE"},
        ],
        "comment": "Entretien",
    }

    created = org.post(url(candidacy, "positioning/"), body, format="json")

    assert created.status_code == 201, created.content
    data = created.json()
    assert data["current"]["version"] == 1
    assert data["remaining_blocks"] == [second]
    assert {r["block"]: r["result"] for r in data["current"]["results"]} == {first: "ACQUIRED", second: "TO_ACQUIRE"}
    assert client(candidacy.candidate.user).get(f"/api/v1/candidacies/{candidacy.pk}/").json()["state"] == "POSITIONED"

    refused = org.post(url(candidacy, "positioning/"), body, format="json")
    assert refused.status_code == 400
    assert "motif de la révision" in " ".join(refused.json()["non_field_errors"])

    body["revision_reason"] = "Erreur de saisie"
    body["results"][0]["result"] = "TO_ACQUIRE"
    revised = org.post(url(candidacy, "positioning/"), body, format="json").json()
    assert [p["version"] for p in revised["history"]] == [2, 1]
    assert revised["remaining_blocks"] == [first, second]


def test_everyone_who_sees_the_candidacy_reads_the_positioning_and_others_get_404():
    candidacy = admissible(blocks=2)
    who = people(candidacy)
    position(candidacy, who["training_org"], "ACQUIRED", "TO_ACQUIRE")
    for role, user in who.items():
        response = client(user).get(url(candidacy, "positioning/"))
        assert response.status_code == 200, role
        assert response.json()["current"]["version"] == 1
    outsider = member(UserFactory(), Role.TRAINING_ORG, organisation=OrganisationFactory(training_org=True))
    for tail in ("positioning/", "training-plan/", "training-plan/accept/"):
        assert client(outsider).get(url(candidacy, tail)).status_code in (404, 405)
        assert client(outsider).post(url(candidacy, tail), {}, format="json").status_code == 404
    assert APIClient().get(url(candidacy, "positioning/")).status_code == 401


def test_the_candidate_may_not_position():
    candidacy = admissible(blocks=1)
    response = client(candidacy.candidate.user).post(
        url(candidacy, "positioning/"),
        {"results": [{"block": codes(candidacy)[0], "result": "ACQUIRED"}]},
        format="json",
    )
    assert response.status_code == 403


def plan_body(block, **extra):
    return {
        "modules": [{"block": block, "title": "Souder en sécurité", "hours": 70, "start": str(PLAN_START)}],
        "start": str(PLAN_START),
        "end": str(PLAN_END),
        "funding": "PLAN",
        **extra,
    }


def test_plan_proposed_then_accepted_by_the_candidate_and_the_employer():
    candidacy = admissible(blocks=2)
    who = people(candidacy)
    position(candidacy, who["training_org"], "ACQUIRED", "TO_ACQUIRE")
    first, second = codes(candidacy)
    org = client(who["training_org"])

    refused = org.post(url(candidacy, "training-plan/"), plan_body(first), format="json")
    assert refused.status_code == 400
    assert f"le bloc {first} ne reste pas à former" in " ".join(refused.json()["modules"])

    created = org.post(url(candidacy, "training-plan/"), plan_body(second), format="json")
    assert created.status_code == 201, created.content
    plan = created.json()["current"]
    assert (plan["version"], plan["status"], plan["pending_acceptances"]) == (1, "PROPOSED", ["candidate", "employer"])
    assert [m["block"] for m in plan["modules"]] == [second]

    assert org.post(url(candidacy, "training-plan/accept/")).status_code == 403
    after_candidate = client(who["candidate"]).post(url(candidacy, "training-plan/accept/")).json()
    assert after_candidate["current"]["pending_acceptances"] == ["employer"]
    accepted = client(who["employer"]).post(url(candidacy, "training-plan/accept/"))
    assert accepted.status_code == 200
    assert accepted.json()["current"]["status"] == "ACCEPTED"
    again = client(who["candidate"]).post(url(candidacy, "training-plan/accept/"))
    assert again.status_code == 400


def test_plan_refusals_are_400_in_french():
    candidacy = admissible(blocks=1)
    who = people(candidacy)
    org = client(who["training_org"])
    (code,) = codes(candidacy)
    early = org.post(url(candidacy, "training-plan/"), plan_body(code), format="json")
    assert early.status_code == 400
    assert "après le positionnement" in early.json()["non_field_errors"][0]
    assert org.post(url(candidacy, "training-plan/accept/")).json()["non_field_errors"] == [
        "Aucun parcours n'a été proposé."
    ]
    position(candidacy, who["training_org"], "TO_ACQUIRE")
    foreign_tutor = org.post(url(candidacy, "training-plan/"), plan_body(code, tutor=999999), format="json")
    assert foreign_tutor.status_code == 400 and "tuteur" in foreign_tutor.json()["tutor"][0]
    bad_funding = org.post(url(candidacy, "training-plan/"), plan_body(code, funding="LOTO"), format="json")
    assert bad_funding.json()["funding"] == ["Choisissez un financement de la liste."]


def test_the_plan_reads_with_its_history():
    candidacy = admissible(blocks=2)
    who = people(candidacy)
    position(candidacy, who["training_org"], "ACQUIRED", "TO_ACQUIRE")
    propose(candidacy, who["training_org"], [codes(candidacy)[1]])
    propose(candidacy, who["training_org"], [codes(candidacy)[1]])
    data = client(who["assessor"]).get(url(candidacy, "training-plan/")).json()
    assert data["current"]["version"] == 2
    assert [(p["version"], p["status"]) for p in data["history"]] == [(2, "PROPOSED"), (1, "SUPERSEDED")]


def test_positioning_evidence_through_the_api():
    from tests.assessments.test_positioning import document_of

    candidacy = admissible(blocks=1)
    org = client(people(candidacy)["training_org"])
    (code,) = codes(candidacy)
    proof = document_of(candidacy, candidacy.candidate.user)
    refused = org.post(
        url(candidacy, "positioning/"),
        {"results": [{"block": code, "result": "ACQUIRED", "evidence": 999999}]},
        format="json",
    )
    assert refused.status_code == 400
    assert "pièce déposée sur cette candidature" in refused.json()["results"][0]
    created = org.post(
        url(candidacy, "positioning/"),
        {"results": [{"block": code, "result": "ACQUIRED", "evidence": proof.pk}]},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["current"]["results"][0]["evidence"] == proof.pk


def test_the_training_org_starts_and_records_progress_through_the_api():
    from django.utils import timezone

    candidacy = admissible(blocks=2, funding="PERSONAL")
    who = people(candidacy)
    position(candidacy, who["training_org"], "ACQUIRED", "TO_ACQUIRE")
    plan = propose(candidacy, who["training_org"], [codes(candidacy)[1]], funding="PERSONAL")
    module = plan.modules.get()
    org = client(who["training_org"])
    progress = url(candidacy, f"training-plan/modules/{module.pk}/progress/")

    early = org.post(url(candidacy, "training-plan/start/"))
    assert early.status_code == 400 and "Seul un parcours accepté commence" in early.json()["non_field_errors"][0]
    client(who["candidate"]).post(url(candidacy, "training-plan/accept/"))
    assert client(who["candidate"]).post(url(candidacy, "training-plan/start/")).status_code == 403
    started = org.post(url(candidacy, "training-plan/start/"))
    assert started.status_code == 200 and started.json()["current"]["status"] == "IN_PROGRESS"

    too_many = org.post(progress, {"hours_attended": 99}, format="json")
    assert too_many.status_code == 400 and "de 0 à 35" in too_many.json()["hours_attended"][0]
    assert client(who["candidate"]).post(progress, {"hours_attended": 1}, format="json").status_code == 403
    assert org.post(url(candidacy, "training-plan/modules/999999/progress/"), {}, format="json").status_code == 404
    done = org.post(progress, {"hours_attended": 35, "completed_on": str(timezone.localdate())}, format="json")
    assert done.status_code == 200
    assert done.json()["current"]["status"] == "COMPLETED"
    assert done.json()["current"]["modules"][0]["hours_attended"] == 35
