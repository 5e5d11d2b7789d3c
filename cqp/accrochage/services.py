"""The Caisse des Dépôts "accrochage" file: which awards to declare, what their holders still lack, and the
file itself, written as a stream and checked against the schema before it is recorded."""

import datetime
import hashlib
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from lxml import etree

from cqp.awards.enums import AwardKind
from cqp.awards.models import Award
from cqp.candidacies.enums import Funding, Situation
from cqp.candidacies.enums import Path as CandidacyPath
from cqp.candidacies.models import FRANCE_INSEE
from cqp.catalogue.enums import Registry
from cqp.core.models import AuditEvent

from .models import AccrochageAccount, AccrochageDeclaration, AccrochageFile, DeclarationKind

NS = "urn:cdc:cpf:pc5:schema:1.0.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_PATH = Path(__file__).parent / "schema" / "accrochage-v2.0.0.xsd"
CHUNK = 2000
# How many incomplete awards a refusal names; the page lists them all.
NAMED_IN_REFUSAL = 20

_schema = None


def schema() -> etree.XMLSchema:
    global _schema
    if _schema is None:
        _schema = etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))
    return _schema


# Only what the export reads, as tuples: no model instances, so memory does not grow with the period.
ROW_FIELDS = (
    "pk",
    "uuid",
    "number",
    "delivered_on",
    "certification__code",
    "certification__registry",
    "candidacy__path",
    "candidacy__situation",
    "candidacy__funding",
    "candidacy__created_at",
    "candidacy__candidate__last_name",
    "candidacy__candidate__usage_name",
    "candidacy__candidate__first_name",
    "candidacy__candidate__other_first_names",
    "candidacy__candidate__birth_date",
    "candidacy__candidate__sex",
    "candidacy__candidate__birth_country",
    "candidacy__candidate__birth_insee_code",
    "candidacy__candidate__birth_postal_code",
    "candidacy__candidate__birth_city",
    "candidacy__candidate_id",
)


@dataclass
class Row:
    pk: int
    uuid: uuid.UUID
    number: str
    delivered_on: datetime.date
    certification_code: str
    registry: str
    path: str
    situation: str
    funding: str
    applied_at: datetime.datetime
    last_name: str
    usage_name: str
    first_name: str
    other_first_names: str
    birth_date: datetime.date | None
    sex: str
    birth_country: str
    birth_insee_code: str
    birth_postal_code: str
    birth_city: str
    candidate_id: int

    @property
    def first_names(self) -> list[str]:
        return [self.first_name.strip(), *self.other_first_names.split()][:3]


@dataclass
class Incomplete:
    award_id: int
    number: str
    candidate_id: int
    holder: str
    missing: list[str] = field(default_factory=list)


def to_declare(*, certifier, start, end):
    """Certificates of the period on the RNCP or RS, in force, not yet declared."""
    declared = AccrochageDeclaration.objects.filter(award=OuterRef("pk"), kind=DeclarationKind.INITIAL)
    return (
        Award.objects.filter(
            certifier=certifier,
            kind=AwardKind.CERTIFICATE,  # the schema has no per-block element: block attestations are not declared
            delivered_on__gte=start,
            delivered_on__lte=end,
            revoked_at__isnull=True,
            certification__registry__in=(Registry.RNCP, Registry.RS),
        )
        .exclude(Exists(declared))
        .order_by("certification__code", "delivered_on", "pk")
    )


def _rows(queryset):
    for values in queryset.values_list(*ROW_FIELDS).iterator(chunk_size=CHUNK):
        yield Row(*values)


def holder_missing(row: Row) -> list[str]:
    """What the schema needs and the holder's record lacks, in the words of the identity form."""
    missing = []
    if not row.last_name.strip():
        missing.append(_("nom de naissance"))
    elif len(row.last_name.strip()) > 60:
        missing.append(_("nom de naissance de 60 caractères au plus"))
    if not row.first_name.strip():
        missing.append(_("prénom"))
    elif any(len(name) > 60 for name in row.first_names):
        missing.append(_("prénoms de 60 caractères au plus"))
    if row.birth_date is None:
        missing.append(_("date de naissance"))
    if not row.sex:
        missing.append(_("sexe"))
    if row.birth_country in ("", FRANCE_INSEE) and not (row.birth_insee_code or row.birth_postal_code):
        missing.append(_("commune de naissance (code INSEE ou code postal) ou pays de naissance"))
    return missing


def accrochage_missing(*, certifier, start, end) -> list[Incomplete]:
    """The awards to declare whose holder's identity is incomplete, with what is missing."""
    result = []
    for row in _rows(to_declare(certifier=certifier, start=start, end=end)):
        missing = holder_missing(row)
        if missing:
            holder = f"{row.first_name} {row.last_name}".strip()
            result.append(Incomplete(row.pk, row.number, row.candidate_id, holder, missing))
    return result


def to_correct(*, certifier):
    """Awards declared, then revoked, whose declaration is not yet corrected."""
    corrected = AccrochageDeclaration.objects.filter(award=OuterRef("pk"), kind=DeclarationKind.CORRECTION)
    initial = AccrochageDeclaration.objects.filter(award=OuterRef("pk"), kind=DeclarationKind.INITIAL)
    return (
        Award.objects.filter(certifier=certifier, revoked_at__isnull=False)
        .filter(Exists(initial))
        .exclude(Exists(corrected))
        .select_related("certification", "candidacy__candidate")
        .order_by("revoked_at", "pk")
    )


def access_mode(row: Row) -> str:
    """The schema's "modaliteAcces" from the candidacy's path, situation and funding."""
    if row.path == CandidacyPath.VAE:
        return "VAE"
    # Work-study under a contrat de professionnalisation is the schema's own case.
    if row.funding == Funding.CONTRAT_PRO:
        return "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION"
    # A young person completing initial education, outside apprenticeship (the platform has no apprenticeship route).
    if row.situation == Situation.YOUNG:
        return "FORMATION_INITIALE_HORS_APPRENTISSAGE"
    # Employees (plan, Pro-A) and job seekers (CPF, France Travail, Région, own funds): continuing training.
    return "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION"


def _text(xf, name, value):
    element = etree.Element(f"{{{NS}}}{name}")
    element.text = str(value)
    xf.write(element)


def _nil(xf, name):
    xf.write(etree.Element(f"{{{NS}}}{name}", {f"{{{XSI}}}nil": "true"}))


def _passage(xf, row: Row):
    el = etree.Element
    with xf.element(f"{{{NS}}}passageCertification"):
        _text(xf, "idTechnique", row.uuid)
        _text(xf, "urlPreuve", f"{settings.SITE_URL.rstrip('/')}/verify/{row.uuid}/")
        _text(xf, "obtentionCertification", "PAR_ADMISSION")
        _text(xf, "donneeCertifiee", "true")
        _text(xf, "dateDebutValidite", row.delivered_on.isoformat())
        _nil(xf, "dateFinValidite")  # a CQP does not expire
        _text(xf, "presenceNiveauLangueEuro", "false")
        _text(xf, "presenceNiveauNumeriqueEuro", "false")
        _nil(xf, "scoring")
        _nil(xf, "mentionValidee")
        inscription = el(f"{{{NS}}}modalitesInscription")
        mode = access_mode(row)
        etree.SubElement(inscription, f"{{{NS}}}modaliteAcces").text = mode
        if mode == "VAE":
            etree.SubElement(inscription, f"{{{NS}}}voieAccessVAE").text = "VAE_CLASSIQUE"
        etree.SubElement(inscription, f"{{{NS}}}dateInscription").text = timezone.localdate(row.applied_at).isoformat()
        xf.write(inscription)
        xf.write(_holder(row))


def _holder(row: Row):
    ident = etree.Element(f"{{{NS}}}identificationTitulaire")
    holder = etree.SubElement(ident, f"{{{NS}}}titulaire")

    def sub(name, value):
        etree.SubElement(holder, f"{{{NS}}}{name}").text = str(value)

    sub("nomNaissance", row.last_name.strip())
    if row.usage_name.strip():
        sub("nomUsage", row.usage_name.strip()[:60])
    else:
        etree.SubElement(holder, f"{{{NS}}}nomUsage", {f"{{{XSI}}}nil": "true"})
    for position, name in enumerate(row.first_names, start=1):
        sub(f"prenom{position}", name)
    sub("anneeNaissance", row.birth_date.year)
    sub("moisNaissance", row.birth_date.month)
    sub("jourNaissance", row.birth_date.day)
    sub("sexe", row.sex)
    commune = etree.SubElement(holder, f"{{{NS}}}codeCommuneNaissance")
    if row.birth_country not in ("", FRANCE_INSEE):
        # Born abroad: INSEE locates the person by the country's code 99xxx in place of a commune.
        code = etree.SubElement(etree.SubElement(commune, f"{{{NS}}}codeInseeNaissance"), f"{{{NS}}}codeInsee")
        code.text = f"99{row.birth_country}"
    elif row.birth_insee_code:
        code = etree.SubElement(etree.SubElement(commune, f"{{{NS}}}codeInseeNaissance"), f"{{{NS}}}codeInsee")
        code.text = row.birth_insee_code
    else:
        code = etree.SubElement(etree.SubElement(commune, f"{{{NS}}}codePostalNaissance"), f"{{{NS}}}codePostal")
        code.text = row.birth_postal_code
    if row.birth_city.strip():
        sub("libelleCommuneNaissance", row.birth_city.strip()[:60])
    if row.birth_country:
        sub("codePaysNaissance", row.birth_country)
    return ident


def write_flux(output, rows, *, account: AccrochageAccount, flux_id: str, at: datetime.datetime, on_row=None) -> int:
    """Write the file to `output` (binary), one award at a time; returns how many were written."""
    count = 0
    with etree.xmlfile(output, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(f"{{{NS}}}flux", nsmap={"cpf": NS, "xsi": XSI}):
            _text(xf, "idFlux", flux_id)
            _text(xf, "horodatage", timezone.localtime(at).replace(microsecond=0).isoformat())
            with xf.element(f"{{{NS}}}emetteur"):
                # The certifier deposits its own file: it is both the sender and the certifier.
                _text(xf, "idClient", account.client_id)
                with xf.element(f"{{{NS}}}certificateurs"), xf.element(f"{{{NS}}}certificateur"):
                    _text(xf, "idClient", account.client_id)
                    _text(xf, "idContrat", account.contract_id)
                    with xf.element(f"{{{NS}}}certifications"):
                        current = None
                        context = None
                        for row in rows:
                            if row.certification_code != current:
                                if context is not None:
                                    context.__exit__(None, None, None)
                                current = row.certification_code
                                context = _open_certification(xf, row)
                            _passage(xf, row)
                            count += 1
                            if on_row is not None:
                                on_row(row)
                        if context is not None:
                            context.__exit__(None, None, None)
    return count


class _Certification:
    """The certification element and its list of passages, opened while its awards are written."""

    def __init__(self, xf, row):
        self.outer = xf.element(f"{{{NS}}}certification")
        self.outer.__enter__()
        _text(xf, "type", row.registry)
        _text(xf, "code", row.certification_code)
        _text(xf, "natureDeposant", "CERTIFICATEUR")
        self.inner = xf.element(f"{{{NS}}}passageCertifications")
        self.inner.__enter__()

    def __exit__(self, *exc):
        self.inner.__exit__(*exc)
        self.outer.__exit__(*exc)


def _open_certification(xf, row):
    return _Certification(xf, row)


def schema_errors(path) -> list[str]:
    """Validate the file while reading it, dropping each passage once read: memory stays flat."""
    try:
        for _event, element in etree.iterparse(
            str(path), events=("end",), tag=f"{{{NS}}}passageCertification", schema=schema()
        ):
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as error:
        return [str(error)]
    return []


def _refusal(incomplete: list[Incomplete]) -> ValidationError:
    named = "; ".join(f"{i.number} ({i.holder} : {', '.join(i.missing)})" for i in incomplete[:NAMED_IN_REFUSAL])
    more = len(incomplete) - NAMED_IN_REFUSAL
    message = ngettext(
        "Identité incomplète pour %(count)d délivrance : %(list)s.",
        "Identité incomplète pour %(count)d délivrances : %(list)s.",
        len(incomplete),
    ) % {"count": len(incomplete), "list": named}
    if more > 0:
        message += " " + _("Et %(more)d autres : voir la page de l'accrochage.") % {"more": more}
    return ValidationError(message, code="incomplete")


def accrochage_build(*, certifier, start, end, by) -> AccrochageFile:
    """Produce, check and record the file declaring the period's certificates not yet declared."""
    if start > end:
        raise ValidationError(_("La date de début doit précéder la date de fin."), code="period")
    account = AccrochageAccount.objects.filter(certifier=certifier).first()
    if account is None:
        raise ValidationError(
            _(
                "Identifiants de la Caisse des Dépôts manquants pour %(certifier)s : renseignez l'identifiant client "
                "et le numéro de contrat (administration, « comptes de dépôt »)."
            )
            % {"certifier": certifier},
            code="account",
        )
    incomplete = accrochage_missing(certifier=certifier, start=start, end=end)
    if incomplete:
        raise _refusal(incomplete)
    at = timezone.now()
    flux_id = str(uuid.uuid4())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "accrochage.xml"
        with transaction.atomic():
            record = AccrochageFile(
                certifier=certifier,
                flux_id=flux_id,
                period_start=start,
                period_end=end,
                created_by=by,
                sha256="",
                count=0,
            )
            record.save()
            pending = []

            def declare(row):
                pending.append(AccrochageDeclaration(award_id=row.pk, file=record, declared_by=by))
                if len(pending) >= CHUNK:
                    AccrochageDeclaration.objects.bulk_create(pending)
                    pending.clear()

            queryset = to_declare(certifier=certifier, start=start, end=end)
            with path.open("wb") as output:
                count = write_flux(output, _rows(queryset), account=account, flux_id=flux_id, at=at, on_row=declare)
            AccrochageDeclaration.objects.bulk_create(pending)
            if count == 0:
                raise ValidationError(_("Aucune délivrance à déclarer sur cette période."), code="empty")
            errors = schema_errors(path)
            if errors:
                raise ValidationError(
                    _("Le fichier ne respecte pas le schéma de la Caisse des Dépôts : %(errors)s")
                    % {"errors": "; ".join(errors[:5])},
                    code="schema",
                )
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 16), b""):
                    digest.update(chunk)
            record.sha256 = digest.hexdigest()
            record.count = count
            with path.open("rb") as handle:
                record.file.save(f"{flux_id}.xml", File(handle), save=False)
            record.save()
            AuditEvent.objects.create(
                actor=by,
                action="accrochage.file_produced",
                object_type="accrochage.AccrochageFile",
                object_id=str(record.pk),
                after={
                    "certifier": certifier.pk,
                    "from": start.isoformat(),
                    "to": end.isoformat(),
                    "count": count,
                    "sha256": record.sha256,
                },
            )
    return record


@transaction.atomic
def accrochage_mark_corrected(*, award, by, reason="") -> AccrochageDeclaration:
    """Record that a revoked award's declaration was corrected by hand on the Caisse des Dépôts' space."""
    if award.revoked_at is None or not award.accrochage_declarations.filter(kind=DeclarationKind.INITIAL).exists():
        raise ValidationError(_("Seule une délivrance déclarée puis retirée est à corriger."), code="not_revoked")
    declaration, created = AccrochageDeclaration.objects.get_or_create(
        award=award, kind=DeclarationKind.CORRECTION, defaults={"declared_by": by}
    )
    if created:
        AuditEvent.objects.create(
            actor=by,
            action="accrochage.correction_recorded",
            object_type="awards.Award",
            object_id=str(award.pk),
            after={"number": award.number},
            reason=reason,
        )
    return declaration
