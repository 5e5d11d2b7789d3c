"""Check every row of a table before anything is written: the preview.

Rows are read one at a time; what is kept in memory is one small entry per person (for the
duplicates) and the first errors. People already on the platform are looked up in chunks once
the whole file is read.

Duplicates (documented in docs/guide/import-tableur.md):
- same e-mail and same name as a person already known → "déjà connu", the candidacy is attached
  to that person (this is what the enrolment service does);
- same e-mail but another name, same e-mail but another birth date, or same name and birth date
  but another e-mail → an error: attaching or creating would mix up two people;
- in the file, the same person twice for the same certification → an error; the same person for
  two certifications → two candidacies, one person.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from cqp.candidacies import rules
from cqp.candidacies.models import Candidate
from cqp.catalogue.models import Certification
from cqp.catalogue.selectors import certification_current_blocks

from .columns import BY_KEY, FUNDING_VALUES, PATH_VALUES, REQUIRED, SITUATION_VALUES, normalise
from .parser import Formula, display, parse_date

ERRORS_KEPT = 1000
NOTICES_KEPT = 1000
CHUNK = 500


@dataclass
class Scope:
    kind: str  # BatchScope value
    certifier_ids: set = field(default_factory=set)
    employer: object = None


@dataclass
class Report:
    rows: int = 0
    error_rows: set = field(default_factory=set)
    errors: list = field(default_factory=list)  # {"line", "column", "message"}
    error_count: int = 0
    notices: list = field(default_factory=list)  # {"line", "message"}
    known: int = 0
    notes: list = field(default_factory=list)

    def error(self, line, column, message):
        self.error_rows.add(line)
        self.error_count += 1
        if len(self.errors) < ERRORS_KEPT:
            label = str(BY_KEY[column].label) if column else ""
            self.errors.append({"line": line, "column": label, "message": message})

    def notice(self, line, message):
        if len(self.notices) < NOTICES_KEPT:
            self.notices.append({"line": line, "message": message})

    def as_json(self) -> dict:
        return {
            "rows": self.rows,
            "error_rows": len(self.error_rows),
            "error_count": self.error_count,
            "errors": sorted(self.errors, key=lambda e: e["line"]),
            "notices": sorted(self.notices, key=lambda n: n["line"]),
            "known": self.known,
            "notes": self.notes,
        }


def cell_message(line, column, value, text) -> str:
    return _("ligne %(line)s, colonne « %(column)s » : « %(value)s » %(text)s") % {
        "line": line,
        "column": BY_KEY[column].label,
        "value": display(value)[:80],
        "text": text,
    }


class CertificationCheck:
    """Each code looked up once: the certification, or the reason it takes no candidacy from this user."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.cache = {}
        self.blocks = {}

    def __call__(self, code: str):
        key = code.strip().upper()
        if key not in self.cache:
            self.cache[key] = self._check(key)
        return self.cache[key]

    def _check(self, code):
        certification = Certification.objects.filter(code__iexact=code).prefetch_related("certifiers").first()
        if certification is None:
            return None, _("n'est le code d'aucune certification du catalogue")
        problems = rules.certification_problems(certification)
        if problems:
            return None, problems[0]
        certifier_ids = {c.pk for c in certification.certifiers.all()}
        if self.scope.kind == "CERTIFIER" and not certifier_ids & self.scope.certifier_ids:
            return None, _("n'est pas une certification de votre certificateur")
        self.blocks[certification.pk] = {b.code.upper() for b in certification_current_blocks(certification)}
        return certification, ""


def _choice(report, line, key, value, table, *, required=True):
    if isinstance(value, Formula):
        return None
    text = display(value).strip()
    if not text:
        if required:
            report.error(line, key, cell_message(line, key, "", _(": valeur obligatoire")))
        return ""
    found = table.get(normalise(text))
    if found is None:
        report.error(line, key, cell_message(line, key, text, _("n'est pas une valeur de la liste du modèle")))
    return found


def check_row(report, line, values, certification_check):
    """The cleaned row, or None when it has an error (errors added to the report)."""
    before = report.error_count
    if values.get("__extra__"):
        report.error(line, None, _("ligne %(line)s : des valeurs dépassent la dernière colonne.") % {"line": line})
    for key, value in values.items():
        if isinstance(value, Formula):
            report.error(
                line,
                key,
                cell_message(line, key, value, _("est une formule : saisissez la valeur elle-même, pas une formule")),
            )
    clean = {}
    for key in ("last_name", "first_name", "email", "certification"):
        value = values.get(key, "")
        if isinstance(value, Formula):
            continue
        text = display(value).strip()
        if not text:
            report.error(line, key, cell_message(line, key, "", _(": valeur obligatoire")))
        elif len(text) > 150:
            report.error(line, key, cell_message(line, key, text, _("est trop long (150 caractères au plus)")))
        clean[key] = text
    if clean.get("email"):
        try:
            validate_email(clean["email"])
        except ValidationError:
            report.error(line, "email", cell_message(line, "email", clean["email"], _("n'est pas une adresse e-mail")))
        clean["email"] = clean["email"].lower()
    birth = values.get("birth_date", "")
    if not isinstance(birth, Formula):
        if display(birth).strip() == "":
            report.error(line, "birth_date", cell_message(line, "birth_date", "", _(": valeur obligatoire")))
        else:
            clean["birth_date"] = parse_date(birth)
            if clean["birth_date"] is None:
                report.error(line, "birth_date", cell_message(line, "birth_date", birth, _("n'est pas une date")))
    clean["path"] = _choice(report, line, "path", values.get("path", ""), PATH_VALUES)
    clean["situation"] = _choice(report, line, "situation", values.get("situation", ""), SITUATION_VALUES)
    clean["funding"] = _choice(report, line, "funding", values.get("funding", ""), FUNDING_VALUES, required=False)
    blocks = values.get("blocks", "")
    if not isinstance(blocks, Formula):
        codes = [c for c in display(blocks).replace(";", ",").replace(" ", ",").split(",") if c.strip()]
        clean["blocks"] = codes or None
    if clean.get("certification"):
        certification, problem = certification_check(clean["certification"])
        clean["certification"] = certification or clean["certification"]
        if certification is None:
            report.error(line, "certification", cell_message(line, "certification", clean["certification"], problem))
        else:
            if clean.get("blocks"):
                known = certification_check.blocks[certification.pk]
                unknown = sorted({c.upper() for c in clean["blocks"]} - known)
                if unknown:
                    report.error(
                        line,
                        "blocks",
                        cell_message(
                            line, "blocks", ", ".join(unknown), _("ne sont pas des blocs de cette certification")
                        ),
                    )
    return clean if report.error_count == before else None


class People:
    """One entry per e-mail and per (name, birth date) seen in the file, to find duplicates."""

    def __init__(self):
        self.by_email = {}  # email → (first line, names key, birth date, {certification codes})
        self.by_identity = {}  # (names key, birth date) → (first line, email)

    def check(self, report, line, row):
        names = (normalise(row["last_name"]), normalise(row["first_name"]))
        email, birth, code = row["email"], row["birth_date"], row["certification"].code
        seen = self.by_email.get(email)
        if seen is not None:
            first, seen_names, seen_birth, codes = seen
            if seen_names != names or seen_birth != birth:
                report.error(
                    line,
                    "email",
                    _(
                        "ligne %(line)s : l'e-mail « %(email)s » est déjà celui d'une autre personne "
                        "à la ligne %(first)s."
                    )
                    % {"line": line, "email": email, "first": first},
                )
                return False
            if code in codes:
                report.error(
                    line,
                    "certification",
                    _("ligne %(line)s : doublon de la ligne %(first)s (même personne, même certification).")
                    % {"line": line, "first": first},
                )
                return False
            codes.add(code)
            report.notice(line, _("même personne que la ligne %(first)s : une seconde candidature") % {"first": first})
            return True
        other = self.by_identity.get((names, birth))
        if other is not None and other[1] != email:
            report.error(
                line,
                "email",
                _(
                    "ligne %(line)s : même nom, prénom et date de naissance qu'à la ligne %(first)s, "
                    "mais un autre e-mail : une même personne ne peut avoir qu'une adresse."
                )
                % {"line": line, "first": other[0]},
            )
            return False
        self.by_email[email] = (line, names, birth, {code})
        self.by_identity.setdefault((names, birth), (line, email))
        return True

    def check_known(self, report):
        """People already on the platform: attached when the same person, an error when it would mix two."""
        emails = list(self.by_email)
        accounts, candidates = {}, {}
        User = get_user_model()
        for start in range(0, len(emails), CHUNK):
            chunk = emails[start : start + CHUNK]
            for user in User.objects.annotate(low=Lower("email")).filter(low__in=chunk).select_related("candidate"):
                accounts[user.low] = user
            for candidate in Candidate.objects.annotate(low=Lower("email")).filter(low__in=chunk, user__isnull=True):
                candidates.setdefault(candidate.low, []).append(candidate)
        for email, (line, names, birth, _codes) in self.by_email.items():
            person = None
            if email in accounts:
                user = accounts[email]
                # An account without a candidate record yet: the enrolment makes one from it.
                person = getattr(user, "candidate", None) or user
            elif email in candidates:
                same = [c for c in candidates[email] if (normalise(c.last_name), normalise(c.first_name)) == names]
                person = same[0] if same else candidates[email][0]
            if person is None:
                continue
            if (normalise(person.last_name), normalise(person.first_name)) != names:
                report.error(
                    line,
                    "email",
                    _(
                        "ligne %(line)s : l'e-mail « %(email)s » appartient déjà à une autre personne inscrite "
                        "sur la plateforme : vérifiez l'adresse."
                    )
                    % {"line": line, "email": email},
                )
            elif getattr(person, "birth_date", None) and person.birth_date != birth:
                report.error(
                    line,
                    "birth_date",
                    _(
                        "ligne %(line)s : la date de naissance ne correspond pas à celle de la personne déjà "
                        "inscrite avec l'e-mail « %(email)s »."
                    )
                    % {"line": line, "email": email},
                )
            else:
                report.known += 1
                report.notice(
                    line,
                    _("déjà connu : sera rattaché à %(name)s (%(email)s), déjà inscrit sur la plateforme")
                    % {"name": f"{person.first_name} {person.last_name}", "email": email},
                )
        self._check_homonyms(report, accounts, candidates)

    def _check_homonyms(self, report, accounts, candidates):
        births = sorted({birth for (_names, birth) in self.by_identity})
        for start in range(0, len(births), CHUNK):
            for person in Candidate.objects.filter(birth_date__in=births[start : start + CHUNK]).only(
                "first_name", "last_name", "birth_date", "email"
            ):
                key = ((normalise(person.last_name), normalise(person.first_name)), person.birth_date)
                seen = self.by_identity.get(key)
                if seen is None or person.email.lower() == seen[1]:
                    continue
                line, email = seen
                report.error(
                    line,
                    "email",
                    _(
                        "ligne %(line)s : une personne de même nom, prénom et date de naissance est déjà inscrite "
                        "avec une autre adresse e-mail : indiquez l'adresse que la plateforme connaît, ou demandez "
                        "au certificateur de la corriger."
                    )
                    % {"line": line},
                )


def preview(table, *, scope: Scope, on_row=None) -> Report:
    """Check every row; `on_row(line, clean)` receives each row without error (the commit uses it)."""
    report = Report(notes=list(table.notes))
    certification_check = CertificationCheck(scope)
    people = People()
    for line, values in table.rows:
        report.rows += 1
        clean = check_row(report, line, values, certification_check)
        if clean is None or not people.check(report, line, clean):
            continue
        if on_row is not None:
            on_row(line, clean)
    people.check_known(report)
    return report


__all__ = ["REQUIRED", "Report", "Scope", "preview"]
