"""The issuer's keys: a did:web identity for the platform, an Ed25519 signing key read from a file or an
environment variable (never from the database), public keys published in /.well-known/did.json, retired
ones kept so that what they signed still verifies."""

import json
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import IssuerKey
from .vc import multibase


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    private_key: Ed25519PrivateKey

    @property
    def verification_method(self) -> str:
        return f"{issuer_did()}#{self.key_id}"


def issuer_did() -> str:
    """did:web of the platform, from SITE_URL: host (port encoded as %3A) and path segments as colons."""
    parts = urlsplit(settings.SITE_URL)
    did = "did:web:" + quote(parts.netloc, safe="")
    path = [segment for segment in parts.path.split("/") if segment]
    return ":".join([did, *path])


def did_document() -> dict:
    did = issuer_did()
    methods = [
        {
            "id": f"{did}#{key.key_id}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_key_multibase,
        }
        for key in IssuerKey.objects.order_by("created_at", "pk")
    ]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        # Retired keys stay listed: a credential keeps verifying after the key that signed it is rotated.
        "assertionMethod": [method["id"] for method in methods],
    }


def _read_secret() -> dict | None:
    raw = os.environ.get(settings.CQP_SIGNING_KEY_ENV)
    if not raw:
        path = Path(settings.CQP_SIGNING_KEY_FILE)
        if not path.exists():
            return None
        raw = path.read_text()
    try:
        data = json.loads(raw)
        return {"key_id": str(data["key_id"]), "private_key_multibase": str(data["private_key_multibase"])}
    except (ValueError, KeyError, TypeError) as error:
        raise ImproperlyConfigured(_("La clé de signature est illisible : %(error)s") % {"error": error}) from error


@lru_cache(maxsize=4)
def _load(key_id: str, private_multibase: str) -> SigningKey:
    return SigningKey(key_id, multibase.decode_private_key(private_multibase))


def signing_key() -> SigningKey:
    """The active key. Raises ImproperlyConfigured, with what to do, when there is none or it is unknown."""
    secret = _read_secret()
    if secret is None:
        raise ImproperlyConfigured(
            _(
                "Aucune clé de signature : créez-la avec « python manage.py credentials_key create » "
                "(fichier %(file)s) ou donnez-la dans la variable %(env)s."
            )
            % {"file": settings.CQP_SIGNING_KEY_FILE, "env": settings.CQP_SIGNING_KEY_ENV}
        )
    key = _load(secret["key_id"], secret["private_key_multibase"])
    public = multibase.encode_public_key(key.private_key.public_key())
    if not IssuerKey.objects.filter(key_id=key.key_id, public_key_multibase=public, retired_at=None).exists():
        raise ImproperlyConfigured(
            _(
                "La clé de signature %(key)s n'est pas publiée comme clé active de l'émetteur : "
                "enregistrez-la avec « python manage.py credentials_key register »."
            )
            % {"key": key.key_id}
        )
    return key


def public_key(verification_method: str) -> Ed25519PublicKey | None:
    """The public key behind a verification method: ours (active or retired), or a did:key (self-describing).
    None for anything else: a key the platform does not know."""
    if verification_method.startswith("did:key:"):
        fingerprint = verification_method.split("#", 1)[0][len("did:key:") :]
        try:
            return multibase.decode_public_key(fingerprint)
        except ValueError:
            return None
    did, _sep, key_id = verification_method.partition("#")
    if did != issuer_did() or not key_id:
        return None
    row = IssuerKey.objects.filter(key_id=key_id).values_list("public_key_multibase", flat=True).first()
    return multibase.decode_public_key(row) if row else None


def _write_secret(path: Path, key_id: str, private: Ed25519PrivateKey) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps({"key_id": key_id, "private_key_multibase": multibase.encode_private_key(private)})
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(data + "\n")
    os.replace(temporary, path)


def new_key_id() -> str:
    return f"key-{timezone.now():%Y%m%d}-{secrets.token_hex(3)}"


def key_create(*, path: Path | None = None) -> IssuerKey:
    """Create the first key (file written with mode 0600, public half registered). Refuses to overwrite."""
    path = Path(path or settings.CQP_SIGNING_KEY_FILE)
    if path.exists():
        raise FileExistsError(_("Le fichier %(file)s existe déjà : utilisez « rotate ».") % {"file": path})
    private = Ed25519PrivateKey.generate()
    key_id = new_key_id()
    with transaction.atomic():
        row = IssuerKey.objects.create(
            key_id=key_id, public_key_multibase=multibase.encode_public_key(private.public_key())
        )
        _write_secret(path, key_id, private)
    return row


def key_rotate(*, path: Path | None = None) -> IssuerKey:
    """A new active key; the former ones are retired and stay published."""
    path = Path(path or settings.CQP_SIGNING_KEY_FILE)
    private = Ed25519PrivateKey.generate()
    key_id = new_key_id()
    with transaction.atomic():
        IssuerKey.objects.filter(retired_at=None).update(retired_at=timezone.now())
        row = IssuerKey.objects.create(
            key_id=key_id, public_key_multibase=multibase.encode_public_key(private.public_key())
        )
        _write_secret(path, key_id, private)
    _load.cache_clear()
    return row


def key_register() -> IssuerKey:
    """Publish the public half of the key given in the file or the environment (a restored deployment)."""
    secret = _read_secret()
    if secret is None:
        raise ImproperlyConfigured(_("Aucune clé à enregistrer."))
    key = _load(secret["key_id"], secret["private_key_multibase"])
    public = multibase.encode_public_key(key.private_key.public_key())
    with transaction.atomic():
        row, _created = IssuerKey.objects.get_or_create(key_id=key.key_id, defaults={"public_key_multibase": public})
        if row.public_key_multibase != public:
            raise ImproperlyConfigured(_("Une autre clé publique porte déjà cet identifiant."))
        IssuerKey.objects.filter(retired_at=None).exclude(pk=row.pk).update(retired_at=timezone.now())
        if row.retired_at:
            row.retired_at = None
            row.save(update_fields=["retired_at"])
    return row


def ensure_key() -> IssuerKey:
    """For the demo and tests: the key of the file, created when there is none."""
    if _read_secret() is None:
        return key_create()
    return key_register()
