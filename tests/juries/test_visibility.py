"""A deliberation reaches the candidate and the organisations only when the minutes are signed."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from .factories import deliberate, jury_with_members, open_session, ready_candidacy, sign

pytestmark = pytest.mark.django_db

MOTIVATION = "Les observations du bloc 2 ne montrent pas la maîtrise attendue."


def history_names(user, candidacy):
    api = APIClient()
    api.force_authenticate(user)
    names, url = [], f"/api/v1/candidacies/{candidacy.pk}/history/"
    while url:
        response = api.get(url)
        assert response.status_code == 200
        names += [row["name"] for row in response.json()["results"]]
        url = response.json()["next"]
    return names


def test_the_candidate_does_not_read_the_deliberation_before_signature(client):
    candidacy = ready_candidacy()
    jury, staff = jury_with_members(candidacy.certification)
    session = open_session(jury, staff, [candidacy])
    codes = list(candidacy.blocks.order_by("block__position").values_list("block__code", flat=True))
    deliberate(session, candidacy, by=staff, validated=codes[:1], motivation=MOTIVATION)
    candidate = candidacy.candidate.user
    page = reverse("www:candidacy_detail", kwargs={"pk": candidacy.pk})

    client.force_login(candidate)
    assert MOTIVATION not in client.get(page).content.decode()
    assert "jury_deliberation" not in history_names(candidate, candidacy)
    assert "jury_deliberation" in history_names(staff, candidacy)

    sign(session)
    content = client.get(page).content.decode()
    assert MOTIVATION in content
    assert "record_decision" in history_names(candidate, candidacy)
    assert "jury_deliberation" not in history_names(candidate, candidacy)
