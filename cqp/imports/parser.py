"""Read a CSV or XLSX file into rows keyed by the template's columns, one row at a time.

A file is refused as a whole (FileRefused) when it cannot be read, is too large, or its header
does not match the template; a cell is refused for its row only (formulas, see CellProblem).
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext as _

from .columns import BY_KEY, REQUIRED, header_lookup, normalise

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
XLSX_SIGNATURE = b"PK\x03\x04"


def max_file_bytes() -> int:
    return getattr(settings, "CQP_IMPORT_MAX_FILE_BYTES", MAX_FILE_BYTES)


def max_rows() -> int:
    return getattr(settings, "CQP_IMPORT_MAX_ROWS", MAX_ROWS)


class FileRefused(Exception):
    """The whole file is refused; `messages` says why, in French."""

    def __init__(self, *messages):
        super().__init__(*messages)
        self.messages = list(messages)


@dataclass
class Formula:
    """A spreadsheet formula found in a cell: refused, never computed nor stored."""

    text: str


@dataclass
class Table:
    kind: str  # "csv" or "xlsx"
    columns: list[str]  # template keys, in file order
    notes: list[str] = field(default_factory=list)
    rows: Iterator = None  # (line number, {key: raw value}) — values are str, date/datetime, number or Formula


def read_table(data: bytes, filename: str = "") -> Table:
    if len(data) > max_file_bytes():
        raise FileRefused(
            _("Le fichier dépasse la taille autorisée de %(size)s Mo : découpez-le en plusieurs fichiers.")
            % {"size": max_file_bytes() // (1024 * 1024)}
        )
    if not data.strip():
        raise FileRefused(_("Le fichier est vide."))
    if data.startswith(XLSX_SIGNATURE):
        return _read_xlsx(data)
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        raise FileRefused(_("Ce fichier n'est pas un classeur XLSX lisible : enregistrez-le au format .xlsx ou .csv."))
    return _read_csv(data)


def _columns(header) -> list[str]:
    lookup = header_lookup()
    keys, unknown, seen = [], [], set()
    for position, name in enumerate(header, start=1):
        text = "" if name is None else str(name).strip()
        key = lookup.get(normalise(text))
        if key is None:
            if text:
                unknown.append(text)
            else:
                unknown.append(_("colonne n° %(n)s sans titre") % {"n": position})
            keys.append(None)
            continue
        if key in seen:
            raise FileRefused(_("La colonne « %(name)s » figure deux fois.") % {"name": BY_KEY[key].label})
        seen.add(key)
        keys.append(key)
    # Trailing empty header cells are common in spreadsheets: ignore them, not a titled extra column.
    while keys and keys[-1] is None and not str(header[len(keys) - 1] or "").strip():
        keys.pop()
        unknown.pop()
    problems = []
    missing = [str(BY_KEY[k].label) for k in REQUIRED if k not in seen]
    if missing:
        names = ", ".join(f"« {m} »" for m in missing)
        problems.append(_("Colonnes obligatoires absentes : %(names)s.") % {"names": names})
    if unknown:
        problems.append(
            _("Colonnes inconnues : %(names)s. Utilisez les titres du modèle (la casse et les accents importent peu).")
            % {"names": ", ".join(f"« {u} »" for u in unknown)}
        )
    if problems:
        raise FileRefused(*problems)
    return keys


def _limit_rows(line):
    if line - 1 > max_rows():
        raise FileRefused(
            _("Le fichier compte plus de %(max)s lignes : découpez-le en plusieurs fichiers.") % {"max": max_rows()}
        )


# ---------------------------------------------------------------- CSV


def _decode(data: bytes) -> tuple[str, list[str]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    head = data[:65536]
    # Text files hold no NUL byte and few control characters; anything else is binary.
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    if b"\x00" in head or controls > len(head) // 100:
        raise FileRefused(_("Ce fichier n'est pas un fichier texte CSV ni un classeur XLSX : il ne peut être lu."))
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    note = _(
        "Le fichier n'est pas en UTF-8 : il a été lu en Windows-1252 (l'encodage d'Excel en France). "
        "Vérifiez les accents dans l'aperçu."
    )
    try:
        return data.decode("cp1252"), [note]
    except UnicodeDecodeError:
        return data.decode("latin-1"), [note.replace("Windows-1252", "ISO-8859-1")]


def _read_csv(data: bytes) -> Table:
    text, notes = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise FileRefused(_("La première ligne du fichier doit porter les titres des colonnes.")) from error
    keys = _columns(header)

    def rows():
        line = 1
        try:
            for record in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in record):
                    continue
                _limit_rows(line)
                yield line, _csv_values(keys, record)
        except csv.Error as error:
            raise FileRefused(
                _("Ligne %(line)s : le fichier CSV est mal formé (%(error)s).") % {"line": line + 1, "error": error}
            ) from error

    return Table(kind="csv", columns=[k for k in keys if k], notes=notes, rows=rows())


def _csv_values(keys, record) -> dict:
    values = {}
    for key, cell in zip(keys, record, strict=False):
        if key is None:
            continue
        cell = cell.strip()
        # A CSV cell is text, but a spreadsheet opening it later would run "=…" or "@…" as a formula.
        values[key] = Formula(cell) if cell[:1] in ("=", "@", "+") else cell
    if len(record) > len(keys) and any(c.strip() for c in record[len(keys) :]):
        values["__extra__"] = True
    return values


# ---------------------------------------------------------------- XLSX


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    # data_only=False on purpose: with data_only=True a formula would show as its last computed
    # value and could not be refused. Values are never computed here either way.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileRefused(_("Ce classeur XLSX est illisible ou endommagé.")) from error
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows()
    try:
        header = [cell.value for cell in next(iterator)]
    except StopIteration as error:
        workbook.close()
        raise FileRefused(_("La première ligne du fichier doit porter les titres des colonnes.")) from error
    keys = _columns(header)

    def rows():
        try:
            for line, cells in enumerate(iterator, start=2):
                values = {}
                for key, cell in zip(keys, cells, strict=False):
                    if key is None:
                        continue
                    value = cell.value
                    if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
                        values[key] = Formula(str(value))
                    elif isinstance(value, str):
                        values[key] = value.strip()
                    elif value is None:
                        values[key] = ""
                    else:
                        values[key] = value
                if not any(v not in ("", None) for v in values.values()):
                    continue
                _limit_rows(line)
                yield line, values
        finally:
            workbook.close()

    return Table(kind="xlsx", columns=[k for k in keys if k], rows=rows())


# ---------------------------------------------------------------- values


def parse_date(value) -> date | None:
    """A date from an Excel date cell or from JJ/MM/AAAA, AAAA-MM-JJ, JJ-MM-AAAA; None when not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            parsed = datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
        if parsed.year >= 1900:
            return parsed
    return None


def display(value) -> str:
    """A raw cell as the person typed it, for messages."""
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M") if (value.hour or value.minute) else value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
