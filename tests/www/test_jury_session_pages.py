"""The jury session pages: who sees them, the acts posted from them, the dossier and its deliberation
(conflicting edits, recusals), the minutes, delivery and the awards register, the candidate's view,
and constant query counts whatever the agenda's length or the number of blocks."""

import html

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cqp.accounts.enums import Role
from cqp.accounts.models import User
from cqp.awards.models import Award
from cqp.candidacies.enums import State
from cqp.candidacies.models import Document
from cqp.juries import services
from cqp.juries.enums import College, MemberRole, SessionState
from cqp.juries.models import Deliberation, JuryMinutes
from tests.candidacies.factories import CertifierFactory, certification_with_blocks, member
from tests.catalogue.factories import EvaluationCriterionFactory
from tests.juries.factories import (
    decided_candidacy,
    deliberate,
    jury_staff,
    jury_with_members,
    member_user,
    open_session,
    ready_candidacy,
    unanimous,
)

pytestmark = pytest.mark.django_db


def text_of(response):
    return html.unescape(response.content.decode())


def login(client, user):
    client.force_login(User.objects.get(pk=user.pk))


def graded_certification(blocks=3):
    """A certification whose blocks have two criteria each, so assessments carry results."""
    certification = certification_with_blocks(blocks=blocks)
    for block in certification.blocks.all():
        for position in (1, 2):
            EvaluationCriterionFactory(block=block, position=position)
    return certification


def planned_session(jury, staff, candidacies):
    session = services.session_plan(jury=jury, by=staff, starts_at=timezone.now(), place="Maison de la branche")
    services.agenda_add(session=session, candidacies=candidacies, by=staff)
    return session


def ordinary_member(jury, college=College.EMPLOYERS):
    return jury.members.get(role=MemberRole.MEMBER, college=college).user


@pytest.fixture
def world():
    candidacy = ready_candidacy(graded_certification())
    jury, staff = jury_with_members(candidacy.certification)
    session = planned_session(jury, staff, [candidacy])
    other_candidacy = ready_candidacy()
    other_jury, _other_staff = jury_with_members(other_candidacy.certification)
    return {
        "candidacy": candidacy,
        "jury": jury,
        "session": session,
        "staff": staff,
        "president": member_user(jury, MemberRole.PRESIDENT),
        "vice": member_user(jury, MemberRole.VICE_PRESIDENT),
        "member": ordinary_member(jury),
        "other_staff": jury_staff(CertifierFactory()),
        "other_member": member_user(other_jury, MemberRole.PRESIDENT),
    }


def present_all(session, by):
    services.attendance_record(session=session, by=by, present={a.member_id: True for a in session.attendances.all()})


def deliberation_post(session, candidacy, *, validated, motivation="", revision="", action="record", against=0):
    data = {"action": action, "motivation": motivation, "revision": revision}
    for code in validated:
        data[f"block_{code}"] = "on"
    for college, counts in unanimous(session, against=against).items():
        for key, value in counts.items():
            data[f"{college.lower()}_{key}"] = value
    return data


def session_urls(session, candidacy, document=None):
    pk = session.pk
    found = [
        ("get", reverse("www:jury_session", args=[pk])),
        ("post", reverse("www:jury_session_attendance", args=[pk])),
        ("post", reverse("www:jury_session_open", args=[pk])),
        ("post", reverse("www:jury_session_close", args=[pk])),
        ("post", reverse("www:jury_session_reopen", args=[pk])),
        ("get", reverse("www:jury_minutes_pdf", args=[pk])),
        ("get", reverse("www:jury_minutes_sign", args=[pk])),
        ("get", reverse("www:jury_session_deliver", args=[pk])),
        ("get", reverse("www:jury_dossier", args=[pk, candidacy.pk])),
        ("post", reverse("www:jury_deliberate", args=[pk, candidacy.pk])),
    ]
    if document is not None:
        found.append(("get", reverse("www:jury_dossier_document", args=[pk, candidacy.pk, document.pk])))
    return found


def a_document(candidacy):
    document = Document(
        candidacy=candidacy, kind="OTHER", original_name="preuve.pdf", content_type="application/pdf", size=8
    )
    document.file.save("preuve", ContentFile(b"%PDF-1.4"), save=False)
    document.save()
    return document


# --- Who may see ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_staff", "other_member"])
def test_other_staff_and_members_get_404_and_nothing_changes(client, world, who):
    session, candidacy = world["session"], world["candidacy"]
    document = a_document(candidacy)
    login(client, world[who])
    for method, url in session_urls(session, candidacy, document):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (who, url)
    session.refresh_from_db()
    assert session.state == SessionState.PLANNED
    assert not session.attendances.filter(present__isnull=False).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for method, url in session_urls(world["session"], world["candidacy"]):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"], url
    for url in (reverse("www:award_list"), reverse("www:award_detail", args=[1])):
        response = client.get(url)
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


@pytest.mark.parametrize("who", ["staff", "president", "member"])
def test_staff_and_convened_members_see_the_session(client, world, who):
    login(client, world[who])
    response = client.get(reverse("www:jury_session", args=[world["session"].pk]))
    assert response.status_code == 200
    text = text_of(response)
    assert "Autant de votants dans chaque collège" in text
    assert "Collège employeurs" in text and "Collège salariés" in text
    assert "Relevez la présence de chaque membre convoqué" in text
    assert str(world["candidacy"].candidate) in text
    # Acts are offered by role: the ordinary member records nothing.
    assert ("Enregistrer les présences" in text) == (who != "member")


def test_a_member_not_convened_to_this_session_gets_404(client, world):
    """A member of the same jury planned on another session does not see this one."""
    jury, staff = world["jury"], world["staff"]
    other = services.session_plan(jury=jury, by=staff, starts_at=timezone.now(), place="Ailleurs")
    other.attendances.exclude(member__user=world["president"]).delete()
    login(client, world["member"])
    assert client.get(reverse("www:jury_session", args=[other.pk])).status_code == 404


# --- Attendance, opening, closing, reopening ---------------------------------------------------------


def test_staff_records_attendance_and_opens(client, world):
    session = world["session"]
    login(client, world["staff"])
    data = {f"present_{a.member_id}": "yes" for a in session.attendances.all()}
    response = client.post(reverse("www:jury_session_attendance", args=[session.pk]), data)
    assert response.status_code == 302
    assert set(session.attendances.values_list("present", flat=True)) == {True}
    page = text_of(client.get(reverse("www:jury_session", args=[session.pk])))
    assert "La session est régulière" in page
    client.post(reverse("www:jury_session_open", args=[session.pk]))
    session.refresh_from_db()
    assert session.state == SessionState.OPEN


def test_attendance_form_requires_an_answer_per_member(client, world):
    session = world["session"]
    login(client, world["president"])
    response = client.post(reverse("www:jury_session_attendance", args=[session.pk]), {})
    assert response.status_code == 400
    assert "Indiquez si cette personne est présente ou absente." in text_of(response)
    assert not session.attendances.filter(present__isnull=False).exists()


def test_an_irregular_session_does_not_open_and_says_why(client, world):
    session = world["session"]
    employers = session.attendances.filter(member__college=College.EMPLOYERS, member__role=MemberRole.MEMBER)
    present = {a.member_id: a.pk not in set(employers.values_list("pk", flat=True)) for a in session.attendances.all()}
    services.attendance_record(session=session, by=world["staff"], present=present)
    login(client, world["staff"])
    page = text_of(client.get(reverse("www:jury_session", args=[session.pk])))
    assert "La parité n'est pas respectée" in page
    response = client.post(reverse("www:jury_session_open", args=[session.pk]), follow=True)
    assert "Rien n'a été fait" in text_of(response)
    session.refresh_from_db()
    assert session.state == SessionState.PLANNED


def test_an_ordinary_member_cannot_open(client, world):
    session = world["session"]
    present_all(session, world["staff"])
    login(client, world["member"])
    response = client.post(reverse("www:jury_session_open", args=[session.pk]), follow=True)
    assert "Le personnel du certificateur ou le président ouvre la délibération." in text_of(response)
    session.refresh_from_db()
    assert session.state == SessionState.PLANNED


def test_president_closes_then_reopens_with_a_reason(client, world):
    session, candidacy = world["session"], world["candidacy"]
    present_all(session, world["staff"])
    services.session_open(session=session, by=world["staff"])
    deliberate(session, candidacy, by=world["staff"])
    login(client, world["president"])
    client.post(reverse("www:jury_session_close", args=[session.pk]))
    session.refresh_from_db()
    assert session.state == SessionState.CLOSED
    page = text_of(client.get(reverse("www:jury_session", args=[session.pk])))
    assert JuryMinutes.objects.get(session=session).draft_sha256 in page
    response = client.post(reverse("www:jury_session_reopen", args=[session.pk]), {"reason": ""})
    assert response.status_code == 400 and "Donnez le motif." in text_of(response)
    session.refresh_from_db()
    assert session.state == SessionState.CLOSED
    client.post(reverse("www:jury_session_reopen", args=[session.pk]), {"reason": "Un vote mal reporté."})
    session.refresh_from_db()
    assert session.state == SessionState.OPEN


# --- The dossier and the deliberation ---------------------------------------------------------------


@pytest.fixture
def opened(world):
    present_all(world["session"], world["staff"])
    services.session_open(session=world["session"], by=world["staff"])
    return world


def codes_of(candidacy):
    return list(candidacy.blocks.order_by("block__position").values_list("block__code", flat=True))


def test_the_dossier_shows_every_block_criterion_by_criterion(client, opened):
    session, candidacy = opened["session"], opened["candidacy"]
    login(client, opened["member"])
    response = client.get(reverse("www:jury_dossier", args=[session.pk, candidacy.pk]))
    assert response.status_code == 200
    text = text_of(response)
    for row in candidacy.blocks.select_related("block"):
        assert row.block.code in text
        for criterion in row.block.criteria.all():
            assert criterion.text in text
    assert "Observé en situation de travail." in text
    assert "Observation en situation de travail" in text  # the situation
    assert "Enregistrer la délibération" in text
    assert "Aucun membre convoqué n'a de lien connu" in text


def test_a_present_member_deliberates_and_the_opinion_follows(client, opened):
    session, candidacy = opened["session"], opened["candidacy"]
    codes = codes_of(candidacy)
    login(client, opened["member"])
    url = reverse("www:jury_deliberate", args=[session.pk, candidacy.pk])
    preview = client.post(url, deliberation_post(session, candidacy, validated=codes[:1], action="preview"))
    assert preview.status_code == 200
    assert "Attestation pour certains blocs" in text_of(preview)
    assert not Deliberation.objects.exists()

    refused = client.post(url, deliberation_post(session, candidacy, validated=codes[:1]))
    assert refused.status_code == 400
    assert "Motivez l'avis" in text_of(refused)
    assert not Deliberation.objects.exists()

    response = client.post(url, deliberation_post(session, candidacy, validated=codes))
    assert response.status_code == 302
    deliberation = Deliberation.objects.get()
    assert deliberation.opinion == "AWARD" and deliberation.recorded_by_id == opened["member"].pk
    assert deliberation.blocks.filter(validated=True).count() == len(codes)
    page = text_of(client.get(reverse("www:jury_session", args=[session.pk])))
    assert "Obtention de la certification" in page


def test_a_concurrent_edit_is_shown_and_the_input_kept(client, opened):
    session, candidacy = opened["session"], opened["candidacy"]
    codes = codes_of(candidacy)
    url = reverse("www:jury_deliberate", args=[session.pk, candidacy.pk])
    # Both open the form before anyone saved; the vice-president saves first.
    first = deliberate(session, candidacy, by=opened["vice"], validated=codes)
    login(client, opened["member"])
    mine = deliberation_post(
        session, candidacy, validated=codes[:2], motivation="Le troisième bloc n'est pas démontré."
    )
    response = client.post(url, mine)
    assert response.status_code == 409
    text = text_of(response)
    assert "Quelqu'un a enregistré cette délibération entre-temps" in text
    assert "Le troisième bloc n'est pas démontré." in text  # the person's input is still in the form
    assert f'name="revision" value="{first.revision}"' in response.content.decode()
    first.refresh_from_db()
    assert first.opinion == "AWARD" and first.revision == 1

    # Amending from a stale revision is a conflict too; from the one shown, it replaces theirs.
    mine["revision"] = first.revision
    again = client.post(url, mine)
    assert again.status_code == 302
    first.refresh_from_db()
    assert first.opinion == "PARTIAL" and first.revision == 2
    mine["revision"] = 1
    stale = client.post(url, mine)
    assert stale.status_code == 409
    first.refresh_from_db()
    assert first.revision == 2


def test_a_member_linked_to_the_candidate_is_recused(client, opened):
    session, candidacy, linked = opened["session"], opened["candidacy"], opened["member"]
    member(User.objects.get(pk=linked.pk), Role.EMPLOYER, organisation=candidacy.employer)
    login(client, linked)
    text = text_of(client.get(reverse("www:jury_dossier", args=[session.pk, candidacy.pk])))
    assert "son organisation emploie le candidat" in text
    assert "vous ne délibérez pas sur sa candidature" in text
    assert "Enregistrer la délibération" not in text
    response = client.post(
        reverse("www:jury_deliberate", args=[session.pk, candidacy.pk]),
        deliberation_post(session, candidacy, validated=codes_of(candidacy)),
    )
    assert response.status_code == 302
    assert not Deliberation.objects.exists()
    session_page = text_of(client.get(reverse("www:jury_session", args=[session.pk])))
    assert "son organisation emploie le candidat" in session_page


def test_jury_members_read_the_pieces_through_their_session_only(client, opened):
    session, candidacy = opened["session"], opened["candidacy"]
    document = a_document(candidacy)
    login(client, opened["member"])
    own_view = reverse("www:candidacy_document", args=[candidacy.pk, document.pk])
    assert client.get(own_view).status_code == 404
    response = client.get(reverse("www:jury_dossier_document", args=[session.pk, candidacy.pk, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4"
    elsewhere = a_document(ready_candidacy())
    url = reverse("www:jury_dossier_document", args=[session.pk, candidacy.pk, elsewhere.pk])
    assert client.get(url).status_code == 404


def test_a_vae_dossier_shows_each_block_narrative_and_its_evidence(client):
    candidacy = ready_candidacy(graded_certification(2), path="VAE")
    jury, staff = jury_with_members(candidacy.certification)
    session = planned_session(jury, staff, [candidacy])
    entry = candidacy.vae_dossier.select_related("block").first()
    document = a_document(candidacy)
    entry.documents.add(document)
    login(client, ordinary_member(jury))
    response = client.get(reverse("www:jury_dossier", args=[session.pk, candidacy.pk]))
    text = text_of(response)
    assert f"Expérience du bloc {entry.block.code}." in text
    assert reverse("www:jury_dossier_document", args=[session.pk, candidacy.pk, document.pk]) in text
    assert "Recevabilité VAE" in text and "Dossier de validation enregistré" in text


def test_nothing_is_recorded_outside_an_open_session(client, world):
    session, candidacy = world["session"], world["candidacy"]
    login(client, world["staff"])
    url = reverse("www:jury_deliberate", args=[session.pk, candidacy.pk])
    response = client.post(url, deliberation_post(session, candidacy, validated=codes_of(candidacy)), follow=True)
    assert "la délibération n'est pas ouverte" in text_of(response)
    assert not Deliberation.objects.exists()


def test_the_jury_corrects_a_signed_decision_on_the_blocks_it_decided(client):
    candidacy, signed, staff = decided_candidacy(opinion="PARTIAL")
    earlier = Deliberation.objects.get()
    session = services.session_plan(jury=signed.jury, by=staff, starts_at=timezone.now(), place="Siège")
    services.agenda_add_correction(session=session, deliberation=earlier, by=staff, reason="Erreur de report.")
    present_all(session, staff)
    services.session_open(session=session, by=staff)
    login(client, staff)
    dossier = text_of(client.get(reverse("www:jury_dossier", args=[session.pk, candidacy.pk])))
    assert "Le jury corrige une délibération signée" in dossier and "Erreur de report." in dossier
    assert "Délibérations précédentes" in dossier
    response = client.post(
        reverse("www:jury_deliberate", args=[session.pk, candidacy.pk]),
        deliberation_post(session, candidacy, validated=codes_of(candidacy), motivation="Erreur corrigée."),
    )
    assert response.status_code == 302
    correction = Deliberation.objects.get(session=session)
    assert correction.opinion == "AWARD" and correction.corrects == earlier


def test_dossiers_link_to_the_previous_and_next(client, world):
    jury, staff = world["jury"], world["staff"]
    candidacies = [ready_candidacy(world["candidacy"].certification) for _ in range(3)]
    session = planned_session(jury, staff, candidacies)
    login(client, staff)
    text = client.get(reverse("www:jury_dossier", args=[session.pk, candidacies[1].pk])).content.decode()
    assert reverse("www:jury_dossier", args=[session.pk, candidacies[0].pk]) in text
    assert reverse("www:jury_dossier", args=[session.pk, candidacies[2].pk]) in text
    assert "Dossier 2 sur 3" in html.unescape(text)


# --- Minutes, signatures, delivery -------------------------------------------------------------------


@pytest.fixture
def closed(opened):
    deliberate(opened["session"], opened["candidacy"], by=opened["staff"])
    services.session_close(session=opened["session"], by=opened["president"])
    return opened


def test_president_and_vice_president_sign_the_draft_they_saw(client, closed):
    session = closed["session"]
    minutes = JuryMinutes.objects.get(session=session)
    url = reverse("www:jury_minutes_sign", args=[session.pk])
    login(client, closed["member"])
    assert client.get(url).status_code == 403

    login(client, closed["president"])
    page = client.get(url)
    assert page.status_code == 200
    assert minutes.draft_sha256 in text_of(page) and "Je signe le procès-verbal" in text_of(page)
    pdf = client.get(reverse("www:jury_minutes_pdf", args=[session.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    wrong = client.post(url, {"sha256": "0" * 64})
    assert wrong.status_code == 400 and "a changé depuis que vous l'avez ouvert" in text_of(wrong)
    minutes.refresh_from_db()
    assert minutes.president_signed_at is None

    assert client.post(url, {"sha256": minutes.draft_sha256}).status_code == 302
    login(client, closed["vice"])
    assert client.post(url, {"sha256": minutes.draft_sha256}).status_code == 302
    session.refresh_from_db()
    assert session.state == SessionState.SIGNED


def test_staff_delivers_the_session_and_sees_the_numbers(client, closed):
    session, candidacy = closed["session"], closed["candidacy"]
    sign_both = [closed["president"], closed["vice"]]
    for signer in sign_both:
        services.minutes_sign(session=session, by=signer)
    url = reverse("www:jury_session_deliver", args=[session.pk])
    login(client, closed["member"])
    assert client.get(url).status_code == 403
    login(client, closed["staff"])
    preview = text_of(client.get(url))
    assert "1 certificat" in preview and "0 refus à notifier" in preview
    assert not Award.objects.exists()
    result = client.post(url)
    assert result.status_code == 200
    award = Award.objects.get()
    text = text_of(result)
    assert "1 certificat délivré" in text and award.number in text
    candidacy.refresh_from_db()
    assert candidacy.state == State.DELIVERED
    # Delivering again gives the same award back.
    again = text_of(client.post(url))
    assert "1 déjà délivrée ou notifiée auparavant" in again and Award.objects.count() == 1


def test_one_candidacy_is_delivered_from_its_dossier():
    candidacy, session, staff = decided_candidacy(opinion="PARTIAL")
    from django.test import Client

    client = Client()
    login(client, staff)
    dossier = text_of(client.get(reverse("www:jury_dossier", args=[session.pk, candidacy.pk])))
    assert "Délivrer pour cette candidature" in dossier
    response = client.post(reverse("www:jury_session_deliver", args=[session.pk]), {"candidacy": candidacy.pk})
    assert response.status_code == 302
    award = Award.objects.get()
    assert award.kind == "BLOCK_ATTESTATION"
    assert award.number in text_of(client.get(response["Location"]))


# --- The awards register ---------------------------------------------------------------------------


def test_the_register_lists_filters_and_revokes(client):
    candidacy, session, staff = decided_candidacy(opinion="AWARD")
    from cqp.awards import services as awards

    awards.session_deliver(session=session, by=staff)
    award = Award.objects.get()
    login(client, staff)
    listing = text_of(client.get(reverse("www:award_list")))
    assert award.number in listing and str(candidacy.candidate) in listing
    assert award.number not in text_of(client.get(reverse("www:award_list"), {"kind": "BLOCK_ATTESTATION"}))
    assert award.number in text_of(client.get(reverse("www:award_list"), {"year": award.year}))
    assert award.number in text_of(client.get(reverse("www:award_list"), {"certification": award.certification_id}))
    # A year without awards is not among the choices: the filter is ignored rather than refused.
    assert award.number in text_of(client.get(reverse("www:award_list"), {"year": award.year - 1}))
    detail = reverse("www:award_detail", args=[award.pk])
    assert client.get(detail).status_code == 200
    revoke = reverse("www:award_revoke", args=[award.pk])
    assert client.post(revoke, {"reason": ""}).status_code == 400
    award.refresh_from_db()
    assert not award.revoked
    assert client.post(revoke, {"reason": "Pièce d'identité falsifiée."}).status_code == 302
    award.refresh_from_db()
    assert award.revoked and award.revocation_reason == "Pièce d'identité falsifiée."
    assert "retirée le" in text_of(client.get(reverse("www:award_list")))

    # Other certifiers' staff, jury members and candidates do not see it.
    for outsider in (
        jury_staff(CertifierFactory()),
        member_user(session.jury, MemberRole.PRESIDENT),
        candidacy.candidate.user,
    ):
        login(client, outsider)
        assert client.get(detail).status_code == 404
        assert client.post(revoke, {"reason": "x"}).status_code == 404
    award.refresh_from_db()
    assert award.revocation_reason == "Pièce d'identité falsifiée."


# --- The candidate's page --------------------------------------------------------------------------


def test_the_candidate_sees_the_decision_then_the_award_number(client):
    candidacy, session, staff = decided_candidacy(opinion="PARTIAL")
    login(client, candidacy.candidate.user)
    url = reverse("www:candidacy_detail", args=[candidacy.pk])
    text = text_of(client.get(url))
    assert "La décision du jury" in text and "Attestation pour certains blocs" in text
    assert "ne montrent pas la maîtrise des autres blocs" in text
    from cqp.awards import services as awards

    awards.session_deliver(session=session, by=staff)
    award = Award.objects.get()
    assert award.number in text_of(client.get(url))


def test_no_decision_is_shown_before_signature(client, closed):
    candidacy = closed["candidacy"]
    login(client, candidacy.candidate.user)
    assert "La décision du jury" not in text_of(client.get(reverse("www:candidacy_detail", args=[candidacy.pk])))


# --- Query counts ----------------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _deliberated_session(size):
    certification = certification_with_blocks(blocks=3)
    candidacies = [ready_candidacy(certification) for _ in range(size)]
    jury, staff = jury_with_members(certification)
    session = open_session(jury, staff, candidacies)
    for candidacy in candidacies[: size - 1]:
        deliberate(session, candidacy, by=staff)
    return session, staff


def test_the_session_page_reads_as_many_rows_for_30_candidacies_as_for_3(client, django_assert_num_queries):
    small, small_staff = _deliberated_session(3)
    big, big_staff = _deliberated_session(30)
    login(client, small_staff)
    expected = _queries(client, reverse("www:jury_session", args=[small.pk]))
    login(client, big_staff)
    with django_assert_num_queries(expected):
        client.get(reverse("www:jury_session", args=[big.pk]))


def _dossier_with_blocks(blocks):
    certification = graded_certification(blocks)
    candidacy = ready_candidacy(certification)
    a_document(candidacy)
    jury, staff = jury_with_members(certification)
    session = open_session(jury, staff, [candidacy])
    deliberate(session, candidacy, by=staff)
    return session, candidacy, jury


def test_the_dossier_reads_as_many_rows_for_6_blocks_as_for_2(client, django_assert_num_queries):
    small, small_candidacy, small_jury = _dossier_with_blocks(2)
    big, big_candidacy, big_jury = _dossier_with_blocks(6)
    login(client, ordinary_member(small_jury))
    expected = _queries(client, reverse("www:jury_dossier", args=[small.pk, small_candidacy.pk]))
    login(client, ordinary_member(big_jury))
    with django_assert_num_queries(expected):
        client.get(reverse("www:jury_dossier", args=[big.pk, big_candidacy.pk]))


def test_a_signed_session_is_read_only_and_offers_delivery_to_staff(client):
    candidacy, session, staff = decided_candidacy(opinion="REFUSAL")
    login(client, staff)
    text = text_of(client.get(reverse("www:jury_session", args=[session.pk])))
    assert "Délivrer pour toute la session" in text and "Télécharger le procès-verbal signé" in text
    assert "Enregistrer les présences" not in text
    login(client, member_user(session.jury, MemberRole.VICE_PRESIDENT))
    text = text_of(client.get(reverse("www:jury_session", args=[session.pk])))
    assert "Délivrer pour toute la session" not in text
    dossier = text_of(client.get(reverse("www:jury_dossier", args=[session.pk, candidacy.pk])))
    assert "Refus" in dossier and "Enregistrer la délibération" not in dossier
