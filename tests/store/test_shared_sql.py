"""What the queries share: the macros of analytics/store/macros/, and every query run with bound parameters."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.core.schema import AFFILIATE_TYPES
from analytics.domain.membership import last_month_end_on_or_before
from analytics.store.reader import MACROS_DIR, QUERIES_DIR, Store, macro_files, query_parameters
from tests.conftest import ROOT, write_tiny_data
from tests.store.bound import every_parameter

# The shared filters as pages send them: all, one region, the 'National' pseudo-region, one type, both.
SCOPES = [
    ([], []),
    (["International"], []),
    (["National"], []),
    ([], ["state"]),
    (["West Coast"], ["state"]),
    (["International"], ["state"]),
]
AS_OF_DATES = [date(2019, 6, 30), date(2024, 6, 30), date(2026, 11, 30)]


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory) -> Store:
    return Store(write_tiny_data(tmp_path_factory.mktemp("tiny") / "data"))


@pytest.fixture(scope="module")
def bundled_store(tmp_path_factory) -> Store:
    target = tmp_path_factory.mktemp("bundled") / "data"
    shutil.copytree(ROOT / "data", target, ignore=shutil.ignore_patterns("store", "reference"))
    return Store(target)


def filtered_in_pandas(affiliates: pd.DataFrame, regions: list[str], types: list[str]) -> set[str]:
    """The affiliate_ids the shared filters keep, said plainly: no ICMA region counts as the region 'National'."""
    region = affiliates["icma_region"].astype("object").fillna("National")
    keep = pd.Series(True, index=affiliates.index)
    if regions:
        keep &= region.isin(regions)
    if types:
        keep &= affiliates["affiliate_type"].isin(types)
    return set(affiliates.loc[keep, "affiliate_id"])


def scoped_ids(store: Store, regions: list[str], types: list[str]) -> set[str]:
    with store.cursor() as cursor:
        rows = cursor.execute(
            "SELECT affiliate_id FROM scoped_affiliates($regions, $types)", {"regions": regions, "types": types}
        ).fetchall()
    return {affiliate_id for (affiliate_id,) in rows}


def test_every_macro_file_creates_the_macro_it_is_named_after_and_says_what_it_gives():
    paths = sorted(MACROS_DIR.glob("*.sql"))
    assert {path.stem for path in paths} >= {"scoped_affiliates", "carried_membership_reports"}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        created = re.findall(r"CREATE OR REPLACE MACRO (\w+)\(", text)
        assert created == [path.stem], path.name
        is_table = re.search(rf"MACRO {path.stem}\([^)]*\) AS TABLE", text) is not None
        assert text.startswith("-- One row per" if is_table else "-- One value per"), path.name


def test_macros_are_created_after_the_macros_they_call():
    order = [path.stem for path in macro_files()]
    assert order.index("scope_region") < order.index("scoped_affiliates")
    assert order.index("scoped_affiliates") < order.index("carried_membership_reports")
    assert order.index("last_month_end_on_or_before") < order.index("carried_membership_reports")


def test_no_query_pastes_the_scope_filter():
    for path in QUERIES_DIR.glob("*.sql"):
        text = path.read_text(encoding="utf-8")
        assert "list_contains($regions" not in text, path.name
        assert "'National'" not in text, path.name


@pytest.mark.parametrize(("regions", "types"), SCOPES)
@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_every_query_runs_with_bound_parameters_and_keeps_to_the_scope(tiny_store, regions, types, as_of):
    allowed = filtered_in_pandas(tiny_store.table("affiliates"), regions, types)
    for path in sorted(QUERIES_DIR.glob("*.sql")):
        result = tiny_store.query(path.stem, **every_parameter(regions, types, as_of))
        assert isinstance(result, pd.DataFrame), path.stem
        if "regions" in query_parameters(path.stem) and "affiliate_id" in result.columns:
            assert set(result["affiliate_id"].dropna()) <= allowed, path.stem


def test_the_scope_filter_on_the_tiny_folder(tiny_store):
    store = tiny_store
    assert scoped_ids(store, [], []) == {"state-ca", "intl-gbr-solace", "natl-nfbpa"}
    assert scoped_ids(store, ["National"], []) == {"natl-nfbpa"}
    assert scoped_ids(store, ["International", "West Coast"], []) == {"intl-gbr-solace", "state-ca"}
    assert scoped_ids(store, [], ["state", "national"]) == {"state-ca", "natl-nfbpa"}
    assert scoped_ids(store, ["International"], ["state"]) == set()
    assert scoped_ids(store, ["Nowhere"], []) == set()


REGIONS = ["West Coast", "Mountain Plains", "Midwest", "Northeast", "Southeast", "International", "National", "Nowhere"]
subsets = st.lists(st.sampled_from(REGIONS), unique=True, max_size=4)
type_subsets = st.lists(st.sampled_from([*AFFILIATE_TYPES, "none of them"]), unique=True, max_size=3)


@settings(max_examples=60, deadline=None)
@given(regions=subsets, types=type_subsets)
def test_scoped_affiliates_keeps_what_a_plain_filter_keeps_on_the_tiny_folder(tiny_store, regions, types):
    affiliates = tiny_store.table("affiliates")
    expected = filtered_in_pandas(affiliates, regions, types)
    assert scoped_ids(tiny_store, regions, types) == expected
    listed = tiny_store.query("affiliates_in_scope", regions=regions, types=types)
    assert set(listed["affiliate_id"]) == expected


@settings(max_examples=60, deadline=None)
@given(regions=subsets, types=type_subsets)
def test_scoped_affiliates_keeps_what_a_plain_filter_keeps_on_the_bundled_data(bundled_store, regions, types):
    expected = filtered_in_pandas(bundled_store.table("affiliates"), regions, types)
    assert scoped_ids(bundled_store, regions, types) == expected


@settings(max_examples=100, deadline=None)
@given(on=st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)))
def test_the_last_month_end_is_the_same_in_sql_and_in_python(tiny_store, on):
    with tiny_store.cursor() as cursor:
        (in_sql,) = cursor.execute("SELECT last_month_end_on_or_before($on)", {"on": on}).fetchone()
    assert pd.Timestamp(in_sql) == last_month_end_on_or_before(pd.Timestamp(on))


def test_month_ends_run_from_the_first_month_to_the_last_day(tiny_store):
    with tiny_store.cursor() as cursor:
        rows = cursor.execute(
            "SELECT month_end_on FROM month_ends($first_on, $last_on) ORDER BY 1",
            {"first_on": date(2024, 1, 15), "last_on": date(2024, 4, 30)},
        ).fetchall()
        empty = cursor.execute("SELECT count(*) FROM month_ends(NULL::DATE, DATE '2024-04-30')").fetchone()
    assert [row[0] for row in rows] == [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)]
    assert empty == (0,)


def test_every_query_is_run_by_name_somewhere():
    callers = "\n".join(
        path.read_text(encoding="utf-8")
        for folder in ("analytics", "ui", "pages")
        for path in (ROOT / folder).rglob("*.py")
    )
    for path in QUERIES_DIR.glob("*.sql"):
        assert f'"{path.stem}"' in callers, f"no caller runs the query {path.stem}"
