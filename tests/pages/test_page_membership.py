"""The Membership page, run by AppTest on the tiny data folder: figures, URL-bound breakdown, uploads seen at once."""

from __future__ import annotations

import json

from analytics.core.settings import Settings
from analytics.store.reader import Store
from analytics.uploads import pipeline as uploads
from tests.apptest import metric_values, run_page

AS_OF = {"as_of": "2026-11-27"}


def figure(app, key: str) -> dict:
    return json.loads(next(element for element in app.get("plotly_chart") if element.proto.id.endswith(key)).proto.spec)


def test_membership_page_shows_the_whole_and_its_growth(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "membership", AS_OF)
    assert not app.exception
    metrics = metric_values(app)
    assert metrics["Affiliate members"] == "1,620"
    assert metrics["Members also in ICMA"] == "705"
    assert metrics["ICMA members"] == "13,100"
    growth = next(frame.value for frame in app.dataframe if "A year before" in frame.value.columns)
    cal = growth[growth["Affiliate"] == "Cal-ICMA"].iloc[0]
    assert (cal["Members"], cal["A year before"], cal["Change"]) == (1100, 1000, 100)
    assert cal["Change %"] == 10.0  # in points, drawn signed: "+10.0%"
    # Sorted by the change, not the members, with the change beside the name (it was off-screen at 1440 px).
    assert growth.columns[:3].tolist() == ["Affiliate", "Change", "Change %"]
    changes = growth["Change"].dropna().tolist()
    assert changes == sorted(changes, reverse=True)
    assert growth["Change"].isna().tolist() == sorted(growth["Change"].isna().tolist())  # no earlier count: last


def test_the_breakdown_comes_from_the_url(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "membership", {**AS_OF, "membership_by": "Affiliate type"})
    assert app.segmented_control(key="membership_by").value == "affiliate_type"
    names = {trace["name"] for trace in figure(app, "membership_group_chart")["data"]}
    assert names == {"state", "international"}
    assert any("Latest month: state 1,100; international 520" in caption.value for caption in app.caption)


def test_a_committed_upload_shows_without_a_restart(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "membership", AS_OF)
    assert metric_values(app)["Affiliate members"] == "1,620"
    store = Store(tiny_data_dir)
    data = b"affiliate,date,members,icma members\nCal-ICMA,2026-10-31,1200,700\n"
    checked = uploads.check_file(data, "u.csv", "membership", store, Settings(data_dir=tiny_data_dir))
    uploads.commit(checked, data, store, committed_by="test")
    app.run()  # same caches, same session: the ledger's version changes the fingerprint
    assert metric_values(app)["Affiliate members"] == "1,720"


def test_no_membership_in_scope_is_a_friendly_message(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "membership", {**AS_OF, "region": "Southeast"})
    assert not app.exception
    assert "No membership" in app.info[0].value


def test_the_whole_carries_stocks_forward_and_changes_like_for_like(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "membership", AS_OF)
    assert not app.exception
    cards = {metric.label: metric for metric in app.metric}
    assert cards["Affiliate members"].delta == "+10.0% in a year"  # Solace only reports from November 2025
    assert cards["Members also in ICMA"].delta == "+10.0% in a year"
    assert cards["ICMA members"].delta == "+1.6% in a year"  # ICMA's own total is not like for like
    assert any("for up to 12 months" in caption.value for caption in app.caption)
    by_month = next(frame.value for frame in app.dataframe if "Affiliates counted" in frame.value.columns)
    june = by_month[by_month["Month end"] == "2026-06-30"].iloc[0]
    assert (june["Affiliates reporting"], june["Affiliates counted"], june["Members"]) == (0, 2, 1510)
