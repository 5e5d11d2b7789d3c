"""The certifier's pipeline, the inline eligibility decisions, the organisations' list, the assignment page."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cqp.accounts.enums import Role
from cqp.accounts.models import User
from cqp.candidacies import services
from cqp.candidacies.models import Candidacy, CandidacyEvent
from tests.candidacies.factories import (
    CandidateFactory,
    OrganisationFactory,
    UserFactory,
    candidacy,
    certification_with_blocks,
    certifier_staff,
    member,
)

pytestmark = pytest.mark.django_db

PIPELINE = "/espace/pipeline/"
ASSIGNED = "/espace/candidatures/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def sign_in(client, user):
    # Sign in with the stored row, as a browser would.
    client.force_login(User.objects.get(pk=user.pk))


def submitted(**kwargs):
    made = candidacy(**kwargs)
    return services.candidacy_transition(candidacy=made, name="submit", by=made.candidate.user)


@pytest.fixture
def world():
    """Two certifiers, each with its staff and a certification; an accredited assessment centre for the first."""
    a = certification_with_blocks(title="CQP Conducteur de ligne")
    b = certification_with_blocks(title="CQP Préparateur de commandes")
    staff_a, staff_b = certifier_staff(a.certifiers.get()), certifier_staff(b.certifiers.get())
    training_org = OrganisationFactory(training_org=True, name="Forma Nord")
    centre = OrganisationFactory(assessment_centre=True, name="Éval Sud")
    centre.accredited_certifications.add(a)
    return {
        "a": a,
        "b": b,
        "staff_a": staff_a,
        "staff_b": staff_b,
        "training_org": training_org,
        "centre": centre,
    }


def test_the_pipeline_lists_the_candidacies_of_my_certifier_with_counts_per_state(client, world):
    draft = candidacy(certification=world["a"])
    waiting = submitted(certification=world["a"])
    vae = candidacy(certification=world["a"], path="VAE", funding="")
    foreign = submitted(certification=world["b"])
    sign_in(client, world["staff_a"])

    response = client.get(PIPELINE)

    assert response.status_code == 200
    page = text(response)
    assert [c.pk for c in response.context["page"].object_list] == [vae.pk, waiting.pk, draft.pk]
    assert {(c.state, c.count) for c in response.context["counts"]} == {("DRAFT", 2), ("SUBMITTED", 1)}
    assert "Brouillon (2)" in page and "Déposée (1)" in page and "Tous les états (3)" in page
    assert f'href="/espace/candidatures/{waiting.pk}/"' in page
    assert f"/espace/candidatures/{foreign.pk}/" not in page
    assert "3 candidatures" in page


def test_filters_narrow_the_rows_and_the_counts_keep_every_state(client, world):
    other = certification_with_blocks(certifier=world["a"].certifiers.get(), title="CQP Soudeur")
    waiting = submitted(certification=world["a"], training_org=world["training_org"])
    draft = candidacy(certification=world["a"])
    vae = candidacy(certification=world["a"], path="VAE", funding="", assessment_centre=world["centre"])
    elsewhere = candidacy(certification=other)
    sign_in(client, world["staff_a"])

    def rows(**params):
        response = client.get(PIPELINE, params)
        assert response.status_code == 200
        return {c.pk for c in response.context["page"].object_list}, response

    assert rows(state="SUBMITTED")[0] == {waiting.pk}
    found, response = rows(state="DRAFT")
    assert found == {draft.pk, vae.pk, elsewhere.pk}
    # The summary counts every state under the other filters: one click goes to another state.
    assert {(c.state, c.count) for c in response.context["counts"]} == {("DRAFT", 3), ("SUBMITTED", 1)}
    assert rows(certification=other.code)[0] == {elsewhere.pk}
    assert rows(path="VAE")[0] == {vae.pk}
    assert rows(organisation=world["training_org"].pk)[0] == {waiting.pk}
    assert rows(organisation=world["centre"].pk)[0] == {vae.pk}
    today = timezone.localdate()
    assert rows(created_from=today.isoformat(), created_to=today.isoformat())[0] == {
        waiting.pk,
        draft.pk,
        vae.pk,
        elsewhere.pk,
    }
    assert rows(created_to=(today - datetime.timedelta(days=1)).isoformat())[0] == set()
    Candidacy.objects.filter(pk=draft.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    assert rows(created_to=(today - datetime.timedelta(days=30)).isoformat())[0] == {draft.pk}
    found, response = rows(sort="oldest")
    assert [c.pk for c in response.context["page"].object_list][0] == draft.pk


def test_a_bad_filter_says_what_to_fix_and_is_ignored(client, world):
    candidacy(certification=world["a"])
    sign_in(client, world["staff_a"])
    today = timezone.localdate()

    response = client.get(
        PIPELINE,
        {"created_from": today.isoformat(), "created_to": (today - datetime.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 200
    assert "Cette date doit suivre la date « Créée à partir du »." in text(response)
    assert response.context["page"].paginator.count == 1

    response = client.get(PIPELINE, {"state": "NOPE", "certification": world["b"].code, "organisation": "x"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1


def test_the_counts_link_to_their_state_keeping_the_other_filters(client, world):
    submitted(certification=world["a"])
    sign_in(client, world["staff_a"])
    page = text(client.get(PIPELINE, {"path": "TRAINING"}))
    assert 'href="?path=TRAINING&state=SUBMITTED"' in page


def test_fifty_rows_per_page(client, world):
    first = candidacy(certification=world["a"])
    candidate = first.candidate
    for _ in range(50):
        candidacy(certification=world["a"], candidate=candidate)
    sign_in(client, world["staff_a"])

    response = client.get(PIPELINE, {"page": 2})

    assert [c.pk for c in response.context["page"].object_list] == [first.pk]
    assert "Page 2 sur 2" in text(response)
    assert "51 candidatures" in text(response)


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_page(client, world):
    candidate = CandidateFactory()
    candidacy(certification=world["a"], candidate=candidate, training_org=world["training_org"])
    sign_in(client, world["staff_a"])
    member(UserFactory(), Role.TRAINING_ORG, organisation=world["training_org"])
    few = _queries(client, PIPELINE)
    few_filtered = _queries(client, PIPELINE, {"state": "DRAFT", "path": "TRAINING"})
    for _ in range(30):
        made = candidacy(
            certification=world["a"],
            candidate=candidate,
            training_org=world["training_org"],
            assessment_centre=world["centre"],
        )
        services.candidacy_transition(candidacy=made, name="submit", by=candidate.user)

    assert _queries(client, PIPELINE) == few
    assert _queries(client, PIPELINE, {"state": "DRAFT", "path": "TRAINING"}) == few_filtered
    assert few <= 8, few


def test_the_assigned_list_queries_do_not_grow_either(client, world):
    trainer = member(UserFactory(), Role.TRAINING_ORG, organisation=world["training_org"])
    candidate = CandidateFactory()
    candidacy(certification=world["a"], candidate=candidate, training_org=world["training_org"])
    sign_in(client, trainer)
    few = _queries(client, ASSIGNED)
    for _ in range(20):
        candidacy(certification=world["a"], candidate=candidate, training_org=world["training_org"])
    assert _queries(client, ASSIGNED) == few


# --------------------------------------------------------------------------- inline decisions


def test_staff_declare_a_submitted_candidacy_admissible_from_the_pipeline(client, world, mailoutbox):
    waiting = submitted(certification=world["a"])
    sign_in(client, world["staff_a"])
    page = text(client.get(PIPELINE))
    assert f'action="/espace/pipeline/{waiting.pk}/decision/"' in page

    response = client.post(
        f"/espace/pipeline/{waiting.pk}/decision/",
        {"decision": "declare_admissible", "next": f"{PIPELINE}?state=SUBMITTED"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"{PIPELINE}?state=SUBMITTED"
    waiting.refresh_from_db()
    assert waiting.state == "ADMISSIBLE"
    assert CandidacyEvent.objects.filter(candidacy=waiting, name="declare_admissible", by=world["staff_a"]).exists()
    assert "déclarée recevable" in text(response)


def test_inadmissible_needs_a_reason_and_without_one_nothing_changes(client, world):
    waiting = submitted(certification=world["a"])
    sign_in(client, world["staff_a"])
    url = f"/espace/pipeline/{waiting.pk}/decision/"

    response = client.post(url, {"decision": "declare_inadmissible", "comment": "  "}, follow=True)
    waiting.refresh_from_db()
    assert waiting.state == "SUBMITTED"
    assert "Donnez le motif de cette décision" in text(response)

    client.post(url, {"decision": "declare_inadmissible", "comment": "Pas d'expérience en rapport"})
    waiting.refresh_from_db()
    assert waiting.state == "INADMISSIBLE"
    event = CandidacyEvent.objects.get(candidacy=waiting, name="declare_inadmissible")
    assert event.comment == "Pas d'expérience en rapport"


def test_a_decision_on_a_draft_is_refused_with_the_reason(client, world):
    draft = candidacy(certification=world["a"])
    sign_in(client, world["staff_a"])
    response = client.post(f"/espace/pipeline/{draft.pk}/decision/", {"decision": "declare_admissible"}, follow=True)
    draft.refresh_from_db()
    assert draft.state == "DRAFT"
    assert "n'est pas possible quand la candidature est « Brouillon »" in text(response)


def test_an_unknown_decision_or_a_foreign_next_changes_nothing(client, world):
    waiting = submitted(certification=world["a"])
    sign_in(client, world["staff_a"])
    response = client.post(
        f"/espace/pipeline/{waiting.pk}/decision/", {"decision": "deliver", "next": "https://ailleurs.example/"}
    )
    assert response.status_code == 302 and response["Location"] == PIPELINE
    waiting.refresh_from_db()
    assert waiting.state == "SUBMITTED"


# --------------------------------------------------------------------------- assignment


def test_staff_assign_a_training_org_and_an_accredited_assessment_centre(client, world):
    made = submitted(certification=world["a"])
    sign_in(client, world["staff_a"])
    url = f"/espace/candidatures/{made.pk}/organismes/"
    assert reverse("www:candidacy_assign", kwargs={"pk": made.pk}) == url
    page = text(client.get(url))
    assert "Forma Nord" in page and "Éval Sud" in page

    response = client.post(url, {"training_org": world["training_org"].pk, "assessment_centre": world["centre"].pk})

    assert response.status_code == 302 and response["Location"] == f"/espace/candidatures/{made.pk}/"
    made.refresh_from_db()
    assert (made.training_org, made.assessment_centre) == (world["training_org"], world["centre"])
    assert CandidacyEvent.objects.filter(candidacy=made, name="assign", by=world["staff_a"]).exists()


def test_an_assessment_centre_not_accredited_for_the_certification_is_refused(client, world):
    made = submitted(certification=world["a"])
    stranger = OrganisationFactory(assessment_centre=True, name="Éval Ouest")
    sign_in(client, world["staff_a"])
    url = f"/espace/candidatures/{made.pk}/organismes/"
    assert "Éval Ouest" not in text(client.get(url))

    response = client.post(url, {"assessment_centre": stranger.pk})

    assert response.status_code == 200
    assert "n'est pas habilité pour cette certification" in text(response)
    made.refresh_from_db()
    assert made.assessment_centre is None


def test_nothing_chosen_says_what_to_do(client, world):
    made = submitted(certification=world["a"])
    sign_in(client, world["staff_a"])
    response = client.post(f"/espace/candidatures/{made.pk}/organismes/", {})
    assert response.status_code == 200
    assert "Choisissez un organisme de formation ou un organisme évaluateur." in text(response)


def test_a_vae_candidacy_has_no_training_org_to_assign(client, world):
    made = candidacy(certification=world["a"], path="VAE", funding="")
    sign_in(client, world["staff_a"])
    page = text(client.get(f"/espace/candidatures/{made.pk}/organismes/"))
    assert 'name="training_org"' not in page and 'name="assessment_centre"' in page


def test_the_candidate_may_not_assign_organisations(client, world):
    made = candidacy(certification=world["a"])
    sign_in(client, made.candidate.user)
    response = client.post(f"/espace/candidatures/{made.pk}/organismes/", {"training_org": world["training_org"].pk})
    assert response.status_code == 403
    made.refresh_from_db()
    assert made.training_org is None


# --------------------------------------------------------------------------- tenancy


def test_staff_of_another_certifier_get_404_on_everything_of_mine(client, world):
    mine = submitted(certification=world["a"])
    sign_in(client, world["staff_b"])

    assert mine.pk not in {c.pk for c in client.get(PIPELINE).context["page"].object_list}
    assert client.get(f"/espace/candidatures/{mine.pk}/organismes/").status_code == 404
    assert (
        client.post(f"/espace/candidatures/{mine.pk}/organismes/", {"training_org": world["training_org"].pk})
    ).status_code == 404
    assert client.post(f"/espace/pipeline/{mine.pk}/decision/", {"decision": "declare_admissible"}).status_code == 404
    mine.refresh_from_db()
    assert (mine.state, mine.training_org) == ("SUBMITTED", None)
    # Not even by filtering on my certification.
    assert client.get(PIPELINE, {"certification": world["a"].code}).context["page"].paginator.count == 0


def test_people_who_are_not_certifier_staff_cannot_open_the_pipeline(client, world):
    made = candidacy(certification=world["a"], training_org=world["training_org"])
    trainer = member(UserFactory(), Role.TRAINING_ORG, organisation=world["training_org"])
    for user in (made.candidate.user, trainer):
        sign_in(client, user)
        assert client.get(PIPELINE).status_code == 403
        decision = client.post(f"/espace/pipeline/{made.pk}/decision/", {"decision": "declare_admissible"})
        assert decision.status_code == 404
    client.logout()
    assert client.get(PIPELINE).status_code == 302


def test_a_training_org_sees_the_candidacies_assigned_to_it_and_no_other(client, world):
    assigned = submitted(certification=world["a"], training_org=world["training_org"])
    assessed = candidacy(certification=world["a"], path="VAE", funding="", assessment_centre=world["centre"])
    candidacy(certification=world["a"])
    trainer = member(UserFactory(), Role.TRAINING_ORG, organisation=world["training_org"])
    assessor = member(UserFactory(), Role.ASSESSOR, organisation=world["centre"])
    idle = member(UserFactory(), Role.TRAINING_ORG, organisation=OrganisationFactory(training_org=True))

    sign_in(client, trainer)
    response = client.get(ASSIGNED)
    assert [c.pk for c in response.context["page"].object_list] == [assigned.pk]
    assert f'href="/espace/candidatures/{assigned.pk}/"' in text(response)
    assert "Forma Nord" in text(response)
    assert "/decision/" not in text(response)
    assert client.get(ASSIGNED, {"state": "SUBMITTED"}).context["page"].paginator.count == 1
    assert client.get(ASSIGNED, {"state": "DRAFT"}).context["page"].paginator.count == 0

    sign_in(client, assessor)
    assert [c.pk for c in client.get(ASSIGNED).context["page"].object_list] == [assessed.pk]
    assert client.get(ASSIGNED, {"path": "TRAINING"}).context["page"].paginator.count == 0

    sign_in(client, idle)
    response = client.get(ASSIGNED)
    assert response.status_code == 200 and response.context["page"].paginator.count == 0
    assert "Aucune candidature ne vous est confiée" in text(response)
    assert client.get(f"/espace/candidatures/{assigned.pk}/organismes/").status_code == 404

    sign_in(client, world["staff_a"])
    assert client.get(ASSIGNED).status_code == 403


def test_htmx_filtering_gets_the_page_with_its_results_region(client, world):
    submitted(certification=world["a"])
    sign_in(client, world["staff_a"])
    response = client.get(PIPELINE, {"state": "SUBMITTED"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="candidacy-results"' in text(response)


def test_staff_of_two_certifiers_filter_by_certifier_and_the_administrator_sees_all(client, world):
    mine = candidacy(certification=world["a"])
    theirs = candidacy(certification=world["b"])
    both = member(world["staff_a"], Role.CERTIFIER_STAFF, certifier=world["b"].certifiers.get())
    sign_in(client, both)
    response = client.get(PIPELINE)
    assert {c.pk for c in response.context["page"].object_list} == {mine.pk, theirs.pk}
    assert 'name="certifier"' in text(response)
    certifier_b = world["b"].certifiers.get()
    response = client.get(PIPELINE, {"certifier": certifier_b.pk})
    assert [c.pk for c in response.context["page"].object_list] == [theirs.pk]

    admin = User.objects.create_superuser("admin@exemple.fr", "mot-de-passe-solide")
    sign_in(client, admin)
    response = client.get(PIPELINE)
    assert {c.pk for c in response.context["page"].object_list} == {mine.pk, theirs.pk}
    assert world["a"].code in text(response) and world["b"].code in text(response)
