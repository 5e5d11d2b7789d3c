"""One transition's e-mail delivered through Django's SMTP backend to a real SMTP server on localhost."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from cqp.accounts.enums import Role
from cqp.candidacies import services

from .factories import UserFactory, candidacy_in_state, certifier_staff, member

pytestmark = pytest.mark.django_db


class Mailbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, mailbox
    finally:
        controller.stop()


def test_a_transition_email_reaches_a_real_smtp_server(smtp_server, django_capture_on_commit_callbacks):
    controller, mailbox = smtp_server
    submitted = candidacy_in_state("SUBMITTED")
    staff = certifier_staff(submitted.certifier)
    boss = member(UserFactory(), Role.EMPLOYER, organisation=submitted.employer)
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST=controller.hostname,
            EMAIL_PORT=controller.port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.candidacy_transition(
            candidacy=submitted, name="declare_admissible", by=staff, comment="Dossier complet et recevable"
        )

    [envelope] = mailbox.envelopes
    # Admissibility concerns the candidate and the employer, not the certifier who decided it.
    assert sorted(envelope.rcpt_tos) == sorted([submitted.candidate.user.email, boss.email])
    message = message_from_bytes(envelope.original_content, policy=policy.default)
    assert message["Subject"] == f"{submitted.certification.title} — Recevable"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Déclarer recevable" in text and "Motif : Dossier complet et recevable" in text
    assert f"/espace/candidatures/{submitted.pk}/" in text
    assert '<html lang="fr">' in html and "<strong>Déclarer recevable</strong>" in html
