"""A person sees and downloads what the platform holds about them, and nothing about anyone else."""

import json
from datetime import date

import pytest
from django.urls import reverse

from cqp.accounts.enums import Role
from cqp.accounts.services import personal_data_export
from cqp.candidacies import services as candidacy_services
from cqp.candidacies.models import Document, Message
from tests.candidacies.factories import (
    CandidateFactory,
    OrganisationFactory,
    candidacy,
    certification_with_blocks,
    certifier_staff,
    member,
)

from .conftest import make_user, text

pytestmark = pytest.mark.django_db


def person_with_a_candidacy(email, first_name, last_name):
    user = make_user(email, first_name=first_name, last_name=last_name)
    member(user, Role.CANDIDATE)
    candidate = CandidateFactory(user=user, birth_date=date(1990, 5, 17))
    made = candidacy(
        candidate=candidate,
        certification=certification_with_blocks(blocks=2),
        path="VAE",
        funding="",
        experience_periods=[
            {"start": date(2020, 1, 1), "end": date(2024, 12, 31), "job_title": f"Poste de {first_name}"}
        ],
    )
    Message.objects.create(candidacy=made, author=user, body=f"Question de {first_name}")
    Document.objects.create(
        candidacy=made,
        kind="OTHER",
        file=f"candidacies/{made.pk}/x",
        original_name=f"cv-{first_name}.pdf",
        content_type="application/pdf",
        size=2048,
        uploaded_by=user,
    )
    return user, made


@pytest.fixture
def two_people():
    return person_with_a_candidacy("lea@exemple.fr", "Léa", "Moreau"), person_with_a_candidacy(
        "yanis@exemple.fr", "Yanis", "Benali"
    )


def test_the_export_holds_the_person_own_data(two_people, django_assert_max_num_queries):
    (lea, lea_candidacy), (yanis, yanis_candidacy) = two_people
    staff = certifier_staff(lea_candidacy.certifier, email="staff@exemple.fr", last_name="Agent")
    candidacy_services.candidacy_transition(candidacy=lea_candidacy, name="submit", by=lea)
    Message.objects.create(candidacy=lea_candidacy, author=staff, body="Réponse du certificateur")

    with django_assert_max_num_queries(12):
        data = personal_data_export(user=lea)

    assert data["account"]["email"] == "lea@exemple.fr"
    assert [m["role"] for m in data["memberships"]] == ["candidate"]
    assert data["candidate"]["last_name"] == "Moreau" and data["candidate"]["birth_date"] == "1990-05-17"
    [exported] = data["candidacies"]
    assert exported["id"] == lea_candidacy.pk and exported["path"] == "VAE" and exported["state"] == "SUBMITTED"
    assert len(exported["blocks"]) == 2
    assert [(e["name"], e["by_me"]) for e in exported["events"]] == [("create", True), ("submit", True)]
    assert exported["experience_periods"][0]["job_title"] == "Poste de Léa"
    assert exported["documents"] == [
        {
            "kind": "OTHER",
            "original_name": "cv-Léa.pdf",
            "content_type": "application/pdf",
            "size": 2048,
            "uploaded_at": exported["documents"][0]["uploaded_at"],
            "uploaded_by_me": True,
        }
    ]
    assert [m["body"] for m in data["messages_written"]] == ["Question de Léa"]
    # Nothing of anyone else: not Yanis, not the certifier's agent by name.
    dumped = json.dumps(data, ensure_ascii=False)
    for foreign in ["Yanis", "Benali", "yanis@exemple.fr", "staff@exemple.fr", "Agent", "Réponse du certificateur"]:
        assert foreign not in dumped


def test_staff_without_candidacies_gets_their_account_and_memberships():
    employer = OrganisationFactory(name="Forges de Lorraine")
    user = member(make_user("rh@forges.example"), Role.EMPLOYER, organisation=employer)
    data = personal_data_export(user=user)
    assert data["candidate"] is None and data["candidacies"] == []
    assert data["memberships"][0]["organisation"]["name"] == "Forges de Lorraine"


def test_my_data_page_and_download(client, two_people):
    (lea, _), (yanis, _) = two_people
    url = reverse("accounts:my_data")
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    assert client.get(reverse("accounts:my_data_download"))["Location"].startswith(reverse("accounts:login"))

    client.force_login(lea)
    page = text(client.get(url))
    assert "Mes données" in page and "lea@exemple.fr" in page and "cv-Léa.pdf" in page
    assert "Yanis" not in page and reverse("accounts:my_data_download") in page

    response = client.get(reverse("accounts:my_data_download"))
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-cqp-')
    data = json.loads(response.content)
    assert data["account"]["email"] == "lea@exemple.fr"
    assert "yanis@exemple.fr" not in response.content.decode()


def test_the_page_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    lea, _ = person_with_a_candidacy("lea@exemple.fr", "Léa", "Moreau")
    for _n in range(3):
        candidacy(candidate=lea.candidate, certification=certification_with_blocks(blocks=3))
    client.force_login(lea)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("accounts:my_data"))
    assert response.status_code == 200 and len(response.context["data"]["candidacies"]) == 4
