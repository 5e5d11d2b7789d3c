"""W3C Bitstring Status List: the bitstring, its `encodedList` form, the status list credential and the
reading of a credential's `BitstringStatusListEntry`."""

import base64
import gzip
import io

MIN_SIZE = 131072  # 16 KB: the spec's minimum, for group privacy
CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
ENTRY_TYPE = "BitstringStatusListEntry"


class StatusListError(ValueError):
    pass


class Bitstring:
    """Bits of a status list; index 0 is the most significant (leftmost) bit of the first byte."""

    def __init__(self, size: int = MIN_SIZE, *, _data: bytes | None = None):
        if not isinstance(size, int) or size < MIN_SIZE or size % 8:
            raise StatusListError(f"a status list has at least {MIN_SIZE} bits, a multiple of 8")
        self.size = size
        self._bits = bytearray(_data) if _data is not None else bytearray(size // 8)

    def _check(self, index: int):
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < self.size:
            raise StatusListError(f"index {index!r} outside the list (0..{self.size - 1})")

    def get(self, index: int) -> bool:
        self._check(index)
        return bool(self._bits[index // 8] & (0x80 >> (index % 8)))

    def set(self, index: int, value: bool = True) -> None:
        self._check(index)
        if value:
            self._bits[index // 8] |= 0x80 >> (index % 8)
        else:
            self._bits[index // 8] &= ~(0x80 >> (index % 8)) & 0xFF

    def set_indexes(self) -> list[int]:
        return [i * 8 + b for i, byte in enumerate(self._bits) if byte for b in range(8) if byte & (0x80 >> b)]

    def encode(self) -> str:
        """Multibase base64url (no padding) of the GZIP-compressed bits: "u..."."""
        # mtime=0: the same bits always give the same encodedList.
        compressed = gzip.compress(bytes(self._bits), mtime=0)
        return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")

    @classmethod
    def decode(cls, encoded: str, *, max_size: int = 8 * 1024 * 1024 * 8) -> "Bitstring":
        if not isinstance(encoded, str) or not encoded.startswith("u"):
            raise StatusListError("encodedList must be multibase base64url ('u' prefix)")
        body = encoded[1:]
        try:
            compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            # Read at most max_size bits: a hostile list must not inflate without limit.
            with gzip.GzipFile(fileobj=io.BytesIO(compressed)) as stream:
                data = stream.read(max_size // 8 + 1)
        except (ValueError, OSError, EOFError) as error:
            raise StatusListError(f"encodedList is not base64url GZIP data: {error}") from error
        if len(data) > max_size // 8:
            raise StatusListError("encodedList is larger than allowed")
        return cls(len(data) * 8, _data=data)

    @classmethod
    def from_bytes(cls, data: bytes) -> "Bitstring":
        return cls(len(data) * 8, _data=data)

    def to_bytes(self) -> bytes:
        return bytes(self._bits)

    def __eq__(self, other):
        return isinstance(other, Bitstring) and self.size == other.size and self._bits == other._bits


def status_list_credential(
    *, url: str, issuer: str | dict, valid_from: str, bitstring: Bitstring, status_purpose: str = "revocation"
) -> dict:
    """The unsigned BitstringStatusListCredential (VC 2.0) published at `url`."""
    return {
        "@context": [CREDENTIALS_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": status_purpose,
            "encodedList": bitstring.encode(),
        },
    }


def status_entry(*, list_url: str, index: int, status_purpose: str = "revocation") -> dict:
    """The `credentialStatus` entry of a credential at `index` of the list (index as a string, per spec)."""
    return {
        "id": f"{list_url}#{index}",
        "type": ENTRY_TYPE,
        "statusPurpose": status_purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def read_status_entries(credential: dict, *, status_purpose: str = "revocation") -> list[tuple[str, int]]:
    """(statusListCredential URL, index) of each BitstringStatusListEntry of the credential for that purpose.
    Integer indexes are accepted too (some issuers write them)."""
    status = credential.get("credentialStatus") if isinstance(credential, dict) else None
    entries = status if isinstance(status, list) else [status] if status is not None else []
    found = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise StatusListError("credentialStatus must be an object")
        types = entry.get("type") if isinstance(entry.get("type"), list) else [entry.get("type")]
        if ENTRY_TYPE not in types or entry.get("statusPurpose") != status_purpose:
            continue
        url, raw = entry.get("statusListCredential"), entry.get("statusListIndex")
        if not isinstance(url, str) or not url:
            raise StatusListError("statusListCredential missing")
        if isinstance(raw, bool) or not (isinstance(raw, int) or (isinstance(raw, str) and raw.isdigit())):
            raise StatusListError(f"statusListIndex is not a non-negative integer: {raw!r}")
        found.append((url, int(raw)))
    return found


def decode_status_list_credential(list_credential: dict, *, status_purpose: str = "revocation") -> Bitstring:
    """The bitstring of a (verified) BitstringStatusListCredential, checking its type and purpose."""
    subject = list_credential.get("credentialSubject") if isinstance(list_credential, dict) else None
    if not isinstance(subject, dict):
        raise StatusListError("the status list credential has no credentialSubject")
    types = subject.get("type") if isinstance(subject.get("type"), list) else [subject.get("type")]
    if "BitstringStatusList" not in types:
        raise StatusListError("the credentialSubject is not a BitstringStatusList")
    purposes = subject.get("statusPurpose")
    if status_purpose not in (purposes if isinstance(purposes, list) else [purposes]):
        raise StatusListError(f"the list is not for {status_purpose!r}")
    return Bitstring.decode(subject.get("encodedList"))


def is_set(
    credential: dict, list_credential: dict, *, list_url: str | None = None, status_purpose: str = "revocation"
) -> bool:
    """True when the credential's bit is set in the list fetched from `list_url` (default: the list's id):
    revoked, for the purpose revocation. Entries that point at another list are ignored; an index beyond the
    list is an error."""
    bits = decode_status_list_credential(list_credential, status_purpose=status_purpose)
    list_url = list_url or list_credential.get("id")
    result = False
    for url, index in read_status_entries(credential, status_purpose=status_purpose):
        if url == list_url:
            result = result or bits.get(index)
    return result
