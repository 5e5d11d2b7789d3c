"""What the candidacy page shows of the workflow: the steps of a path, done, current and to come,
and what to do next for the person looking. Read from workflow.TRANSITIONS, never restated."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cqp.candidacies import workflow
from cqp.candidacies.enums import Path, State

# Transitions that leave the main line of a path: refusals, abandon, second chances.
SIDE_TRANSITIONS = frozenset({"declare_inadmissible", "withdraw", "reopen"})


def main_line(path: str) -> list[str]:
    """The states a candidacy of this path goes through when all goes well, in order: from draft,
    follow the first declared transition of the path that stays on the main line."""
    states, state = [State.DRAFT], State.DRAFT
    while True:
        following = [
            t
            for t in workflow.transitions_from(state, path)
            if t.name not in SIDE_TRANSITIONS and t.target not in states
        ]
        if not following:
            return states
        state = following[0].target
        states.append(state)


@dataclass
class Step:
    state: str
    label: str
    status: str  # "done", "current" or "todo"
    at: object = None
    by: object = None


def steps(candidacy, events) -> list[Step]:
    """Each step of the candidacy's path with its status; done steps carry the date and author of the
    last event that reached them. A candidacy off the main line (refused, abandoned) ends there."""
    reached = {}
    for event in events:
        if event.to_state:
            reached[event.to_state] = event
    line = main_line(candidacy.path)
    labels = dict(State.choices)

    def step(state, status):
        event = reached.get(state) if status != "todo" else None
        return Step(state, labels[state], status, event.at if event else None, event.by if event else None)

    if candidacy.state in line:
        index = line.index(candidacy.state)
        return (
            [step(s, "done") for s in line[:index]]
            + [step(candidacy.state, "current")]
            + [step(s, "todo") for s in line[index + 1 :]]
        )
    return [step(s, "done") for s in line if s in reached] + [step(candidacy.state, "current")]


# What to do next, by state, for the candidate (and the employer acting for them), and for the
# organisations and certifier staff. Transitions the viewer may apply are listed apart as buttons.
NEXT_FOR_CANDIDATE = {
    State.DRAFT: _(
        "Vérifiez votre candidature puis déposez-la : tant qu'elle est en brouillon, personne ne l'examine."
    ),
    State.SUBMITTED: _("Le certificateur examine la recevabilité de la candidature. Vous serez prévenu par e-mail."),
    State.ADMISSIBLE: _(
        "La candidature est recevable. Sur la voie de la formation, l'organisme de formation fait le "
        "positionnement ; sur la voie de la VAE, déposez votre dossier de VAE."
    ),
    State.INADMISSIBLE: _("La candidature n'est pas recevable : le motif figure dans l'historique ci-dessous."),
    State.POSITIONED: _("Le positionnement est fait : la formation va commencer."),
    State.IN_TRAINING: _("Suivez la formation ; l'organisme vous dira quand passer les évaluations."),
    State.DOSSIER_SUBMITTED: _("Votre dossier de VAE est déposé : l'organisme évaluateur va organiser l'évaluation."),
    State.IN_ASSESSMENT: _("Les évaluations des blocs sont en cours."),
    State.READY_FOR_JURY: _("Le dossier est complet : le certificateur va vous inscrire à une session de jury."),
    State.SCHEDULED_FOR_JURY: _("Vous êtes inscrit à une session de jury : attendez sa décision."),
    State.DECIDED: _("Le jury a rendu sa décision : consultez le statut de chaque bloc."),
    State.DELIVERED: _("La certification est délivrée."),
    State.CLOSED: _("La candidature est clôturée : il n'y a plus rien à faire."),
    State.WITHDRAWN: _("La candidature a été abandonnée."),
}
NEXT_FOR_STAFF = {
    State.DRAFT: _("La candidature est en brouillon : elle attend d'être déposée."),
    State.SUBMITTED: _("Examinez la recevabilité : déclarez la candidature recevable ou non, avec le motif."),
    State.ADMISSIBLE: _("Désignez les organismes puis enregistrez le positionnement ou attendez le dossier de VAE."),
    State.POSITIONED: _("Commencez la formation ou passez directement en évaluation."),
    State.IN_TRAINING: _("À la fin de la formation, passez la candidature en évaluation."),
    State.DOSSIER_SUBMITTED: _("Le dossier de VAE est déposé : passez la candidature en évaluation."),
    State.IN_ASSESSMENT: _("Quand les évaluations sont faites, transmettez la candidature au jury."),
    State.READY_FOR_JURY: _("Inscrivez la candidature à une session de jury."),
    State.SCHEDULED_FOR_JURY: _("Enregistrez l'avis du jury."),
    State.DECIDED: _("Délivrez la certification pour les blocs acquis, rouvrez pour les blocs manquants ou clôturez."),
}


# Steps taken on their own page (the bare transition refuses until they are done there), by path.
NEXT_ON_A_PAGE = {
    (Path.TRAINING, State.POSITIONED, True): _(
        "Proposez le parcours depuis la page Parcours de formation ; une fois accepté, commencez-y la "
        "formation. Vous pouvez aussi passer directement en évaluation."
    ),
    (Path.TRAINING, State.POSITIONED, False): _(
        "Le positionnement est fait : l'organisme de formation vous propose un parcours, que vous acceptez "
        "depuis la page Parcours de formation."
    ),
    (Path.VAE, State.SUBMITTED, True): _(
        "La recevabilité se décide depuis la page Recevabilité VAE, au vu du dossier que le candidat y dépose."
    ),
    (Path.VAE, State.SUBMITTED, False): _(
        "Déclarez votre expérience et vos justificatifs, puis déposez le dossier depuis la page Recevabilité "
        "VAE ; le certificateur y décide de la recevabilité."
    ),
    (Path.VAE, State.ADMISSIBLE, False): _(
        "La candidature est recevable : décrivez votre expérience bloc par bloc, puis déposez le dossier "
        "depuis la page Dossier de validation."
    ),
}


def next_step(candidacy, roles) -> str:
    staff = bool(roles & {workflow.CERTIFIER, workflow.TRAINING_ORG, workflow.ASSESSOR, workflow.ADMIN})
    on_a_page = NEXT_ON_A_PAGE.get((candidacy.path, candidacy.state, staff))
    if on_a_page:
        return on_a_page
    if staff and candidacy.state in NEXT_FOR_STAFF:
        return NEXT_FOR_STAFF[candidacy.state]
    return NEXT_FOR_CANDIDATE.get(candidacy.state, "")


# Events that are not transitions (see services): what the history calls them.
EVENT_LABELS = {
    "create": _("Création de la candidature"),
    "update": _("Modification du brouillon"),
    "assign": _("Désignation des organismes"),
    "document": _("Pièce déposée"),
    "message": _("Message"),
    "reminder": _("Relance"),
    "positioning": _("Positionnement enregistré"),
    "training_plan": _("Parcours de formation proposé"),
    "training_plan_accept": _("Parcours de formation accepté"),
    "training_plan_start": _("Parcours de formation commencé"),
    "training_plan_complete": _("Parcours de formation terminé"),
    "training_progress": _("Progression de la formation déclarée"),
    "assessment_started": _("Évaluation d'un bloc commencée"),
    "assessment_saved": _("Évaluation d'un bloc enregistrée"),
    "assessment_submitted": _("Évaluation d'un bloc transmise"),
    "assessment_correction": _("Évaluation d'un bloc corrigée"),
    "assessment_evidence": _("Pièce jointe à une évaluation"),
    "vae_eligibility_submit": _("Recevabilité VAE déposée"),
    "vae_eligibility_decide": _("Recevabilité VAE décidée"),
    "vae_period_add": _("Période d'expérience ajoutée"),
    "vae_period_update": _("Période d'expérience modifiée"),
    "vae_period_remove": _("Période d'expérience retirée"),
    "vae_dossier_save": _("Dossier de validation enregistré"),
    "jury_deliberation": _("Délibération du jury enregistrée"),
    "jury_correction_scheduled": _("Correction d'une décision inscrite à l'ordre du jour"),
    "jury_refusal_notice": _("Refus notifié au candidat"),
    "award_revoke": _("Délivrance retirée"),
}


def event_label(name: str) -> str:
    transition = workflow.TRANSITIONS.get(name)
    return transition.label if transition else EVENT_LABELS.get(name, name)
