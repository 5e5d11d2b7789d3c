"""What the orientation reads from the catalogue: the certification, the agreements, their OPCO."""

from dataclasses import dataclass

from cqp.catalogue.models import Certification, CollectiveAgreement

from . import opco as opco_table
from .opco import Opco
from .rules import CertificationFacts, Orientation, Profile, orient


@dataclass(frozen=True)
class BranchMatch:
    idcc: str
    label: str
    opco: Opco | None


def certification_facts(code: str) -> CertificationFacts | None:
    """The certification of that code (case-insensitive), with the OPCOs of its branches; None if unknown."""
    code = (code or "").strip()
    if not code:
        return None
    certification = (
        Certification.objects.filter(code__iexact=code)
        .only("code", "title", "registry", "active", "vae_open", "cpf_eligible", "access_routes")
        .prefetch_related("branches")
        .first()
    )
    if certification is None:
        return None
    opcos = {}
    for branch in certification.branches.all():
        if branch.opco_name:
            opcos.setdefault(branch.opco_name, Opco(key=branch.opco_name, name=branch.opco_name, url=branch.opco_url))
    return CertificationFacts(
        code=certification.code,
        title=certification.title,
        registry=certification.registry,
        active=certification.active,
        vae_open=certification.vae_open,
        cpf_eligible=certification.cpf_eligible,
        access_routes=tuple(certification.access_routes or ()),
        branch_opcos=tuple(opcos.values()),
    )


def _agreements_with_idcc(idcc: str):
    # The catalogue may store « 843 » or « 0843 »: match both spellings.
    spellings = {idcc, idcc.lstrip("0") or "0"}
    return CollectiveAgreement.objects.filter(idcc__in=spellings).select_related("branch").order_by("number")


def branch_for_idcc(idcc: str) -> BranchMatch | None:
    """The agreement of that IDCC: from the OPCO table first, else from the catalogue's agreements."""
    normalised = opco_table.normalise_idcc(idcc)
    if normalised is None:
        return None
    entry = opco_table.branch_for_idcc(normalised)
    if entry is not None:
        return BranchMatch(idcc=normalised, label=entry.label, opco=entry.opco)
    agreements = list(_agreements_with_idcc(normalised))
    if not agreements:
        return None
    found = None
    for agreement in agreements:
        branch = agreement.branch
        if branch is not None and branch.opco_name:
            found = Opco(key=branch.opco_name, name=branch.opco_name, url=branch.opco_url)
            break
    label = next((a.label for a in agreements if a.label), "")
    if not label and agreements[0].branch:
        label = agreements[0].branch.name
    return BranchMatch(idcc=normalised, label=label, opco=found)


def _catalogue_agreements():
    """(IDCC, label, branch name, OPCO name, OPCO URL) of every agreement with an IDCC: a few hundred rows."""
    return CollectiveAgreement.objects.exclude(idcc="").values_list(
        "idcc", "label", "branch__name", "branch__opco_name", "branch__opco_url"
    )[:5000]


def search_branches(query: str, *, limit: int = 10) -> list[BranchMatch]:
    """Agreements whose name holds every word typed (accents and case ignored): the table, then the catalogue."""
    words = opco_table.fold(query).split()
    if not words:
        return []
    matches = {b.idcc: BranchMatch(idcc=b.idcc, label=b.label, opco=b.opco) for b in opco_table.search_table(query)}
    for idcc, label, branch_name, opco_name, opco_url in _catalogue_agreements():
        normalised = opco_table.normalise_idcc(idcc)
        text = opco_table.fold(f"{label} {branch_name or ''}")
        if normalised is None or normalised in matches or not all(w in text for w in words):
            continue
        opco = Opco(key=opco_name, name=opco_name, url=opco_url or "") if opco_name else None
        matches[normalised] = BranchMatch(idcc=normalised, label=label or branch_name or "", opco=opco)
    return sorted(matches.values(), key=lambda m: m.label)[:limit]


def branch_choices() -> list[BranchMatch]:
    """Every agreement the simulator knows, for the list of suggestions under the branch field."""
    known = {b.idcc: BranchMatch(idcc=b.idcc, label=b.label, opco=b.opco) for b in opco_table.branches()}
    rows = CollectiveAgreement.objects.exclude(idcc="").exclude(label="").values_list("idcc", "label")[:500]
    for idcc, label in rows:
        normalised = opco_table.normalise_idcc(idcc)
        if normalised and normalised not in known:
            known[normalised] = BranchMatch(idcc=normalised, label=label, opco=None)
    return sorted(known.values(), key=lambda m: m.label)


@dataclass(frozen=True)
class Answer:
    orientation: Orientation
    certification: CertificationFacts | None
    branch: BranchMatch | None


def orientation_for(
    *,
    status: str,
    age: int | None = None,
    disability_recognised: bool = False,
    idcc: str | None = None,
    experience_months: int | None = None,
    certification: str | None = None,
) -> Answer:
    """The rules applied to validated input: the caller has refused unknown IDCCs and codes already."""
    facts = certification_facts(certification) if certification else None
    branch = branch_for_idcc(idcc) if idcc else None
    profile = Profile(
        status=status,
        age=age,
        disability_recognised=bool(disability_recognised),
        idcc=branch.idcc if branch else (opco_table.normalise_idcc(idcc) if idcc else None),
        experience_months=experience_months,
        certification=facts,
        opco=branch.opco if branch else None,
        branch_label=branch.label if branch else "",
    )
    return Answer(orientation=orient(profile), certification=facts, branch=branch)
