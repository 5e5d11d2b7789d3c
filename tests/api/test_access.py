"""The catalogue API is public and read-only; tokens of rest_framework.authtoken identify callers."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cqp.accounts.models import User

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/certifications/",
    "/api/v1/certifications/RNCP37674/",
    "/api/v1/branches/",
    "/api/v1/certifiers/",
]
WRITES = ["post", "put", "patch", "delete"]


@pytest.fixture
def token(db):
    user = User.objects.create_user(email="si@cpne-metallurgie.example", password="un mot de passe solide")
    return Token.objects.create(user=user)


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_can_read(api, catalogue, url):
    assert api.get(url).status_code == 200


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("method", WRITES)
def test_anonymous_cannot_write(api, catalogue, url, method):
    response = getattr(api, method)(url, {"title": "Changé"}, format="json")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("method", WRITES)
def test_token_holder_cannot_write_either(api, catalogue, token, url, method):
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = getattr(api, method)(url, {"title": "Changé"}, format="json")

    assert response.status_code == 405


@pytest.mark.parametrize("method", WRITES)
def test_signed_in_staff_cannot_write(api, catalogue, method):
    api.force_login(User.objects.create_superuser(email="admin@cqp.example", password="un mot de passe solide"))

    response = getattr(api, method)("/api/v1/certifications/RNCP37674/", {"title": "Changé"}, format="json")

    assert response.status_code == 405
    catalogue["welder"].refresh_from_db()
    assert catalogue["welder"].title == "CQPM Soudeur industriel"


@pytest.mark.parametrize("keyword", ["Token", "Bearer", "bearer"])
@pytest.mark.parametrize("url", ENDPOINTS)
def test_token_authenticates_the_caller(api, catalogue, token, keyword, url):
    api.credentials(HTTP_AUTHORIZATION=f"{keyword} {token.key}")

    response = api.get(url)

    assert response.status_code == 200
    assert response.wsgi_request.user == token.user


@pytest.mark.parametrize("keyword", ["Token", "Bearer"])
def test_unknown_token_is_refused_with_401(api, catalogue, keyword):
    api.credentials(HTTP_AUTHORIZATION=f"{keyword} 0000000000000000000000000000000000000000")

    response = api.get("/api/v1/certifications/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Jeton inconnu ou révoqué. / Unknown or revoked token."}


def test_token_of_a_disabled_account_is_refused(api, catalogue, token):
    token.user.is_active = False
    token.user.save()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")

    response = api.get("/api/v1/certifications/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Compte désactivé. / Account disabled."}


@pytest.mark.parametrize("header", ["Bearer", "Token a b"])
def test_malformed_authorization_header_is_refused(api, catalogue, header):
    api.credentials(HTTP_AUTHORIZATION=header)

    response = api.get("/api/v1/certifications/")

    assert response.status_code == 401
    assert "Bearer <key>" in response.json()["detail"]


def test_other_authorization_schemes_are_left_alone(api, catalogue):
    api.credentials(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")

    response = api.get("/api/v1/certifications/")

    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_session_write_without_csrf_token_is_refused_first(catalogue):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(User.objects.create_user(email="staff@cpne.example", password="un mot de passe solide"))

    assert browser.get("/api/v1/certifications/RNCP37674/").status_code == 200
    assert browser.delete("/api/v1/certifications/RNCP37674/").status_code == 403
