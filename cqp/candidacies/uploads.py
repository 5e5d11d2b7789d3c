"""What an uploaded file really is, read from its first bytes: its name and declared type are not trusted."""

from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: str
    magic: bytes
    extensions: frozenset


ACCEPTED = (
    FileType("application/pdf", "PDF", b"%PDF-", frozenset({".pdf"})),
    FileType("image/png", "PNG", b"\x89PNG\r\n\x1a\n", frozenset({".png"})),
    FileType("image/jpeg", "JPEG", b"\xff\xd8\xff", frozenset({".jpg", ".jpeg"})),
)
SNIFF_BYTES = 16


def max_bytes() -> int:
    return settings.CQP_UPLOAD_MAX_BYTES


def sniff(head: bytes) -> FileType | None:
    return next((t for t in ACCEPTED if head.startswith(t.magic)), None)


def upload_problems(uploaded_file) -> tuple[FileType | None, list[str]]:
    """The type of the file, read from its content, and the French reasons to refuse it."""
    name = PurePath(uploaded_file.name or "").name
    size = uploaded_file.size or 0
    if size == 0:
        return None, [_("Le fichier « %(name)s » est vide.") % {"name": name}]
    if size > max_bytes():
        return None, [
            _("Le fichier « %(name)s » pèse %(size)s Mo : la limite est de %(limit)s Mo.")
            % {"name": name, "size": _megabytes(size), "limit": _megabytes(max_bytes())}
        ]
    uploaded_file.seek(0)
    head = uploaded_file.read(SNIFF_BYTES)
    uploaded_file.seek(0)
    file_type = sniff(head)
    if file_type is None:
        return None, [
            _("Le fichier « %(name)s » n'est ni un PDF, ni une image PNG ou JPEG : déposez l'un de ces formats.")
            % {"name": name}
        ]
    extension = PurePath(name).suffix.lower()
    if extension not in file_type.extensions:
        return file_type, [
            _(
                "Le fichier « %(name)s » est en réalité un %(label)s : renommez-le avec l'extension %(extension)s "
                "avant de le déposer."
            )
            % {"name": name, "label": file_type.label, "extension": sorted(file_type.extensions)[0]}
        ]
    return file_type, []


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").replace(",0", "")
