"""Every list is paginated by page number, at most 100 rows a page."""

import pytest

from tests.catalogue.factories import CertificationFactory

LIST = "/api/v1/certifications/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def many():
    return CertificationFactory.create_batch(25)


def test_default_page_has_twenty_rows_and_links(api, many):
    body = api.get(LIST).json()

    assert body["count"] == 25
    assert len(body["results"]) == 20
    assert body["previous"] is None
    assert body["next"] == "http://testserver/api/v1/certifications/?page=2"


def test_next_page_keeps_the_filters(api, many):
    first = api.get(LIST, {"active": "true", "page_size": 10}).json()
    assert first["next"] == "http://testserver/api/v1/certifications/?active=true&page=2&page_size=10"

    second = api.get(first["next"]).json()
    last = api.get(second["next"]).json()

    assert len(second["results"]) == 10
    assert len(last["results"]) == 5
    assert last["next"] is None
    assert last["previous"] == "http://testserver/api/v1/certifications/?active=true&page=2&page_size=10"
    seen = [row["code"] for page in (first, second, last) for row in page["results"]]
    assert sorted(seen) == sorted(c.code for c in many)


def test_page_size_up_to_one_hundred(api, many):
    assert len(api.get(LIST, {"page_size": 100}).json()["results"]) == 25
    assert len(api.get(LIST, {"page_size": 1}).json()["results"]) == 1


def test_last_page(api, many):
    body = api.get(LIST, {"page": "last"}).json()

    assert len(body["results"]) == 5
    assert body["next"] is None


@pytest.mark.parametrize("size", ["0", "101", "abc", "-5", "2.5"])
def test_bad_page_size_is_refused(api, many, size):
    response = api.get(LIST, {"page_size": size})

    assert response.status_code == 400
    assert response.json() == {
        "page_size": [
            "Taille de page invalide : attendu un nombre de 1 à 100. / "
            "Invalid page_size: expected a number from 1 to 100."
        ]
    }


@pytest.mark.parametrize("page", ["0", "abc", "-1"])
def test_bad_page_number_is_refused(api, many, page):
    response = api.get(LIST, {"page": page})

    assert response.status_code == 400
    assert response.json() == {
        "page": [
            "Page invalide : attendu un nombre entier à partir de 1. / Invalid page: expected a whole number from 1."
        ]
    }


def test_page_past_the_end_is_a_404(api, many):
    response = api.get(LIST, {"page": 3})

    assert response.status_code == 404
    assert response.json() == {"detail": "Page inexistante : 3. / No such page: 3."}


def test_empty_catalogue_gives_an_empty_first_page(api, db):
    assert api.get(LIST).json() == {"count": 0, "next": None, "previous": None, "results": []}
