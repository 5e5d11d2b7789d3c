"""The certifier's accrochage pages: who may open them, completing a holder, producing and downloading."""

import pytest
from django.urls import reverse

from cqp.accounts.enums import Role
from cqp.accrochage.models import AccrochageFile
from cqp.awards import services as awards
from cqp.core.models import AuditEvent
from tests.candidacies.factories import OrganisationFactory, UserFactory, certifier_staff, member
from tests.catalogue.factories import CertifierFactory

from .conftest import complete


def period(certifier, today):
    return {"certifier": certifier.pk, "start": today.isoformat(), "end": today.isoformat()}


def test_staff_complete_a_holder_then_produce_and_download(delivered, today, client):
    award_list, staff = delivered
    certifier = award_list[0].certifier
    candidate = award_list[0].candidacy.candidate
    complete(candidate, sex="")
    client.force_login(staff)
    page = client.get(reverse("www:accrochage"), period(certifier, today))
    assert page.status_code == 200
    content = page.content.decode()
    assert award_list[0].number in content
    assert "Produire le fichier" not in content
    holder_url = reverse("www:accrochage_holder", args=[candidate.pk])
    assert holder_url in content
    data = {
        "first_name": candidate.first_name,
        "other_first_names": "",
        "last_name": candidate.last_name,
        "usage_name": "",
        "sex": "M",
        "birth_date": "1990-04-12",
        "birth_country": "",
        "birth_insee_code": "31555",
        "birth_postal_code": "",
        "birth_city": "Toulouse",
    }
    assert client.post(holder_url, data).status_code == 302
    event = AuditEvent.objects.get(action="candidate.identity_updated", object_id=str(candidate.pk))
    assert event.actor_id == staff.pk and "certificateur" in event.reason
    page = client.get(reverse("www:accrochage"), period(certifier, today)).content.decode()
    assert "Produire le fichier" in page
    response = client.post(reverse("www:accrochage_produce"), period(certifier, today))
    assert response.status_code == 302
    record = AccrochageFile.objects.get()
    page = client.get(reverse("www:accrochage"), period(certifier, today)).content.decode()
    assert reverse("www:accrochage_download", args=[record.pk]) in page
    download = client.get(reverse("www:accrochage_download", args=[record.pk]))
    assert download.status_code == 200
    assert b"passageCertification" in b"".join(download.streaming_content)
    awards.award_revoke(award=award_list[2], by=staff, reason="Fraude établie.")
    page = client.get(reverse("www:accrochage"), period(certifier, today)).content.decode()
    assert award_list[2].number in page
    assert client.post(reverse("www:accrochage_corrected", args=[award_list[2].pk])).status_code == 302
    assert AuditEvent.objects.filter(action="accrochage.correction_recorded").exists()


@pytest.mark.parametrize("who", ["other_staff", "candidate", "employer", "admin"])
def test_pages_are_the_certifier_staff_only(delivered, today, client, who):
    award_list, staff = delivered
    certifier = award_list[0].certifier
    client.force_login(staff)
    client.post(reverse("www:accrochage_produce"), period(certifier, today))
    record = AccrochageFile.objects.get()
    client.logout()
    users = {
        "other_staff": lambda: certifier_staff(CertifierFactory()),
        "candidate": lambda: award_list[0].candidacy.candidate.user,
        "employer": lambda: member(UserFactory(), Role.EMPLOYER, organisation=OrganisationFactory()),
        "admin": lambda: UserFactory(is_superuser=True, is_staff=True),
    }
    client.force_login(users[who]())
    candidate = award_list[0].candidacy.candidate
    home = client.get(reverse("www:accrochage"), period(certifier, today))
    if who == "other_staff":
        # Their own certifier's page opens; the foreign certifier is not among the choices.
        assert home.status_code == 200
        assert award_list[1].number not in home.content.decode()
        assert client.post(reverse("www:accrochage_produce"), period(certifier, today)).status_code == 302
    else:
        assert home.status_code == 404
        assert client.post(reverse("www:accrochage_produce"), period(certifier, today)).status_code == 404
    assert client.get(reverse("www:accrochage_download", args=[record.pk])).status_code == 404
    assert client.get(reverse("www:accrochage_holder", args=[candidate.pk])).status_code == 404
    assert client.post(reverse("www:accrochage_corrected", args=[award_list[0].pk])).status_code == 404
    assert AccrochageFile.objects.count() == 1


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(reverse("www:accrochage")).status_code == 302


def test_dashboard_links_the_page(delivered, client):
    _award_list, staff = delivered
    client.force_login(staff)
    assert reverse("www:accrochage") in client.get(reverse("www:dashboard")).content.decode()


def test_page_queries_do_not_grow_with_rows(delivered, today, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    award_list, staff = delivered
    certifier = award_list[0].certifier
    client.force_login(staff)
    complete(award_list[0].candidacy.candidate, sex="")
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("www:accrochage"), period(certifier, today))
    for award in award_list:
        complete(award.candidacy.candidate, sex="")
    with CaptureQueriesContext(connection) as three:
        page = client.get(reverse("www:accrochage"), period(certifier, today))
    assert all(award.number in page.content.decode() for award in award_list)
    assert len(three) == len(one)
