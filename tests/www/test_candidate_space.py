"""The candidate's space: their candidacies, and applying for a certification (refusals change nothing)."""

import html
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cqp.accounts.models import User
from cqp.candidacies.enums import BlockStatus, State
from cqp.candidacies.models import Candidacy, Candidate
from cqp.catalogue.models import CertificationLineage
from tests.candidacies.factories import CandidateFactory, UserFactory, candidacy, certification_with_blocks
from tests.capitalisation.factories import hold

pytestmark = pytest.mark.django_db

APPLY = reverse("www:candidacy_apply")


def text_of(response):
    return html.unescape(response.content.decode())


def login(client, user):
    client.force_login(User.objects.get(pk=user.pk))
    return user


def periods(*spans):
    data = {"periodes-TOTAL_FORMS": "3", "periodes-INITIAL_FORMS": "0"}
    for index, (start, end) in enumerate(spans):
        data.update(
            {
                f"periodes-{index}-start": start.isoformat(),
                f"periodes-{index}-end": end.isoformat() if end else "",
                f"periodes-{index}-job_title": "Opératrice de production",
                f"periodes-{index}-employer_name": "Atelier Durand",
            }
        )
    return data


def application(certification, *, action="submit", path="TRAINING", funding="PERSONAL", spans=(), **extra):
    data = {
        "path": path,
        "situation": "EMPLOYEE",
        "funding": funding,
        "blocks": [b.code for b in certification.blocks.all()],
        "action": action,
        **periods(*spans),
    }
    data.update(extra)
    return data


@pytest.fixture
def person(client):
    return login(client, UserFactory(first_name="Inès", last_name="Bernard"))


@pytest.fixture
def certification():
    return certification_with_blocks(blocks=3)


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for url in (reverse("www:candidate_home"), APPLY):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_home_lists_only_their_own_candidacies_with_state_and_next_step(client):
    mine = candidacy()
    candidacy()  # someone else's
    login(client, mine.candidate.user)
    response = client.get(reverse("www:candidate_home"))
    assert [c.pk for c in response.context["candidacies"]] == [mine.pk]
    text = text_of(response)
    assert "Brouillon" in text
    assert "Vérifiez votre candidature puis déposez-la" in text


def _home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("www:candidate_home")).status_code == 200
    return len(queries)


def test_home_query_count_does_not_grow_with_the_number_of_candidacies(client):
    candidate = CandidateFactory()
    candidacy(candidate=candidate)
    login(client, candidate.user)
    one = _home_queries(client)
    for _ in range(5):
        candidacy(candidate=candidate)
    assert _home_queries(client) == one


def test_the_certification_is_chosen_by_its_code(client, person, certification):
    response = client.get(APPLY)
    assert "Code de la certification" in text_of(response)
    response = client.get(APPLY, {"certification": "RNCP00000"})
    assert "Aucune certification ne porte le code « RNCP00000 »" in text_of(response)
    response = client.get(APPLY, {"certification": certification.code.lower()})
    assert response.context["certification"] == certification
    assert [code for code, _ in response.context["form"].fields["blocks"].choices] == [
        b.code for b in certification.blocks.order_by("position")
    ]


def test_inactive_and_replaced_certifications_are_refused_with_the_reason(client, person):
    expired = certification_with_blocks(expired=True)
    replaced = certification_with_blocks()
    CertificationLineage.objects.create(old_code=replaced.code, new_code="RNCP99999")
    assert "n'est plus active" in text_of(client.get(APPLY, {"certification": expired.code}))
    assert "remplacée par RNCP99999" in text_of(client.get(APPLY, {"certification": replaced.code}))


def test_cpf_is_offered_only_for_an_eligible_certification(client, person):
    eligible = certification_with_blocks()
    unregistered = certification_with_blocks(unregistered=True)
    assert eligible.cpf_eligible and not unregistered.cpf_eligible

    def routes(certification):
        form = client.get(APPLY, {"certification": certification.code}).context["form"]
        return [value for value, _label in form.fields["funding"].choices]

    assert "CPF" in routes(eligible)
    assert "CPF" not in routes(unregistered)
    assert "PLAN" not in routes(eligible)


def test_vae_with_eight_months_is_refused_with_the_months_and_the_training_path(client, person, certification):
    today = date.today()
    data = application(certification, path="VAE", funding="", spans=[(today - timedelta(days=243), None)])
    response = client.post(f"{APPLY}?certification={certification.code}", data)
    assert response.status_code == 400
    text = text_of(response)
    assert "au moins un an d'expérience" in text
    assert "en couvrent 7 mois" in text or "en couvrent 8 mois" in text
    assert "voie de la formation" in text
    assert not Candidacy.objects.exists()
    assert not Candidate.objects.exists()


def test_overlapping_periods_count_once(client, person, certification):
    today = date.today()
    spans = [(today - timedelta(days=200), today - timedelta(days=100)), (today - timedelta(days=150), today)]
    response = client.post(
        f"{APPLY}?certification={certification.code}", application(certification, path="VAE", funding="", spans=spans)
    )
    assert "(201 jours)" in text_of(response)


def test_training_application_is_submitted_and_the_candidate_is_named_from_the_account(client, person, certification):
    response = client.post(f"{APPLY}?certification={certification.code}", application(certification))
    made = Candidacy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("www:candidacy_detail", kwargs={"pk": made.pk})
    assert made.state == State.SUBMITTED
    assert (made.candidate.user, made.candidate.first_name, made.candidate.last_name) == (person, "Inès", "Bernard")
    assert made.blocks.count() == 3


def test_a_draft_is_kept_with_some_blocks_only(client, person, certification):
    first = certification.blocks.order_by("position").first()
    data = application(certification, action="draft", blocks=[first.code])
    client.post(f"{APPLY}?certification={certification.code}", data)
    made = Candidacy.objects.get()
    assert made.state == State.DRAFT
    assert [b.block.code for b in made.blocks.all()] == [first.code]


def test_a_training_application_without_funding_says_what_to_fix_and_writes_nothing(client, person, certification):
    response = client.post(f"{APPLY}?certification={certification.code}", application(certification, funding=""))
    assert response.status_code == 400
    assert "Indiquez le financement de la formation" in text_of(response)
    assert not Candidacy.objects.exists()


def test_add_a_period_shows_one_more_row_and_keeps_the_answers(client, person, certification):
    data = application(certification, path="VAE", add_period="1")
    del data["action"]
    response = client.post(f"{APPLY}?certification={certification.code}", data)
    assert response.status_code == 200
    assert len(response.context["periods"].forms) == 4
    assert response.context["form"]["path"].value() == "VAE"
    assert not Candidacy.objects.exists()


def test_blocks_already_held_are_exempted_and_said_so(client, person, certification):
    earlier = candidacy(candidate=CandidateFactory(user=person), certification=certification, funding="PERSONAL")
    held = earlier.blocks.order_by("block__position").first()
    hold(earlier.candidate, held.block)  # delivered: capitalised
    response = client.post(f"{APPLY}?certification={certification.code}", application(certification), follow=True)
    assert f"Blocs dispensés parce que vous les détenez déjà : {held.block.code}" in text_of(response)
    made = Candidacy.objects.exclude(pk=earlier.pk).get()
    assert made.blocks.get(block=held.block).status == BlockStatus.EXEMPTED
