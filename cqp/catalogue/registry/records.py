"""What a reader hands to the loader: one fiche, as plain values.

`None` means "this format does not say" (the CSV export has no texts, no competencies, no
statistics): the loader then leaves what is in the catalogue. An empty tuple means "the fiche
says there is none".
"""

import hashlib
from dataclasses import dataclass, field

# Bump when the mapping from the export to the catalogue changes, so that every fiche is rewritten.
MAPPING_VERSION = "1"

# Certification fields a reader may fill, in a fixed order (part of the content hash).
CERTIFICATION_FIELDS = (
    "fiche_id",
    "title",
    "fiche_state",
    "abbreviation",
    "abbreviation_label",
    "level",
    "level_code",
    "active",
    "registration_type",
    "decision_date",
    "effective_date",
    "publication_date",
    "last_jo_date",
    "registration_end",
    "delivery_deadline",
    "registration_years",
    "partial_validation",
    "objectives",
    "activities",
    "abilities",
    "sectors",
    "job_types",
    "entry_prerequisites",
    "validation_prerequisites",
    "regulation",
    "url",
    "access_routes",
    "jury_compositions",
)


@dataclass(slots=True)
class CertifierRecord:
    siret: str | None
    name: str
    active: bool | None = None


@dataclass(slots=True)
class BlockRecord:
    code: str
    title: str
    competencies: tuple[str, ...] | None = None
    assessment_methods: str | None = None


@dataclass(slots=True)
class PartnerRecord:
    siret: str
    name: str
    habilitation: str
    active: bool | None = None
    active_since: object = None
    state_changed_on: object = None
    # False when the format gives neither state nor dates (the CSV): existing ones are kept.
    with_state: bool = True


@dataclass(slots=True)
class StatisticRecord:
    year: int
    certified: int | None = None
    certified_vae: int | None = None
    employment_rate_6_months: int | None = None
    job_rate_2_years: int | None = None


@dataclass(slots=True)
class CorrespondenceRecord:
    source_block_code: str
    target_certification_code: str
    target_block_code: str


@dataclass(slots=True)
class FicheRecord:
    code: str
    registry: str
    fields: dict
    where: str = ""  # "ligne 12" / "line 12": where the fiche starts, for messages
    certifiers: tuple[CertifierRecord, ...] | None = None
    blocks: tuple[BlockRecord, ...] | None = None
    partners: tuple[PartnerRecord, ...] | None = None
    rome: tuple[tuple[str, str], ...] | None = None
    nsf: tuple[tuple[str, str], ...] | None = None
    formacodes: tuple[tuple[str, str], ...] | None = None
    agreements: tuple[tuple[str, str], ...] | None = None
    replaces: tuple[str, ...] = ()
    replaced_by: tuple[str, ...] = ()
    correspondences: tuple[CorrespondenceRecord, ...] | None = None
    statistics: tuple[StatisticRecord, ...] | None = None
    warnings: list[str] = field(default_factory=list)

    def content_hash(self) -> str:
        """Fingerprint of everything the fiche says, to skip fiches that did not change."""
        payload = (
            MAPPING_VERSION,
            self.code,
            self.registry,
            tuple((name, self.fields[name]) for name in CERTIFICATION_FIELDS if name in self.fields),
            self.certifiers,
            self.blocks,
            self.partners,
            self.rome,
            self.nsf,
            self.formacodes,
            self.agreements,
            self.replaces,
            self.replaced_by,
            self.correspondences,
            self.statistics,
        )
        return hashlib.sha256(repr(payload).encode()).hexdigest()
