"""The export_accrochage command and the API endpoint: output, refusals, and who may produce the file."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import etree

from cqp.accounts.enums import Role
from cqp.accrochage import services
from cqp.accrochage.models import AccrochageFile
from cqp.catalogue.models import Certifier
from tests.candidacies.factories import OrganisationFactory, UserFactory, certifier_staff, member
from tests.catalogue.factories import CertifierFactory

from .conftest import complete

URL = "/api/v1/exports/accrochage/"


def test_command_writes_the_file(delivered, today, tmp_path):
    award_list, _staff = delivered
    siret = award_list[0].certifier.siret
    target = tmp_path / "out.xml"
    call_command("export_accrochage", "--certifier", siret, "--from", str(today), "--to", str(today), "-o", str(target))
    assert services.schema().validate(etree.parse(str(target)))


def test_command_writes_to_stdout_without_output(delivered, today, capsys):
    siret = delivered[0][0].certifier.siret
    call_command("export_accrochage", "--certifier", siret, "--from", str(today), "--to", str(today))
    assert b"passageCertification" in capsys.readouterr().out.encode()


def test_command_refusals(delivered, today):
    award_list, _staff = delivered
    siret = award_list[0].certifier.siret
    with pytest.raises(CommandError, match="Date invalide"):
        call_command("export_accrochage", "--certifier", siret, "--from", "31/12/2026", "--to", str(today))
    with pytest.raises(CommandError, match="Certificateur introuvable"):
        call_command("export_accrochage", "--certifier", "00000000000000", "--from", str(today), "--to", str(today))
    complete(award_list[0].candidacy.candidate, sex="")
    with pytest.raises(CommandError, match=award_list[0].number):
        call_command("export_accrochage", "--certifier", siret, "--from", str(today), "--to", str(today))
    assert not AccrochageFile.objects.exists()


def test_api_returns_the_file_to_the_certifier_staff(delivered, today, client):
    award_list, staff = delivered
    client.force_login(staff)
    siret = award_list[0].certifier.siret
    response = client.get(URL, {"certifier": siret, "from": str(today), "to": str(today)})
    assert response.status_code == 200, response.content
    assert "attachment" in response["Content-Disposition"]
    assert services.schema().validate(etree.fromstring(b"".join(response.streaming_content)))
    again = client.get(URL, {"certifier": siret, "from": str(today), "to": str(today)})
    assert again.status_code == 400
    assert "Aucune délivrance" in again.json()["detail"]


def test_api_bad_dates_and_missing_data(delivered, today, client):
    award_list, staff = delivered
    client.force_login(staff)
    siret = award_list[0].certifier.siret
    assert client.get(URL, {"certifier": siret, "from": "hier", "to": str(today)}).status_code == 400
    complete(award_list[1].candidacy.candidate, birth_date=None)
    response = client.get(URL, {"certifier": siret, "from": str(today), "to": str(today)})
    assert response.status_code == 400
    holder = str(award_list[1].candidacy.candidate)
    expected = [{"award": award_list[1].number, "holder": holder, "missing": ["date de naissance"]}]
    assert response.json()["missing"] == expected


@pytest.mark.parametrize("who", ["other_staff", "candidate", "admin", "employer", "anonymous"])
def test_api_is_the_certifier_staff_only(delivered, today, client, who):
    award_list, _staff = delivered
    certifier = award_list[0].certifier
    if who == "other_staff":
        client.force_login(certifier_staff(CertifierFactory()))
    elif who == "candidate":
        client.force_login(award_list[0].candidacy.candidate.user)
    elif who == "admin":
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
    elif who == "employer":
        client.force_login(member(UserFactory(), Role.EMPLOYER, organisation=OrganisationFactory()))
    response = client.get(URL, {"certifier": certifier.siret, "from": str(today), "to": str(today)})
    assert response.status_code == (401 if who == "anonymous" else 404), response.content
    assert not AccrochageFile.objects.exists()
    assert Certifier.objects.filter(siret=certifier.siret).exists()


def test_api_route_name():
    assert reverse("api:export-accrochage-list") == URL
