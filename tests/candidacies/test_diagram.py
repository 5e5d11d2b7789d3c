"""docs/workflow.md is drawn from the code: it must say what the code says now."""

from io import StringIO

from django.core.management import call_command

from cqp.candidacies import diagram, workflow
from cqp.candidacies.enums import State


def test_the_workflow_document_is_up_to_date():
    written = diagram.OUTPUT.read_text(encoding="utf-8") if diagram.OUTPUT.exists() else ""
    assert written == diagram.render(), (
        "docs/workflow.md is not what the workflow's code draws: run `python manage.py draw_workflow` and commit it."
    )


def test_the_diagram_shows_every_state_and_transition():
    text = diagram.render()
    assert "stateDiagram-v2" in text
    for state in State:
        assert f"    {state.value} : {state.label}" in text
    for transition in workflow.TRANSITIONS.values():
        assert f"| `{transition.name}` | {transition.label} |" in text
        for source in transition.sources:
            assert f"    {source} --> {transition.target} : {transition.label}" in text
    assert "`has_assessment_centre` (Un organisme évaluateur est désigné)" in text
    assert "motif obligatoire" in text


def test_the_command_writes_the_document(tmp_path, monkeypatch):
    target = tmp_path / "workflow.md"
    monkeypatch.setattr(diagram, "OUTPUT", target)
    call_command("draw_workflow", stdout=StringIO())
    assert target.read_text(encoding="utf-8") == diagram.render()
