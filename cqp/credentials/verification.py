"""Checking a credential as anyone would: its proof against the issuer's published keys, then its entry in
the status list. Never raises on any input; each problem is named in plain French."""

import contextlib
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from cqp.awards.models import Award

from . import keys, openbadges
from .models import StatusList
from .vc import proof, status_list


class State:
    VALID = "valid"
    REVOKED = "revoked"
    INVALID = "invalid"
    MALFORMED = "malformed"


def problem_messages() -> dict[str, str]:
    return {
        "malformed": _("Ce fichier n'est pas une attestation vérifiable : il manque sa structure (@context, type)."),
        "no_proof": _("L'attestation ne porte aucune signature (preuve absente)."),
        "unsupported_proof": _(
            "La signature n'est pas d'un type accepté : seule la preuve « eddsa-rdfc-2022 » est vérifiée."
        ),
        "unknown_key": _(
            "La signature a été faite avec une clé inconnue : l'attestation ne vient pas de cette plateforme."
        ),
        "bad_proof_value": _("La valeur de la signature est illisible (proofValue abîmée)."),
        "invalid_signature": _(
            "La signature ne correspond pas au contenu : l'attestation a été modifiée après sa signature, "
            "ou signée par une autre clé."
        ),
        "dropped_terms": _(
            "L'attestation contient des informations que sa signature ne couvre pas (propriétés non définies)."
        ),
        "unknown_context": _(
            "L'attestation fait appel à un vocabulaire (@context) inconnu de la plateforme : elle ne peut pas "
            "être vérifiée."
        ),
        "proof_purpose": _("La signature n'a pas pour objet d'attester (proofPurpose)."),
    }


@dataclass
class VerificationReport:
    state: str
    problems: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    award: Award | None = None
    holder: str = ""
    title: str = ""
    human_code: str = ""
    issuer_name: str = ""
    valid_from: datetime | None = None
    revoked_at: datetime | None = None
    status_checked: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.state == State.VALID


class Unreadable(Exception):
    """The input is not a JSON object; `code` says why, for a message the holder understands."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _parse(raw) -> dict:
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, bytes | bytearray):
        try:
            raw = bytes(raw).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise Unreadable("not_text") from error
    if not isinstance(raw, str) or not raw.strip():
        raise Unreadable("empty" if isinstance(raw, str) else "not_json")
    try:
        data = json.loads(raw)
    except RecursionError as error:
        raise Unreadable("too_deep") from error
    except (ValueError, TypeError) as error:
        raise Unreadable("not_json") from error
    if not isinstance(data, dict):
        raise Unreadable("not_object")
    return data


def unreadable_messages() -> dict[str, str]:
    return {
        "empty": _("Le document est vide."),
        "not_text": _(
            "Ce fichier n'est pas un texte (UTF-8) : une attestation vérifiable est un fichier .json, "
            "pas un PDF ni une image."
        ),
        "not_json": _("Ce fichier n'est pas un document JSON : une attestation vérifiable est un fichier .json."),
        "not_object": _(
            "Ce document JSON n'est pas une attestation : il devrait être un objet { … }, "
            "pas une liste ni une valeur seule."
        ),
        "too_deep": _("Ce document JSON est imbriqué trop profondément pour être lu."),
    }


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _describe(report: VerificationReport, document: dict) -> None:
    subject = document.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    if isinstance(subject, dict):
        for identity in subject.get("identifier") or []:
            if isinstance(identity, dict) and identity.get("identityType") == "name" and not identity.get("hashed"):
                report.holder = _text(identity.get("identityHash"))
        report.holder = report.holder or _text(subject.get("name"))
        achievement = subject.get("achievement")
        if isinstance(achievement, dict):
            report.title = _text(achievement.get("name"))
            report.human_code = _text(achievement.get("humanCode"))
    issuer = document.get("issuer")
    report.issuer_name = _text(issuer.get("name")) if isinstance(issuer, dict) else ""
    try:
        report.valid_from = datetime.fromisoformat(_text(document.get("validFrom")).replace("Z", "+00:00"))
    except ValueError:
        report.valid_from = None


UUID_ID = re.compile(r"^urn:uuid:([0-9a-f-]{36})$")


def _check_status(report: VerificationReport, document: dict) -> None:
    entries = document.get("credentialStatus")
    entries = entries if isinstance(entries, list) else [entries] if entries else []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            continue
        if entry.get("statusPurpose") != "revocation":
            continue
        url = _text(entry.get("statusListCredential"))
        prefix = openbadges.site_url("/status/")
        number = url[len(prefix) :].strip("/") if url.startswith(prefix) else ""
        row = StatusList.objects.filter(pk=int(number)).first() if number.isdigit() else None
        try:
            index = int(_text(entry.get("statusListIndex")))
        except ValueError:
            index = -1
        if row is None or not 0 <= index < row.size:
            report.notes.append(
                _("Le statut de retrait est publié ailleurs (%(url)s) : la plateforme ne le consulte pas.")
                % {"url": url or "?"}
            )
            continue
        report.status_checked = True
        if status_list.Bitstring.from_bytes(bytes(row.bits)).get(index):
            report.state = State.REVOKED


def _signed_by_us(method: str) -> bool:
    return method.partition("#")[0] == keys.issuer_did()


def _issuer_id(document: dict) -> str:
    issuer = document.get("issuer")
    return _text(issuer.get("id") if isinstance(issuer, dict) else issuer)


def _award_of(document: dict) -> Award | None:
    match = UUID_ID.match(_text(document.get("id")))
    if not match:
        return None
    try:
        award_uuid = uuid.UUID(match.group(1))
    except ValueError:
        return None
    return (
        Award.objects.select_related("certification", "certifier")
        .filter(uuid=award_uuid, credential__isnull=False)
        .first()
    )


def verify_credential(raw) -> VerificationReport:
    """raw: the bytes or text of an uploaded file, or a parsed document."""
    messages = problem_messages()
    try:
        document = _parse(raw)
    except Unreadable as error:
        return VerificationReport(
            state=State.MALFORMED, problems=[unreadable_messages()[error.code]], codes=["malformed", error.code]
        )
    report = VerificationReport(state=State.VALID)
    with contextlib.suppress(AttributeError, TypeError):
        _describe(report, document)
    result = proof.verify(document, resolve_key=keys.public_key)
    if not result.ok:
        report.state = State.MALFORMED if [c for c, _m in result.errors] == ["malformed"] else State.INVALID
        for code, _message in result.errors:
            if code not in report.codes:
                report.codes.append(code)
                report.problems.append(messages.get(code, messages["invalid_signature"]))
        return report
    ours = bool(result.verification_methods) and all(_signed_by_us(m) for m in result.verification_methods)
    if not ours and _issuer_id(document) == keys.issuer_did():
        # A self-describing key (did:key) proves only that its holder signed: a document naming the platform as
        # issuer must carry the platform's signature, or anyone could re-sign an altered copy of ours.
        report.state = State.INVALID
        report.codes.append("issuer_key_mismatch")
        report.problems.append(
            _("L'attestation se présente comme émise par cette plateforme, mais elle n'est pas signée par ses clés.")
        )
        return report
    if not ours:
        report.notes.append(
            _(
                "La signature est valide, mais elle a été faite avec une clé extérieure à la plateforme "
                "(%(method)s) : la plateforme ne garantit pas qui est l'émetteur."
            )
            % {"method": ", ".join(result.verification_methods)}
        )
    _check_status(report, document)
    report.award = _award_of(document) if ours else None
    if report.award and report.award.revoked_at:
        report.state = State.REVOKED
        report.revoked_at = report.award.revoked_at
    return report
