"""Relevant experience: overlapping periods count each day once (compared with a day-set brute force)."""

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cqp.candidacies.rules import experience_days

TODAY = date(2026, 6, 30)


@dataclass
class Period:
    start: date
    end: date | None


periods = st.lists(
    st.builds(
        lambda start, length, open_: Period(start, None if open_ else start + timedelta(days=length)),
        st.dates(min_value=date(2015, 1, 1), max_value=TODAY),
        st.integers(min_value=0, max_value=900),
        st.booleans(),
    ),
    max_size=8,
)


def brute_force(items):
    days = set()
    for p in items:
        end = min(p.end or TODAY, TODAY)
        day = p.start
        while day <= end:
            days.add(day)
            day += timedelta(days=1)
    return len(days)


@given(periods)
def test_experience_days_counts_each_day_once(items):
    assert experience_days(items, today=TODAY) == brute_force(items)
