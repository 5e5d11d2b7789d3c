"""docs/workflow.md drawn from workflow.TRANSITIONS: a Mermaid state diagram and the table of transitions."""

from django.conf import settings
from django.utils import translation

from . import rules, workflow
from .enums import Path, State

OUTPUT = settings.BASE_DIR / "docs" / "workflow.md"
ROLE_LABELS = {
    workflow.CANDIDATE: "candidat",
    workflow.EMPLOYER: "entreprise",
    workflow.TRAINING_ORG: "organisme de formation",
    workflow.ASSESSOR: "organisme évaluateur",
    workflow.CERTIFIER: "certificateur",
    workflow.JURY: "jury (par sa session)",
    workflow.ADMIN: "administrateur",
}
ROLE_ORDER = list(ROLE_LABELS)
STATE_ORDER = list(State.values)


def _states(states) -> list[str]:
    return sorted(states, key=STATE_ORDER.index)


def _guard_text(name: str) -> str:
    doc = (rules.GUARDS[name].__doc__ or "").strip().splitlines()
    return f"`{name}`" + (f" ({doc[0].rstrip('.')})" if doc else "")


def render() -> str:
    with translation.override("fr"):
        return _render()


def _render() -> str:
    lines = [
        "# Le parcours d'une candidature",
        "",
        "<!-- Generated from cqp/candidacies/workflow.py by `python manage.py draw_workflow`: do not edit. -->",
        "",
        "Chaque flèche est une transition de `cqp/candidacies/workflow.py`, appliquée par",
        "`services.candidacy_transition` qui verrouille la candidature, vérifie le rôle, l'état, la voie,",
        "le motif et les conditions, puis écrit une ligne d'historique (qui, quand, de, vers, pourquoi).",
        "Les états finaux sont non recevable, clôturée et abandonnée.",
        "",
        "```mermaid",
        "stateDiagram-v2",
    ]
    for state in State:
        lines.append(f"    {state.value} : {state.label}")
    lines.append(f"    [*] --> {State.DRAFT.value}")
    for transition in workflow.TRANSITIONS.values():
        for source in _states(transition.sources):
            lines.append(f"    {source} --> {transition.target} : {transition.label}")
    for state in _states(workflow.FINAL_STATES):
        lines.append(f"    {state} --> [*]")
    lines += [
        "```",
        "",
        "## Transitions",
        "",
        "| action | libellé | depuis | vers | qui | voie | conditions |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in workflow.TRANSITIONS.values():
        sources = ", ".join(f"{s} ({State(s).label})" for s in _states(t.sources))
        who = ", ".join(ROLE_LABELS[r] for r in sorted(t.roles, key=ROLE_ORDER.index))
        paths = ", ".join(str(Path(p).label) for p in sorted(t.paths))
        guards = [_guard_text(g) for g in t.guards]
        if t.comment_required:
            guards.append("motif obligatoire")
        lines.append(
            f"| `{t.name}` | {t.label} | {sources} | {t.target} ({State(t.target).label}) | {who} | {paths} "
            f"| {'; '.join(guards) or '—'} |"
        )
    lines += [
        "",
        "L'administrateur de la plateforme peut appliquer chaque transition. Les personnes prévenues par",
        "e-mail après chaque transition :",
        "",
        "| action | prévenus |",
        "|---|---|",
    ]
    for t in workflow.TRANSITIONS.values():
        notified = ", ".join(ROLE_LABELS[r] for r in sorted(t.notify, key=ROLE_ORDER.index)) or "—"
        lines.append(f"| `{t.name}` | {notified} |")
    return "\n".join(lines) + "\n"
