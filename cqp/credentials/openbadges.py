"""The Open Badges 3.0 credential of an award (W3C Verifiable Credentials Data Model 2.0).

The achievement carries the certification code (certificate) or the validated blocks' codes (block
attestation); the holder appears by name only, with a salted hash of their e-mail for those who know it."""

import hashlib
import secrets
from datetime import UTC, datetime, time

from django.conf import settings
from django.urls import reverse

from cqp.awards.enums import AwardKind

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def verification_url(award) -> str:
    return site_url(reverse("www:verify_award", kwargs={"uuid": award.uuid}))


def status_list_url(status_list) -> str:
    return site_url(reverse("www:status_list", kwargs={"number": status_list.pk}))


def _date(day) -> str:
    return datetime.combine(day, time(0, 0), tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _identity(candidate, salt: str) -> list[dict]:
    name = f"{candidate.first_name} {candidate.last_name}".strip()
    identities = [{"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": name}]
    if candidate.email:
        digest = hashlib.sha256((candidate.email.strip().lower() + salt).encode()).hexdigest()
        identities.append(
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": f"sha256${digest}",
                "salt": salt,
            }
        )
    return identities


def _profile(certifier, issuer_id: str) -> dict:
    profile = {"id": issuer_id, "type": ["Profile"], "name": certifier.name}
    if certifier.website:
        profile["url"] = certifier.website
    if certifier.siret:
        profile["otherIdentifier"] = [
            {"type": "IdentifierEntry", "identifier": certifier.siret, "identifierType": "identifier"}
        ]
    return profile


def _facts(certification) -> str:
    """The registration facts a parchment carries, in one sentence of the description."""
    parts = []
    if certification.registry in ("RNCP", "RS"):
        registered = f"Enregistrée au {'RNCP' if certification.registry == 'RNCP' else 'Répertoire spécifique'}"
        registered += f" sous le code {certification.code}"
        if certification.decision_date:
            registered += f" par décision du {certification.decision_date:%d/%m/%Y}"
        parts.append(registered)
    if certification.level:
        parts.append(
            f"niveau {certification.level} du cadre national des certifications (niveau {certification.level} du CEC)"
        )
    nsf = [n.code for n in certification.nsf.all()]
    if nsf:
        parts.append("NSF " + ", ".join(nsf))
    return "; ".join(parts) + ("." if parts else "")


def build_unsigned(*, award, issuer_id: str, status_entry: dict, salt: str | None = None) -> dict:
    """The credential of an award before its proof. `status_entry` is its BitstringStatusListEntry."""
    certification = award.certification
    certifier = award.certifier
    candidate = award.candidacy.candidate
    blocks = sorted(award.blocks.all(), key=lambda block: (block.position, block.code))
    fiche = site_url(reverse("www:certification_detail", kwargs={"code": certification.code}))
    facts = _facts(certification)
    alignment = [
        {
            "type": ["Alignment"],
            "targetName": block.title[:500],
            "targetCode": block.code,
            "targetUrl": fiche,
            "targetType": "ceasn:Competency",
            "targetFramework": certification.code,
        }
        for block in blocks
    ]
    if award.kind == AwardKind.CERTIFICATE:
        achievement = {
            "id": fiche,
            "type": ["Achievement"],
            "achievementType": "Certification",
            "name": certification.title,
            "humanCode": certification.code,
            "description": f"{certification.get_kind_display()} délivré par {certifier.name}. {facts}".strip(),
            "criteria": {
                "narrative": "Tous les blocs de compétences validés par le jury paritaire national "
                f"et délivrés par {certifier.name}."
            },
        }
    else:
        codes = " + ".join(block.code for block in blocks)
        achievement = {
            "id": f"{fiche}#blocs-{'-'.join(block.code for block in blocks)}",
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": "Blocs de compétences " + codes + f" de la certification « {certification.title} »",
            "humanCode": codes,
            "description": (
                f"Validation partielle de la certification {certification.code}, bloc par bloc, "
                f"acquise définitivement. {facts}"
            ).strip(),
            "criteria": {"narrative": "Blocs validés par le jury paritaire national : " + codes + "."},
        }
    achievement["inLanguage"] = "fr"
    achievement["creator"] = _profile(certifier, issuer_id)
    if alignment:
        achievement["alignment"] = alignment
    return {
        "@context": list(CONTEXTS),
        "id": f"urn:uuid:{award.uuid}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement["name"],
        "description": f"N° {award.number}. Vérification : {verification_url(award)}",
        "issuer": _profile(certifier, issuer_id),
        "validFrom": _date(award.delivered_on),
        "awardedDate": _date(award.delivered_on),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": _identity(candidate, salt or secrets.token_hex(8)),
            "achievement": achievement,
        },
        "credentialStatus": status_entry,
    }
