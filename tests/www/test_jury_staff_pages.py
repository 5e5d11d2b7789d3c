"""The certifier staff's jury pages: juries, members, planning, agenda, convocations, cancelling; what a
jury member finds there; who may reach them; the agenda read in a constant number of queries."""

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership, User
from cqp.candidacies.enums import State
from cqp.core.models import AuditEvent
from cqp.juries import services
from cqp.juries.enums import College, MemberRole, SessionState
from cqp.juries.models import AgendaItem, Jury, JuryMember, JurySession
from cqp.juries.selectors import candidacies_ready_for
from tests.candidacies.factories import UserFactory, certification_with_blocks
from tests.juries.factories import (
    decided_candidacy,
    jury_staff,
    jury_with_members,
    member_user,
    ready_candidacy,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def sign_in(client, user):
    client.force_login(User.objects.get(pk=user.pk))


def plan(jury, staff, *, days=14, place="Maison de la branche, Paris"):
    return services.session_plan(jury=jury, by=staff, starts_at=timezone.now() + timedelta(days=days), place=place)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.fixture
def world():
    """A jury of the first certifier (two members per college) with a planned session; the staff of a
    second certifier."""
    certification = certification_with_blocks(blocks=1, title="CQP Conducteur de ligne")
    jury, staff = jury_with_members(certification)
    session = plan(jury, staff)
    other = certification_with_blocks(blocks=1, title="CQP Préparateur de commandes")
    return {
        "certification": certification,
        "jury": jury,
        "staff": staff,
        "session": session,
        "other_certification": other,
        "other_staff": jury_staff(other.certifiers.get()),
    }


def jury_urls(jury, session):
    return [
        ("get", reverse("www:jury_detail", kwargs={"pk": jury.pk})),
        ("get", reverse("www:jury_member_add", kwargs={"pk": jury.pk})),
        ("post", reverse("www:jury_member_add", kwargs={"pk": jury.pk})),
        ("get", reverse("www:jury_session_plan", kwargs={"pk": jury.pk})),
        ("post", reverse("www:jury_session_plan", kwargs={"pk": jury.pk})),
        ("get", reverse("www:jury_session_edit", kwargs={"pk": session.pk})),
        ("post", reverse("www:jury_session_edit", kwargs={"pk": session.pk})),
        ("get", reverse("www:jury_session_cancel", kwargs={"pk": session.pk})),
        ("post", reverse("www:jury_session_cancel", kwargs={"pk": session.pk})),
        ("get", reverse("www:jury_session_convene", kwargs={"pk": session.pk})),
        ("post", reverse("www:jury_session_convene", kwargs={"pk": session.pk})),
        ("get", reverse("www:jury_session_agenda", kwargs={"pk": session.pk})),
        ("post", reverse("www:jury_session_agenda_add", kwargs={"pk": session.pk})),
        ("post", reverse("www:jury_session_agenda_remove", kwargs={"pk": session.pk})),
        ("post", reverse("www:jury_session_agenda_correct", kwargs={"pk": session.pk})),
    ]


# --- Who may reach the pages -------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_sign_in(client, world):
    login = reverse("accounts:login")
    urls = [
        ("get", reverse("www:jury_list")),
        ("get", reverse("www:jury_create")),
        ("post", reverse("www:jury_create")),
    ]
    for method, url in urls + jury_urls(world["jury"], world["session"]):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(login), url


def test_staff_of_another_certifier_get_404_and_change_nothing(client, world):
    ready = ready_candidacy(world["certification"])
    services.agenda_add(session=world["session"], candidacies=[ready], by=world["staff"])
    sign_in(client, world["other_staff"])
    data = {
        "starts_at": "2031-01-10T09:00",
        "place": "Ailleurs",
        "reason": "Essai",
        "candidacy": ready.pk,
        "one": ready.pk,
        "email": "intrus@exemple.fr",
    }
    for method, url in jury_urls(world["jury"], world["session"]):
        response = client.get(url) if method == "get" else client.post(url, data)
        assert response.status_code == 404, url
    world["session"].refresh_from_db()
    assert world["session"].state == SessionState.PLANNED and world["session"].place == "Maison de la branche, Paris"
    assert AgendaItem.objects.filter(session=world["session"]).count() == 1
    assert not User.objects.filter(email="intrus@exemple.fr").exists()
    # Their list shows none of the other certifier's juries.
    response = client.get(reverse("www:jury_list"))
    assert response.status_code == 200
    assert world["jury"].name not in text(response)


def test_a_jury_member_who_is_not_staff_gets_404_on_the_staff_pages(client, world):
    sign_in(client, member_user(world["jury"], MemberRole.PRESIDENT))
    for method, url in jury_urls(world["jury"], world["session"]):
        response = getattr(client, method)(url)
        assert response.status_code == 404, url


def test_a_person_neither_staff_nor_member_is_told_why(client, world):
    sign_in(client, UserFactory())
    response = client.get(reverse("www:jury_list"))
    assert response.status_code == 403
    assert "Votre compte n'est ni l'un ni l'autre" in text(response)
    assert client.get(reverse("www:jury_create")).status_code == 403


# --- The list of juries ------------------------------------------------------------------------------


def session_link(pk):
    return reverse("www:jury_session", kwargs={"pk": pk})


def test_the_list_shows_each_jury_with_its_cqps_parity_members_and_sessions(client, world):
    jury, staff, session = world["jury"], world["staff"], world["session"]
    services.agenda_add(session=session, candidacies=[ready_candidacy(world["certification"])], by=staff)
    cancelled = plan(jury, staff, days=30)
    services.session_cancel(session=cancelled, by=staff, reason="Salle indisponible")
    sign_in(client, staff)
    response = client.get(reverse("www:jury_list"))
    assert response.status_code == 200
    page = text(response)
    assert jury.name in page
    assert world["certification"].code in page and "CQP Conducteur de ligne" in page
    assert "Autant de votants dans chaque collège" in page
    assert "Collège employeurs" in page and "Collège salariés" in page
    president = member_user(jury, MemberRole.PRESIDENT)
    assert president.get_full_name() in page
    assert "Président" in page and "Vice-président" in page and "UIMM" in page and "CFDT" in page
    assert "Planifiée" in page and "Annulée" in page
    agenda = reverse("www:jury_session_agenda", kwargs={"pk": session.pk})
    assert f'href="{agenda}"' in page
    assert f'href="{session_link(session.pk)}"' in page
    juries = response.context["juries"]
    upcoming = juries[0].upcoming_sessions
    assert [(s.pk, s.agenda_count) for s in upcoming] == [(session.pk, 1)]
    assert [s.pk for s in juries[0].past_sessions] == [cancelled.pk]


def test_a_jury_member_sees_only_the_sessions_they_are_convened_to(client, world):
    jury, staff = world["jury"], world["staff"]
    mandate = JuryMember.objects.get(jury=jury, role=MemberRole.MEMBER, college=College.EMPLOYERS)
    person = mandate.user
    # A session after their mandate does not convene them.
    later = services.session_plan(
        jury=jury,
        by=staff,
        starts_at=timezone.make_aware(
            timezone.datetime.combine(mandate.mandate_end + timedelta(days=10), timezone.datetime.min.time())
        ),
        place="Lyon",
    )
    sign_in(client, person)
    response = client.get(reverse("www:jury_list"))
    assert response.status_code == 200
    page = text(response)
    assert "Mes sessions de jury" in page
    rows = response.context["convened_upcoming"]
    assert [row.session_id for row in rows] == [world["session"].pk]
    assert later.pk not in [row.session_id for row in rows + response.context["convened_past"]]
    assert response.context["juries"] == []
    assert reverse("www:jury_create") not in page
    assert f'href="{session_link(world["session"].pk)}"' in page
    assert session_link(later.pk) not in page


def test_the_list_reads_as_many_queries_for_three_juries_as_for_one(client, world, django_assert_num_queries):
    staff = world["staff"]
    sign_in(client, staff)
    url = reverse("www:jury_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    expected = len(one)
    for _ in range(2):
        jury, _staff = jury_with_members(world["certification"], staff=staff)
        for days in (7, 21):
            plan(jury, staff, days=days)
        services.session_cancel(session=plan(jury, staff, days=30), by=staff, reason="Report")
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["juries"]) == 3


def test_the_jury_page_lists_every_mandate_and_session(client, world):
    sign_in(client, world["staff"])
    response = client.get(reverse("www:jury_detail", kwargs={"pk": world["jury"].pk}))
    assert response.status_code == 200
    page = text(response)
    assert "mandat du" in page
    assert len(response.context["upcoming"]) == 1


# --- Creating a jury, adding members -----------------------------------------------------------------


def test_staff_create_a_jury_for_their_certifications(client, world):
    staff = world["staff"]
    sign_in(client, staff)
    url = reverse("www:jury_create")
    form = client.get(url)
    assert form.status_code == 200
    assert world["certification"].code in text(form)
    assert world["other_certification"].code not in text(form)
    certifier = world["certification"].certifiers.get()
    response = client.post(
        url,
        {
            "certifier": certifier.pk,
            "name": "Jury national de la plasturgie",
            "certifications": [world["certification"].pk],
            "parity_rule": "WEIGHTED",
        },
    )
    jury = Jury.objects.get(name="Jury national de la plasturgie")
    assert response.status_code == 302 and response["Location"] == reverse("www:jury_detail", kwargs={"pk": jury.pk})
    assert jury.certifier == certifier and jury.parity_rule == "WEIGHTED"
    assert list(jury.certifications.all()) == [world["certification"]]
    assert AuditEvent.objects.filter(action="jury_create", object_id=str(jury.pk), actor=staff).exists()


def test_a_jury_without_certification_or_with_another_certifiers_cqp_is_refused(client, world):
    sign_in(client, world["staff"])
    certifier = world["certification"].certifiers.get()
    count = Jury.objects.count()
    url = reverse("www:jury_create")
    response = client.post(url, {"certifier": certifier.pk, "name": "Jury", "parity_rule": "EQUAL_MEMBERS"})
    assert response.status_code == 400
    assert "Rien n'a été enregistré" in text(response)
    response = client.post(
        url,
        {
            "certifier": certifier.pk,
            "name": "Jury",
            "certifications": [world["other_certification"].pk],
            "parity_rule": "EQUAL_MEMBERS",
        },
    )
    assert response.status_code == 400
    assert Jury.objects.count() == count


def member_data(**changes):
    data = {
        "email": "claire.morel@syndicat.example",
        "first_name": "Claire",
        "last_name": "Morel",
        "college": College.EMPLOYEES,
        "represents": "CFE-CGC",
        "role": MemberRole.MEMBER,
        "mandate_start": "2025-01-01",
        "mandate_end": "2028-12-31",
    }
    data.update(changes)
    return data


def test_adding_a_member_without_account_opens_one_and_sends_the_password_email(
    client, world, django_capture_on_commit_callbacks
):
    jury = world["jury"]
    sign_in(client, world["staff"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("www:jury_member_add", kwargs={"pk": jury.pk}), member_data())
    assert response.status_code == 302
    user = User.objects.get(email="claire.morel@syndicat.example")
    assert not user.has_usable_password() and user.get_full_name() == "Claire Morel"
    mandate = JuryMember.objects.get(jury=jury, user=user)
    assert (mandate.college, mandate.represents, mandate.role) == (College.EMPLOYEES, "CFE-CGC", MemberRole.MEMBER)
    assert Membership.objects.filter(user=user, role=Role.JURY_MEMBER, certifier=jury.certifier).exists()
    sent = [m for m in mail.outbox if m.to == [user.email]]
    assert len(sent) == 1 and "/compte/" in sent[0].body
    assert "Un compte lui a été ouvert" in messages_of(client.get(response["Location"]))


def test_adding_an_existing_account_sends_no_password_email(client, world, django_capture_on_commit_callbacks):
    person = UserFactory(email="deja@exemple.fr")
    sign_in(client, world["staff"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("www:jury_member_add", kwargs={"pk": world["jury"].pk}),
            member_data(email="DEJA@exemple.fr", first_name="", last_name=""),
        )
    assert response.status_code == 302
    assert JuryMember.objects.filter(jury=world["jury"], user=person).exists()
    assert mail.outbox == []


def test_a_refused_mandate_opens_no_account_and_shows_the_reason(client, world, django_capture_on_commit_callbacks):
    jury = world["jury"]
    sign_in(client, world["staff"])
    mail.outbox.clear()
    url = reverse("www:jury_member_add", kwargs={"pk": jury.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, member_data(role=MemberRole.PRESIDENT))
    assert response.status_code == 400
    assert "Ce jury a déjà un président pour ces dates." in text(response)
    assert not User.objects.filter(email="claire.morel@syndicat.example").exists()
    assert mail.outbox == []
    response = client.post(url, member_data(first_name="", last_name=""))
    assert response.status_code == 400
    assert "indiquez le prénom et le nom" in text(response)
    response = client.post(url, member_data(mandate_start="2029-01-01", mandate_end="2028-01-01"))
    assert response.status_code == 400
    assert "La fin du mandat précède son début." in text(response)
    assert not User.objects.filter(email="claire.morel@syndicat.example").exists()


# --- Planning, editing, cancelling --------------------------------------------------------------------


def test_planning_convenes_the_members_whose_mandate_covers_the_date(client, world):
    jury, staff = world["jury"], world["staff"]
    ended = JuryMember.objects.filter(jury=jury, role=MemberRole.MEMBER, college=College.EMPLOYERS).get()
    ended.mandate_end = timezone.localdate() + timedelta(days=20)
    ended.save()
    sign_in(client, staff)
    url = reverse("www:jury_session_plan", kwargs={"pk": jury.pk})
    day = (timezone.localdate() + timedelta(days=40)).isoformat()
    preview = client.get(url, {"starts_at": f"{day}T09:30"})
    assert ended not in preview.context["convened"] and len(preview.context["convened"]) == 3
    response = client.post(url, {"starts_at": f"{day}T09:30", "place": "", "video_url": "https://visio.example/jury"})
    session = JurySession.objects.exclude(pk=world["session"].pk).get(jury=jury)
    assert response.status_code == 302
    assert response["Location"] == reverse("www:jury_session_agenda", kwargs={"pk": session.pk})
    assert session.video_url == "https://visio.example/jury"
    convened = set(session.attendances.values_list("member_id", flat=True))
    assert ended.pk not in convened and len(convened) == 3
    assert "3 membres convoqués" in messages_of(client.get(response["Location"]))


def test_a_session_without_place_or_link_is_refused(client, world):
    sign_in(client, world["staff"])
    count = JurySession.objects.count()
    response = client.post(
        reverse("www:jury_session_plan", kwargs={"pk": world["jury"].pk}), {"starts_at": "2031-03-02T09:00"}
    )
    assert response.status_code == 400
    assert "Indiquez un lieu ou un lien de visioconférence." in text(response)
    assert JurySession.objects.count() == count


def test_a_planned_session_is_edited_then_no_longer_once_open(client, world):
    session = world["session"]
    sign_in(client, world["staff"])
    url = reverse("www:jury_session_edit", kwargs={"pk": session.pk})
    assert client.get(url).status_code == 200
    # The new date is past the mandate of one member: the others stay convened.
    day = timezone.localdate() + timedelta(days=400)
    leaving = JuryMember.objects.get(jury=world["jury"], role=MemberRole.MEMBER, college=College.EMPLOYEES)
    leaving.mandate_end = day - timedelta(days=100)
    leaving.save()
    response = client.post(url, {"starts_at": f"{day.isoformat()}T14:00", "place": "Salle B, Lille"})
    assert response.status_code == 302
    assert "3 membres convoqués" in messages_of(client.get(response["Location"]))
    session.refresh_from_db()
    assert session.place == "Salle B, Lille"
    assert timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M") == f"{day.isoformat()} 14:00"
    assert leaving.pk not in set(session.attendances.values_list("member_id", flat=True))
    JurySession.objects.filter(pk=session.pk).update(state=SessionState.OPEN)
    response = client.post(url, {"starts_at": f"{day.isoformat()}T15:00", "place": "Ailleurs"})
    assert response.status_code == 400
    assert "elle ne se modifie plus" in text(response)
    session.refresh_from_db()
    assert session.place == "Salle B, Lille"


def test_cancelling_needs_a_reason_and_puts_the_candidacies_back(client, world):
    session, staff = world["session"], world["staff"]
    ready = ready_candidacy(world["certification"])
    services.agenda_add(session=session, candidacies=[ready], by=staff)
    sign_in(client, staff)
    url = reverse("www:jury_session_cancel", kwargs={"pk": session.pk})
    assert "1 candidature est à l'ordre du jour" in text(client.get(url))
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    session.refresh_from_db()
    assert session.state == SessionState.PLANNED
    response = client.post(url, {"reason": "Quorum impossible à réunir"})
    assert response.status_code == 302
    session.refresh_from_db()
    ready.refresh_from_db()
    assert session.state == SessionState.CANCELLED
    assert ready.state == State.READY_FOR_JURY
    assert AuditEvent.objects.filter(action="jury_session_cancel", reason="Quorum impossible à réunir").exists()


# --- The agenda ---------------------------------------------------------------------------------------


def agenda(session):
    return reverse("www:jury_session_agenda", kwargs={"pk": session.pk})


def add(session):
    return reverse("www:jury_session_agenda_add", kwargs={"pk": session.pk})


def test_candidacies_are_added_one_by_one_or_ticked_and_removed(client, world):
    session = world["session"]
    first, second, third = (ready_candidacy(world["certification"]) for _ in range(3))
    foreign = ready_candidacy(world["other_certification"])
    sign_in(client, world["staff"])
    page = client.get(agenda(session))
    assert page.context["ready_count"] == 3
    assert foreign.pk not in [c.pk for c in page.context["page"].object_list]

    assert client.post(add(session), {"one": first.pk}).status_code == 302
    assert client.post(add(session), {"candidacies": [second.pk, third.pk]}).status_code == 302
    assert set(AgendaItem.objects.filter(session=session).values_list("candidacy_id", flat=True)) == {
        first.pk,
        second.pk,
        third.pk,
    }
    first.refresh_from_db()
    assert first.state == State.SCHEDULED_FOR_JURY

    # A candidacy of another jury is not found among those ready: nothing is added.
    response = client.post(add(session), {"candidacies": [foreign.pk]})
    assert "plus prête pour ce jury" in messages_of(client.get(response["Location"]))
    foreign.refresh_from_db()
    assert foreign.state == State.READY_FOR_JURY

    response = client.post(
        reverse("www:jury_session_agenda_remove", kwargs={"pk": session.pk}), {"candidacy": first.pk}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == State.READY_FOR_JURY
    assert AgendaItem.objects.filter(session=session).count() == 2


def test_bulk_adding_by_filter_shows_the_count_and_refuses_a_stale_one(client, world):
    session = world["session"]
    training = [ready_candidacy(world["certification"]) for _ in range(2)]
    vae = ready_candidacy(world["certification"], path="VAE")
    sign_in(client, world["staff"])
    page = client.get(agenda(session), {"path": "TRAINING"})
    assert page.context["ready_count"] == 2
    assert "Ajouter ces 2 candidatures à l'ordre du jour" in text(page)
    by_centre = client.get(agenda(session), {"centre": vae.assessment_centre_id})
    assert [c.pk for c in by_centre.context["page"].object_list] == [vae.pk]

    # The count seen no longer matches: nothing is added.
    response = client.post(add(session), {"path": "TRAINING", "all": "1", "expected": "5"})
    assert "rien n'a été ajouté" in messages_of(client.get(response["Location"]))
    assert not AgendaItem.objects.filter(session=session).exists()

    response = client.post(add(session), {"path": "TRAINING", "all": "1", "expected": "2"})
    assert response["Location"] == agenda(session) + "?path=TRAINING"
    assert "2 candidatures ajoutées" in messages_of(client.get(response["Location"]))
    assert set(AgendaItem.objects.filter(session=session).values_list("candidacy_id", flat=True)) == {
        c.pk for c in training
    }
    vae.refresh_from_db()
    assert vae.state == State.READY_FOR_JURY


def test_a_closed_agenda_is_shown_without_forms(client, world):
    session = world["session"]
    JurySession.objects.filter(pk=session.pk).update(state=SessionState.OPEN)
    sign_in(client, world["staff"])
    page = client.get(agenda(session))
    assert page.status_code == 200
    assert "son ordre du jour est arrêté" in text(page)
    assert add(session) not in text(page)


def test_a_signed_decision_is_put_back_for_correction_with_its_reason(client):
    candidacy, signed, staff = decided_candidacy(opinion="REFUSAL")
    session = plan(signed.jury, staff)
    deliberation = candidacy.deliberations.get()
    sign_in(client, staff)
    page = client.get(agenda(session))
    assert [d.pk for d in page.context["correctable"]] == [deliberation.pk]
    url = reverse("www:jury_session_agenda_correct", kwargs={"pk": session.pk})
    response = client.post(url, {"deliberation": deliberation.pk, "reason": ""})
    assert response.status_code == 400
    assert not AgendaItem.objects.filter(session=session).exists()
    response = client.post(url, {"deliberation": deliberation.pk, "reason": "Erreur matérielle sur le bloc 1"})
    assert response.status_code == 302
    item = AgendaItem.objects.get(session=session)
    assert item.corrects == deliberation and item.correction_reason == "Erreur matérielle sur le bloc 1"
    # Already on an agenda: no longer offered.
    assert list(client.get(agenda(session)).context["correctable"]) == []


def test_the_agenda_reads_as_many_queries_for_30_candidacies_as_for_3(client, world, django_assert_num_queries):
    session, staff = world["session"], world["staff"]
    sign_in(client, staff)

    def grow_to(total):
        """`total` candidacies of the jury: a half on the agenda, the others ready for the jury."""
        scheduled = AgendaItem.objects.filter(session=session).count()
        ready = candidacies_ready_for(session.jury).count()
        made = [ready_candidacy(world["certification"]) for _ in range(total - scheduled - ready)]
        services.agenda_add(session=session, candidacies=made[: total // 2 - scheduled], by=staff)

    grow_to(3)
    client.get(agenda(session))  # the first request of a session reads a little more
    with CaptureQueriesContext(connection) as three:
        response = client.get(agenda(session))
    # Counted now: a later request clears the connection's query log.
    expected = len(three)
    assert (len(response.context["rows"]), response.context["ready_count"]) == (1, 2)

    grow_to(30)
    with django_assert_num_queries(expected):
        response = client.get(agenda(session))
    assert (len(response.context["rows"]), response.context["ready_count"]) == (15, 15)
    assert len(response.context["page"].object_list) == 15


# --- Convocations -------------------------------------------------------------------------------------


def test_convocations_are_counted_then_sent_to_members_and_candidates(
    client, world, django_capture_on_commit_callbacks
):
    session, staff = world["session"], world["staff"]
    candidacies = [ready_candidacy(world["certification"]) for _ in range(2)]
    services.agenda_add(session=session, candidacies=candidacies, by=staff)
    sign_in(client, staff)
    url = reverse("www:jury_session_convene", kwargs={"pk": session.pk})
    page = text(client.get(url))
    assert "4 membres du jury" in page and "2 candidats" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert len(mail.outbox) == 6
    assert all(m.attachments and m.attachments[0][2] == "application/pdf" for m in mail.outbox)
    done = client.get(response["Location"])
    assert "4 membres du jury et 2 candidats" in messages_of(done)
    assert "Tous les membres et tous les candidats" in text(client.get(url))


# --- Mon espace ---------------------------------------------------------------------------------------


def test_the_dashboard_leads_staff_and_members_to_their_jury_pages(client, world):
    sign_in(client, world["staff"])
    page = text(client.get(reverse("www:dashboard")))
    assert "Jurys et sessions" in page and f'href="{reverse("www:jury_list")}"' in page
    assert f'href="{reverse("www:award_list")}"' in page and "Délivrances" in page
    sign_in(client, member_user(world["jury"], MemberRole.VICE_PRESIDENT))
    page = text(client.get(reverse("www:dashboard")))
    assert "Mes sessions de jury" in page and "Jurys et sessions" not in page
