"""The candidacy workflow, declared as data: states, transitions, who may apply each, guards.

`services.candidacy_transition` is the only code that moves a candidacy; `docs/workflow.md`
is drawn from this table by `python manage.py draw_workflow` (a test checks it is up to date).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from cqp.accounts.enums import Role

from .enums import Path, State

# Actors relative to one candidacy (see selectors.actor_roles): the candidate themself, staff of
# the organisations assigned to it, staff of its certifier, platform administrators.
CANDIDATE = Role.CANDIDATE
EMPLOYER = Role.EMPLOYER
TRAINING_ORG = Role.TRAINING_ORG
ASSESSOR = Role.ASSESSOR
CERTIFIER = Role.CERTIFIER_STAFF
# The jury acts through the juries services, which check the session; never from a candidacy page.
JURY = Role.JURY_MEMBER
ADMIN = "platform_admin"
ALL_ROLES = frozenset({CANDIDATE, EMPLOYER, TRAINING_ORG, ASSESSOR, CERTIFIER})

OPEN_STATES = frozenset(
    {
        State.DRAFT,
        State.SUBMITTED,
        State.ADMISSIBLE,
        State.POSITIONED,
        State.IN_TRAINING,
        State.DOSSIER_SUBMITTED,
        State.IN_ASSESSMENT,
        State.READY_FOR_JURY,
        State.SCHEDULED_FOR_JURY,
    }
)
FINAL_STATES = frozenset({State.INADMISSIBLE, State.CLOSED, State.WITHDRAWN})


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    roles: frozenset
    paths: frozenset = frozenset({Path.TRAINING, Path.VAE})
    # Names of guard functions in rules.GUARDS; each returns the French reasons that forbid it.
    guards: tuple = ()
    comment_required: bool = False
    notify: tuple = field(default=())


def _t(name, label, sources, target, roles, **kwargs):
    return Transition(name, label, frozenset(sources), target, frozenset(roles) | {ADMIN}, **kwargs)


TRANSITIONS = {
    t.name: t
    for t in [
        _t(
            "submit",
            _("Déposer la candidature"),
            [State.DRAFT],
            State.SUBMITTED,
            [CANDIDATE, EMPLOYER, CERTIFIER],
            guards=("candidacy_rules",),
            notify=(CANDIDATE, CERTIFIER),
        ),
        _t(
            "declare_admissible",
            _("Déclarer recevable"),
            [State.SUBMITTED],
            State.ADMISSIBLE,
            [CERTIFIER],
            guards=("candidacy_rules", "vae_eligibility_decided"),
            notify=(CANDIDATE, EMPLOYER),
        ),
        _t(
            "declare_inadmissible",
            _("Déclarer non recevable"),
            [State.SUBMITTED],
            State.INADMISSIBLE,
            [CERTIFIER],
            comment_required=True,
            notify=(CANDIDATE, EMPLOYER),
        ),
        _t(
            "record_positioning",
            _("Enregistrer le positionnement"),
            [State.ADMISSIBLE],
            State.POSITIONED,
            [TRAINING_ORG, CERTIFIER],
            paths={Path.TRAINING},
            guards=("has_training_org", "has_positioning"),
            notify=(CANDIDATE,),
        ),
        _t(
            "start_training",
            _("Commencer la formation"),
            [State.POSITIONED],
            State.IN_TRAINING,
            [TRAINING_ORG, CERTIFIER],
            paths={Path.TRAINING},
            guards=("has_accepted_plan",),
            notify=(CANDIDATE, EMPLOYER),
        ),
        _t(
            "start_assessment",
            _("Passer en évaluation"),
            [State.IN_TRAINING, State.POSITIONED],
            State.IN_ASSESSMENT,
            [TRAINING_ORG, ASSESSOR, CERTIFIER],
            paths={Path.TRAINING},
            guards=("has_assessment_centre",),
            notify=(CANDIDATE,),
        ),
        _t(
            "submit_vae_dossier",
            _("Déposer le dossier de VAE"),
            [State.ADMISSIBLE],
            State.DOSSIER_SUBMITTED,
            [CANDIDATE, CERTIFIER],
            paths={Path.VAE},
            guards=("vae_dossier_complete",),
            notify=(CERTIFIER,),
        ),
        _t(
            "start_vae_assessment",
            _("Passer en évaluation"),
            [State.DOSSIER_SUBMITTED],
            State.IN_ASSESSMENT,
            [ASSESSOR, CERTIFIER],
            paths={Path.VAE},
            guards=("has_assessment_centre",),
            notify=(CANDIDATE,),
        ),
        _t(
            "mark_ready_for_jury",
            _("Transmettre au jury"),
            [State.IN_ASSESSMENT],
            State.READY_FOR_JURY,
            [ASSESSOR, CERTIFIER],
            guards=("ready_for_jury",),
            notify=(CANDIDATE, CERTIFIER),
        ),
        _t(
            "schedule_for_jury",
            _("Inscrire à une session de jury"),
            [State.READY_FOR_JURY],
            State.SCHEDULED_FOR_JURY,
            [CERTIFIER],
            guards=("on_jury_agenda",),
            notify=(CANDIDATE,),
        ),
        _t(
            "unschedule_from_jury",
            _("Retirer de la session de jury"),
            [State.SCHEDULED_FOR_JURY],
            State.READY_FOR_JURY,
            [CERTIFIER, JURY],
            guards=("off_jury_agenda",),
            notify=(CANDIDATE,),
        ),
        _t(
            "record_decision",
            _("Enregistrer l'avis du jury"),
            [State.SCHEDULED_FOR_JURY],
            State.DECIDED,
            [JURY],
            guards=("jury_decision_signed",),
            notify=(CANDIDATE, EMPLOYER),
        ),
        _t(
            "record_corrected_decision",
            _("Enregistrer la décision corrigée du jury"),
            [State.DECIDED, State.DELIVERED],
            State.DECIDED,
            [JURY],
            guards=("jury_decision_signed",),
            notify=(CANDIDATE, EMPLOYER),
        ),
        _t(
            "deliver",
            _("Délivrer"),
            [State.DECIDED],
            State.DELIVERED,
            [CERTIFIER],
            guards=("has_acquired_blocks", "award_numbered"),
            notify=(CANDIDATE, EMPLOYER),
        ),
        _t(
            "reopen",
            _("Rouvrir pour les blocs manquants"),
            [State.DECIDED, State.DELIVERED],
            State.ADMISSIBLE,
            [CERTIFIER],
            guards=("has_missing_blocks",),
            notify=(CANDIDATE,),
        ),
        _t("close", _("Clôturer"), [State.DECIDED, State.DELIVERED], State.CLOSED, [CERTIFIER]),
        _t(
            "withdraw",
            _("Abandonner"),
            OPEN_STATES,
            State.WITHDRAWN,
            [CANDIDATE, EMPLOYER, CERTIFIER],
            comment_required=True,
            notify=(CANDIDATE, CERTIFIER),
        ),
    ]
}


def transitions_from(state: str, path: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources and path in t.paths]
