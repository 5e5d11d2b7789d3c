"""GET /api/v1/stats/: the same figures, filters as query parameters, 400s in French and English, scope."""

import pytest
from rest_framework.authtoken.models import Token

from tests.catalogue.factories import BranchFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/stats/"


def test_anonymous_401(client):
    assert client.get(URL).status_code == 401


def test_other_roles_404(client, other_user, decided):
    client.force_login(other_user)
    response = client.get(URL)
    assert response.status_code == 404
    assert "Statistics are for certifier staff" in response.json()["detail"]
    client.force_login(decided[1][0].candidate.user)
    assert client.get(URL).status_code == 404


def test_staff_figures_in_their_scope(client, staff_user, decided, foreign):
    token = Token.objects.create(user=staff_user)
    response = client.get(URL, headers={"Authorization": f"Token {token.key}"})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 3
    (rate,) = data["rates_by_certification"]
    assert (rate["award"], rate["partial"], rate["refusal"], rate["decided"]) == (1, 1, 1, 3)
    assert rate["rate"] == pytest.approx(1 / 3)
    assert data["durations"]["count"] == 2
    assert [row["failed"] for row in data["failed_blocks"]] == [2, 2, 1]
    assert data["yearly"][0]["holders"] == 1


def test_platform_admin_all(client, platform_admin, decided, foreign):
    client.force_login(platform_admin)
    assert client.get(URL).json()["total"] == 4


def test_filters(client, staff_user, decided):
    client.force_login(staff_user)
    code = decided[1][0].certification.code
    assert client.get(URL, {"certification": code}).json()["total"] == 3
    assert client.get(URL, {"date_from": "2000-01-01", "date_to": "2000-12-31"}).json()["total"] == 0
    branch = BranchFactory()
    assert client.get(URL, {"branch": branch.slug}).json()["total"] == 0


@pytest.mark.parametrize(
    ("params", "name", "english"),
    [
        ({"date_from": "31/12/2025"}, "date_from", "Invalid date"),
        ({"date_from": "2025-02-01", "date_to": "2025-01-01"}, "date_to", "ends before it starts"),
        ({"period_on": "yesterday"}, "period_on", "Expected: created or delivered"),
        ({"branch": "nope"}, "branch", "Unknown branch"),
        ({"certification": "RNCP00000"}, "certification", "Unknown certification"),
    ],
)
def test_bad_parameters_400(client, staff_user, params, name, english):
    client.force_login(staff_user)
    response = client.get(URL, params)
    assert response.status_code == 400
    (message,) = response.json()[name]
    assert english in message and " / " in message


def test_another_certifiers_certification_is_400(client, staff_user, foreign):
    client.force_login(staff_user)
    response = client.get(URL, {"certification": foreign[1][0].certification.code})
    assert response.status_code == 400
