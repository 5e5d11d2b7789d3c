"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C vc-di-eddsa, section "eddsa-rdfc-2022").

transformation: RDFC-1.0 canonical N-Quads of the document (contexts from the offline loader only);
hashing: sha256(canonical proof configuration) || sha256(canonical document), proof hash first;
signature: Ed25519 over those 64 bytes; proofValue: multibase base58btc ("z...").
"""

import copy
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .canon import canonize_with_drops
from .loader import OfflineLoader, default_loader, is_unknown_context
from .multibase import MultibaseError, multibase_decode, multibase_encode

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
SIGNATURE_LENGTH = 64

# Stable error codes (callers translate them; the messages here are for logs).
MALFORMED = "malformed"
NO_PROOF = "no_proof"
UNSUPPORTED_PROOF = "unsupported_proof"
UNKNOWN_KEY = "unknown_key"
BAD_PROOF_VALUE = "bad_proof_value"
INVALID_SIGNATURE = "invalid_signature"
DROPPED_TERMS = "dropped_terms"
UNKNOWN_CONTEXT = "unknown_context"
PROOF_PURPOSE = "proof_purpose"

# XML Schema dateTime (seconds, optional fraction, optional zone).
_XML_DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


class ProofError(Exception):
    """Signing refused; `code` is one of the codes above."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass
class VerifyResult:
    ok: bool
    errors: list[tuple[str, str]] = field(default_factory=list)
    verification_methods: list[str] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [code for code, _ in self.errors]

    def __bool__(self) -> bool:
        return self.ok


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _context_urls(context) -> list[str]:
    items = context if isinstance(context, list) else [context]
    return [item for item in items if isinstance(item, str)]


def _is_context(context) -> bool:
    items = context if isinstance(context, list) else [context]
    return bool(items) and all(isinstance(item, str | dict) for item in items)


def _check_contexts(context, loader: OfflineLoader):
    unknown = [url for url in _context_urls(context) if url not in loader.paths]
    if unknown:
        raise ProofError(UNKNOWN_CONTEXT, f"unknown context {unknown[0]!r}")


def _canonize(document: dict, loader: OfflineLoader, where: str) -> str:
    """Canonical N-Quads, or ProofError when a context is not pinned, processing fails, or terms drop."""
    try:
        nquads, dropped = canonize_with_drops(document, loader)
    except Exception as error:  # pyld raises many kinds of errors on hostile input
        url = is_unknown_context(error)
        if url is not None:
            raise ProofError(UNKNOWN_CONTEXT, f"unknown context {url!r}") from error
        raise ProofError(MALFORMED, f"JSON-LD processing of the {where} failed: {error}") from error
    if dropped:
        prefix = "proof." if where == "proof" else ""
        raise ProofError(DROPPED_TERMS, "terms not defined by the contexts: " + ", ".join(prefix + d for d in dropped))
    return nquads


def _hash_data(document: dict, proof_config: dict, loader: OfflineLoader) -> bytes:
    proof_hash = hashlib.sha256(_canonize(proof_config, loader, "proof").encode("utf-8")).digest()
    doc_hash = hashlib.sha256(_canonize(document, loader, "document").encode("utf-8")).digest()
    return proof_hash + doc_hash


def proof_configuration(document: dict, proof_options: dict) -> dict:
    """The proof options (without proofValue) under the document's @context."""
    config = {k: v for k, v in proof_options.items() if k not in ("proofValue", "@context")}
    config["@context"] = document["@context"]
    return config


def sign(
    unsigned: dict,
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: str | None = None,
    proof_purpose: str = "assertionMethod",
    loader: OfflineLoader | None = None,
) -> dict:
    """A copy of `unsigned` with an eddsa-rdfc-2022 `proof`. Refuses documents with undefined terms,
    unpinned contexts or an existing proof."""
    loader = loader or default_loader()
    if not isinstance(unsigned, dict) or not _is_context(unsigned.get("@context")):
        raise ProofError(MALFORMED, "the document must be a JSON object with an @context")
    if "proof" in unsigned:
        raise ProofError(MALFORMED, "the document already has a proof")
    created = created or utc_now()
    if not _XML_DATETIME.match(created):
        raise ProofError(MALFORMED, f"created is not an XML Schema dateTime: {created!r}")
    document = copy.deepcopy(unsigned)
    _check_contexts(document["@context"], loader)
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    signature = private_key.sign(_hash_data(document, proof_configuration(document, options), loader))
    document["proof"] = {**options, "proofValue": multibase_encode(signature)}
    return document


def _verify_one(document: dict, proof, *, resolve_key, loader: OfflineLoader, proof_purpose: str, result: VerifyResult):
    if not isinstance(proof, dict):
        raise ProofError(MALFORMED, "a proof must be a JSON object")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(
            UNSUPPORTED_PROOF,
            f"unsupported proof type/cryptosuite {proof.get('type')!r}/{proof.get('cryptosuite')!r}",
        )
    method = proof.get("verificationMethod")
    if not isinstance(method, str) or not method:
        raise ProofError(MALFORMED, "the proof has no verificationMethod")
    result.verification_methods.append(method)
    if proof.get("proofPurpose") != proof_purpose:
        raise ProofError(PROOF_PURPOSE, f"proofPurpose {proof.get('proofPurpose')!r}, expected {proof_purpose!r}")
    created = proof.get("created")
    if created is not None and not (isinstance(created, str) and _XML_DATETIME.match(created)):
        raise ProofError(MALFORMED, f"created is not an XML Schema dateTime: {created!r}")
    proof_value = proof.get("proofValue")
    try:
        signature = multibase_decode(proof_value)
    except MultibaseError as error:
        raise ProofError(BAD_PROOF_VALUE, f"proofValue is not multibase base58btc: {error}") from error
    if len(signature) != SIGNATURE_LENGTH:
        raise ProofError(BAD_PROOF_VALUE, f"proofValue decodes to {len(signature)} bytes, expected 64")
    if "@context" in proof:
        # Spec: the document's @context must start with the proof's, which then replaces it.
        proof_ctx = proof["@context"] if isinstance(proof["@context"], list) else [proof["@context"]]
        doc_ctx = document["@context"] if isinstance(document["@context"], list) else [document["@context"]]
        if doc_ctx[: len(proof_ctx)] != proof_ctx:
            raise ProofError(MALFORMED, "the document @context does not start with the proof @context")
        document = {**document, "@context": proof["@context"]}
    try:
        key = resolve_key(method)
    except Exception:
        key = None
    if not isinstance(key, Ed25519PublicKey):
        raise ProofError(UNKNOWN_KEY, f"no Ed25519 key for verification method {method!r}")
    data = _hash_data(document, proof_configuration(document, proof), loader)
    try:
        key.verify(signature, data)
    except InvalidSignature as error:
        raise ProofError(INVALID_SIGNATURE, "the signature does not match the document and key") from error


def verify(
    signed,
    *,
    resolve_key: Callable[[str], Ed25519PublicKey | None],
    loader: OfflineLoader | None = None,
    proof_purpose: str = "assertionMethod",
) -> VerifyResult:
    """Verify every proof of `signed` (all must be eddsa-rdfc-2022 and valid). Never raises on JSON input."""
    loader = loader or default_loader()
    result = VerifyResult(ok=False)
    try:
        if not isinstance(signed, dict) or not _is_context(signed.get("@context")):
            raise ProofError(MALFORMED, "the credential must be a JSON object with an @context")
        _check_contexts(signed["@context"], loader)
        proofs = signed.get("proof")
        if proofs is None or proofs == []:
            raise ProofError(NO_PROOF, "the credential has no proof")
        document = {k: v for k, v in signed.items() if k != "proof"}
        for proof in proofs if isinstance(proofs, list) else [proofs]:
            _verify_one(
                document, proof, resolve_key=resolve_key, loader=loader, proof_purpose=proof_purpose, result=result
            )
    except ProofError as error:
        result.errors.append((error.code, error.message))
    except Exception as error:  # never raise on untrusted input
        url = is_unknown_context(error)
        if url is not None:
            result.errors.append((UNKNOWN_CONTEXT, f"unknown context {url!r}"))
        else:
            result.errors.append((MALFORMED, f"could not process the credential: {type(error).__name__}: {error}"))
    result.ok = not result.errors
    return result


def key_resolver(keys: dict[str, Ed25519PublicKey]) -> Callable[[str], Ed25519PublicKey | None]:
    """A `resolve_key` over known verification-method URLs; did:key URLs resolve from the key itself."""
    from .multibase import public_key_from_did_key

    def resolve(url: str) -> Ed25519PublicKey | None:
        return keys.get(url) or public_key_from_did_key(url)

    return resolve
