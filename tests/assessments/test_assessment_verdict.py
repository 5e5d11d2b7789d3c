"""The verdict the platform accepts is exactly the one the referential gives, for any grid."""

from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cqp.assessments import services
from cqp.assessments.selectors import assessment_expected_verdict
from tests.catalogue.factories import EvaluationCriterionFactory

from .assessment_helpers import assessor_of, candidacy_in_assessment, fill, first_block

pytestmark = pytest.mark.django_db

grids = st.lists(st.tuples(st.booleans(), st.booleans()), min_size=0, max_size=8)  # (mandatory, met)
thresholds = st.integers(min_value=0, max_value=100)


def oracle(grid, threshold):
    """Written apart from the code: every mandatory met, and met optional / optional ≥ threshold / 100."""
    optional = [met for mandatory, met in grid if not mandatory]
    mandatory_ok = all(met for mandatory, met in grid if mandatory)
    share_ok = not optional or Fraction(sum(optional), len(optional)) >= Fraction(threshold, 100)
    return "ACQUIRED" if mandatory_ok and share_ok else "NOT_ACQUIRED"


@given(grid=grids, threshold=thresholds)
def test_expected_verdict_matches_the_rule(grid, threshold):
    assert assessment_expected_verdict(grid, threshold) == oracle(grid, threshold)


class Rollback(Exception):
    pass


@pytest.fixture
def setting():
    candidacy = candidacy_in_assessment(blocks=1)
    return candidacy, assessor_of(candidacy)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=grids, threshold=thresholds)
def test_only_the_consistent_verdict_is_accepted(setting, grid, threshold):
    candidacy, assessor = setting
    block = first_block(candidacy)
    try:
        with transaction.atomic():
            block.criteria.all().delete()
            for position, (mandatory, _met) in enumerate(grid):
                EvaluationCriterionFactory(block=block, position=position, mandatory=mandatory)
            candidacy.certification.optional_criteria_threshold = threshold
            candidacy.certification.save(update_fields=["optional_criteria_threshold"])
            assessment = services.assessment_start(candidacy=candidacy, block=block, by=assessor)
            ordered = list(assessment.results.order_by("criterion__position"))
            results = {r.criterion_id: (met, "Observation.") for r, (_m, met) in zip(ordered, grid, strict=True)}
            expected = oracle(grid, threshold)
            wrong = "NOT_ACQUIRED" if expected == "ACQUIRED" else "ACQUIRED"
            assessment = fill(assessment, assessor, results=results, verdict=wrong)
            with pytest.raises(ValidationError) as refused:
                services.assessment_submit(assessment=assessment, by=assessor)
            assert "ne correspond pas à la grille" in refused.value.message_dict["verdict"][0]
            assessment = fill(assessment, assessor, results=results, verdict=expected)
            assert services.assessment_submit(assessment=assessment, by=assessor).verdict == expected
            raise Rollback
    except Rollback:
        pass
