"""The refusals of bad input, in French then English: the API answers them as they are."""

from .enums import Status

STATUSES = ", ".join(Status.values)

MESSAGES = {
    "status": (f"Situation inconnue : attendu {STATUSES}. / Unknown status: expected {STATUSES}."),
    "status_required": "La situation est obligatoire. / The status is required.",
    "age": (
        "Âge invalide : attendu un nombre entier d'années entre 14 et 100. "
        "/ Invalid age: expected a whole number of years between 14 and 100."
    ),
    "experience_months": (
        "Expérience invalide : attendu un nombre entier de mois entre 0 et 600. "
        "/ Invalid experience: expected a whole number of months between 0 and 600."
    ),
    "disability_recognised": (
        "Reconnaissance du handicap invalide : attendu true ou false. "
        "/ Invalid disability_recognised: expected true or false."
    ),
    "idcc_format": (
        "IDCC invalide : attendu 1 à 4 chiffres, tels qu'inscrits sur le bulletin de paie (3248). "
        "/ Invalid IDCC: expected 1 to 4 digits, as printed on the payslip (3248)."
    ),
    "idcc_unknown": (
        "IDCC inconnu : cette convention collective n'est ni dans notre table des OPCO ni dans le catalogue. "
        "/ Unknown IDCC: this collective agreement is neither in our OPCO table nor in the catalogue."
    ),
    "certification_format": (
        "Certification invalide : attendu un code (RNCP37674, RS6117, CQP-00001), 40 caractères au plus. "
        "/ Invalid certification: expected a code (RNCP37674, RS6117, CQP-00001), at most 40 characters."
    ),
    "certification_unknown": (
        "Certification inconnue : aucun CQP du catalogue n'a ce code. / Unknown certification: no catalogue entry "
        "has this code."
    ),
}

AGE_MIN, AGE_MAX = 14, 100
EXPERIENCE_MIN, EXPERIENCE_MAX = 0, 600
CERTIFICATION_MAX_LENGTH = 40
