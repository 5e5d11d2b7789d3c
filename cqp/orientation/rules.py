"""The orientation rules: which path, which funding, whom to ask. All of them, and nothing else.

Plain functions over a small `Profile`; no database access (the selectors build the profile), so
the rules are easy to test and to explain. Each rule is registered with its plain-French
explanation: the public rules page is generated from this registry, so it cannot drift from the
code that decides.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqp.catalogue import enums as catalogue_enums
from cqp.catalogue import rights

from .enums import ContactKind, FundingName, PathName, Status
from .opco import FIND_MY_OPCO_URL, Opco

# The figures the rules use, named once.
VAE_MIN_MONTHS = 12
YOUNG_MIN_AGE = 16
YOUNG_MAX_AGE = 25
CONTRAT_PRO_JOB_SEEKER_MIN_AGE = 26
APPRENTICESHIP_MIN_AGE = 16
APPRENTICESHIP_MAX_AGE = 29
LICENCE_LEVEL = 6

FRANCE_TRAVAIL_URL = "https://www.francetravail.fr/"
MISSION_LOCALE_URL = "https://www.unml.info/"
CAP_EMPLOI_URL = "https://www.capemploi.info/"
CPF_URL = "https://www.moncompteformation.gouv.fr/"

RNCP_OR_RS = (catalogue_enums.Registry.RNCP, catalogue_enums.Registry.RS)


@dataclass(frozen=True)
class CertificationFacts:
    """What the rules need to know of a certification (read from the catalogue by the selectors)."""

    code: str
    title: str = ""
    registry: str = catalogue_enums.Registry.NONE
    active: bool = True
    vae_open: bool = False
    cpf_eligible: bool = False
    access_routes: tuple[str, ...] = ()
    # OPCOs of the branches that created it: whom to ask when the employer's IDCC is not given.
    branch_opcos: tuple[Opco, ...] = ()


@dataclass(frozen=True)
class Profile:
    status: str
    age: int | None = None
    disability_recognised: bool = False
    idcc: str | None = None
    experience_months: int | None = None
    certification: CertificationFacts | None = None
    # The employer's OPCO, found from the IDCC by the selectors, and the branch it was found for.
    opco: Opco | None = None
    branch_label: str = ""


@dataclass(frozen=True)
class Outcome:
    name: str
    open: bool
    reason: str


@dataclass(frozen=True)
class Contact:
    kind: str
    name: str
    url: str
    reason: str


@dataclass(frozen=True)
class Orientation:
    paths: list[Outcome]
    funding: list[Outcome]
    contacts: list[Contact]


@dataclass(frozen=True)
class Rule:
    group: str  # "path", "funding" or "contact"
    name: str
    title: str
    explanation: str
    basis: str
    decide: Callable = field(repr=False)


RULES: list[Rule] = []


def rule(group, name, *, title, explanation, basis=""):
    def register(decide):
        RULES.append(Rule(group=group, name=name, title=title, explanation=explanation, basis=basis, decide=decide))
        return decide

    return register


def rules_of(group: str) -> list[Rule]:
    return [r for r in RULES if r.group == group]


def is_young(age: int | None) -> bool:
    return age is not None and YOUNG_MIN_AGE <= age <= YOUNG_MAX_AGE


def _registry_label(registry: str) -> str:
    return _("RNCP") if registry == catalogue_enums.Registry.RNCP else _("Répertoire spécifique (RS)")


# --- Paths -------------------------------------------------------------------------------------


@rule(
    "path",
    PathName.TRAINING,
    title=gettext_lazy("Formation : toujours possible"),
    explanation=gettext_lazy(
        "La voie de la formation est ouverte à tous. Une évaluation préalable fait le point sur ce que la "
        "personne sait déjà faire ; le parcours de formation ne porte que sur les blocs de compétences qui "
        "restent. Si la version choisie n'est plus active au répertoire, la formation prépare la version "
        "qui la remplace."
    ),
    basis=gettext_lazy("Fiche d'information des CQP : les deux voies d'accès, formation et VAE."),
)
def training(profile: Profile) -> Outcome:
    reason = _(
        "La formation est toujours possible : une évaluation préalable fait le point sur ce que vous savez "
        "déjà faire, puis votre parcours ne porte que sur les blocs de compétences qui vous manquent."
    )
    certification = profile.certification
    if certification and not certification.active:
        reason += " " + _(
            "Attention : la version %(code)s n'est plus active au répertoire ; la formation prépare la version "
            "qui la remplace."
        ) % {"code": certification.code}
    return Outcome(PathName.TRAINING, True, reason)


@rule(
    "path",
    PathName.VAE,
    title=gettext_lazy("VAE : RNCP actif et au moins 12 mois d'expérience"),
    explanation=gettext_lazy(
        "La validation des acquis de l'expérience n'est possible que pour une certification enregistrée au "
        "RNCP, dont l'enregistrement est actif et que le certificateur ouvre à la VAE (un CQP inscrit "
        "seulement au Répertoire spécifique, ou nulle part, ne s'obtient pas par la VAE). Il faut aussi au "
        "moins 12 mois d'expérience en rapport avec la certification, comme salarié, non salarié, bénévole "
        "ou demandeur d'emploi. Le simulateur compte les mois que vous déclarez ; le certificateur vérifie "
        "ensuite qu'ils sont bien en rapport avec la certification (recevabilité)."
    ),
    basis=gettext_lazy("Fiche d'information des CQP ; règle du catalogue (VAE ouverte)."),
)
def vae(profile: Profile) -> Outcome:
    certification = profile.certification
    months = profile.experience_months
    if certification is None:
        reason = _(
            "Choisissez une certification : la VAE n'est possible que pour une certification enregistrée au "
            "RNCP et ouverte à la VAE, avec au moins %(min)s mois d'expérience en rapport avec elle."
        ) % {"min": VAE_MIN_MONTHS}
        return Outcome(PathName.VAE, False, reason)
    certification_ok = (
        certification.registry == catalogue_enums.Registry.RNCP and certification.active and certification.vae_open
    )
    if not certification_ok:
        why = rights.vae_reason(
            registry=certification.registry,
            active=certification.active,
            access_routes=list(certification.access_routes),
        )
        if certification.registry == catalogue_enums.Registry.RNCP and certification.active:
            why = _("Le certificateur n'ouvre pas cette certification à la VAE.")
        return Outcome(PathName.VAE, False, f"{certification.code} : {why}")
    if months is None:
        reason = _(
            "La certification %(code)s est enregistrée au RNCP, active et ouverte à la VAE. Indiquez votre "
            "expérience : il faut au moins %(min)s mois d'expérience en rapport avec la certification."
        ) % {"code": certification.code, "min": VAE_MIN_MONTHS}
        return Outcome(PathName.VAE, False, reason)
    if months < VAE_MIN_MONTHS:
        reason = _(
            "Vous déclarez %(months)s mois d'expérience ; il en faut au moins %(min)s en rapport avec la "
            "certification %(code)s. Il vous manque %(missing)s mois. En attendant, la formation reste possible."
        ) % {"months": months, "min": VAE_MIN_MONTHS, "code": certification.code, "missing": VAE_MIN_MONTHS - months}
        return Outcome(PathName.VAE, False, reason)
    reason = _(
        "La certification %(code)s est enregistrée au RNCP, active et ouverte à la VAE, et vous déclarez "
        "%(months)s mois d'expérience (il en faut au moins %(min)s). Le certificateur vérifiera que cette "
        "expérience est bien en rapport avec la certification : c'est la recevabilité."
    ) % {"code": certification.code, "months": months, "min": VAE_MIN_MONTHS}
    return Outcome(PathName.VAE, True, reason)


# --- Funding -----------------------------------------------------------------------------------


@rule(
    "funding",
    FundingName.PLAN,
    title=gettext_lazy("Plan de développement des compétences : pour les salariés"),
    explanation=gettext_lazy(
        "L'employeur peut financer la formation ou la VAE de ses salariés dans son plan de développement des "
        "compétences. C'est sa décision. La règle est ouverte quand la personne se déclare salariée."
    ),
    basis=gettext_lazy("Code du travail, article L. 6321-1."),
)
def plan(profile: Profile) -> Outcome:
    if profile.status == Status.EMPLOYEE:
        reason = _(
            "Vous êtes salarié : votre employeur peut financer la formation ou la VAE dans son plan de "
            "développement des compétences. C'est lui qui décide ; parlez-en à votre responsable ou au "
            "service des ressources humaines."
        )
        return Outcome(FundingName.PLAN, True, reason)
    reason = _(
        "Le plan de développement des compétences est financé par un employeur pour ses salariés ; vous "
        "n'avez pas indiqué être salarié."
    )
    return Outcome(FundingName.PLAN, False, reason)


@rule(
    "funding",
    FundingName.CONTRAT_PRO,
    title=gettext_lazy("Contrat de professionnalisation : 16 à 25 ans, ou demandeur d'emploi de 26 ans et plus"),
    explanation=gettext_lazy(
        "Le contrat de professionnalisation est un contrat de travail en alternance, avec un tuteur, qui "
        "prépare une certification (un CQP, même non inscrit au RNCP, y donne droit). Il est ouvert aux "
        "jeunes de 16 à 25 ans et aux demandeurs d'emploi de 26 ans et plus. Il l'est aussi aux bénéficiaires "
        "du RSA, de l'ASS ou de l'AAH et aux personnes sortant d'un contrat unique d'insertion : le simulateur "
        "ne pose pas ces questions et le signale dans sa réponse."
    ),
    basis=gettext_lazy("Code du travail, article L. 6325-1."),
)
def contrat_pro(profile: Profile) -> Outcome:
    age = profile.age
    others = _(
        "Il est aussi ouvert aux bénéficiaires du RSA, de l'ASS ou de l'AAH et aux personnes sortant d'un "
        "contrat unique d'insertion, ce que ce simulateur ne vérifie pas."
    )
    if age is None:
        reason = _(
            "Indiquez votre âge : le contrat de professionnalisation est ouvert aux jeunes de %(min)s à %(max)s "
            "ans et aux demandeurs d'emploi de %(senior)s ans et plus."
        ) % {"min": YOUNG_MIN_AGE, "max": YOUNG_MAX_AGE, "senior": CONTRAT_PRO_JOB_SEEKER_MIN_AGE}
        return Outcome(FundingName.CONTRAT_PRO, False, f"{reason} {others}")
    if is_young(age):
        reason = _(
            "Vous avez %(age)s ans : entre %(min)s et %(max)s ans, vous pouvez préparer la certification en "
            "alternance avec un contrat de professionnalisation, chez un employeur et avec un tuteur. "
            "L'employeur et son OPCO financent la formation."
        ) % {"age": age, "min": YOUNG_MIN_AGE, "max": YOUNG_MAX_AGE}
        if profile.status == Status.EMPLOYEE:
            reason += " " + _(
                "Déjà salarié, ce serait avec un nouvel employeur ; avec votre employeur actuel, voyez plutôt la Pro-A."
            )
        return Outcome(FundingName.CONTRAT_PRO, True, reason)
    if profile.status == Status.JOB_SEEKER and age >= CONTRAT_PRO_JOB_SEEKER_MIN_AGE:
        reason = _(
            "Vous êtes demandeur d'emploi et avez %(age)s ans : à partir de %(senior)s ans, le contrat de "
            "professionnalisation vous est ouvert. Vous êtes embauché et formé en alternance avec un tuteur ; "
            "l'employeur et son OPCO financent la formation."
        ) % {"age": age, "senior": CONTRAT_PRO_JOB_SEEKER_MIN_AGE}
        return Outcome(FundingName.CONTRAT_PRO, True, reason)
    if age < YOUNG_MIN_AGE:
        reason = _("Vous avez %(age)s ans : le contrat de professionnalisation est ouvert à partir de %(min)s ans.") % {
            "age": age,
            "min": YOUNG_MIN_AGE,
        }
        return Outcome(FundingName.CONTRAT_PRO, False, reason)
    reason = _(
        "Vous avez %(age)s ans et n'êtes pas demandeur d'emploi : le contrat de professionnalisation est "
        "réservé aux jeunes de %(min)s à %(max)s ans et aux demandeurs d'emploi de %(senior)s ans et plus."
    ) % {"age": age, "min": YOUNG_MIN_AGE, "max": YOUNG_MAX_AGE, "senior": CONTRAT_PRO_JOB_SEEKER_MIN_AGE}
    return Outcome(FundingName.CONTRAT_PRO, False, f"{reason} {others}")


@rule(
    "funding",
    FundingName.PRO_A,
    title=gettext_lazy("Pro-A : pour les salariés, sous conditions à confirmer"),
    explanation=gettext_lazy(
        "La Pro-A (reconversion ou promotion par l'alternance) permet à un salarié de préparer une "
        "certification en alternance, sans changer d'employeur. Elle est ouverte aux salariés en CDI (ou en "
        "activité partielle) dont la qualification est inférieure à la licence (niveau 6), pour une "
        "certification inscrite dans l'accord Pro-A de leur branche. Le simulateur vérifie seulement que la "
        "personne est salariée : le contrat, le diplôme et l'accord de branche sont à confirmer avec "
        "l'employeur ou l'OPCO."
    ),
    basis=gettext_lazy("Code du travail, articles L. 6324-1 et suivants."),
)
def pro_a(profile: Profile) -> Outcome:
    if profile.status == Status.EMPLOYEE:
        reason = _(
            "Vous êtes salarié : la Pro-A vous permet de préparer la certification en alternance sans changer "
            "d'employeur. Elle est réservée aux salariés en CDI (ou en activité partielle) dont la qualification "
            "est inférieure à la licence (niveau %(level)s), et la certification doit figurer dans l'accord Pro-A "
            "de votre branche. Ce simulateur vérifie seulement que vous êtes salarié : votre contrat, votre "
            "diplôme et l'accord de branche sont à confirmer avec votre employeur ou votre OPCO."
        ) % {"level": LICENCE_LEVEL}
        return Outcome(FundingName.PRO_A, True, reason)
    reason = _(
        "La Pro-A est réservée aux salariés (en CDI ou en activité partielle) ; vous n'avez pas indiqué être salarié."
    )
    return Outcome(FundingName.PRO_A, False, reason)


@rule(
    "funding",
    FundingName.CPF,
    title=gettext_lazy("CPF : seulement pour une certification enregistrée au RNCP ou au RS"),
    explanation=gettext_lazy(
        "Le compte personnel de formation finance, à l'initiative de la personne, une certification "
        "enregistrée au RNCP ou au Répertoire spécifique, tant que cet enregistrement est actif. Un CQP qui "
        "n'est inscrit dans aucun des deux répertoires ne peut pas être financé par le CPF."
    ),
    basis=gettext_lazy("Code du travail, article L. 6323-6 ; règle du catalogue (éligible au CPF)."),
)
def cpf(profile: Profile) -> Outcome:
    certification = profile.certification
    if certification is None:
        reason = _(
            "Choisissez une certification : le CPF ne finance que les certifications enregistrées au RNCP ou "
            "au Répertoire spécifique."
        )
        return Outcome(FundingName.CPF, False, reason)
    if certification.registry in RNCP_OR_RS and certification.active:
        reason = _(
            "La certification %(code)s est enregistrée au %(registry)s et active : vous pouvez la financer avec "
            "votre compte personnel de formation, à votre initiative, sur moncompteformation.gouv.fr."
        ) % {"code": certification.code, "registry": _registry_label(certification.registry)}
        return Outcome(FundingName.CPF, True, reason)
    why = rights.cpf_reason(registry=certification.registry, active=certification.active)
    return Outcome(FundingName.CPF, False, f"{certification.code} : {why}")


@rule(
    "funding",
    FundingName.FRANCE_TRAVAIL,
    title=gettext_lazy("Aides de France Travail : pour les demandeurs d'emploi"),
    explanation=gettext_lazy(
        "Une personne inscrite comme demandeur d'emploi peut demander à son conseiller France Travail de "
        "financer sa formation : aide individuelle à la formation (AIF), complément de son CPF, ou "
        "préparation opérationnelle à l'emploi (POEI) quand un employeur s'engage à la recruter. Le conseiller "
        "décide selon le projet."
    ),
    basis=gettext_lazy("Aides de France Travail à la formation des demandeurs d'emploi."),
)
def france_travail(profile: Profile) -> Outcome:
    if profile.status == Status.JOB_SEEKER:
        reason = _(
            "Vous êtes demandeur d'emploi : votre conseiller France Travail peut financer la formation ou en "
            "compléter le financement, par exemple par l'aide individuelle à la formation (AIF), un complément "
            "à votre CPF, ou une préparation opérationnelle à l'emploi (POEI) si un employeur s'engage à vous "
            "recruter. Il décide selon votre projet."
        )
        return Outcome(FundingName.FRANCE_TRAVAIL, True, reason)
    reason = _(
        "Les aides de France Travail à la formation (AIF, POEI…) sont réservées aux personnes inscrites comme "
        "demandeurs d'emploi ; vous n'avez pas indiqué l'être."
    )
    return Outcome(FundingName.FRANCE_TRAVAIL, False, reason)


@rule(
    "funding",
    FundingName.APPRENTISSAGE,
    title=gettext_lazy("Apprentissage : 16 à 29 ans, certification au RNCP ouverte à l'apprentissage"),
    explanation=gettext_lazy(
        "Le contrat d'apprentissage prépare un diplôme ou un titre enregistré au RNCP : un CQP seulement "
        "inscrit au Répertoire spécifique, ou non enregistré, ne se prépare pas en apprentissage. Le "
        "certificateur doit avoir déclaré l'apprentissage parmi ses voies d'accès. Il est ouvert de 16 à 29 "
        "ans, sans limite d'âge pour une personne dont le handicap est reconnu (15 ans est possible après la "
        "classe de 3e, ce que le simulateur ne vérifie pas)."
    ),
    basis=gettext_lazy("Code du travail, articles L. 6211-1, L. 6222-1 et L. 6222-2."),
)
def apprenticeship(profile: Profile) -> Outcome:
    certification = profile.certification
    name = FundingName.APPRENTISSAGE
    if certification is None:
        reason = _(
            "Choisissez une certification : le contrat d'apprentissage ne prépare qu'une certification "
            "enregistrée au RNCP, que le certificateur ouvre à l'apprentissage."
        )
        return Outcome(name, False, reason)
    if certification.registry != catalogue_enums.Registry.RNCP:
        reason = _(
            "%(code)s n'est pas enregistrée au RNCP : elle ne se prépare pas en apprentissage. Le contrat de "
            "professionnalisation, lui, permet de préparer un CQP."
        ) % {"code": certification.code}
        return Outcome(name, False, reason)
    if not certification.active:
        reason = _("L'enregistrement de %(code)s au RNCP n'est plus actif : on ne s'y inscrit plus en apprentissage.")
        return Outcome(name, False, reason % {"code": certification.code})
    if catalogue_enums.AccessRoute.APPRENTICESHIP not in certification.access_routes:
        reason = _("Le certificateur n'a pas déclaré l'apprentissage parmi les voies d'accès de %(code)s.")
        return Outcome(name, False, reason % {"code": certification.code})
    figures = {"code": certification.code, "min": APPRENTICESHIP_MIN_AGE, "max": APPRENTICESHIP_MAX_AGE}
    if profile.disability_recognised:
        reason = _(
            "%(code)s est enregistrée au RNCP et ouverte à l'apprentissage, et votre handicap est reconnu : "
            "l'apprentissage vous est ouvert sans limite d'âge. L'employeur et son OPCO financent la formation."
        )
        return Outcome(name, True, reason % figures)
    age = profile.age
    if age is None:
        reason = _(
            "Indiquez votre âge : l'apprentissage est ouvert de %(min)s à %(max)s ans (sans limite d'âge si votre "
            "handicap est reconnu)."
        )
        return Outcome(name, False, reason % figures)
    if APPRENTICESHIP_MIN_AGE <= age <= APPRENTICESHIP_MAX_AGE:
        reason = _(
            "%(code)s est enregistrée au RNCP et ouverte à l'apprentissage, et vous avez %(age)s ans (de %(min)s "
            "à %(max)s ans) : vous pouvez la préparer en contrat d'apprentissage, salarié d'un employeur qui, "
            "avec son OPCO, finance la formation."
        )
        return Outcome(name, True, reason % {**figures, "age": age})
    reason = _(
        "Vous avez %(age)s ans : l'apprentissage est ouvert de %(min)s à %(max)s ans, sans limite d'âge pour une "
        "personne dont le handicap est reconnu."
    )
    return Outcome(name, False, reason % {**figures, "age": age})


# --- Contacts ----------------------------------------------------------------------------------


@rule(
    "contact",
    ContactKind.OPCO,
    title=gettext_lazy("L'OPCO de la branche de l'employeur"),
    explanation=gettext_lazy(
        "L'opérateur de compétences (OPCO) conseille les entreprises de ses branches et finance l'alternance. "
        "Il se trouve à partir de l'IDCC de la convention collective de l'employeur, inscrit sur le bulletin "
        "de paie (OPCO 2i pour les branches industrielles). Sans IDCC, le simulateur indique l'OPCO des "
        "branches qui ont créé la certification et le service « Quel est mon OPCO ? » de France compétences."
    ),
    basis=gettext_lazy("Arrêtés d'agrément des OPCO (Journal officiel du 31 mars 2019)."),
)
def opco_contacts(profile: Profile) -> list[Contact]:
    if profile.opco is not None:
        reason = _("L'OPCO de la branche de votre employeur (IDCC %(idcc)s — %(branch)s).") % {
            "idcc": profile.idcc,
            "branch": profile.branch_label or profile.opco.name,
        }
        return [Contact(ContactKind.OPCO, profile.opco.name, profile.opco.url, reason)]
    contacts = []
    if profile.status == Status.EMPLOYEE or profile.idcc:
        if profile.idcc:
            reason = _(
                "Nous ne connaissons pas l'OPCO de l'IDCC %(idcc)s : le service de France compétences le trouve à "
                "partir du SIRET de votre employeur."
            ) % {"idcc": profile.idcc}
        else:
            reason = _(
                "Indiquez l'IDCC de votre employeur (sur votre bulletin de paie) pour connaître son OPCO, ou "
                "trouvez-le avec le SIRET de l'entreprise sur ce service de France compétences."
            )
        name = _("Quel est mon OPCO ? (France compétences)")
        contacts.append(Contact(ContactKind.OPCO, name, FIND_MY_OPCO_URL, reason))
    if profile.certification is not None:
        for opco in profile.certification.branch_opcos:
            reason = _("L'OPCO de la branche qui a créé la certification %(code)s.") % {
                "code": profile.certification.code
            }
            contacts.append(Contact(ContactKind.OPCO, opco.name, opco.url, reason))
    return contacts


@rule(
    "contact",
    ContactKind.FRANCE_TRAVAIL,
    title=gettext_lazy("France Travail : pour les demandeurs d'emploi"),
    explanation=gettext_lazy(
        "Le conseiller France Travail (anciennement Pôle emploi) accompagne les demandeurs d'emploi dans leur "
        "projet de formation et son financement."
    ),
)
def france_travail_contact(profile: Profile) -> list[Contact]:
    if profile.status != Status.JOB_SEEKER:
        return []
    reason = _("Vous êtes demandeur d'emploi : votre conseiller France Travail construit avec vous le projet.")
    return [Contact(ContactKind.FRANCE_TRAVAIL, "France Travail", FRANCE_TRAVAIL_URL, reason)]


@rule(
    "contact",
    ContactKind.MISSION_LOCALE,
    title=gettext_lazy("Mission locale : de 16 à 25 ans"),
    explanation=gettext_lazy(
        "La Mission locale accompagne les jeunes de 16 à 25 ans : orientation, formation, emploi, alternance. "
        "Le simulateur la propose selon l'âge indiqué, quelle que soit la situation."
    ),
)
def mission_locale_contact(profile: Profile) -> list[Contact]:
    if not is_young(profile.age):
        return []
    reason = _("Vous avez %(age)s ans : la Mission locale accompagne les jeunes de %(min)s à %(max)s ans.") % {
        "age": profile.age,
        "min": YOUNG_MIN_AGE,
        "max": YOUNG_MAX_AGE,
    }
    return [Contact(ContactKind.MISSION_LOCALE, _("Mission locale"), MISSION_LOCALE_URL, reason)]


@rule(
    "contact",
    ContactKind.CAP_EMPLOI,
    title=gettext_lazy("Cap emploi : handicap reconnu"),
    explanation=gettext_lazy(
        "Cap emploi accompagne les personnes dont le handicap est reconnu (RQTH ou autre reconnaissance), "
        "salariées ou en recherche d'emploi, et leurs employeurs."
    ),
)
def cap_emploi_contact(profile: Profile) -> list[Contact]:
    if not profile.disability_recognised:
        return []
    reason = _(
        "Votre handicap est reconnu : Cap emploi vous accompagne dans votre projet de formation et d'emploi, "
        "ainsi que votre employeur."
    )
    return [Contact(ContactKind.CAP_EMPLOI, _("Cap emploi"), CAP_EMPLOI_URL, reason)]


def orient(profile: Profile) -> Orientation:
    """Every rule, in the order of the rules page."""
    return Orientation(
        paths=[r.decide(profile) for r in rules_of("path")],
        funding=[r.decide(profile) for r in rules_of("funding")],
        contacts=[contact for r in rules_of("contact") for contact in r.decide(profile)],
    )
