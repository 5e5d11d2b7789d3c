"""Platform administrators manage organisations and who belongs to them in the admin."""

import pytest
from django.urls import reverse

from cqp.accounts.enums import OrganisationKind, Role
from cqp.accounts.models import Membership, Organisation
from tests.candidacies.factories import OrganisationFactory, certification_with_blocks, member

from .conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("admin@exemple.fr", is_staff=True, is_superuser=True))
    return client


def test_organisation_pages_open_with_their_memberships(admin_client):
    centre = OrganisationFactory(assessment_centre=True, name="Centre d'évaluation Est")
    centre.accredited_certifications.add(certification_with_blocks())
    member(
        make_user("evaluatrice@exemple.fr", first_name="Évelyne", last_name="Roux"), Role.ASSESSOR, organisation=centre
    )
    OrganisationFactory(name="Forges de Lorraine")

    listing = admin_client.get(reverse("admin:accounts_organisation_changelist"))
    assert listing.status_code == 200
    assert (
        "Centre d&#x27;évaluation Est" in listing.content.decode() and "Forges de Lorraine" in listing.content.decode()
    )

    filtered = admin_client.get(
        reverse("admin:accounts_organisation_changelist"), {"kind__exact": OrganisationKind.ASSESSMENT_CENTRE}
    ).content.decode()
    assert "Centre d&#x27;évaluation Est" in filtered and "Forges de Lorraine" not in filtered

    change = admin_client.get(reverse("admin:accounts_organisation_change", args=[centre.pk]))
    assert change.status_code == 200 and "Évelyne Roux" in change.content.decode()
    for name in ["accounts_organisation_add", "accounts_membership_changelist", "accounts_user_changelist"]:
        assert admin_client.get(reverse(f"admin:{name}")).status_code == 200
    assert (
        admin_client.get(
            reverse("admin:accounts_membership_changelist"), {"organisation__kind__exact": "ASSESSMENT_CENTRE"}
        ).status_code
        == 200
    )


def test_an_administrator_attaches_a_person_to_an_organisation(admin_client):
    employer = OrganisationFactory(name="Forges de Lorraine")
    person = make_user("rh@forges.example")
    url = reverse("admin:accounts_organisation_change", args=[employer.pk])
    response = admin_client.post(
        url,
        {
            "kind": OrganisationKind.EMPLOYER,
            "name": "Forges de Lorraine",
            "siret": employer.siret,
            "email": "",
            "city": "Metz",
            "idcc": "",
            "branch": "",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-user": str(person.pk),
            "memberships-0-role": Role.EMPLOYER,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert Membership.objects.filter(user=person, organisation=employer, role=Role.EMPLOYER).exists()
    assert Organisation.objects.get(pk=employer.pk).city == "Metz"
