"""Multibase base58btc ("z") and Multikey encoding of Ed25519 keys (multicodec ed25519-pub 0xed01,
ed25519-priv 0x8026)."""

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {c: i for i, c in enumerate(BASE58_ALPHABET)}

ED25519_PUB_PREFIX = b"\xed\x01"  # varint of 0xed
ED25519_PRIV_PREFIX = b"\x80\x26"  # varint of 0x1300


class MultibaseError(ValueError):
    pass


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rest = divmod(number, 58)
        out.append(BASE58_ALPHABET[rest])
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    if not isinstance(text, str):
        raise MultibaseError("base58btc input must be a string")
    number = 0
    for char in text:
        digit = _BASE58_INDEX.get(char)
        if digit is None:
            raise MultibaseError(f"invalid base58btc character {char!r}")
        number = number * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multibase_encode(data: bytes) -> str:
    """Multibase base58btc: "z" + base58btc."""
    return "z" + b58encode(data)


def multibase_decode(text: str) -> bytes:
    if not isinstance(text, str) or not text.startswith("z"):
        raise MultibaseError("only multibase base58btc ('z' prefix) is supported")
    return b58decode(text[1:])


def _multikey_decode(text: str, prefix: bytes, what: str) -> bytes:
    raw = multibase_decode(text)
    if not raw.startswith(prefix) or len(raw) != len(prefix) + 32:
        raise MultibaseError(f"not a multibase Ed25519 {what} key")
    return raw[len(prefix) :]


def encode_public_key(key: Ed25519PublicKey) -> str:
    """Multikey `publicKeyMultibase` of an Ed25519 public key (z6Mk...)."""
    return multibase_encode(ED25519_PUB_PREFIX + key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def decode_public_key(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(_multikey_decode(text, ED25519_PUB_PREFIX, "public"))


def encode_private_key(key: Ed25519PrivateKey) -> str:
    """Multikey `secretKeyMultibase` of an Ed25519 private key: its 32-byte seed (z3u2...)."""
    seed = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return multibase_encode(ED25519_PRIV_PREFIX + seed)


def decode_private_key(text: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_multikey_decode(text, ED25519_PRIV_PREFIX, "private"))


def public_key_from_did_key(url: str) -> Ed25519PublicKey | None:
    """The Ed25519 key of a `did:key:z6Mk...` DID or verification-method URL (`did:key:z6Mk...#z6Mk...`);
    None when the URL is not an Ed25519 did:key or its fragment names another key."""
    if not isinstance(url, str) or not url.startswith("did:key:"):
        return None
    did, _, fragment = url.partition("#")
    value = did[len("did:key:") :]
    if fragment and fragment != value:
        return None
    try:
        return decode_public_key(value)
    except (MultibaseError, ValueError):
        return None
