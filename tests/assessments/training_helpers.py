"""Candidacies on the training path with the people who act on them, for the positioning and plan tests."""

from datetime import date, timedelta

from cqp.accounts.enums import Role
from cqp.assessments import services
from tests.candidacies.factories import (
    TutorFactory,
    UserFactory,
    candidacy_in_state,
    certification_with_blocks,
    certifier_staff,
    member,
)


def people(candidacy):
    """One user per role acting on this candidacy, and an outsider of each kind."""
    return {
        "candidate": candidacy.candidate.user,
        "employer": member(UserFactory(), Role.EMPLOYER, organisation=candidacy.employer),
        "training_org": member(UserFactory(), Role.TRAINING_ORG, organisation=candidacy.training_org),
        "assessor": member(UserFactory(), Role.ASSESSOR, organisation=candidacy.assessment_centre),
        "certifier": certifier_staff(candidacy.certifier),
    }


def admissible(*, blocks=2, train_partly_acquired=False, funding="PLAN", **kwargs):
    certification = certification_with_blocks(blocks=blocks, train_partly_acquired=train_partly_acquired)
    return candidacy_in_state("ADMISSIBLE", certification=certification, funding=funding, **kwargs)


def codes(candidacy):
    return [item.block.code for item in candidacy.blocks.select_related("block").order_by("block__position")]


def position(candidacy, by, *results):
    """Record a positioning with the results in block order."""
    return services.positioning_record(
        candidacy=candidacy, by=by, results={code: (r, "") for code, r in zip(codes(candidacy), results, strict=True)}
    )


# A plan that started two months ago and ends in four: modules can be completed today.
PLAN_START = date.today() - timedelta(days=60)
PLAN_END = date.today() + timedelta(days=120)


def module(block_code, *, hours=35, start=PLAN_START, end=PLAN_START + timedelta(days=90), title="Module"):
    return {"block_code": block_code, "title": title, "hours": hours, "start": start, "end": end}


def propose(candidacy, by, block_codes, *, funding="PLAN", tutor=None, **kwargs):
    return services.training_plan_propose(
        candidacy=candidacy,
        by=by,
        modules=[module(code) for code in block_codes],
        start=kwargs.pop("start", PLAN_START),
        end=kwargs.pop("end", PLAN_END),
        funding=funding,
        tutor=tutor,
        **kwargs,
    )


__all__ = ["TutorFactory", "admissible", "codes", "people", "position", "propose"]
