"""Import registry files: detect the format, read, load, one transaction per file, record the run."""

import codecs
import contextlib
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from cqp.catalogue.models import ImportRun

from .csv_reader import MAX_MEMBER_SIZE, MAX_RATIO, CsvZipFicheReader
from .errors import RegistryImportError
from .loader import BATCH_SIZE, Loader, batched
from .xml_reader import XmlFicheReader

MAX_WARNINGS = 50


@dataclass
class ImportReport:
    """What one file did to the catalogue (or would have done, in a dry run)."""

    file: str
    file_format: str = ""
    registries: list[str] = field(default_factory=list)
    fiches: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    no_longer_present: int = 0
    no_longer_present_codes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)
    warning_count: int = 0
    error: str = ""
    import_run_id: int | None = None

    @property
    def registry(self) -> str:
        return "+".join(self.registries)

    @property
    def ok(self) -> bool:
        return not self.error

    def add_warnings(self, warnings):
        self.warning_count += len(warnings)
        room = MAX_WARNINGS - len(self.warnings)
        if room > 0:
            self.warnings.extend(warnings[:room])

    def summary(self) -> str:
        """One line, French, for the command and the ImportRun message."""
        name = Path(self.file).name
        if self.error:
            return f"{name} : refusé."
        text = (
            f"{name} — {self.file_format}, {self.registry or '?'} : {self.fiches} fiches lues, "
            f"{self.created} créées, {self.updated} mises à jour, {self.unchanged} inchangées, "
            f"{self.no_longer_present} plus présentes dans le fichier ({self.seconds:.1f} s)."
        )
        if self.no_longer_present_codes:
            more = self.no_longer_present - len(self.no_longer_present_codes)
            codes = ", ".join(self.no_longer_present_codes) + (f" et {more} autres" if more > 0 else "")
            text += f" Absentes du fichier, conservées au catalogue : {codes}."
        if self.warning_count:
            text += f" {self.warning_count} avertissements."
        if self.dry_run:
            text = f"Essai à blanc, rien d'enregistré — {text}"
        return text


class _DryRunRollback(Exception):
    pass


def detect_format(path, file_name) -> tuple[str, str | None]:
    """By content, not by name: (format, XML member of a zip or None).

    A zip is the CSV export, unless it holds one XML file and no CSV (data.gouv.fr distributes the
    XML flow zipped); a text starting with `<` is the XML flow.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        raise RegistryImportError(file_name, "fichier introuvable.", "file not found.") from None
    except OSError as error:
        raise RegistryImportError(
            file_name, f"fichier illisible ({error.strerror}).", f"unreadable file ({error.strerror})."
        ) from None
    if not head:
        raise RegistryImportError(file_name, "le fichier est vide.", "the file is empty.")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return "CSV", _xml_member(path, file_name)
    text = head
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if text.startswith(bom):
            if bom != codecs.BOM_UTF8:
                return "XML", None
            text = text[len(bom) :]
            break
    if text.lstrip().startswith(b"<"):
        return "XML", None
    raise RegistryImportError(
        file_name,
        "format non reconnu : ni export XML (v4.1) ni archive zip de l'export CSV de France compétences.",
        "unknown format: neither an XML export (v4.1) nor the zip archive of France compétences' CSV export.",
        where_fr="début du fichier",
        where_en="start of the file",
    )


def _xml_member(path, file_name) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError):
        return None  # the CSV reader says what is wrong with the archive
    xml = [info for info in infos if info.filename.lower().endswith(".xml")]
    if len(xml) != 1 or any(info.filename.lower().endswith(".csv") for info in infos):
        return None
    info = xml[0]
    if info.file_size > MAX_MEMBER_SIZE or (
        info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 10_000_000
    ):
        raise RegistryImportError(
            file_name,
            f"taille décompressée déclarée absurde ({info.file_size} octets) : archive refusée "
            "(protection contre les bombes zip).",
            f"absurd declared uncompressed size ({info.file_size} bytes): archive refused (zip bomb guard).",
            where_fr=f"fichier {info.filename}",
            where_en=f"member {info.filename}",
        )
    return info.filename


def _forget_queries():
    """With DEBUG on, Django keeps the SQL of the last 9,000 queries: big bulk inserts would fill memory.

    Left alone when a test captures queries (force_debug_cursor).
    """
    if settings.DEBUG and not connection.force_debug_cursor:
        connection.queries_log.clear()


@contextlib.contextmanager
def _sqlite_cache():
    """The import is one long transaction: a larger page cache spares re-reading index pages.

    Put back afterwards, for the connection may serve other work (a task worker, a shell).
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size = -65536")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")


def import_file(path, *, dry_run=False, stdout=None) -> ImportReport:
    """Import one file in one transaction. Raises RegistryImportError (nothing written) when refused."""
    path = Path(path)
    file_name = path.name
    report = ImportReport(file=str(path), dry_run=dry_run)
    started = time.monotonic()
    run = ImportRun.objects.create(file_name=str(path)[:500], file_format="")
    report.import_run_id = run.pk
    try:
        report.file_format, member = detect_format(path, file_name)
        if member:
            report.file_format = "XML"
    except RegistryImportError as error:
        report.error = error.text()
        _close(run, report, ImportRun.Status.FAILED, error.text())
        error.reports = [report]
        raise
    progress = _progress(path, report.file_format, member, stdout)
    on_progress = progress.update if progress is not None else None
    if report.file_format == "XML":
        reader = XmlFicheReader(path, file_name=file_name, on_progress=on_progress, member=member)
    else:
        reader = CsvZipFicheReader(path, file_name=file_name, on_progress=on_progress)
    try:
        with _sqlite_cache(), transaction.atomic():
            loader = Loader(run=run, report=report)
            for batch in batched(reader, BATCH_SIZE):
                _forget_queries()
                try:
                    loader.load_batch(batch)
                except DatabaseError as error:
                    raise RegistryImportError(
                        file_name,
                        f"écriture impossible en base ({error}).",
                        f"database write failed ({error}).",
                        where_fr=f"fiches {batch[0].code} à {batch[-1].code}",
                        where_en=f"fiches {batch[0].code} to {batch[-1].code}",
                    ) from error
            loader.finish()
            report.add_warnings(getattr(reader, "warnings", []))
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    except RegistryImportError as error:
        _failed(run, report, started, error.text())
        error.reports = [report]
        raise
    except Exception as error:
        # Not the file's fault: still recorded, then raised as it is.
        _failed(run, report, started, f"Erreur interne / internal error: {error!r}")
        raise
    finally:
        if progress is not None:
            progress.close()
    report.seconds = time.monotonic() - started
    _close(run, report, ImportRun.Status.DRY_RUN if dry_run else ImportRun.Status.DONE, report.summary())
    return report


def _failed(run, report, started, message):
    # Nothing was written: the figures of the rolled-back batches would mislead.
    report.error = message
    report.seconds = time.monotonic() - started
    report.created = report.updated = report.unchanged = report.no_longer_present = 0
    report.no_longer_present_codes = []
    _close(run, report, ImportRun.Status.FAILED, message)


def _close(run, report, status, message):
    registry = report.registry if len(report.registry) <= 4 else ""
    ImportRun.objects.filter(pk=run.pk).update(
        file_format=report.file_format,
        status=status,
        finished_at=timezone.now(),
        registry=registry,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        no_longer_present=report.no_longer_present,
        message=message,
    )


def _progress(path, file_format, member, stdout):
    """A progress bar on a terminal only."""
    isatty = getattr(stdout, "isatty", None)
    if stdout is None or not callable(isatty) or not isatty():
        return None
    from tqdm import tqdm

    # Django's OutputWrapper ends every write with a newline: the bar must redraw in place.
    stdout = getattr(stdout, "_out", stdout)
    if file_format == "XML":
        if member:
            with zipfile.ZipFile(path) as archive:
                total = archive.getinfo(member).file_size
        else:
            total = path.stat().st_size
        return tqdm(total=total, unit="o", unit_scale=True, desc=path.name, file=stdout, leave=False)
    return tqdm(unit=" fiches", desc=path.name, file=stdout, leave=False)


def import_files(paths, *, dry_run=False, stdout=None) -> list[ImportReport]:
    """Import each file in its own transaction, in order.

    A refused file leaves the catalogue as it was and does not stop the others; at the end,
    RegistryImportError is raised with every refusal in its message and every report in `.reports`.
    """
    reports, errors = [], []
    for path in paths:
        try:
            reports.append(import_file(path, dry_run=dry_run, stdout=stdout))
        except RegistryImportError as error:
            reports.extend(error.reports)
            errors.append(error)
    if errors:
        combined = RegistryImportError.combine(errors)
        combined.reports = reports
        raise combined
    return reports
