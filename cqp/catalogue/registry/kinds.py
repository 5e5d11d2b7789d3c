"""Which registry fiches are CQP, CQPI or CQPM.

The registry has no "kind" field. Branches name their CQPs in the title ("CQP Tourier",
"CQPI Agent logistique", "Certificat de qualification paritaire de la métallurgie …"), in the
abbreviation (ABREGE `CQP`), or not at all: many CQPM are titled by the job alone and known by
their certifier (UIMM, the CPNE of the metallurgy). Explicit markers win; certifiers decide only
for RNCP fiches without another abbreviation, because the RS holds branch certificates of
competencies (CCPM…) that are not CQPs.
"""

import re

from cqp.catalogue import enums
from cqp.core.text import fold

_QUALIFICATION = r"certificats? de qualification (?:professionnelle|paritaire)s?"
_CQPM = re.compile(rf"\bcqpm\b|{_QUALIFICATION} (?:de |des )?(?:la |l )?(?:industrie )?metallurgi")
_CQPI = re.compile(rf"\bcqpi\b|{_QUALIFICATION} inter ?branches?\b|{_QUALIFICATION} interprofessionnel")
_CQP = re.compile(rf"\bcqp\b|{_QUALIFICATION}\b")

_METALLURGY = re.compile(r"metallurg|\buimm\b")
_BRANCH_BODY = re.compile(r"\bcpne\w*|\bcommission (?:paritaire|nationale paritaire)|\bcpnef\w*")
_INTERBRANCH = re.compile(r"inter ?branches?\b|\bcpnefpi\b|\bcpnei\b")
# Abbreviations that say nothing about the kind of certification.
_NEUTRAL_ABBREVIATIONS = {"", "autre", "autres", "sans objet", "cqp", "cqpi", "cqpm"}


def detect_kind(*, title: str, abbreviation: str = "", abbreviation_label: str = "", certifiers=(), registry="") -> str:
    """CQP, CQPI, CQPM or OTHER for one fiche. `certifiers` are the certifier names."""
    texts = [fold(title), fold(abbreviation), fold(abbreviation_label)]
    names = [fold(name) for name in certifiers if name]
    metallurgy = any(_METALLURGY.search(name) for name in names)

    if any(_CQPM.search(text) for text in texts):
        return enums.CertificationKind.CQPM
    if any(_CQPI.search(text) for text in texts):
        return enums.CertificationKind.CQPI
    if any(_CQP.search(text) for text in texts):
        return enums.CertificationKind.CQPM if metallurgy else enums.CertificationKind.CQP

    if registry != enums.Registry.RNCP or fold(abbreviation) not in _NEUTRAL_ABBREVIATIONS:
        return enums.CertificationKind.OTHER
    if metallurgy:
        return enums.CertificationKind.CQPM
    branch_bodies = [name for name in names if _BRANCH_BODY.search(name)]
    if branch_bodies:
        if any(_INTERBRANCH.search(name) for name in branch_bodies):
            return enums.CertificationKind.CQPI
        return enums.CertificationKind.CQP
    return enums.CertificationKind.OTHER
