"""The affiliate profile page, run by AppTest on the tiny data folder: reached by URL, by search, or not at all."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.apptest import metric_values, run_page, shown
from tests.conftest import ROOT, add_tiny_candidate

CAL_ICMA = {"id": "state-ca", "as_of": "2026-11-27"}


def table_with(app, column: str):
    return next(frame.value for frame in app.dataframe if column in frame.value.columns)


def page_text(app) -> str:
    return "\n".join(element.value for element in [*app.markdown, *app.caption])


def test_profile_reached_by_url_shows_the_affiliate_and_its_agreement(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "affiliate", CAL_ICMA)
    assert not app.exception
    assert shown(app.title[0].value) == "Cal-ICMA"
    metrics = metric_values(app)
    assert metrics["Agreement status"] == "active"
    assert metrics["Signed"] == "2024-01-15"
    assert metrics["Renewal due"] == "2029-01-15"
    assert "ICMA liaison: **Avery Stone** (Regional Director)" in page_text(app)
    assert app.selectbox(key="affiliate_choice").value == "state-ca"


def test_profile_shows_goals_membership_activities_and_events(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "affiliate", CAL_ICMA)
    goals = table_with(app, "Area of emphasis")
    assert set(goals["Goal"]) == {"Grow dual membership", "Hold ethics trainings"}
    assert all(goals["Status"])
    assert metric_values(app)["Members"] == "1,100"
    assert table_with(app, "Month end")["Members"].tolist() == [1100, 1010, 1000]
    activities = table_with(app, "ICMA person")
    assert activities.iloc[0]["What"] == "Joint ethics webinar series"
    assert activities.iloc[0]["ICMA person"] == "Avery Stone (Regional Director)"
    assert table_with(app, "Dates")["Event"].tolist() == ["Cal-ICMA Annual Conference 2027"]
    assert len(app.get("plotly_chart")) == 2


def test_profile_says_whether_the_network_totals_still_count_its_membership(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "affiliate", CAL_ICMA)
    assert "counts with its latest snapshot, for up to 12 months" in page_text(app)
    assert "no longer count" not in page_text(app)
    # Solace goes on reporting; Cal-ICMA's latest snapshot (2026-10-31) has stopped counting by 2027-11-30.
    membership = tiny_data_dir / "membership.csv"
    membership.write_text(membership.read_text().rstrip("\n") + "\nintl-gbr-solace,2027-11-30,530,46,5,1\n")
    later = run_page(monkeypatch, tiny_data_dir, "affiliate", {**CAL_ICMA, "as_of": "2027-11-30"})
    assert "The network totals no longer count this affiliate" in page_text(later)


def test_profile_lists_its_sources_as_links_with_their_confidence(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "affiliate", CAL_ICMA)
    text = page_text(app)
    assert "[https://calicma.org/about](https://calicma.org/about)" in text
    assert "Confidence in the facts about this affiliate: **high**" in text


def test_profile_flags_low_confidence(monkeypatch, tiny_data_dir):
    path = tiny_data_dir / "affiliates.csv"
    path.write_text(path.read_text().replace("https://example.org/nfbpa,high", "https://example.org/nfbpa,low"))
    app = run_page(monkeypatch, tiny_data_dir, "affiliate", {"id": "natl-nfbpa"})
    assert "⚠️ **low**" in page_text(app)


def test_profile_as_of_an_earlier_date_shows_the_agreement_then(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "affiliate", {"id": "state-ca", "as_of": "2020-06-30"})
    metrics = metric_values(app)
    assert metrics["Signed"] == "2019-01-15"
    assert metrics["Renewal due"] == "2024-01-15"
    assert "Members" not in metrics  # no snapshot was reported by then
    assert any("No membership figures" in info.value for info in app.info)


def test_unknown_id_shows_the_chooser_not_an_error(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "affiliate", {"id": "no-such-affiliate"})
    assert not app.exception
    assert not app.error
    assert "no-such-affiliate" in shown(app.warning[0].value)
    chooser = app.selectbox(key="affiliate_choice")
    assert chooser.value is None
    assert set(chooser.options) >= {"Cal-ICMA (Cal-ICMA) · CA", "Solace (Solace) · United Kingdom"}


def test_missing_id_invites_a_choice(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "affiliate")
    assert not app.exception
    assert "Choose an affiliate" in app.info[0].value
    assert not metric_values(app)


def test_choosing_an_affiliate_opens_its_profile_and_puts_its_id_in_the_url(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "affiliate")
    app.selectbox(key="affiliate_choice").select("intl-gbr-solace").run()
    assert not app.exception
    assert app.title[0].value == "Solace"
    assert app.query_params["id"] in ("intl-gbr-solace", ["intl-gbr-solace"])
    assert metric_values(app)["Agreement status"] in {"active", "due for renewal", "lapsed"}


@pytest.mark.skipif(not (ROOT / "data" / "affiliates.csv").exists(), reason="bundled sample data not generated yet")
def test_profile_runs_on_the_bundled_sample_data(monkeypatch, bundled_data_dir):
    app = run_page(monkeypatch, bundled_data_dir, "affiliate", {"id": "intl-gbr-solace"})
    assert not app.exception
    assert not app.error
    assert app.title[0].value.startswith("Solace")


@pytest.mark.skipif(not (ROOT / "data" / "affiliates.csv").exists(), reason="bundled sample data not generated yet")
def test_a_candidate_profile_says_it_is_a_candidate_with_no_relationship(monkeypatch, bundled_data_dir):
    app = run_page(monkeypatch, bundled_data_dir, "affiliate", {"id": "intl-mex-ammac"})
    assert not app.exception
    assert not app.error
    assert any("status: candidate" in shown(text.value) for text in app.markdown)
    assert any(shown(caption.value).startswith("Candidate: not on the available part") for caption in app.caption)
    assert any("No agreement" in info.value for info in app.info)


def registry_table(app):
    return next(frame.value for frame in app.dataframe if "Affiliate status" in frame.value.columns)


def test_the_profile_with_no_id_lists_every_affiliate_in_the_registry(monkeypatch, tiny_data_dir):
    """The profile with no id was an empty search box."""
    app = run_page(monkeypatch, add_tiny_candidate(tiny_data_dir), "affiliate")
    assert not app.exception
    table = registry_table(app)
    assert table.columns.tolist() == [
        "Affiliate",
        "Acronym",
        "Affiliate type",
        "Where",
        "Affiliate status",
        "Confidence",
        "Website",
    ]
    assert len(table) == len(pd.read_csv(tiny_data_dir / "affiliates.csv"))
    rows = table.set_index("Affiliate")
    assert rows.loc["Cal-ICMA", "Where"] == "California (CA)"
    assert (rows["Affiliate status"] == "candidate: not an affiliate").sum() == 1


@pytest.mark.skipif(not (ROOT / "data" / "affiliates.csv").exists(), reason="bundled sample data not generated yet")
@pytest.mark.parametrize(
    ("query", "first", "count"),
    [("ACGOK", "intl-ken-acgok", 1), ("Kenya", "intl-ken-acgok", 1), ("Tbilisi", "intl-geo-nalag", 1)],
)
def test_the_registry_search_ranks_what_it_finds(monkeypatch, bundled_data_dir, query, first, count):
    """ "ACGOK" gave 3 unrelated results, "Kenya" listed Kentucky, "Tbilisi" found nothing."""
    app = run_page(monkeypatch, bundled_data_dir, "affiliate", {"affiliate_search": query})
    assert not app.exception
    names = pd.read_csv(bundled_data_dir / "affiliates.csv").set_index("affiliate_id")["name"]
    table = registry_table(app)
    assert table["Affiliate"].tolist()[:1] == [names[first]]
    assert len(table) == count
    assert "Kentucky" not in " ".join(table["Where"])


def test_the_profiles_activities_and_events_say_per_row_whether_they_are_sample(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "affiliate", CAL_ICMA)
    activities = table_with(app, "ICMA person")
    assert set(activities["Data"]) == {"sample"}
    assert table_with(app, "Dates")["Data"].tolist() == ["sample"]
    assert sum("Sample data" in caption.value for caption in app.caption) >= 1


def test_the_profile_names_the_liaisons_who_work_with_that_affiliate_and_no_others(monkeypatch, tiny_data_dir):
    from analytics.store.reader import Store

    everyone = Store(tiny_data_dir).query("affiliate_liaisons")
    theirs = everyone[everyone["affiliate_id"] == "state-ca"]
    others = set(everyone["liaison_name"]) - set(theirs["liaison_name"])
    app = run_page(monkeypatch, tiny_data_dir, "affiliate", CAL_ICMA)
    names = list(theirs["liaison_name"])
    listed = next(element.value for element in app.text if any(name in element.value for name in names))
    assert listed == ", ".join(f"{row.liaison_name} ({row.liaison_role})" for row in theirs.itertuples())
    assert not any(name in listed for name in others)
    assert len(theirs) >= 1 and others
