"""The employer's space: its employees' candidacies, enrolment, tutors; another company's objects are out of reach."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cqp.accounts.enums import Role
from cqp.accounts.models import Organisation, User
from cqp.candidacies import services
from cqp.candidacies.enums import State
from cqp.candidacies.models import Candidacy, Candidate, Tutor
from cqp.core.models import AuditEvent
from tests.candidacies.factories import (
    OrganisationFactory,
    TutorFactory,
    UserFactory,
    candidacy,
    certification_with_blocks,
    member,
)

pytestmark = pytest.mark.django_db

HOME = reverse("www:employer_home")
ENROL = reverse("www:employer_enrol")


def text_of(response):
    return html.unescape(response.content.decode())


def login(client, user):
    client.force_login(User.objects.get(pk=user.pk))
    return user


@pytest.fixture
def company():
    return OrganisationFactory(name="Fonderie Martin")


@pytest.fixture
def boss(client, company):
    return login(client, member(UserFactory(), Role.EMPLOYER, organisation=company))


def enrolment(chosen, **extra):
    data = {
        "employer": str(Organisation.objects.get(name="Fonderie Martin").pk),
        "first_name": "Yanis",
        "last_name": "Roux",
        "email": "yanis.roux@exemple.fr",
        "certification": chosen.code,
        "path": "TRAINING",
        "situation": "YOUNG",
        "funding": "CONTRAT_PRO",
        "tutor": "",
        "tutor_first_name": "Sophie",
        "tutor_last_name": "Lefèvre",
        "tutor_job_title": "Cheffe d'atelier",
        "tutor_email": "",
        "action": "submit",
        "periodes-TOTAL_FORMS": "3",
        "periodes-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_anonymous_visitors_are_sent_to_the_login_page(client, company):
    tutor = TutorFactory(employer=company)
    for url in (HOME, ENROL, reverse("www:employer_tutors"), reverse("www:employer_tutor_update", args=[tutor.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_someone_who_is_not_an_employer_gets_a_clear_refusal(client):
    login(client, UserFactory())
    for url in (HOME, ENROL, reverse("www:employer_tutors")):
        response = client.get(url)
        assert response.status_code == 403
        assert "réservé aux personnes rattachées à une entreprise" in text_of(response)


def test_home_lists_its_employees_candidacies_only_and_filters_by_state(client, boss, company):
    draft = candidacy(employer=company)
    submitted = candidacy(employer=company)
    services.candidacy_transition(candidacy=submitted, name="submit", by=submitted.candidate.user)
    candidacy()  # another company's employee
    response = client.get(HOME)
    assert {c.pk for c in response.context["page"].object_list} == {draft.pk, submitted.pk}
    response = client.get(HOME, {"etat": State.SUBMITTED})
    assert [c.pk for c in response.context["page"].object_list] == [submitted.pk]
    assert "1 candidature" in text_of(response)
    response = client.get(HOME, {"etat": "<script>"})
    assert response.context["state"] == ""


def _home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


def test_home_query_count_does_not_grow_with_the_number_of_candidacies(client, boss, company):
    candidacy(employer=company, funding="CONTRAT_PRO", situation="YOUNG")
    one = _home_queries(client)
    for _ in range(6):
        candidacy(employer=company, funding="CONTRAT_PRO", situation="YOUNG")
    assert _home_queries(client) == one


def test_an_employee_is_enrolled_under_a_contrat_pro_with_a_tutor_created_inline(client, boss, company):
    certification = certification_with_blocks()
    response = client.post(ENROL, enrolment(certification))
    made = Candidacy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("www:candidacy_detail", kwargs={"pk": made.pk})
    assert made.state == State.SUBMITTED
    assert (made.employer, made.funding, made.certification) == (company, "CONTRAT_PRO", certification)
    assert (made.candidate.first_name, made.candidate.last_name, made.candidate.user) == ("Yanis", "Roux", None)
    assert (made.tutor.last_name, made.tutor.employer) == ("Lefèvre", company)
    assert AuditEvent.objects.filter(action="tutor_create", object_id=str(made.tutor.pk), actor=boss).exists()
    assert made.pk in [c.pk for c in client.get(HOME).context["page"].object_list]


def test_an_existing_tutor_of_the_company_may_be_chosen(client, boss, company):
    tutor = TutorFactory(employer=company)
    data = enrolment(certification_with_blocks(), tutor=str(tutor.pk), tutor_first_name="", tutor_last_name="")
    data["tutor_job_title"] = ""
    client.post(ENROL, data)
    assert Candidacy.objects.get().tutor == tutor


def test_work_study_without_a_tutor_is_refused_on_the_tutor_field(client, boss):
    data = enrolment(certification_with_blocks(), tutor_first_name="", tutor_last_name="", tutor_job_title="")
    response = client.post(ENROL, data)
    assert response.status_code == 400
    assert response.context["form"].errors["tutor"]
    assert not Candidacy.objects.exists() and not Candidate.objects.exists()


def test_another_companys_tutor_cannot_be_chosen(client, boss):
    foreign = TutorFactory()
    data = enrolment(certification_with_blocks(), tutor=str(foreign.pk), tutor_first_name="", tutor_last_name="")
    data["tutor_job_title"] = ""
    response = client.post(ENROL, data)
    assert response.status_code == 400
    assert response.context["form"].errors["tutor"]
    assert not Candidacy.objects.exists()


def test_a_refusal_by_the_rules_writes_nothing_not_even_the_new_tutor(client, boss):
    """The contrat de professionnalisation is not for employees already in place: refused, rolled back."""
    response = client.post(ENROL, enrolment(certification_with_blocks(), situation="EMPLOYEE"))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not Candidacy.objects.exists()
    assert not Candidate.objects.exists()
    assert not Tutor.objects.exists()


def test_an_unknown_certification_code_is_refused_on_its_field(client, boss):
    response = client.post(ENROL, enrolment(certification_with_blocks(), certification="RNCP00001"))
    assert "Aucune certification ne porte le code" in text_of(response)
    assert not Candidacy.objects.exists()


def test_tutors_are_listed_added_and_edited_within_the_company_only(client, boss, company):
    own = TutorFactory(employer=company, last_name="Garnier")
    foreign = TutorFactory(last_name="Ailleurs")
    response = client.get(reverse("www:employer_tutors"))
    assert list(response.context["tutors"]) == [own]
    assert client.get(reverse("www:employer_tutor_update", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("www:employer_tutor_update", args=[foreign.pk]), {"first_name": "X"}).status_code == 404
    client.post(reverse("www:employer_tutor_create"), {"first_name": "Paul", "last_name": "Henry", "job_title": ""})
    assert Tutor.objects.filter(employer=company, last_name="Henry").exists()
    client.post(
        reverse("www:employer_tutor_update", args=[own.pk]),
        {"first_name": "Lina", "last_name": "Garnier", "job_title": "Responsable qualité", "email": ""},
    )
    own.refresh_from_db()
    assert own.job_title == "Responsable qualité"
    assert AuditEvent.objects.filter(action="tutor_update", object_id=str(own.pk)).exists()
    foreign.refresh_from_db()
    assert foreign.first_name == "Dominique"
    response = client.post(reverse("www:employer_tutor_create"), {"first_name": "", "last_name": ""})
    assert response.context["form"].errors["last_name"]


def test_someone_acting_for_two_companies_says_which_one_a_new_tutor_belongs_to(client, boss, company):
    second = OrganisationFactory(name="Forges de l'Est")
    member(boss, Role.EMPLOYER, organisation=second)
    url = reverse("www:employer_tutor_create")
    assert "employer" in client.get(url).context["form"].fields
    client.post(url, {"employer": str(second.pk), "first_name": "Noé", "last_name": "Vidal"})
    assert Tutor.objects.get(last_name="Vidal").employer == second
    foreign = OrganisationFactory()
    response = client.post(url, {"employer": str(foreign.pk), "first_name": "Eve", "last_name": "Hors"})
    assert response.context["form"].errors["employer"]
    assert not Tutor.objects.filter(last_name="Hors").exists()
