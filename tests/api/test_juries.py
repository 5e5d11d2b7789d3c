"""/api/v1/juries/ and /api/v1/jury-sessions/: the jury from planning to delivery, scoping across two
certifiers (404), refusals in French (400 / 403), a stale amendment (409), and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cqp.accounts.enums import Role
from cqp.candidacies.enums import State
from cqp.candidacies.models import Candidacy
from cqp.juries import services
from cqp.juries.enums import MemberRole
from tests.candidacies.factories import UserFactory, certifier_staff, member
from tests.juries.factories import (
    deliberate,
    jury_with_members,
    member_user,
    open_session,
    ready_candidacy,
    sign,
    unanimous,
)

pytestmark = pytest.mark.django_db


def session_url(session, suffix=""):
    return f"/api/v1/jury-sessions/{session.pk}/{suffix}"


@pytest.fixture
def setting():
    """A jury of two members per college, its staff, and two candidacies ready for it."""
    first = ready_candidacy()
    second = ready_candidacy(certification=first.certification)
    jury, staff = jury_with_members(first.certification)
    return {"jury": jury, "staff": staff, "candidacies": [first, second]}


def planned(setting, *, with_agenda=True):
    session = services.session_plan(
        jury=setting["jury"], by=setting["staff"], starts_at=timezone.now(), place="Maison de la branche"
    )
    if with_agenda:
        services.agenda_add(session=session, candidacies=setting["candidacies"], by=setting["staff"])
    return session


def ordinary(jury):
    """A member who is neither president nor vice-president."""
    return jury.members.filter(role=MemberRole.MEMBER).order_by("pk").first().user


def all_present(session):
    return {str(a.member_id): True for a in session.attendances.all()}


def votes_of(session):
    return {college: dict(counts) for college, counts in unanimous(session).items()}


def codes_of(candidacy):
    return list(candidacy.blocks.order_by("block__position").values_list("block__code", flat=True))


# Juries -------------------------------------------------------------------------------------------


def test_staff_create_a_jury_and_add_members_whom_the_jury_then_shows(api):
    candidacy = ready_candidacy()
    certification = candidacy.certification
    staff = certifier_staff(certification.certifiers.get())
    api.force_authenticate(staff)

    created = api.post(
        "/api/v1/juries/",
        {"name": "Jury national", "certifications": [certification.code.lower()], "parity_rule": "WEIGHTED"},
        format="json",
    )
    assert created.status_code == 201, created.content
    jury = created.json()
    assert created["Location"] == jury["api_url"]
    assert jury["certifications"] == [certification.code] and jury["parity_rule"] == "WEIGHTED"
    assert jury["certifier"] == candidacy.certifier.siret and jury["members"] == []

    person = UserFactory(first_name="Dominique", last_name="Leroy")
    body = {
        "email": person.email.upper(),
        "college": "EMPLOYERS",
        "represents": "UIMM",
        "role": "PRESIDENT",
        "mandate_start": "2026-01-01",
        "mandate_end": "2028-12-31",
    }
    added = api.post(f"/api/v1/juries/{jury['id']}/members/", body, format="json")
    assert added.status_code == 201, added.content
    (row,) = added.json()["members"]
    assert row == {
        "id": row["id"],
        "name": "Dominique Leroy",
        "college": "EMPLOYERS",
        "represents": "UIMM",
        "role": "PRESIDENT",
        "mandate": {"start": "2026-01-01", "end": "2028-12-31"},
    }
    # A second president for the same dates: the service's refusal, in French.
    again = api.post(f"/api/v1/juries/{jury['id']}/members/", {**body, "email": UserFactory().email}, format="json")
    assert again.status_code == 400
    assert "Ce jury a déjà un président pour ces dates." in again.json()["non_field_errors"]
    unknown = api.post(f"/api/v1/juries/{jury['id']}/members/", {**body, "email": "x@nulle-part.fr"}, format="json")
    assert unknown.status_code == 400 and "Aucun compte actif" in unknown.json()["email"][0]

    # The member now sees the jury; so does the staff, in the list.
    api.force_authenticate(person)
    assert [j["id"] for j in api.get("/api/v1/juries/").json()["results"]] == [jury["id"]]


def test_jury_creation_refusals(api):
    candidacy = ready_candidacy()
    other = ready_candidacy()
    staff = certifier_staff(candidacy.certifier)
    api.force_authenticate(staff)

    foreign = api.post("/api/v1/juries/", {"name": "Jury", "certifications": [other.certification.code]}, format="json")
    assert foreign.status_code == 400
    assert "ne relèvent pas de ce certificateur" in foreign.json()["certifications"][0]
    missing = api.post("/api/v1/juries/", {"name": "Jury", "certifications": ["RNCP00000"]}, format="json")
    assert missing.json() == {"certifications": ["Certifications inconnues : RNCP00000."]}

    api.force_authenticate(candidacy.candidate.user)
    refused = api.post(
        "/api/v1/juries/", {"name": "Jury", "certifications": [candidacy.certification.code]}, format="json"
    )
    assert refused.status_code == 403 and "personnel du certificateur" in refused.json()["detail"]


def test_juries_and_sessions_are_scoped_to_the_certifier_and_the_members_convened(api, setting):
    session = planned(setting)
    jury = setting["jury"]
    elsewhere = ready_candidacy()
    other_jury, other_staff = jury_with_members(elsewhere.certification)

    api.force_authenticate(setting["staff"])
    assert [j["id"] for j in api.get("/api/v1/juries/").json()["results"]] == [jury.pk]
    assert [s["id"] for s in api.get("/api/v1/jury-sessions/").json()["results"]] == [session.pk]

    api.force_authenticate(other_staff)
    assert [j["id"] for j in api.get("/api/v1/juries/").json()["results"]] == [other_jury.pk]
    assert api.get("/api/v1/jury-sessions/").json()["results"] == []
    assert api.get(f"/api/v1/juries/{jury.pk}/").status_code == 404
    for suffix in ("", "candidacies/", "deliberations/", "minutes/"):
        response = api.get(session_url(session, suffix))
        assert response.status_code == 404, suffix
        assert response.json() == {"detail": "Session de jury introuvable. / Jury session not found."}
    for suffix in ("attendance/", "open/", "close/", "minutes/sign/", "deliver/", "deliberations/"):
        assert api.post(session_url(session, suffix), {}, format="json").status_code == 404, suffix
    assert api.delete(session_url(session, f"candidacies/{setting['candidacies'][0].pk}/")).status_code == 404
    # A session planned on another certifier's jury: refused as unknown.
    plan = api.post("/api/v1/jury-sessions/", {"jury": jury.pk, "date": "2030-01-10T09:00:00+01:00", "place": "Lyon"})
    assert plan.status_code == 400 and plan.json() == {"jury": ["Jury introuvable."]}

    # A member of the other jury, a candidate: nothing.
    for user in (member_user(other_jury, MemberRole.PRESIDENT), setting["candidacies"][0].candidate.user):
        api.force_authenticate(user)
        assert api.get("/api/v1/jury-sessions/").json()["results"] == []
        assert api.get(session_url(session)).status_code == 404

    # A member convened sees the session and its agenda, and may not plan.
    president = member_user(jury, MemberRole.PRESIDENT)
    api.force_authenticate(president)
    assert [s["id"] for s in api.get("/api/v1/jury-sessions/").json()["results"]] == [session.pk]
    assert api.get(session_url(session, "candidacies/")).json()["count"] == 2
    refused = api.post(
        "/api/v1/jury-sessions/", {"jury": jury.pk, "date": "2030-01-10T09:00:00+01:00", "place": "Lyon"}
    )
    assert refused.status_code == 403 and "personnel du certificateur" in refused.json()["detail"]


def test_a_member_not_convened_does_not_see_the_session(api, setting):
    jury, staff = setting["jury"], setting["staff"]
    officers = list(jury.members.exclude(role=MemberRole.MEMBER))
    session = services.session_plan(jury=jury, by=staff, starts_at=timezone.now(), place="Paris", members=officers)
    api.force_authenticate(ordinary(jury))

    assert api.get("/api/v1/jury-sessions/").json()["results"] == []
    assert api.get(session_url(session)).status_code == 404
    assert api.get(session_url(session, "candidacies/")).status_code == 404
    # They still see the jury they hold a mandate on.
    assert [j["id"] for j in api.get("/api/v1/juries/").json()["results"]] == [jury.pk]


def test_without_credentials_the_answer_is_401(api, setting):
    assert api.get("/api/v1/juries/").status_code == 401
    assert api.get("/api/v1/jury-sessions/").status_code == 401
    assert api.post(session_url(planned(setting, with_agenda=False), "open/")).status_code == 401


# Sessions, agenda, attendance ---------------------------------------------------------------------


def test_staff_plan_a_session_with_its_members_and_regularity(api, setting):
    api.force_authenticate(setting["staff"])
    starts = (timezone.now() + timedelta(days=20)).replace(microsecond=0)
    created = api.post(
        "/api/v1/jury-sessions/",
        {"jury": setting["jury"].pk, "date": starts.isoformat(), "place": "Maison de la branche, Paris"},
        format="json",
    )
    assert created.status_code == 201, created.content
    session = created.json()
    assert created["Location"] == session["api_url"]
    assert session["state"] == "PLANNED" and session["place"] == "Maison de la branche, Paris"
    assert session["video_url"] == "" and session["minutes"] is None and session["agenda_count"] == 0
    assert len(session["members"]) == 4
    assert {m["present"] for m in session["members"]} == {None}
    assert {"member", "name", "college", "represents", "role", "convened_at", "present"} == set(session["members"][0])
    assert any("Relevez la présence" in p for p in session["regularity_problems"])

    moved = api.patch(f"/api/v1/jury-sessions/{session['id']}/", {"video_url": "https://visio.exemple.fr/jury"})
    assert moved.status_code == 200 and moved.json()["video_url"] == "https://visio.exemple.fr/jury"
    nowhere = api.post("/api/v1/jury-sessions/", {"jury": setting["jury"].pk, "date": starts.isoformat()})
    assert nowhere.json() == {"place": ["Indiquez un lieu ou un lien de visioconférence."]}
    strangers = api.post(
        "/api/v1/jury-sessions/",
        {"jury": setting["jury"].pk, "date": starts.isoformat(), "place": "Paris", "members": [999999]},
        format="json",
    )
    assert strangers.json() == {"members": ["Ces membres n'appartiennent pas à ce jury : 999999."]}


def test_the_agenda_adds_lists_and_removes_candidacies(api, setting):
    session = planned(setting, with_agenda=False)
    first, second = setting["candidacies"]
    api.force_authenticate(setting["staff"])

    added = api.post(session_url(session, "candidacies/"), {"candidacies": [first.pk, second.pk]}, format="json")
    assert added.status_code == 201, added.content
    assert [row["candidacy"] for row in added.json()] == [first.pk, second.pk]
    listing = api.get(session_url(session, "candidacies/")).json()
    assert listing["count"] == 2
    row = listing["results"][0]
    assert row["certification"] == first.certification.code and row["state"] == State.SCHEDULED_FOR_JURY
    assert row["candidate"]["last_name"] == first.candidate.last_name
    assert row["deliberation"] is None and row["conflicts"] == [] and row["corrects"] is None

    twice = api.post(session_url(session, "candidacies/"), {"candidacies": [first.pk]}, format="json")
    assert twice.status_code == 400
    assert "pas prête pour le jury" in twice.json()["non_field_errors"][0]
    foreign = ready_candidacy()
    unknown = api.post(session_url(session, "candidacies/"), {"candidacies": [foreign.pk]}, format="json")
    assert unknown.json() == {"candidacies": [f"Candidatures introuvables : {foreign.pk}."]}
    empty = api.post(session_url(session, "candidacies/"), {"candidacies": []}, format="json")
    assert empty.status_code == 400

    removed = api.delete(session_url(session, f"candidacies/{first.pk}/"))
    assert removed.status_code == 204
    first.refresh_from_db()
    assert first.state == State.READY_FOR_JURY
    assert api.get(session_url(session, "candidacies/")).json()["count"] == 1
    assert api.delete(session_url(session, f"candidacies/{first.pk}/")).status_code == 404

    # A member sees the agenda but does not change it.
    api.force_authenticate(ordinary(setting["jury"]))
    forbidden = api.post(session_url(session, "candidacies/"), {"candidacies": [first.pk]}, format="json")
    assert forbidden.status_code == 403 and "Seul le personnel du certificateur" in forbidden.json()["detail"]


def test_an_irregular_session_does_not_open(api, setting):
    session = planned(setting)
    api.force_authenticate(setting["staff"])

    unrecorded = api.post(session_url(session, "open/"))
    assert unrecorded.status_code == 400
    assert any("Relevez la présence" in m for m in unrecorded.json()["non_field_errors"])

    present = all_present(session)
    employee = session.attendances.filter(member__college="EMPLOYEES", member__role=MemberRole.MEMBER).get()
    present[str(employee.member_id)] = False
    recorded = api.post(session_url(session, "attendance/"), {"present": present}, format="json")
    assert recorded.status_code == 200, recorded.content
    assert {m["member"]: m["present"] for m in recorded.json()["members"]}[employee.member_id] is False
    assert any("parité n'est pas respectée" in p for p in recorded.json()["regularity_problems"])
    unequal = api.post(session_url(session, "open/"))
    assert unequal.status_code == 400
    assert any("parité n'est pas respectée" in m for m in unequal.json()["non_field_errors"])

    # Deliberating before the opening is refused too.
    body = {
        "candidacy": setting["candidacies"][0].pk,
        "validated_blocks": [],
        "votes": votes_of(session),
        "motivation": "Non.",
    }
    early = api.post(session_url(session, "deliberations/"), body, format="json")
    assert early.status_code == 400 and "la délibération n'est pas ouverte" in early.json()["non_field_errors"][0]

    stranger = api.post(session_url(session, "attendance/"), {"present": {"999999": True}}, format="json")
    assert stranger.status_code == 400 and "pas convoquées" in stranger.json()["non_field_errors"][0]
    malformed = api.post(session_url(session, "attendance/"), {"present": {"abc": True}}, format="json")
    assert malformed.status_code == 400 and "present" in malformed.json()

    api.post(session_url(session, "attendance/"), {"present": all_present(session)}, format="json")
    opened = api.post(session_url(session, "open/"))
    assert opened.status_code == 200 and opened.json()["state"] == "OPEN" and opened.json()["opened_at"]
    assert opened.json()["regularity_problems"] == []


def test_a_session_is_convened_and_cancelled(api, setting):
    session = planned(setting)
    api.force_authenticate(setting["staff"])

    convened = api.post(session_url(session, "convene/"))
    assert convened.status_code == 200 and convened.json() == {"members": 4, "candidates": 2}
    assert api.post(session_url(session, "cancel/"), {}, format="json").status_code == 400
    cancelled = api.post(session_url(session, "cancel/"), {"reason": "Quorum impossible"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "CANCELLED"
    assert cancelled.json()["regularity_problems"] == []
    states = Candidacy.objects.filter(pk__in=[c.pk for c in setting["candidacies"]]).values_list("state", flat=True)
    assert set(states) == {State.READY_FOR_JURY}


# Deliberations ------------------------------------------------------------------------------------


def test_a_member_present_deliberates_and_the_opinion_follows_from_the_blocks(api, setting):
    first, second = setting["candidacies"]
    session = open_session(setting["jury"], setting["staff"], [first, second])
    api.force_authenticate(ordinary(setting["jury"]))
    codes = codes_of(first)

    award = api.post(
        session_url(session, "deliberations/"),
        {"candidacy": first.pk, "validated_blocks": codes, "votes": votes_of(session)},
        format="json",
    )
    assert award.status_code == 201, award.content
    body = award.json()
    assert body["opinion"] == "AWARD" and body["revision"] == 1 and body["recusals"] == []
    assert [(b["code"], b["validated"]) for b in body["blocks"]] == [(code, True) for code in codes]
    assert body["votes"] == {
        "EMPLOYERS": {"for": 2, "against": 0, "abstain": 0},
        "EMPLOYEES": {"for": 2, "against": 0, "abstain": 0},
    }

    unmotivated = {"candidacy": second.pk, "validated_blocks": codes_of(second)[:1], "votes": votes_of(session)}
    refused = api.post(session_url(session, "deliberations/"), unmotivated, format="json")
    assert refused.status_code == 400
    assert "Motivez l'avis « Attestation pour certains blocs »" in refused.json()["non_field_errors"][0]
    partial = api.post(
        session_url(session, "deliberations/"),
        {**unmotivated, "motivation": "Le bloc 2 reste à acquérir."},
        format="json",
    )
    assert partial.status_code == 201 and partial.json()["opinion"] == "PARTIAL"

    listing = api.get(session_url(session, "deliberations/")).json()
    assert [(d["candidacy"], d["opinion"]) for d in listing["results"]] == [(first.pk, "AWARD"), (second.pk, "PARTIAL")]
    agenda = api.get(session_url(session, "candidacies/")).json()["results"]
    assert [row["deliberation"]["opinion"] for row in agenda] == ["AWARD", "PARTIAL"]
    one = api.get(session_url(session, f"deliberations/{body['id']}/"))
    assert one.status_code == 200 and one.json()["id"] == body["id"]


def test_deliberation_refusals_and_a_stale_amendment(api, setting):
    first, second = setting["candidacies"]
    session = open_session(setting["jury"], setting["staff"], [first])
    api.force_authenticate(setting["staff"])
    body = {"candidacy": first.pk, "validated_blocks": codes_of(first), "votes": votes_of(session)}

    off_agenda = api.post(session_url(session, "deliberations/"), {**body, "candidacy": second.pk}, format="json")
    assert off_agenda.json() == {"candidacy": ["Cette candidature n'est pas à l'ordre du jour de la session."]}
    unknown_block = api.post(
        session_url(session, "deliberations/"), {**body, "validated_blocks": ["RNCP00000BC09"]}, format="json"
    )
    assert "ne sont pas soumis au jury" in unknown_block.json()["non_field_errors"][0]
    bad_votes = api.post(
        session_url(session, "deliberations/"),
        {**body, "votes": {"EMPLOYERS": {"for": 1}, "EMPLOYEES": {"for": 2}}},
        format="json",
    )
    assert any("chaque votant vote une fois" in m for m in bad_votes.json()["non_field_errors"])
    negative = api.post(
        session_url(session, "deliberations/"),
        {**body, "votes": {"EMPLOYERS": {"for": -1}, "EMPLOYEES": {"for": 2}}},
        format="json",
    )
    assert negative.status_code == 400 and "votes" in negative.json()

    recorded = api.post(session_url(session, "deliberations/"), body, format="json")
    assert recorded.status_code == 201, recorded.content
    twice = api.post(session_url(session, "deliberations/"), body, format="json")
    assert twice.status_code == 400
    assert twice.json() == {"non_field_errors": ["Le jury a déjà délibéré sur cette candidature dans cette session."]}

    url = session_url(session, f"deliberations/{recorded.json()['id']}/")
    no_revision = api.patch(url, {"motivation": "Dossier solide."}, format="json")
    assert no_revision.json() == {"revision": ["Renvoyez la révision lue (champ revision)."]}
    amended = api.patch(url, {"revision": 1, "motivation": "Dossier solide."}, format="json")
    assert amended.status_code == 200, amended.content
    assert amended.json()["revision"] == 2 and amended.json()["motivation"] == "Dossier solide."
    assert amended.json()["opinion"] == "AWARD"
    stale = api.put(
        url,
        {"revision": 1, "validated_blocks": [], "votes": votes_of(session), "motivation": "Refus."},
        format="json",
    )
    assert stale.status_code == 409
    assert "a enregistré cette délibération entre-temps" in stale.json()["detail"]
    assert stale.json()["current"]["revision"] == 2 and stale.json()["current"]["opinion"] == "AWARD"
    assert api.get(url).json()["motivation"] == "Dossier solide."
    assert api.get(session_url(session, "deliberations/999999/")).status_code == 404


def test_a_member_linked_to_the_candidate_does_not_deliberate(api, setting):
    first = setting["candidacies"][0]
    jury = setting["jury"]
    linked = jury.members.filter(college="EMPLOYERS", role=MemberRole.MEMBER).get().user
    member(linked, Role.EMPLOYER, organisation=first.employer)
    session = open_session(jury, setting["staff"], [first])
    api.force_authenticate(linked)

    refused = api.post(
        session_url(session, "deliberations/"),
        {"candidacy": first.pk, "validated_blocks": codes_of(first), "votes": votes_of(session)},
        format="json",
    )
    assert refused.status_code == 403
    assert "Vous avez un lien avec ce candidat" in refused.json()["detail"]
    (row,) = api.get(session_url(session, "candidacies/")).json()["results"]
    assert [c["reason"] for c in row["conflicts"]] == ["son organisation emploie le candidat"]


def test_a_member_absent_may_not_deliberate(api, setting):
    first = setting["candidacies"][0]
    session = planned(setting, with_agenda=False)
    services.agenda_add(session=session, candidacies=[first], by=setting["staff"])
    absent = session.attendances.filter(member__role=MemberRole.MEMBER).select_related("member__user")
    present = all_present(session)
    for attendance in absent:
        present[str(attendance.member_id)] = False
    services.attendance_record(session=session, by=setting["staff"], present={int(k): v for k, v in present.items()})
    services.session_open(session=session, by=setting["staff"])
    api.force_authenticate(absent[0].member.user)

    refused = api.post(
        session_url(session, "deliberations/"),
        {"candidacy": first.pk, "validated_blocks": codes_of(first), "votes": votes_of(session)},
        format="json",
    )
    assert refused.status_code == 403 and "membres présents" in refused.json()["detail"]


# Minutes and delivery -----------------------------------------------------------------------------


def test_close_sign_and_deliver_the_session(api, setting, django_capture_on_commit_callbacks):
    first, second = setting["candidacies"]
    jury, staff = setting["jury"], setting["staff"]
    session = open_session(jury, staff, [first, second])
    deliberate(session, first, by=staff)
    deliberate(session, second, by=staff, validated=[], motivation="Aucun bloc n'est démontré.")
    president = member_user(jury, MemberRole.PRESIDENT)
    vice = member_user(jury, MemberRole.VICE_PRESIDENT)

    api.force_authenticate(ordinary(jury))
    assert api.post(session_url(session, "close/")).status_code == 403
    api.force_authenticate(president)
    early = api.post(session_url(session, "minutes/sign/"), {}, format="json")
    assert early.status_code == 400 and "pas de procès-verbal à signer" in early.json()["non_field_errors"][0]
    closed = api.post(session_url(session, "close/"))
    assert closed.status_code == 200 and closed.json()["state"] == "CLOSED"
    minutes = closed.json()["minutes"]
    assert len(minutes["draft_sha256"]) == 64 and minutes["president_signed_at"] is None
    pdf = api.get(session_url(session, "minutes/"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")

    wrong = api.post(session_url(session, "minutes/sign/"), {"sha256": "0" * 64}, format="json")
    assert wrong.status_code == 400 and "a changé depuis" in wrong.json()["non_field_errors"][0]
    malformed = api.post(session_url(session, "minutes/sign/"), {"sha256": "abc"}, format="json")
    assert malformed.json() == {"sha256": ["Empreinte SHA-256 attendue : 64 caractères hexadécimaux."]}
    signed = api.post(session_url(session, "minutes/sign/"), {"sha256": minutes["draft_sha256"]}, format="json")
    assert signed.status_code == 200 and signed.json()["minutes"]["president_signed_at"]
    twice = api.post(session_url(session, "minutes/sign/"), {}, format="json")
    assert twice.json() == {"non_field_errors": ["Vous avez déjà signé ce procès-verbal."]}
    api.force_authenticate(ordinary(jury))
    intruder = api.post(session_url(session, "minutes/sign/"), {}, format="json")
    assert intruder.status_code == 403 and "président et le vice-président" in intruder.json()["detail"]
    api.force_authenticate(staff)
    assert api.post(session_url(session, "deliver/"), {}, format="json").status_code == 400

    api.force_authenticate(vice)
    done = api.post(session_url(session, "minutes/sign/"), {}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "SIGNED" and done.json()["minutes"]["pdf_sha256"]
    after = api.post(
        session_url(session, "deliberations/"),
        {"candidacy": first.pk, "validated_blocks": [], "votes": votes_of(session), "motivation": "Non."},
        format="json",
    )
    assert after.status_code == 400 and "Procès-verbal signé" in after.json()["non_field_errors"][0]
    assert api.post(session_url(session, "deliver/"), {}, format="json").status_code == 403

    api.force_authenticate(staff)
    with django_capture_on_commit_callbacks(execute=True):
        delivered = api.post(session_url(session, "deliver/"), {}, format="json")
    assert delivered.status_code == 200, delivered.content
    result = delivered.json()
    assert result["delivered"] == 1
    (award,) = result["awards"]
    assert award["candidacy"] == first.pk and award["kind"] == "CERTIFICATE"
    assert award["certifier"] == first.certifier.siret and award["number"].endswith("-000001")
    assert result["refusals"] == [{"candidacy": second.pk, "already_notified": False}]
    again = api.post(session_url(session, "deliver/"), {}, format="json").json()
    assert again["delivered"] == 0 and [a["number"] for a in again["awards"]] == [award["number"]]
    assert again["refusals"] == [{"candidacy": second.pk, "already_notified": True}]


def test_closed_deliberations_reopen_with_a_reason(api, setting):
    first = setting["candidacies"][0]
    session = open_session(setting["jury"], setting["staff"], [first])
    deliberate(session, first, by=setting["staff"])
    services.session_close(session=session, by=setting["staff"])
    api.force_authenticate(setting["staff"])

    assert "reason" in api.post(session_url(session, "reopen/"), {}, format="json").json()
    reopened = api.post(session_url(session, "reopen/"), {"reason": "Erreur de saisie des voix"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["state"] == "OPEN"


def test_a_signed_deliberation_is_put_back_for_correction(api, setting):
    first = setting["candidacies"][0]
    jury, staff = setting["jury"], setting["staff"]
    session = open_session(jury, staff, [first])
    deliberation = deliberate(session, first, by=staff)
    sign(session)
    later = services.session_plan(jury=jury, by=staff, starts_at=timezone.now(), place="Paris")
    api.force_authenticate(staff)

    missing = api.post(session_url(later, "corrections/"), {"deliberation": deliberation.pk}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    added = api.post(
        session_url(later, "corrections/"),
        {"deliberation": deliberation.pk, "reason": "Un bloc a été mal reporté."},
        format="json",
    )
    assert added.status_code == 201, added.content
    assert added.json()["corrects"] == deliberation.pk and added.json()["candidacy"] == first.pk
    again = api.post(
        session_url(later, "corrections/"), {"deliberation": deliberation.pk, "reason": "Encore."}, format="json"
    )
    assert again.status_code == 400 and "déjà à l'ordre du jour" in again.json()["non_field_errors"][0]


# Cost ---------------------------------------------------------------------------------------------

# ATOMIC_REQUESTS inside the test's transaction: a savepoint and its release.
TRANSACTION = 2
# The session (scoped by the user's memberships, read once per request with the authentication's); the agenda
# with its candidacies, candidates and certifications,
# the deliberations and their blocks (agenda_rows); the members convened, their organisations and the assessors
# among them (conflicts_for). The page is cut from that list: no count query.
AGENDA_QUERIES = TRANSACTION + 7
# The staff's certifiers, the count, the page of sessions (jury, certifier, minutes, agenda count joined), the
# members convened.
SESSION_LIST_QUERIES = TRANSACTION + 4


@pytest.mark.parametrize("count", [1, 4])
def test_the_agenda_reads_a_fixed_number_of_queries(api, django_assert_num_queries, count):
    candidacies = [ready_candidacy()]
    candidacies += [ready_candidacy(certification=candidacies[0].certification) for _ in range(count - 1)]
    jury, staff = jury_with_members(candidacies[0].certification)
    session = open_session(jury, staff, candidacies)
    for candidacy in candidacies:
        deliberate(session, candidacy, by=staff)
    api.force_authenticate(staff)

    with django_assert_num_queries(AGENDA_QUERIES):
        rows = api.get(session_url(session, "candidacies/")).json()["results"]

    assert len(rows) == count and all(row["deliberation"]["opinion"] == "AWARD" for row in rows)


# The staff's certifiers, the count, the page of juries (certifier joined), their certifications, their members.
JURY_LIST_QUERIES = TRANSACTION + 5


@pytest.mark.parametrize("count", [1, 3])
def test_the_jury_list_reads_a_fixed_number_of_queries(api, django_assert_num_queries, count):
    candidacy = ready_candidacy()
    _jury, staff = jury_with_members(candidacy.certification)
    for _ in range(count - 1):
        jury_with_members(candidacy.certification, staff=staff)
    api.force_authenticate(staff)

    with django_assert_num_queries(JURY_LIST_QUERIES):
        rows = api.get("/api/v1/juries/").json()["results"]

    assert len(rows) == count and all(len(row["members"]) == 4 and row["certifications"] for row in rows)


@pytest.mark.parametrize("count", [1, 3])
def test_the_session_list_reads_a_fixed_number_of_queries(api, django_assert_num_queries, count):
    candidacy = ready_candidacy()
    jury, staff = jury_with_members(candidacy.certification)
    for day in range(count):
        services.session_plan(jury=jury, by=staff, starts_at=timezone.now() + timedelta(days=day + 1), place="Paris")
    api.force_authenticate(staff)

    with django_assert_num_queries(SESSION_LIST_QUERIES):
        rows = api.get("/api/v1/jury-sessions/").json()["results"]

    assert len(rows) == count and all(len(row["members"]) == 4 for row in rows)
