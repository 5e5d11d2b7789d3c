"""The statistics page: who sees it, its charts and tables, CSV/XLSX downloads, constant query count."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.candidacies.factories import candidacy as draft_candidacy
from tests.candidacies.factories import candidacy_in_state

pytestmark = pytest.mark.django_db

URL = reverse("www:statistics")


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "connexion" in response["Location"]


def test_other_roles_get_404(client, other_user, decided):
    from cqp.accounts.enums import Role
    from tests.candidacies.factories import OrganisationFactory, member

    client.force_login(other_user)
    assert client.get(URL).status_code == 404
    employer = member(other_user, Role.EMPLOYER, organisation=OrganisationFactory())
    client.force_login(employer)
    assert client.get(URL).status_code == 404
    # The candidate of a candidacy too.
    _, candidacies, _ = decided
    client.force_login(candidacies[0].candidate.user)
    assert client.get(URL).status_code == 404


def test_staff_sees_their_certifier_only(client, staff_user, decided, foreign):
    client.force_login(staff_user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["stats"].total == 3
    html = response.content.decode()
    foreign_certification = foreign[1][0].certification
    assert foreign_certification.code not in html
    assert 'role="img"' in html and "<title id=" in html
    assert '<th scope="col">' in html and '<th scope="row">' in html and "<caption>" in html
    assert "format=csv&amp;table=rates_certification" in html


def test_platform_admin_sees_everything(client, platform_admin, decided, foreign):
    client.force_login(platform_admin)
    response = client.get(URL)
    assert response.context["stats"].total == 4


def test_filters_in_the_query_string(client, staff_user, decided, foreign):
    _, candidacies, _ = decided
    client.force_login(staff_user)
    response = client.get(URL, {"date_from": "2000-01-01", "date_to": "2000-12-31"})
    assert response.context["stats"].total == 0
    today = timezone.localdate().isoformat()
    response = client.get(
        URL, {"certification": candidacies[0].certification_id, "period_on": "delivered", "date_from": today}
    )
    assert response.context["stats"].total == 2
    # A certification of another certifier is not offered: the form refuses it, the scope stays.
    response = client.get(URL, {"certification": foreign[1][0].certification_id})
    assert response.context["form"].errors["certification"]
    assert response.context["stats"].total == 3
    response = client.get(URL, {"date_from": "2025-02-01", "date_to": "2025-01-01"})
    assert "La fin de la période précède son début." in response.content.decode()


def test_csv_download(client, staff_user, decided):
    client.force_login(staff_user)
    response = client.get(URL, {"format": "csv", "table": "rates_certification"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0] == "Certification;Obtentions;Attestations de blocs;Refus;Décidées;Taux d'obtention (%)"
    assert lines[1].endswith(";1;1;1;3;33,3")


def test_xlsx_download(client, staff_user, decided):
    client.force_login(staff_user)
    response = client.get(URL, {"format": "xlsx", "table": "paths"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows == [("Voie", "Candidatures"), ("Par la formation", 3)]


def test_unknown_table_or_format(client, staff_user, decided):
    client.force_login(staff_user)
    assert client.get(URL, {"format": "pdf", "table": "paths"}).status_code == 404
    assert client.get(URL, {"format": "csv", "table": "nope"}).status_code == 404


def _page_queries(client, django_assert_num_queries, expected=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_query_count_constant_as_data_grows(client, staff_user, decided, django_assert_num_queries):
    _, candidacies, _ = decided
    certification = candidacies[0].certification
    client.force_login(staff_user)
    baseline = _page_queries(client, django_assert_num_queries)
    # Grow to 30 candidacies in various states: the page makes exactly as many queries.
    for i in range(27):
        if i % 9 == 0:
            candidacy_in_state("SUBMITTED", certification=certification)
        else:
            draft_candidacy(certification=certification, funding="CPF" if i % 2 else "PLAN")
    with django_assert_num_queries(baseline):
        response = client.get(URL)
    assert response.context["stats"].total == 30


def test_dashboard_links_to_statistics(client, staff_user, other_user):
    client.force_login(staff_user)
    assert URL in client.get(reverse("www:dashboard")).content.decode()
    client.force_login(other_user)
    assert URL not in client.get(reverse("www:dashboard")).content.decode()
