"""Reader of the CSV flavour of the export: a zip of `;`-separated files, one per subject.

The Standard file has one row per fiche; the others (blocks, certifiers, partners, ROME, NSF,
Formacode, CCN, access routes, old/new certifications) have rows keyed by Numero_Fiche, in no
useful order. To keep memory flat whatever the size, the side files are first copied into a
temporary SQLite file indexed by fiche code, then the Standard file is streamed and each
fiche gathers its rows from there.
"""

import csv
import io
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from cqp.catalogue import enums
from cqp.core.text import fold

from . import parsing
from .errors import RegistryImportError
from .records import BlockRecord, CertifierRecord, FicheRecord, PartnerRecord

# Zip bomb guard: no member of the real export comes near these.
MAX_MEMBER_SIZE = 2 * 1024**3
MAX_RATIO = 200
MAX_MEMBERS = 100
LOOKUP_BATCH = 500

# Member kind → (words looked for in the file name, required columns, optional columns).
MEMBERS = {
    "ancienne_nouvelle": (("ancienne",), ("numero_fiche", "ancienne_certification", "nouvelle_certification"), ()),
    "standard": (
        ("standard",),
        (
            "id_fiche",
            "numero_fiche",
            "intitule",
            "abrege_libelle",
            "abrege_intitule",
            "nomenclature_europe_niveau",
            "date_dernier_jo",
            "date_decision",
            "date_fin_enregistrement",
            "date_effet",
            "type_enregistrement",
            "validation_partielle",
            "actif",
        ),
        (),
    ),
    "blocs": (("bloc",), ("numero_fiche", "bloc_competences_code", "bloc_competences_libelle"), ()),
    "certificateurs": (("certificateur",), ("numero_fiche", "siret_certificateur", "nom_certificateur"), ()),
    "partenaires": (
        ("partenaire",),
        ("numero_fiche", "nom_partenaire", "siret_partenaire", "habilitation_partenaire"),
        (),
    ),
    "rome": (("rome",), ("numero_fiche", "codes_rome_code", "codes_rome_libelle"), ()),
    "nsf": (("nsf",), ("numero_fiche", "nsf_code", "nsf_intitule"), ()),
    "formacode": (("formacode",), ("numero_fiche", "formacode_code", "formacode_libelle"), ()),
    "ccn": (
        ("ccn",),
        ("numero_fiche", "ccn_1_numero", "ccn_1_libelle"),
        ("ccn_2_numero", "ccn_2_libelle", "ccn_3_numero", "ccn_3_libelle"),
    ),
    "voies": (("voix", "voie"), ("numero_fiche", "si_jury"), ()),
}

# Labels of the access routes file, folded.
ROUTE_LABELS = {
    "par experience": enums.AccessRoute.VAE,
    "en contrat de professionnalisation": enums.AccessRoute.PROFESSIONALISATION,
    "en contrat d apprentissage": enums.AccessRoute.APPRENTICESHIP,
    "apres un parcours de formation continue": enums.AccessRoute.CONTINUING,
    "apres un parcours de formation sous statut d eleve ou d etudiant": enums.AccessRoute.INITIAL,
    "par candidature individuelle": enums.AccessRoute.INDIVIDUAL,
}
ROUTE_ORDER = [route.value for route in enums.AccessRoute]


def _column_key(name: str) -> str:
    return fold(name).replace(" ", "_")


def _display_name(info: zipfile.ZipInfo) -> str:
    """Zip tools that do not flag UTF-8 names get them decoded as cp437: undo that for messages."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except UnicodeError:
        return info.filename


def _member_kind(name: str) -> str | None:
    # Prefixes, not whole words: names with accents may come out garbled from old zip tools.
    words = fold(Path(name).name).split()
    for kind, (markers, _required, _optional) in MEMBERS.items():
        if any(word.startswith(marker) for word in words for marker in markers):
            return kind
    return None


class CsvZipFicheReader:
    """Iterate the fiches of one CSV zip export as FicheRecord objects."""

    file_format = "CSV"

    def __init__(self, path, *, file_name, on_progress=None):
        self.path = path
        self.file_name = file_name
        self.on_progress = on_progress
        self.count = 0
        self.warnings = []

    def refuse(self, message_fr, message_en, *, member=None, line=None):
        where_fr = where_en = ""
        if member:
            where_fr, where_en = f"fichier {member}", f"member {member}"
            if line:
                where_fr += f", ligne {line}"
                where_en += f", line {line}"
        return RegistryImportError(self.file_name, message_fr, message_en, where_fr=where_fr, where_en=where_en)

    def __iter__(self):
        try:
            archive = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as error:
            raise self.refuse(
                f"archive zip illisible ou tronquée ({error}).", f"unreadable or truncated zip archive ({error})."
            ) from None
        with archive, tempfile.TemporaryDirectory(prefix="cqp-registry-") as tmp:
            members = self._members(archive)
            stage = sqlite3.connect(Path(tmp) / "stage.sqlite3")
            try:
                stage.execute("CREATE TABLE side (kind TEXT, code TEXT, data TEXT)")
                for kind, info in members.items():
                    if kind != "standard":
                        self._stage(archive, info, kind, stage)
                stage.execute("CREATE INDEX side_code ON side (code)")
                yield from self._fiches(archive, members["standard"], stage, set(members))
            finally:
                stage.close()
        if self.count == 0:
            raise self.refuse("le fichier Standard ne contient aucune fiche.", "the Standard file holds no fiche.")

    def _members(self, archive):
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if len(infos) > MAX_MEMBERS:
            raise self.refuse(
                f"l'archive contient {len(infos)} fichiers, c'est trop pour un export.",
                f"the archive holds {len(infos)} files, too many for an export.",
            )
        members = {}
        for info in infos:
            if info.file_size > MAX_MEMBER_SIZE or (
                info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 10_000_000
            ):
                raise self.refuse(
                    f"taille décompressée déclarée absurde ({info.file_size} octets) : archive refusée "
                    "(protection contre les bombes zip).",
                    f"absurd declared uncompressed size ({info.file_size} bytes): archive refused (zip bomb guard).",
                    member=_display_name(info),
                )
            kind = _member_kind(_display_name(info))
            if kind is None or not info.filename.lower().endswith(".csv"):
                self.warnings.append(f"{_display_name(info)} : fichier inconnu ignoré / unknown member ignored")
                continue
            if kind in members:
                first, second = _display_name(members[kind]), _display_name(info)
                raise self.refuse(
                    f"deux fichiers du même type dans l'archive ({first} et {second}).",
                    f"two members of the same kind in the archive ({first} and {second}).",
                    member=_display_name(info),
                )
            members[kind] = info
        if "standard" not in members:
            raise self.refuse(
                "l'archive ne contient pas le fichier Standard (export_fiches_CSV_Standard_AAAA_MM_JJ.csv) : "
                "ce n'est pas un export CSV complet de France compétences.",
                "the archive lacks the Standard file (export_fiches_CSV_Standard_YYYY_MM_DD.csv): this is not "
                "a complete CSV export of France compétences.",
            )
        for kind in MEMBERS:
            if kind not in members:
                self.warnings.append(f"fichier {kind} absent de l'archive / member {kind} missing from the archive")
        return members

    def _rows(self, archive, info, kind):
        """(line, {column: value}) for each row of a member, after checking its columns."""
        _markers, required, optional = MEMBERS[kind]
        reader = None
        try:
            with archive.open(info) as binary:
                text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
                reader = csv.reader(text, delimiter=";", quotechar='"')
                header = next(reader, None)
                if header is None:
                    raise self.refuse("fichier vide.", "empty file.", member=_display_name(info), line=1)
                keys = [_column_key(name) for name in header]
                missing = [name for name in required if name not in keys]
                if missing:
                    raise self.refuse(
                        f"colonnes manquantes : {', '.join(missing)}.",
                        f"missing columns: {', '.join(missing)}.",
                        member=_display_name(info),
                        line=1,
                    )
                wanted = [(name, keys.index(name)) for name in (*required, *optional) if name in keys]
                for row in reader:
                    if not row or (len(row) == 1 and not row[0].strip()):
                        continue
                    yield reader.line_num, {name: row[index] if index < len(row) else "" for name, index in wanted}
        except UnicodeDecodeError:
            raise self.refuse(
                "caractères illisibles : le fichier n'est pas en UTF-8.",
                "unreadable characters: the file is not UTF-8.",
                member=_display_name(info),
                line=reader.line_num + 1 if reader else 1,
            ) from None
        except csv.Error as error:
            raise self.refuse(
                f"CSV mal formé ({error}).",
                f"malformed CSV ({error}).",
                member=_display_name(info),
                line=reader.line_num if reader else 1,
            ) from None
        except (zipfile.BadZipFile, EOFError, OSError) as error:
            raise self.refuse(
                f"contenu compressé illisible ou tronqué ({error}).",
                f"unreadable or truncated compressed content ({error}).",
                member=_display_name(info),
            ) from None

    def _stage(self, archive, info, kind, stage):
        chunk = []
        for _line, values in self._rows(archive, info, kind):
            code = parsing.normalize_code(values.pop("numero_fiche"))
            if code:
                chunk.append((kind, code, json.dumps(values)))
            if len(chunk) >= 5000:
                stage.executemany("INSERT INTO side VALUES (?, ?, ?)", chunk)
                chunk = []
        stage.executemany("INSERT INTO side VALUES (?, ?, ?)", chunk)

    def _fiches(self, archive, info, stage, present):
        pending = []
        for line, values in self._rows(archive, info, "standard"):
            raw_code = values["numero_fiche"]
            code = parsing.normalize_code(raw_code)
            if code is None:
                raise self.refuse(
                    f"numéro de fiche invalide « {raw_code[:30]} » (RNCP… ou RS… attendu).",
                    f'invalid fiche number "{raw_code[:30]}" (RNCP… or RS… expected).',
                    member=_display_name(info),
                    line=line,
                )
            pending.append((line, code, values))
            if len(pending) >= LOOKUP_BATCH:
                yield from self._build(pending, _display_name(info), stage, present)
                pending = []
        yield from self._build(pending, _display_name(info), stage, present)

    def _build(self, pending, member, stage, present):
        if not pending:
            return
        codes = sorted({code for _line, code, _values in pending})
        side = {}
        placeholders = ",".join("?" * len(codes))
        query = f"SELECT kind, code, data FROM side WHERE code IN ({placeholders}) ORDER BY rowid"  # noqa: S608
        for kind, code, data in stage.execute(query, codes):
            side.setdefault(code, {}).setdefault(kind, []).append(json.loads(data))
        for line, code, values in pending:
            self.count += 1
            if self.on_progress:
                self.on_progress(1)
            yield self._record(line, code, values, side.get(code, {}), member, present)

    def _record(self, line, code, values, side, member, present):
        record = FicheRecord(code=code, registry=parsing.registry_of(code), fields={}, where=f"{member} ligne {line}")
        warnings = record.warnings

        def text(value):
            return parsing.clean_text(value, doubled_apostrophes=True)

        def parse(parser, value, label):
            try:
                return parser(value)
            except ValueError as error:
                warnings.append(f"{code} {label} : {error}")
                return None

        fields = record.fields
        fields["fiche_id"] = parse(parsing.parse_int, values["id_fiche"], "Id_Fiche")
        fields["title"] = text(values["intitule"]) or code
        fields["abbreviation"] = text(values["abrege_libelle"])
        fields["abbreviation_label"] = text(values["abrege_intitule"])
        fields["level"], fields["level_code"] = parsing.parse_level(values["nomenclature_europe_niveau"])
        active = parse(parsing.parse_bool, values["actif"], "Actif")
        if active is None:
            warnings.append(f"{code} Actif : absent, fiche tenue pour inactive / missing, taken as inactive")
        fields["active"] = bool(active)
        fields["registration_type"] = text(values["type_enregistrement"])
        fields["last_jo_date"] = parse(parsing.parse_date, values["date_dernier_jo"], "Date_dernier_jo")
        fields["decision_date"] = parse(parsing.parse_date, values["date_decision"], "Date_Decision")
        fields["registration_end"] = parse(
            parsing.parse_date, values["date_fin_enregistrement"], "Date_Fin_Enregistrement"
        )
        fields["effective_date"] = parse(parsing.parse_date, values["date_effet"], "Date_Effet")
        fields["partial_validation"] = parse(parsing.parse_bool, values["validation_partielle"], "Validation_Partielle")

        if "voies" in present:
            routes = set()
            for row in side.get("voies", ()):
                route = ROUTE_LABELS.get(fold(row["si_jury"]))
                if route is None:
                    warnings.append(f"{code} Si_Jury : voie d'accès inconnue « {text(row['si_jury'])[:60]} »")
                else:
                    routes.add(route.value)
            fields["access_routes"] = [route for route in ROUTE_ORDER if route in routes]

        if "certificateurs" in present:
            certifiers = {}
            for row in side.get("certificateurs", ()):
                siret = parse(parsing.parse_siret, row["siret_certificateur"], "Siret_Certificateur")
                name = text(row["nom_certificateur"])
                if siret or name:
                    certifiers.setdefault((siret, name), CertifierRecord(siret=siret, name=name or siret))
            record.certifiers = tuple(certifiers.values())
        if "partenaires" in present:
            record.partners = tuple(
                PartnerRecord(
                    siret=parse(parsing.parse_siret, row["siret_partenaire"], "Siret_Partenaire") or "",
                    name=text(row["nom_partenaire"]),
                    habilitation=text(row["habilitation_partenaire"]),
                    with_state=False,
                )
                for row in side.get("partenaires", ())
                if text(row["nom_partenaire"]) or text(row["siret_partenaire"])
            )
        if "blocs" in present:
            blocks = {}
            for row in side.get("blocs", ()):
                block_code = text(row["bloc_competences_code"]).upper()
                if block_code and len(block_code) <= 30:
                    blocks.setdefault(
                        block_code,
                        BlockRecord(code=block_code, title=text(row["bloc_competences_libelle"]) or block_code),
                    )
            record.blocks = tuple(sorted(blocks.values(), key=lambda block: block.code))
        if "rome" in present:
            record.rome = _pairs(side.get("rome", ()), "codes_rome_code", "codes_rome_libelle", 5, text, upper=True)
        if "nsf" in present:
            record.nsf = _pairs(side.get("nsf", ()), "nsf_code", "nsf_intitule", 8, text)
        if "formacode" in present:
            record.formacodes = _pairs(side.get("formacode", ()), "formacode_code", "formacode_libelle", 8, text)
        if "ccn" in present:
            agreements = {}
            for row in side.get("ccn", ()):
                for index in (1, 2, 3):
                    number = text(row.get(f"ccn_{index}_numero", ""))
                    if number and len(number) <= 8:
                        agreements.setdefault(number, text(row.get(f"ccn_{index}_libelle", "")))
            record.agreements = tuple(agreements.items())
        replaces, replaced_by = [], []
        for row in side.get("ancienne_nouvelle", ()):
            for raw, into in ((row["ancienne_certification"], replaces), (row["nouvelle_certification"], replaced_by)):
                for part in raw.replace(",", " ").replace("|", " ").split():
                    other = parsing.normalize_code(part)
                    if other and other != code and other not in into:
                        into.append(other)
        record.replaces, record.replaced_by = tuple(replaces), tuple(replaced_by)
        return record


def _pairs(rows, code_column, label_column, max_code, text, upper=False):
    found = {}
    for row in rows:
        code = text(row[code_column])
        if upper:
            code = code.upper()
        if code and len(code) <= max_code:
            found.setdefault(code, parsing.strip_code_prefix(text(row[label_column]), code))
    return tuple(found.items())
