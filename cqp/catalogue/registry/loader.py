"""Write registry fiches into the catalogue, a batch at a time.

A fiche whose content hash is the one stored is skipped without a write. New fiches are
bulk-created with their rows; changed fiches are updated in place: blocks matched by code
(keeping their primary keys, so that evaluation criteria stay attached), partners by SIRET,
name and habilitation, statistics by year. The loader never touches evaluation criteria,
platform equivalences or branches set on the platform (it only adds the branch of a known
collective agreement). Each batch costs a fixed number of queries, whatever its size.
"""

from collections import defaultdict
from itertools import islice

from django.db import connection
from django.db.models import CharField, Exists, OuterRef, Subquery
from django.utils import timezone

from cqp.catalogue import enums, rights
from cqp.catalogue.models import (
    Block,
    BlockEquivalence,
    Certification,
    CertificationLineage,
    Certifier,
    CollectiveAgreement,
    Competency,
    Formacode,
    Nsf,
    Partner,
    Rome,
    YearStatistic,
)
from cqp.catalogue.search import build_search_text

from .kinds import detect_kind
from .records import CERTIFICATION_FIELDS

BATCH_SIZE = 300
IN_CHUNK = 900  # below SQLite's historical limit of 999 parameters per query
REGISTRY = enums.Source.REGISTRY


def batched(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _chunks(values, size=IN_CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def insert_rows(model, columns, rows):
    """Plain INSERTs for rows nobody needs the keys of: the ORM's per-object work is most of the cost.

    SQLite reuses one prepared statement (executemany), PostgreSQL gets COPY, any other database
    multi-row VALUES.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(model._meta.get_field(column).column) for column in columns)
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES {row_sql}", rows)  # noqa: S608
            return
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path; the rows are the same, the cost a fraction.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # noqa: S608
                for row in rows:
                    copy.write_row(row)
            return
        per_statement = max(1, 60_000 // len(columns))  # PostgreSQL allows 65,535 parameters
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = ", ".join([row_sql] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {values}",  # noqa: S608
                [value for row in chunk for value in row],
            )


def update_rows(model, field_names, objs):
    """UPDATE … WHERE pk = %s, one prepared statement for all rows.

    bulk_update() writes one CASE per field and row, which the database then has to untangle:
    with forty fields that is most of the time of a re-import after a change of mapping.
    """
    if not objs:
        return
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in field_names]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"  # noqa: S608
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection=connection) for field in fields] + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _date(value):
    return connection.ops.adapt_datefield_value(value)


def _max_lengths(model):
    return {f.name: f.max_length for f in model._meta.fields if isinstance(f, CharField) and f.max_length}


CERTIFICATION_MAX = _max_lengths(Certification)
UPDATED_FIELDS = [
    *CERTIFICATION_FIELDS,
    "registry",
    "kind",
    "source",
    "vae_open",
    "cpf_eligible",
    "content_hash",
    "last_import",
    "updated_at",
]


def fit(value: str, length: int) -> str:
    return value if len(value) <= length else value[: length - 1] + "…"


def _name_key(name: str) -> str:
    return " ".join(name.split()).upper()


# Reference tables: model, key field, label field, M2M attribute on Certification, record attribute.
REFERENCES = (
    (Rome, "code", "label", "rome"),
    (Nsf, "code", "label", "nsf"),
    (Formacode, "code", "label", "formacodes"),
    (CollectiveAgreement, "number", "label", "agreements"),
)


class Loader:
    def __init__(self, *, run, report):
        self.run = run
        self.report = report
        self.seen = set()
        self.registries = set()
        self._loaded = False
        self._certifier_by_siret = {}
        self._certifier_by_name = {}  # certifiers without SIRET first, then any
        self._inactive_certifiers = set()
        self._refs = {}
        self._agreement_branch = {}

    # Caches of the small tables, filled once per file --------------------------------------

    def _load_caches(self):
        if self._loaded:
            return
        self._loaded = True
        named = {}
        for pk, siret, name, active in Certifier.objects.order_by("pk").values_list("pk", "siret", "name", "active"):
            if not active:
                self._inactive_certifiers.add(pk)
            if siret:
                self._certifier_by_siret[siret] = pk
            key = _name_key(name)
            if not siret:
                self._certifier_by_name.setdefault(key, pk)
            named.setdefault(key, pk)
        for key, pk in named.items():
            self._certifier_by_name.setdefault(key, pk)
        for model, key_field, label_field, _attr in REFERENCES:
            self._refs[model] = {
                key: [pk, label] for pk, key, label in model.objects.values_list("pk", key_field, label_field)
            }
        self._agreement_branch = dict(
            CollectiveAgreement.objects.filter(branch__isnull=False).values_list("pk", "branch_id")
        )

    # One batch ------------------------------------------------------------------------------

    def load_batch(self, records):
        self._load_caches()
        fresh = []
        for record in records:
            self.report.fiches += 1
            self.report.add_warnings(record.warnings)
            if record.code in self.seen:
                self.report.add_warnings([f"{record.code} : fiche en double dans le fichier, ignorée / duplicate"])
                continue
            self.seen.add(record.code)
            self.registries.add(record.registry)
            fresh.append(record)
        if not fresh:
            return
        existing = {
            code: (pk, content_hash)
            for pk, code, content_hash in Certification.objects.filter(
                code__in=[record.code for record in fresh]
            ).values_list("pk", "code", "content_hash")
        }
        creates, updates = [], []
        for record in fresh:
            record_hash = record.content_hash()
            row = existing.get(record.code)
            if row is None:
                creates.append((record, record_hash))
            elif row[1] == record_hash:
                self.report.unchanged += 1
            else:
                updates.append((row[0], record, record_hash))
        if not creates and not updates:
            return
        written_records = [record for record, _h in creates] + [record for _pk, record, _h in updates]
        certifier_ids = self._certifier_ids(written_records)
        self._reference_ids(written_records)

        written = self._create_certifications(creates)
        updated, changed_rows = self._update_certifications(updates)
        written += updated
        self.report.created += len(creates)
        self.report.updated += len(updates)

        block_ids = self._write_blocks(written)
        self._write_m2m(written, certifier_ids)
        self._write_partners(written)
        self._write_statistics(written)
        self._write_lineage(written)
        self._write_equivalences(written, block_ids)
        self._save_updates(changed_rows)

    # Reference rows -------------------------------------------------------------------------

    def _certifier_ids(self, records):
        """Record certifier → Certifier pk, creating the missing ones (by SIRET, else by name)."""
        to_create = {}
        activated = set()
        for record in records:
            for certifier in record.certifiers or ():
                if certifier.siret:
                    key, known = ("siret", certifier.siret), self._certifier_by_siret.get(certifier.siret)
                else:
                    key = ("name", _name_key(certifier.name))
                    known = self._certifier_by_name.get(key[1])
                if known is not None:
                    if certifier.active and known in self._inactive_certifiers:
                        activated.add(known)
                elif key in to_create:
                    # Active on any fiche of the batch: created active.
                    to_create[key].active = to_create[key].active or certifier.active is not False
                else:
                    to_create[key] = Certifier(
                        siret=certifier.siret or None,
                        name=fit(certifier.name, 255),
                        active=certifier.active is not False,
                    )
        if to_create:
            created = Certifier.objects.bulk_create(list(to_create.values()))
            for (kind, key), certifier in zip(to_create, created, strict=True):
                if not certifier.active:
                    self._inactive_certifiers.add(certifier.pk)
                if kind == "siret":
                    self._certifier_by_siret[key] = certifier.pk
                self._certifier_by_name.setdefault(_name_key(certifier.name), certifier.pk)
                if kind == "name":
                    self._certifier_by_name[key] = certifier.pk
        if activated:
            # A certifier active on any fiche is active; the importer never deactivates one.
            Certifier.objects.filter(pk__in=activated, active=False).update(active=True)
            self._inactive_certifiers -= activated
        ids = {}
        for record in records:
            for certifier in record.certifiers or ():
                key = certifier.siret or _name_key(certifier.name)
                pk = self._certifier_by_siret.get(certifier.siret) if certifier.siret else None
                ids[key] = pk or self._certifier_by_name[_name_key(certifier.name)]
        return ids

    def _reference_ids(self, records):
        """Create the ROME, NSF, Formacode and agreement rows the batch needs; fill empty labels."""
        for model, key_field, label_field, attr in REFERENCES:
            cache = self._refs[model]
            missing, relabel = {}, {}
            max_label = model._meta.get_field(label_field).max_length
            for record in records:
                for key, label in getattr(record, attr) or ():
                    row = cache.get(key)
                    if row is None:
                        missing.setdefault(key, fit(label, max_label))
                    elif label and not row[1]:
                        relabel[key] = fit(label, max_label)
            if missing:
                created = model.objects.bulk_create(
                    [model(**{key_field: key, label_field: label}) for key, label in missing.items()]
                )
                for obj in created:
                    cache[getattr(obj, key_field)] = [obj.pk, getattr(obj, label_field)]
            if relabel:
                objs = []
                for key, label in relabel.items():
                    cache[key][1] = label
                    objs.append(model(pk=cache[key][0], **{label_field: label}))
                model.objects.bulk_update(objs, [label_field])

    # Certifications -------------------------------------------------------------------------

    def _derived(self, certification, record):
        """Kind and rights, from what the certification now says."""
        certifier_names = [c.name for c in record.certifiers or ()]
        certification.kind = detect_kind(
            title=certification.title,
            abbreviation=certification.abbreviation,
            abbreviation_label=certification.abbreviation_label,
            certifiers=certifier_names,
            registry=certification.registry,
        )
        certification.vae_open = rights.vae_open(
            registry=certification.registry,
            active=certification.active,
            access_routes=certification.access_routes,
        )
        certification.cpf_eligible = rights.cpf_eligible(registry=certification.registry, active=certification.active)

    @staticmethod
    def _fields(record):
        fields = dict(record.fields)
        for name, length in CERTIFICATION_MAX.items():
            value = fields.get(name)
            if isinstance(value, str):
                fields[name] = fit(value, length)
        return fields

    def _create_certifications(self, creates):
        objs = []
        for record, record_hash in creates:
            certification = Certification(
                code=record.code,
                registry=record.registry,
                source=REGISTRY,
                content_hash=record_hash,
                last_import=self.run,
                **self._fields(record),
            )
            self._derived(certification, record)
            blocks = record.blocks or ()
            certification.search_text = build_search_text(
                code=certification.code,
                title=certification.title,
                abbreviation=certification.abbreviation,
                block_titles=[block.title for block in blocks],
                competencies=[text for block in blocks for text in block.competencies or ()],
                job_labels=[label for _code, label in record.rome or ()],
            )
            objs.append(certification)
        Certification.objects.bulk_create(objs)
        return [(certification.pk, record, True) for certification, (record, _h) in zip(objs, creates, strict=True)]

    def _update_certifications(self, updates):
        """Set the new values on the rows, unsaved: save_updates() writes them once the relations are."""
        if not updates:
            return [], []
        by_pk = Certification.objects.in_bulk([pk for pk, _record, _hash in updates])
        now = timezone.now()
        objs = []
        for pk, record, record_hash in updates:
            certification = by_pk[pk]
            for name, value in self._fields(record).items():
                setattr(certification, name, value)
            certification.registry = record.registry
            certification.source = REGISTRY
            certification.content_hash = record_hash
            certification.last_import = self.run
            certification.updated_at = now
            self._derived(certification, record)
            objs.append(certification)
        return [(pk, record, False) for pk, record, _hash in updates], objs

    @staticmethod
    def _save_updates(objs):
        """One UPDATE per changed certification, search text included (built from the rows now written)."""
        if not objs:
            return
        pks = [certification.pk for certification in objs]
        blocks, competencies, jobs = defaultdict(list), defaultdict(list), defaultdict(list)
        for chunk in _chunks(pks):
            for certification_id, title in (
                Block.objects.filter(certification_id__in=chunk)
                .order_by("position", "code")
                .values_list("certification_id", "title")
            ):
                blocks[certification_id].append(title)
            for certification_id, text in (
                Competency.objects.filter(block__certification_id__in=chunk)
                .order_by("block__position", "block__code", "position", "id")
                .values_list("block__certification_id", "text")
            ):
                competencies[certification_id].append(text)
            for certification_id, label in Certification.rome.through.objects.filter(
                certification_id__in=chunk
            ).values_list("certification_id", "rome__label"):
                jobs[certification_id].append(label)
        for certification in objs:
            certification.search_text = build_search_text(
                code=certification.code,
                title=certification.title,
                abbreviation=certification.abbreviation,
                block_titles=blocks[certification.pk],
                competencies=competencies[certification.pk],
                job_labels=jobs[certification.pk],
            )
        update_rows(Certification, [*UPDATED_FIELDS, "search_text"], objs)

    # Blocks and competencies ----------------------------------------------------------------

    def _write_blocks(self, written):
        """Blocks matched by code; returns {(certification pk, block code): block pk} for the batch."""
        block_ids = {}
        given = [(pk, record, new) for pk, record, new in written if record.blocks is not None]
        old_pks = [pk for pk, _record, new in given if not new]
        current = defaultdict(dict)
        for chunk in _chunks(old_pks):
            for block in Block.objects.filter(certification_id__in=chunk):
                current[block.certification_id][block.code] = block
                block_ids[(block.certification_id, block.code)] = block.pk
        to_create, to_update, with_competencies = [], [], []
        for pk, record, _new in given:
            blocks = current.get(pk, {})
            seen = set()
            for position, block_record in enumerate(record.blocks, start=1):
                if block_record.code in seen:
                    continue
                seen.add(block_record.code)
                block = blocks.get(block_record.code)
                if block is None:
                    block = Block(
                        certification_id=pk,
                        code=block_record.code,
                        position=position,
                        title=block_record.title,
                        assessment_methods=block_record.assessment_methods or "",
                        source=REGISTRY,
                        in_registry=True,
                    )
                    to_create.append(block)
                    with_competencies.append((block, block_record.competencies, True))
                    continue
                wanted = {"title": block_record.title, "position": position, "in_registry": True, "source": REGISTRY}
                if block_record.assessment_methods is not None:
                    wanted["assessment_methods"] = block_record.assessment_methods
                if any(getattr(block, name) != value for name, value in wanted.items()):
                    for name, value in wanted.items():
                        setattr(block, name, value)
                    to_update.append(block)
                with_competencies.append((block, block_record.competencies, False))
            for code, block in blocks.items():
                # Gone from the registry: kept (criteria and assessments refer to it), flagged.
                if code not in seen and block.source == REGISTRY and block.in_registry:
                    block.in_registry = False
                    to_update.append(block)
        Block.objects.bulk_create(to_create)
        for block in to_create:
            block_ids[(block.certification_id, block.code)] = block.pk
        if to_update:
            update_rows(Block, ["title", "position", "in_registry", "source", "assessment_methods"], to_update)
        self._write_competencies(with_competencies)
        return block_ids

    @staticmethod
    def _write_competencies(with_competencies):
        old_ids = [block.pk for block, texts, new in with_competencies if not new and texts is not None]
        current = defaultdict(list)
        for chunk in _chunks(old_ids):
            rows = (
                Competency.objects.filter(block_id__in=chunk)
                .order_by("block_id", "position", "id")
                .values_list("block_id", "text")
            )
            for block_id, text in rows:
                current[block_id].append(text)
        replace, rows = [], []
        for block, texts, new in with_competencies:
            if texts is None:
                continue
            if not new:
                if tuple(current.get(block.pk, ())) == tuple(texts):
                    continue
                replace.append(block.pk)
            rows.extend((block.pk, position, text) for position, text in enumerate(texts, start=1))
        for chunk in _chunks(replace):
            Competency.objects.filter(block_id__in=chunk).delete()
        insert_rows(Competency, ["block", "position", "text"], rows)

    # Many-to-many ---------------------------------------------------------------------------

    def _write_m2m(self, written, certifier_ids):
        """Certifiers, ROME, NSF, Formacode and agreements: the registry's list replaces the old one."""
        relations = [("certifiers", Certification.certifiers.through, "certifier_id")]
        relations += [
            (attr, getattr(Certification, attr).through, getattr(Certification, attr).field.m2m_reverse_name())
            for _model, _key, _label, attr in REFERENCES
        ]
        branch_rows = []
        for attr, through, target_column in relations:
            old_pks, rows = [], []
            for pk, record, new in written:
                values = getattr(record, attr)
                if values is None:
                    continue
                if not new:
                    old_pks.append(pk)
                if attr == "certifiers":
                    targets = {certifier_ids[c.siret or _name_key(c.name)] for c in values}
                else:
                    model = next(model for model, _k, _l, a in REFERENCES if a == attr)
                    targets = {self._refs[model][key][0] for key, _label in values}
                    if attr == "agreements":
                        branch_rows += [
                            (pk, self._agreement_branch[target])
                            for target in targets
                            if target in self._agreement_branch
                        ]
                rows += [(pk, target) for target in sorted(targets)]
            for chunk in _chunks(old_pks):
                through.objects.filter(certification_id__in=chunk).delete()
            insert_rows(through, ["certification", target_column.removesuffix("_id")], rows)
        if branch_rows:
            # Add-only: branches chosen on the platform are never removed.
            through = Certification.branches.through
            through.objects.bulk_create(
                [through(certification_id=pk, branch_id=branch) for pk, branch in set(branch_rows)],
                ignore_conflicts=True,
            )

    # Partners and statistics ----------------------------------------------------------------

    def _write_partners(self, written):
        given = [(pk, record, new) for pk, record, new in written if record.partners is not None]
        current = defaultdict(lambda: defaultdict(list))
        for chunk in _chunks([pk for pk, _record, new in given if not new]):
            for partner in Partner.objects.filter(certification_id__in=chunk).order_by("pk"):
                current[partner.certification_id][(partner.siret, partner.name, partner.habilitation)].append(partner)
        to_create, to_update, to_delete = [], [], []
        for pk, record, _new in given:
            existing = current.get(pk, {})
            for item in record.partners:
                name, habilitation = fit(item.name, 255), fit(item.habilitation, 40)
                matches = existing.get((item.siret, name, habilitation))
                if matches:
                    partner = matches.pop(0)
                    if item.with_state and (
                        partner.active,
                        partner.active_since,
                        partner.state_changed_on,
                    ) != (item.active is not False, item.active_since, item.state_changed_on):
                        partner.active = item.active is not False
                        partner.active_since = item.active_since
                        partner.state_changed_on = item.state_changed_on
                        to_update.append(partner)
                    continue
                to_create.append(
                    (
                        pk,
                        item.siret,
                        name,
                        habilitation,
                        item.active is not False,
                        _date(item.active_since),
                        _date(item.state_changed_on),
                    )
                )
            to_delete += [partner.pk for partners in existing.values() for partner in partners]
        for chunk in _chunks(to_delete):
            Partner.objects.filter(pk__in=chunk).delete()
        if to_update:
            update_rows(Partner, ["active", "active_since", "state_changed_on"], to_update)
        insert_rows(
            Partner,
            ["certification", "siret", "name", "habilitation", "active", "active_since", "state_changed_on"],
            to_create,
        )

    def _write_statistics(self, written):
        given = [(pk, record, new) for pk, record, new in written if record.statistics is not None]
        current = {}
        for chunk in _chunks([pk for pk, _record, new in given if not new]):
            for statistic in YearStatistic.objects.filter(certification_id__in=chunk):
                current[(statistic.certification_id, statistic.year)] = statistic
        names = ["certified", "certified_vae", "employment_rate_6_months", "job_rate_2_years"]
        to_create, to_update, keep = [], [], set()
        for pk, record, _new in given:
            for item in record.statistics:
                keep.add((pk, item.year))
                values = {name: getattr(item, name) for name in names}
                statistic = current.get((pk, item.year))
                if statistic is None:
                    to_create.append((pk, item.year, *values.values()))
                elif any(getattr(statistic, name) != value for name, value in values.items()):
                    for name, value in values.items():
                        setattr(statistic, name, value)
                    to_update.append(statistic)
        to_delete = [statistic.pk for key, statistic in current.items() if key not in keep]
        for chunk in _chunks(to_delete):
            YearStatistic.objects.filter(pk__in=chunk).delete()
        if to_update:
            update_rows(YearStatistic, names, to_update)
        insert_rows(YearStatistic, ["certification", "year", *names], to_create)

    # Lineage and equivalences ---------------------------------------------------------------

    @staticmethod
    def _write_lineage(written):
        pairs = set()
        for _pk, record, _new in written:
            pairs.update((old, record.code) for old in record.replaces)
            pairs.update((record.code, new) for new in record.replaced_by)
        # Lineage is history: rows are added, never removed.
        CertificationLineage.objects.bulk_create(
            [CertificationLineage(old_code=old, new_code=new) for old, new in sorted(pairs)],
            ignore_conflicts=True,
        )

    def _write_equivalences(self, written, block_ids):
        given = [(pk, record, new) for pk, record, new in written if record.correspondences is not None]
        if not given:
            return
        targets = {}
        codes = {c.target_block_code for _pk, r, _n in given for c in r.correspondences if c.target_block_code}
        for chunk in _chunks(codes):
            rows = Block.objects.filter(code__in=chunk).values_list("pk", "code", "certification__code")
            for pk, code, certification_code in rows:
                targets[(certification_code, code)] = pk
        existing = defaultdict(dict)
        for chunk in _chunks([pk for pk, _record, new in given if not new]):
            for equivalence in BlockEquivalence.objects.filter(certification_id__in=chunk):
                key = (equivalence.block_id, equivalence.target_certification_code, equivalence.target_block_code)
                existing[equivalence.certification_id][key] = equivalence
        to_create, to_update, to_delete = [], [], []
        for pk, record, _new in given:
            current = existing.get(pk, {})
            wanted = {}
            for item in record.correspondences:
                block_id = block_ids.get((pk, item.source_block_code)) if item.source_block_code else None
                key = (block_id, item.target_certification_code, item.target_block_code)
                wanted.setdefault(key, targets.get((item.target_certification_code, item.target_block_code)))
            for key, target_block in wanted.items():
                equivalence = current.get(key)
                if equivalence is None:
                    to_create.append((pk, *key, target_block, enums.EquivalenceKind.EQUIVALENT.value, REGISTRY.value))
                elif equivalence.source == REGISTRY and target_block and equivalence.target_block_id != target_block:
                    equivalence.target_block_id = target_block
                    to_update.append(equivalence)
                # A platform equivalence with the same key already says it: left as it is.
            to_delete += [e.pk for key, e in current.items() if key not in wanted and e.source == REGISTRY]
        for chunk in _chunks(to_delete):
            BlockEquivalence.objects.filter(pk__in=chunk).delete()
        if to_update:
            update_rows(BlockEquivalence, ["target_block"], to_update)
        insert_rows(
            BlockEquivalence,
            [
                "certification",
                "block",
                "target_certification_code",
                "target_block_code",
                "target_block",
                "kind",
                "source",
            ],
            to_create,
        )

    # End of file ----------------------------------------------------------------------------

    def finish(self):
        """Resolve registry equivalences whose target is now in the catalogue; count absent fiches."""
        match = Block.objects.filter(
            certification__code=OuterRef("target_certification_code"), code=OuterRef("target_block_code")
        )
        (
            BlockEquivalence.objects.filter(source=REGISTRY, target_block__isnull=True)
            .exclude(target_block_code="")
            .filter(Exists(match))
            .update(target_block=Subquery(match.values("pk")[:1]))
        )
        absent = sorted(
            code
            for code in Certification.objects.filter(source=REGISTRY, registry__in=self.registries)
            .values_list("code", flat=True)
            .iterator(chunk_size=5000)
            if code not in self.seen
        )
        self.report.no_longer_present = len(absent)
        self.report.no_longer_present_codes = absent[:10]
        self.report.registries = sorted(self.registries)
