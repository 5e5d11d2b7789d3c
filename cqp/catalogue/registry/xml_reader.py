"""Streaming reader of the XML flow v4.1 (`FICHES/VERSION_FLUX/FICHE`), RNCP and RS files.

Memory stays flat: lxml's iterparse hands over one FICHE at a time, which is cleared with
its preceding siblings once read. The parser never loads a DTD, never resolves an entity,
never touches the network, and a DOCTYPE is refused before parsing starts.
"""

import codecs
import contextlib
import re
import zipfile
import zlib

from lxml import etree

from cqp.catalogue import enums

from . import parsing
from .errors import RegistryImportError, at_line
from .records import (
    BlockRecord,
    CertifierRecord,
    CorrespondenceRecord,
    FicheRecord,
    PartnerRecord,
    StatisticRecord,
)

SUPPORTED_VERSION = "4.1"
ROOT = "FICHES"
PROLOG_LIMIT = 64 * 1024
_NAME = re.compile(r"[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?")

ACCESS_ROUTES = (
    ("SI_JURY_FI", enums.AccessRoute.INITIAL),
    ("SI_JURY_CA", enums.AccessRoute.APPRENTICESHIP),
    ("SI_JURY_FC", enums.AccessRoute.CONTINUING),
    ("SI_JURY_CQ", enums.AccessRoute.PROFESSIONALISATION),
    ("SI_JURY_CL", enums.AccessRoute.INDIVIDUAL),
    ("SI_JURY_VAE", enums.AccessRoute.VAE),
)
DATE_FIELDS = (
    ("decision_date", "DATE_DECISION"),
    ("effective_date", "DATE_EFFET"),
    ("publication_date", "DATE_DE_PUBLICATION"),
    ("last_jo_date", "DATE_DERNIER_JO"),
    ("registration_end", "DATE_FIN_ENREGISTREMENT"),
    ("delivery_deadline", "DATE_LIMITE_DELIVRANCE"),
)
TEXT_FIELDS = (
    ("objectives", "OBJECTIFS_CONTEXTE"),
    ("activities", "ACTIVITES_VISEES"),
    ("abilities", "CAPACITES_ATTESTEES"),
    ("sectors", "SECTEURS_ACTIVITE"),
    ("job_types", "TYPE_EMPLOI_ACCESSIBLES"),
    ("entry_prerequisites", "PREREQUIS_ENTREE_FORMATION"),
    ("validation_prerequisites", "PREREQUIS_VALIDATION_CERTIFICATION"),
    ("regulation", "REGLEMENTATIONS_ACTIVITES"),
    ("url", "LIEN_URL_DESCRIPTION"),
)


def _text(element) -> str:
    if element is None or element.text is None:
        return ""
    return element.text.strip()


def _long_text(element) -> str:
    """A text field; itertext() in case a producer left inline markup in it."""
    if element is None:
        return ""
    if len(element):
        return parsing.clean_text("".join(element.itertext()))
    return parsing.clean_text(element.text)


def _fields_of(element) -> dict:
    """Child tag → stripped text, first occurrence, for the small records (partners, certifiers)."""
    values = {}
    for child in element:
        tag = child.tag
        if isinstance(tag, str) and tag not in values:
            values[tag] = (child.text or "").strip()
    return values


class _CountingFile:
    """Reads a binary file for lxml and tells the progress bar how far it got."""

    def __init__(self, raw, on_progress):
        self._raw = raw
        self._on_progress = on_progress

    def read(self, size=-1):
        data = self._raw.read(size)
        if self._on_progress and data:
            self._on_progress(len(data))
        return data


def check_prolog(head: bytes, file_name):
    """Refuse a DOCTYPE (external entities, entity expansion) and a root other than FICHES, before parsing."""
    if head.startswith(codecs.BOM_UTF8):
        text = head[len(codecs.BOM_UTF8) :].decode("utf-8", "replace")
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head[: len(head) // 2 * 2].decode("utf-16", "replace")
    else:
        text = head.decode("latin-1")

    def refuse(message_fr, message_en, position):
        where_fr, where_en = at_line(text.count("\n", 0, position) + 1)
        raise RegistryImportError(file_name, message_fr, message_en, where_fr=where_fr, where_en=where_en)

    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if text.startswith("<?", position):
            end = text.find("?>", position)
            if end < 0:
                break
            position = end + 2
        elif text.startswith("<!--", position):
            end = text.find("-->", position)
            if end < 0:
                break
            position = end + 3
        elif text[position : position + 9].upper() == "<!DOCTYPE" or text.startswith("<!", position):
            refuse(
                "le fichier contient une déclaration DOCTYPE, refusée par sécurité (entités externes, "
                "expansion d'entités) ; l'export de France compétences n'en a pas.",
                "the file holds a DOCTYPE declaration, refused for safety (external entities, entity "
                "expansion); France compétences' export has none.",
                position,
            )
        elif text.startswith("<", position):
            match = _NAME.match(text, position + 1)
            if not match:
                refuse("ce n'est pas un document XML lisible.", "this is not a readable XML document.", position)
            root = match.group().rsplit(":", 1)[-1]
            if root != ROOT:
                refuse(
                    f"l'élément racine est <{root}> au lieu de <{ROOT}> : ce n'est pas un export XML "
                    "des fiches RNCP ou RS.",
                    f"the root element is <{root}> instead of <{ROOT}>: this is not an XML export of "
                    "RNCP or RS fiches.",
                    position,
                )
            return
        else:
            refuse("ce n'est pas un document XML.", "this is not an XML document.", position)
    raise RegistryImportError(
        file_name,
        "aucun élément racine dans les premiers 64 Kio : le fichier est tronqué ou n'est pas un export XML.",
        "no root element in the first 64 KiB: the file is truncated or is not an XML export.",
    )


class XmlFicheReader:
    """Iterate the fiches of one XML export as FicheRecord objects."""

    file_format = "XML"

    def __init__(self, path, *, file_name, on_progress=None, member=None):
        self.path = path
        self.member = member  # the XML file inside a zip, as data.gouv.fr distributes it
        self.file_name = f"{file_name} ({member})" if member else file_name
        self.on_progress = on_progress
        self.count = 0

    @contextlib.contextmanager
    def _open(self):
        if self.member is None:
            with open(self.path, "rb") as raw:
                yield raw
            return
        with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as raw:
            yield raw

    def refuse(self, message_fr, message_en, *, line=None, column=None, fiche=None):
        where_fr, where_en = at_line(line, column)
        if fiche:
            where_fr = f"{where_fr}, fiche {fiche}" if where_fr else f"fiche {fiche}"
            where_en = f"{where_en}, fiche {fiche}" if where_en else f"fiche {fiche}"
        return RegistryImportError(self.file_name, message_fr, message_en, where_fr=where_fr, where_en=where_en)

    def __iter__(self):
        try:
            yield from self._fiches()
        except (zipfile.BadZipFile, EOFError, zlib.error) as error:
            raise self.refuse(
                f"archive zip illisible ou tronquée ({error}).", f"unreadable or truncated zip archive ({error})."
            ) from None

    def _fiches(self):
        with self._open() as raw:
            check_prolog(raw.read(PROLOG_LIMIT), self.file_name)
        version = None
        last_code = None
        with self._open() as raw:
            etree.clear_error_log()  # so that the log holds this file's errors only
            context = etree.iterparse(
                _CountingFile(raw, self.on_progress),
                events=("end",),
                tag=("VERSION_FLUX", "FICHE"),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                dtd_validation=False,
                attribute_defaults=False,
                huge_tree=False,
                remove_comments=True,
                remove_pis=True,
            )
            try:
                for _event, element in context:
                    parent = element.getparent()
                    if parent is None or parent.getparent() is not None:
                        raise self.refuse(
                            f"<{element.tag}> hors de l'élément racine <{ROOT}>.",
                            f"<{element.tag}> outside the root element <{ROOT}>.",
                            line=element.sourceline,
                        )
                    if element.tag == "VERSION_FLUX":
                        version = _text(element)
                        if version != SUPPORTED_VERSION:
                            raise self.refuse(
                                f"version du flux « {version[:20]} » non prise en charge (attendue : "
                                f"{SUPPORTED_VERSION}).",
                                f'flow version "{version[:20]}" is not supported (expected: {SUPPORTED_VERSION}).',
                                line=element.sourceline,
                            )
                        continue
                    if version is None:
                        raise self.refuse(
                            f"<VERSION_FLUX> manque avant la première fiche (version attendue : {SUPPORTED_VERSION}).",
                            f"<VERSION_FLUX> is missing before the first fiche (expected version: "
                            f"{SUPPORTED_VERSION}).",
                            line=element.sourceline,
                        )
                    record = self.read_fiche(element)
                    last_code = record.code
                    self.count += 1
                    # Free what was read: the fiche and every sibling before it.
                    element.clear(keep_tail=False)
                    while element.getprevious() is not None:
                        del parent[0]
                    yield record
            except etree.XMLSyntaxError as error:
                line, column = error.position if error.position else (None, None)
                message = error.msg
                # Without entity resolution lxml's message may be generic; the parser's log has the cause.
                fatal = error.error_log.filter_from_fatals()
                if fatal:
                    line, column, message = fatal[0].line, fatal[0].column, fatal[0].message
                after = f" (après la fiche {last_code})" if last_code else ""
                after_en = f" (after fiche {last_code})" if last_code else ""
                raise self.refuse(
                    f"XML mal formé ou tronqué{after} : {message}.",
                    f"malformed or truncated XML{after_en}: {message}.",
                    line=line,
                    column=column,
                ) from None
        if version is None:
            raise self.refuse(
                "<VERSION_FLUX> introuvable : ce n'est pas un export XML v4.1.",
                "<VERSION_FLUX> not found: this is not a v4.1 XML export.",
            )
        if self.count == 0:
            raise self.refuse(
                "le fichier ne contient aucune fiche.",
                "the file holds no fiche.",
            )

    # One fiche -----------------------------------------------------------------------------

    def read_fiche(self, element) -> FicheRecord:
        children = {}
        for child in element:
            tag = child.tag
            if isinstance(tag, str) and tag not in children:
                children[tag] = child
        raw_code = _text(children.get("NUMERO_FICHE"))
        code = parsing.normalize_code(raw_code)
        if code is None:
            raise self.refuse(
                f"fiche sans numéro RNCP ou RS valide (NUMERO_FICHE « {raw_code[:30]} »).",
                f'fiche without a valid RNCP or RS number (NUMERO_FICHE "{raw_code[:30]}").',
                line=element.sourceline,
            )
        registry = parsing.registry_of(code)
        record = FicheRecord(code=code, registry=registry, fields={}, where=f"ligne {element.sourceline}")
        warnings = record.warnings

        def parse(parser, value, label):
            try:
                return parser(value)
            except ValueError as error:
                warnings.append(f"{code} {label} : {error}")
                return None

        fields = record.fields
        fields["fiche_id"] = parse(parsing.parse_int, _text(children.get("ID_FICHE")), "ID_FICHE")
        title = _long_text(children.get("INTITULE"))
        if not title:
            warnings.append(f"{code} INTITULE : vide, le code sert d'intitulé / empty, the code is used")
            title = code
        fields["title"] = title
        fields["fiche_state"] = _text(children.get("ETAT_FICHE"))
        abbreviation = children.get("ABREGE")
        fields["abbreviation"] = _text(abbreviation.find("CODE")) if abbreviation is not None else ""
        fields["abbreviation_label"] = _text(abbreviation.find("LIBELLE")) if abbreviation is not None else ""
        level = children.get("NOMENCLATURE_EUROPE")
        fields["level"], fields["level_code"] = parsing.parse_level(
            _text(level.find("NIVEAU")) if level is not None else ""
        )
        active = parse(parsing.parse_bool, _text(children.get("ACTIF")), "ACTIF")
        if active is None:
            warnings.append(f"{code} ACTIF : absent, fiche tenue pour inactive / missing, taken as inactive")
        fields["active"] = bool(active)
        fields["registration_type"] = _text(children.get("TYPE_ENREGISTREMENT"))
        for name, tag in DATE_FIELDS:
            fields[name] = parse(parsing.parse_date, _text(children.get(tag)), tag)
        fields["registration_years"] = parse(
            parsing.parse_int, _text(children.get("DUREE_ENREGISTREMENT")), "DUREE_ENREGISTREMENT"
        )
        fields["partial_validation"] = parse(
            parsing.parse_bool, _text(children.get("VALIDATION_PARTIELLE")), "VALIDATION_PARTIELLE"
        )
        for name, tag in TEXT_FIELDS:
            fields[name] = _long_text(children.get(tag))

        routes, compositions = [], {}
        for tag, route in ACCESS_ROUTES:
            jury = children.get(tag)
            if jury is None:
                continue
            flag = jury.find("ACTIF")
            # v4.1 nests ACTIF; older flows put Oui/Non directly in SI_JURY_*.
            if parse(parsing.parse_bool, _text(flag) if flag is not None else _text(jury), f"{tag}/ACTIF"):
                routes.append(route.value)
            composition = _long_text(jury.find("COMPOSITION"))
            if composition:
                compositions[route.value] = composition
        fields["access_routes"] = routes
        fields["jury_compositions"] = compositions

        record.certifiers = self._certifiers(children.get("CERTIFICATEURS"), parse)
        record.partners = self._partners(children.get("PARTENAIRES"), parse)
        record.blocks = self._blocks(code, children.get("BLOCS_COMPETENCES"), warnings)
        record.rome = _coded(children.get("CODES_ROME"), upper=True, max_code=5, warnings=warnings, what=code)
        record.nsf = _coded(children.get("CODES_NSF"), max_code=8, warnings=warnings, what=code)
        record.formacodes = _coded(children.get("FORMACODES"), max_code=8, warnings=warnings, what=code)
        record.agreements = self._agreements(children, warnings, code)
        record.replaces = _lineage(
            element.iterfind("ANCIENNES_CERTIFICATIONS/ANCIENNE_CERTIFICATION/ID_FICHE_ANCIENNE_CERTIFICATION"),
            code,
        )
        record.replaced_by = _lineage(
            element.iterfind("NOUVELLES_CERTIFICATIONS/NOUVELLE_CERTIFICATION/ID_FICHE_NOUVELLE_CERTIFICATION"),
            code,
        )
        record.correspondences = self._correspondences(children.get("CORRESPONDANCES"))
        record.statistics = self._statistics(children.get("STATISTIQUES_PROMOTIONS"), parse)
        return record

    @staticmethod
    def _certifiers(container, parse):
        if container is None:
            return ()
        certifiers = []
        for item in container:
            if item.tag != "CERTIFICATEUR":
                continue
            values = _fields_of(item)
            siret = parse(parsing.parse_siret, values.get("SIRET_CERTIFICATEUR"), "SIRET_CERTIFICATEUR")
            name = values.get("NOM_CERTIFICATEUR", "")
            if not siret and not name:
                continue
            state = parse(parsing.parse_bool, values.get("ETAT_CERTIFICATEUR"), "ETAT_CERTIFICATEUR")
            certifiers.append(CertifierRecord(siret=siret, name=name or siret, active=state))
        return tuple(certifiers)

    @staticmethod
    def _partners(container, parse):
        if container is None:
            return ()
        partners = []
        for item in container:
            if item.tag != "PARTENAIRE":
                continue
            values = _fields_of(item)
            name = values.get("NOM_PARTENAIRE", "")
            siret = parse(parsing.parse_siret, values.get("SIRET_PARTENAIRE"), "SIRET_PARTENAIRE") or ""
            if not name and not siret:
                continue
            partners.append(
                PartnerRecord(
                    siret=siret,
                    name=name or siret,
                    habilitation=values.get("HABILITATION_PARTENAIRE", ""),
                    active=parse(parsing.parse_bool, values.get("ETAT_HABILITATION"), "ETAT_HABILITATION") is not False,
                    active_since=parse(parsing.parse_date, values.get("DATE_ACTIF"), "DATE_ACTIF"),
                    state_changed_on=parse(
                        parsing.parse_date,
                        values.get("DATE_DERNIERE_MODIFICATION_ETAT"),
                        "DATE_DERNIERE_MODIFICATION_ETAT",
                    ),
                )
            )
        return tuple(partners)

    @staticmethod
    def _blocks(code, container, warnings):
        if container is None:
            return ()
        blocks = []
        for item in container:
            if item.tag != "BLOC_COMPETENCES":
                continue
            children = {child.tag: child for child in item if isinstance(child.tag, str)}
            block_code = _text(children.get("CODE")).upper()
            if not block_code or len(block_code) > 30:
                warnings.append(f"{code} BLOC_COMPETENCES : code « {block_code[:40]} » illisible, bloc ignoré")
                continue
            blocks.append(
                BlockRecord(
                    code=block_code,
                    title=_long_text(children.get("LIBELLE")) or block_code,
                    competencies=tuple(parsing.split_competencies(_long_text(children.get("LISTE_COMPETENCES")))),
                    assessment_methods=_long_text(children.get("MODALITES_EVALUATION")),
                )
            )
        return tuple(blocks)

    @staticmethod
    def _agreements(children, warnings, code):
        """CCN_1..3 {NUMERO, LIBELLE} and CODES_IDCC/IDCC {CODE, LIBELLE}, when the fiche has them."""
        found = {}
        for tag in ("CCN_1", "CCN_2", "CCN_3"):
            element = children.get(tag)
            if element is not None:
                values = _fields_of(element)
                _add_agreement(found, values.get("NUMERO", ""), values.get("LIBELLE", ""), warnings, code)
        codes = children.get("CODES_IDCC")
        if codes is not None:
            for item in codes:
                if item.tag == "IDCC":
                    values = _fields_of(item)
                    _add_agreement(found, values.get("CODE", ""), values.get("LIBELLE", ""), warnings, code)
        return tuple(found.items())

    @staticmethod
    def _correspondences(container):
        if container is None:
            return ()
        found = {}
        for item in container:
            if item.tag != "CORRESPONDANCE":
                continue
            sources = [_text(c).upper() for c in item.iterfind("SOURCE/BLOC_COMPETENCES/CODE")] or [""]
            destination = item.find("DESTINATION")
            if destination is None:
                continue
            targets = [_text(c).upper() for c in destination.iterfind("BLOC_COMPETENCES/CODE")] or [""]
            target_fiche = parsing.normalize_code(_text(destination.find("NUMERO_FICHE")))
            for target_block in targets:
                fiche = target_fiche or parsing.normalize_code(re.sub(r"BC\d+$", "", target_block))
                if not fiche or len(target_block) > 30:
                    continue
                for source in sources:
                    if len(source) <= 30:
                        found[(source, fiche, target_block)] = None
        return tuple(CorrespondenceRecord(*key) for key in found)

    @staticmethod
    def _statistics(container, parse):
        if container is None:
            return ()
        by_year = {}
        for item in container:
            if item.tag != "STATISTIQUES_PROMOTION":
                continue
            values = _fields_of(item)
            year = parse(parsing.parse_int, values.get("ANNEE"), "ANNEE")
            if not year or not 1900 <= year <= 2200:
                continue
            by_year[year] = StatisticRecord(
                year=year,
                certified=parse(parsing.parse_int, values.get("NOMBRE_CERTIFIES"), "NOMBRE_CERTIFIES"),
                certified_vae=parse(parsing.parse_int, values.get("NOMBRE_CERTIFIES_VAE"), "NOMBRE_CERTIFIES_VAE"),
                employment_rate_6_months=parse(
                    parsing.parse_int, values.get("TAUX_INSERTION_GLOBAL_6MOIS"), "TAUX_INSERTION_GLOBAL_6MOIS"
                ),
                job_rate_2_years=parse(
                    parsing.parse_int, values.get("TAUX_INSERTION_METIER_2ANS"), "TAUX_INSERTION_METIER_2ANS"
                ),
            )
        return tuple(by_year[year] for year in sorted(by_year))


def _coded(container, *, max_code, warnings, what, upper=False):
    """ROME, NSF, Formacode lists: (code, label) pairs, in order, without repeats."""
    if container is None:
        return ()
    found = {}
    for item in container:
        values = _fields_of(item)
        code = values.get("CODE", "")
        if upper:
            code = code.upper()
        if not code:
            continue
        if len(code) > max_code:
            warnings.append(f"{what} {item.tag} : code « {code[:20]} » trop long, ignoré / too long, ignored")
            continue
        found.setdefault(code, values.get("LIBELLE") or values.get("INTITULE") or "")
    return tuple(found.items())


def _add_agreement(found, number, label, warnings, code):
    number = number.strip()
    if not number:
        return
    if len(number) > 8:
        warnings.append(f"{code} CCN/IDCC : numéro « {number[:20]} » trop long, ignoré / too long, ignored")
        return
    found.setdefault(number, label)


def _lineage(elements, code):
    registry = parsing.registry_of(code)
    codes = []
    for element in elements:
        raw = _text(element)
        other = parsing.normalize_code(raw) or (parsing.normalize_code(f"{registry}{raw}") if raw.isdigit() else None)
        if other and other != code and other not in codes:
            codes.append(other)
    return tuple(codes)
