"""is_among answers as `Series.isin` does, on string, object and number columns."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.core.frames import is_among

IDS = st.one_of(st.none(), st.sampled_from(["a", "b", "state-ca", "goal-0001", "é", ""]))


@settings(max_examples=80, deadline=None)
@given(column=st.lists(IDS, max_size=30), values=st.lists(IDS, max_size=30), dtype=st.sampled_from(["str", "object"]))
def test_is_among_answers_as_isin_does(column, values, dtype):
    series = pd.Series(column, dtype=dtype, name="goal_id", index=[index // 2 for index in range(len(column))])
    for given_values in (values, pd.Series(values, dtype=dtype), set(values)):
        found = is_among(series, given_values)
        expected = series.isin(list(given_values))
        assert found.tolist() == expected.tolist()
        assert found.index.equals(series.index)
        assert found.name == "goal_id"


def test_numbers_are_not_strings():
    assert is_among(pd.Series(["1", "2"], dtype="str"), [1, 2]).tolist() == [False, False]
    assert is_among(pd.Series([1, 2, 3]), {2, 3}).tolist() == [False, True, True]
