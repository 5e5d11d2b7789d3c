"""The candidacy page every role sees, and the acts posted from it: tenancy, refusals, query counts."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cqp.accounts.enums import Role
from cqp.accounts.models import User
from cqp.candidacies import services
from cqp.candidacies.enums import State
from cqp.candidacies.models import Candidacy, CandidacyEvent, Document, Message
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

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def text_of(response):
    return html.unescape(response.content.decode())


def login(client, user):
    # The factories set the password in memory only: log in the row as stored.
    client.force_login(User.objects.get(pk=user.pk))


@pytest.fixture
def world():
    """Two candidacies that share nothing: two candidates, two employers, two certifiers."""
    mine = candidacy()
    theirs = candidacy()
    return {
        "candidacy": mine,
        "candidate": mine.candidate.user,
        "employer": member(UserFactory(), Role.EMPLOYER, organisation=mine.employer),
        "staff": certifier_staff(mine.certifier),
        "other_candidate": theirs.candidate.user,
        "other_employer": member(UserFactory(), Role.EMPLOYER, organisation=theirs.employer),
        "other_staff": certifier_staff(theirs.certifier),
    }


def urls(candidacy, document=None):
    pk = candidacy.pk
    found = [
        ("get", reverse("www:candidacy_detail", kwargs={"pk": pk})),
        ("post", reverse("www:candidacy_transition", kwargs={"pk": pk, "name": "submit"})),
        ("post", reverse("www:candidacy_document_upload", kwargs={"pk": pk})),
        ("post", reverse("www:candidacy_message_post", kwargs={"pk": pk})),
    ]
    if document is not None:
        found.append(("get", reverse("www:candidacy_document", kwargs={"pk": pk, "document_pk": document.pk})))
    return found


def _document(candidacy):
    return services.document_upload(
        candidacy=candidacy,
        by=candidacy.candidate.user,
        kind="IDENTITY",
        uploaded_file=SimpleUploadedFile("carte.pdf", PDF, content_type="application/pdf"),
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize("role", ["candidate", "employer", "staff"])
def test_each_role_sees_the_page_of_its_candidacy(client, world, role):
    login(client, world[role])
    response = client.get(reverse("www:candidacy_detail", kwargs={"pk": world["candidacy"].pk}))
    assert response.status_code == 200
    text = text_of(response)
    assert world["candidacy"].certification.code in text
    assert "Les étapes" in text
    assert "Historique" in text
    assert "Création de la candidature" in text


@pytest.mark.parametrize("outsider", ["other_candidate", "other_employer", "other_staff"])
def test_every_url_is_a_404_for_another_candidate_employer_or_certifier(client, world, outsider, media):
    document = _document(world["candidacy"])
    login(client, world[outsider])
    for method, url in urls(world["candidacy"], document):
        response = getattr(client, method)(url, {"comment": "x", "body": "x"} if method == "post" else None)
        assert response.status_code == 404, url
    world["candidacy"].refresh_from_db()
    assert world["candidacy"].state == State.DRAFT
    assert not Message.objects.exists()
    assert Document.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for method, url in urls(world["candidacy"]):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_timeline_shows_steps_done_current_and_to_come(client, world):
    mine = world["candidacy"]
    services.candidacy_transition(candidacy=mine, name="submit", by=world["candidate"])
    login(client, world["candidate"])
    response = client.get(reverse("www:candidacy_detail", kwargs={"pk": mine.pk}))
    steps = [(s.label, s.status) for s in response.context["steps"]]
    assert steps[0] == ("Brouillon", "done")
    assert steps[1] == ("Déposée", "current")
    assert ("Positionnement fait", "todo") in steps
    assert ("Dossier de VAE déposé", "todo") not in steps  # the training path only
    assert response.context["steps"][0].by == world["candidate"]
    assert 'aria-current="step"' in text_of(response)
    assert "examine la recevabilité" in response.context["next_step"]


def test_the_candidate_submits_from_the_page_and_the_trail_says_so(client, world):
    mine = world["candidacy"]
    login(client, world["candidate"])
    response = client.get(reverse("www:candidacy_detail", kwargs={"pk": mine.pk}))
    assert [form.transition.name for form in response.context["actions"]] == ["submit", "withdraw"]
    response = client.post(reverse("www:candidacy_transition", kwargs={"pk": mine.pk, "name": "submit"}), follow=True)
    mine.refresh_from_db()
    assert mine.state == State.SUBMITTED
    assert "c'est fait" in text_of(response)
    event = CandidacyEvent.objects.get(candidacy=mine, name="submit")
    assert (event.by, event.from_state, event.to_state) == (world["candidate"], State.DRAFT, State.SUBMITTED)


def test_a_motive_is_required_to_withdraw_and_nothing_changes_without_it(client, world):
    mine = world["candidacy"]
    login(client, world["candidate"])
    url = reverse("www:candidacy_transition", kwargs={"pk": mine.pk, "name": "withdraw"})
    response = client.post(url, {"comment": "  "})
    assert response.status_code == 400
    withdraw = next(form for form in response.context["actions"] if form.transition.name == "withdraw")
    assert withdraw.errors["comment"]
    mine.refresh_from_db()
    assert mine.state == State.DRAFT
    client.post(url, {"comment": "Je change de métier."})
    mine.refresh_from_db()
    assert mine.state == State.WITHDRAWN
    assert CandidacyEvent.objects.get(candidacy=mine, name="withdraw").comment == "Je change de métier."


def test_an_act_the_viewer_may_not_apply_is_refused_in_french_and_changes_nothing(client, world):
    mine = world["candidacy"]
    services.candidacy_transition(candidacy=mine, name="submit", by=world["candidate"])
    login(client, world["employer"])
    url = reverse("www:candidacy_transition", kwargs={"pk": mine.pk, "name": "declare_admissible"})
    response = client.post(url, follow=True)
    assert "n'a pas été fait" in text_of(response)
    mine.refresh_from_db()
    assert mine.state == State.SUBMITTED


def test_a_guard_refusal_gives_the_rule_reason(client, world):
    """Submitting a training candidacy with no funding: the rule's reason, nothing changed."""
    mine = candidacy(funding="", candidate=CandidateFactory())
    login(client, mine.candidate.user)
    response = client.post(reverse("www:candidacy_transition", kwargs={"pk": mine.pk, "name": "submit"}), follow=True)
    assert "Indiquez le financement de la formation" in text_of(response)
    assert Candidacy.objects.get(pk=mine.pk).state == State.DRAFT


def test_certifier_staff_declares_admissible(client, world):
    mine = world["candidacy"]
    services.candidacy_transition(candidacy=mine, name="submit", by=world["candidate"])
    login(client, world["staff"])
    client.post(reverse("www:candidacy_transition", kwargs={"pk": mine.pk, "name": "declare_admissible"}))
    mine.refresh_from_db()
    assert mine.state == State.ADMISSIBLE


def test_messages_are_posted_and_read_by_everyone_who_sees_the_candidacy(client, world):
    mine = world["candidacy"]
    login(client, world["employer"])
    client.post(reverse("www:candidacy_message_post", kwargs={"pk": mine.pk}), {"body": "Bonjour, où en est-on ?"})
    login(client, world["candidate"])
    response = client.get(reverse("www:candidacy_detail", kwargs={"pk": mine.pk}))
    assert "Bonjour, où en est-on ?" in text_of(response)
    response = client.post(reverse("www:candidacy_message_post", kwargs={"pk": mine.pk}), {"body": ""})
    assert response.status_code == 400
    assert Message.objects.count() == 1


def test_a_document_is_uploaded_then_downloaded_through_the_permission_check(client, world, media):
    mine = world["candidacy"]
    login(client, world["candidate"])
    response = client.post(
        reverse("www:candidacy_document_upload", kwargs={"pk": mine.pk}),
        {"kind": "IDENTITY", "file": SimpleUploadedFile("carte.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    login(client, world["staff"])
    response = client.get(reverse("www:candidacy_document", kwargs={"pk": mine.pk, "document_pk": document.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "carte.pdf" in response["Content-Disposition"]


def test_a_file_that_is_not_what_it_claims_is_refused_on_the_form(client, world, media):
    mine = world["candidacy"]
    login(client, world["candidate"])
    response = client.post(
        reverse("www:candidacy_document_upload", kwargs={"pk": mine.pk}),
        {"kind": "IDENTITY", "file": SimpleUploadedFile("carte.pdf", b"MZ not a pdf", content_type="application/pdf")},
    )
    assert response.status_code == 400
    assert response.context["document_form"].errors["file"]
    assert not Document.objects.exists()


def _detail_queries(client, user, pk):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("www:candidacy_detail", kwargs={"pk": pk})).status_code == 200
    return len(queries)


def test_the_page_query_count_does_not_grow_with_blocks_events_messages(client):
    small = candidacy(certification=certification_with_blocks(blocks=2))
    big = candidacy(certification=certification_with_blocks(blocks=12))
    for _ in range(6):
        services.message_post(candidacy=big, by=big.candidate.user, body="Une question.")
    services.candidacy_transition(candidacy=big, name="submit", by=big.candidate.user)
    login(client, small.candidate.user)
    few = _detail_queries(client, small.candidate.user, small.pk)
    login(client, big.candidate.user)
    many = _detail_queries(client, big.candidate.user, big.pk)
    assert many == few
    assert few <= 12


def test_assigned_organisations_see_the_page_and_other_organisations_do_not(client):
    centre, other_centre = OrganisationFactory(assessment_centre=True), OrganisationFactory(assessment_centre=True)
    school = OrganisationFactory(training_org=True)
    mine = candidacy(training_org=school, assessment_centre=centre)
    url = reverse("www:candidacy_detail", kwargs={"pk": mine.pk})
    for organisation, role in ((school, Role.TRAINING_ORG), (centre, Role.ASSESSOR)):
        login(client, member(UserFactory(), role, organisation=organisation))
        assert client.get(url).status_code == 200
    login(client, member(UserFactory(), Role.ASSESSOR, organisation=other_centre))
    assert client.get(url).status_code == 404
    login(client, User.objects.create_superuser("admin@exemple.fr", "x"))
    assert client.get(url).status_code == 200


def test_each_role_finds_its_way_back_and_staff_may_assign_organisations(client, world):
    url = reverse("www:candidacy_detail", kwargs={"pk": world["candidacy"].pk})
    expected = {
        "candidate": reverse("www:candidate_home"),
        "employer": reverse("www:employer_home"),
        "staff": reverse("www:pipeline"),
    }
    for role, back in expected.items():
        login(client, world[role])
        response = client.get(url)
        assert response.context["back"]["url"] == back
        assert response.context["may_assign"] is (role == "staff")
