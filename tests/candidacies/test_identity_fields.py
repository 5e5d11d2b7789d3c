"""The holder's identity fields the Caisse des Dépôts declaration needs: formats, and the candidate's page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cqp.candidacies import identity
from cqp.candidacies.models import (
    validate_insee_commune,
    validate_insee_country,
    validate_not_future,
    validate_postal_code,
)
from cqp.core.models import AuditEvent
from cqp.www.candidate.forms import IdentityForm
from tests.candidacies.factories import CandidateFactory, UserFactory


@pytest.mark.parametrize("code", ["75056", "2A004", "2B033", "97411", "01001"])
def test_insee_commune_codes_accepted(code):
    validate_insee_commune(code)


@pytest.mark.parametrize("code", ["7505", "750561", "2C004", "2a004", "AB123", "75 05"])
def test_insee_commune_codes_refused(code):
    with pytest.raises(ValidationError):
        validate_insee_commune(code)


@pytest.mark.parametrize("code", ["69001", "20000", "97400"])
def test_postal_codes_accepted(code):
    validate_postal_code(code)


@pytest.mark.parametrize("code", ["6900", "690011", "2A000", "F-69001"])
def test_postal_codes_refused(code):
    with pytest.raises(ValidationError):
        validate_postal_code(code)


def test_country_code_is_three_digits():
    validate_insee_country("352")
    for bad in ("FR", "FRA", "99352", "35"):
        with pytest.raises(ValidationError):
            validate_insee_country(bad)


def test_birth_date_cannot_be_in_the_future():
    validate_not_future(timezone.localdate())
    with pytest.raises(ValidationError):
        validate_not_future(timezone.localdate() + datetime.timedelta(days=1))


def form_data(**overrides):
    data = {
        "first_name": "Camille",
        "other_first_names": "Marie Louise",
        "last_name": "Martin",
        "usage_name": "",
        "sex": "F",
        "birth_date": "1990-04-12",
        "birth_country": "",
        "birth_insee_code": "2a004",
        "birth_postal_code": "",
        "birth_city": "Ajaccio",
    }
    return data | overrides


@pytest.mark.django_db
def test_form_normalises_the_insee_code_and_requires_a_commune_for_people_born_in_france():
    form = IdentityForm(form_data())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["birth_insee_code"] == "2A004"

    form = IdentityForm(form_data(birth_insee_code="", birth_postal_code=""))
    assert not form.is_valid()
    assert "code INSEE ou, à défaut, le code postal" in form.errors["birth_insee_code"][0]

    # Born abroad: the country is enough.
    assert IdentityForm(form_data(birth_insee_code="", birth_country="352")).is_valid()


@pytest.mark.django_db
def test_form_messages_are_french():
    form = IdentityForm(form_data(birth_insee_code="123", sex="", birth_date="2999-01-01", birth_postal_code="ABCDE"))
    assert not form.is_valid()
    assert "5 caractères" in form.errors["birth_insee_code"][0]
    assert "5 chiffres" in form.errors["birth_postal_code"][0]
    assert "futur" in form.errors["birth_date"][0]
    assert form.errors["sex"]


@pytest.mark.django_db
def test_update_is_audited_and_only_when_something_changes():
    candidate = CandidateFactory()
    user = UserFactory()
    identity.candidate_identity_update(candidate=candidate, by=user, sex="M", birth_insee_code="31555")
    event = AuditEvent.objects.get(action="candidate.identity_updated", object_id=str(candidate.pk))
    assert event.after == {"sex": "M", "birth_insee_code": "31555"}
    assert event.actor == user
    identity.candidate_identity_update(candidate=candidate, by=user, sex="M")
    assert AuditEvent.objects.filter(action="candidate.identity_updated").count() == 1


@pytest.mark.django_db
def test_update_refuses_a_bad_code_and_writes_nothing():
    candidate = CandidateFactory()
    with pytest.raises(ValidationError):
        identity.candidate_identity_update(candidate=candidate, by=None, sex="M", birth_insee_code="XX")
    candidate.refresh_from_db()
    assert candidate.sex == ""
    assert not AuditEvent.objects.filter(action="candidate.identity_updated").exists()


@pytest.mark.django_db
def test_candidate_edits_their_own_identity(client):
    user = UserFactory()
    candidate = CandidateFactory(user=user)
    client.force_login(user)
    url = reverse("www:candidate_identity")
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(birth_insee_code="12"))
    assert response.status_code == 200
    assert "5 caractères" in response.content.decode()
    response = client.post(url, form_data())
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.sex, candidate.birth_insee_code, candidate.other_first_names) == ("F", "2A004", "Marie Louise")


@pytest.mark.django_db
def test_identity_page_needs_a_candidate(client):
    client.force_login(UserFactory())
    assert client.get(reverse("www:candidate_identity")).status_code == 404
    client.logout()
    assert client.get(reverse("www:candidate_identity")).status_code == 302
