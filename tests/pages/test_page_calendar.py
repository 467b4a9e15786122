"""The Event calendar page, run by AppTest on the bundled sample data and on a small calendar folder."""

from __future__ import annotations

import base64
import csv
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.apptest import run_page, shown

# A bound widget with a format_func carries the label of its option in the URL.
WITH, WITHOUT = "With ICMA representation", "Without ICMA representation"
OCTOBER_2023_EVENTS = [
    "SCMA Professional Conference 2023",
    "STMOÚ XLV General Assembly 2023",
    "Solace Summit 2023",
    "ICMA Europe Summit 2023",
    "iLGM Annual Conference 2023",
    "Taituarā Conference 2023",
    "MUNIEXPO 2024",
]

# Added to the tiny folder: autumn 2023 events of its affiliates, and ICMA liaisons going to two of them.
EVENT_DEFAULTS = {"date_precision": "day", "is_cancelled": "false", "confidence": "low", "is_sample": "false"}
CALENDAR_EVENTS = [
    {
        "event_id": "E2023-scma",
        "name": "SCMA Professional Conference 2023",
        "organizer": "Slovak City Managers Association (SCMA)",
        "event_type": "affiliate",
        "start_on": "2023-10-11",
        "end_on": "2023-10-13",
        "country_name": "Slovakia",
        "country_iso3": "SVK",
    },
    {
        "event_id": "E2023-solace-summit",
        "name": "Solace Summit 2023",
        "organizer": "Solace",
        "affiliate_id": "intl-gbr-solace",
        "event_type": "affiliate",
        "start_on": "2023-10-18",
        "city": "Birmingham",
        "country_name": "United Kingdom",
        "country_iso3": "GBR",
        "website": "https://example.org/solace",
    },
    {
        "event_id": "E2023-icma-europe-summit",
        "name": "ICMA Europe Summit 2023",
        "organizer": "ICMA Europe (with Solace)",
        "event_type": "icma",
        "start_on": "2023-10-19",
        "end_on": "2023-10-20",
        "city": "Birmingham",
        "country_name": "United Kingdom",
        "country_iso3": "GBR",
    },
    {
        "event_id": "E2023-nfbpa-forum",
        "name": "NFBPA Forum 2023",
        "organizer": "NFBPA",
        "affiliate_id": "natl-nfbpa",
        "event_type": "affiliate",
        "start_on": "2023-10-30",
        "end_on": "2023-11-02",
        "city": "Atlanta",
        "country_name": "United States",
        "country_iso3": "USA",
        "is_sample": "true",
    },
    {
        "event_id": "E2024-muniexpo",
        "name": "MUNIEXPO 2024",
        "organizer": "Unconfirmed",
        "event_type": "affiliate",
        "start_on": "2024-02-20",
        "end_on": "2024-02-22",
    },
]
ATTENDANCE_DEFAULTS = {"activity_type": "conference_attendance", "is_sample": "true"}
CALENDAR_ACTIVITIES = [
    {
        "activity_id": "A000101",
        "affiliate_id": "intl-gbr-solace",
        "liaison_id": "L002",
        "occurred_on": "2023-10-18",
        "title": "ICMA at Solace Summit",
        "status": "confirmed",
        "event_id": "E2023-solace-summit",
    },
    {
        "activity_id": "A000102",
        "affiliate_id": "natl-nfbpa",
        "liaison_id": "L001",
        "occurred_on": "2023-10-30",
        "title": "ICMA at NFBPA Forum",
        "status": "planned",
        "event_id": "E2023-nfbpa-forum",
    },
]


def append_rows(path: Path, rows: list[dict[str, str]], defaults: dict[str, str]) -> None:
    """Add rows to a CSV of the data folder, in its own column order; columns not given stay empty."""
    with path.open(encoding="utf-8", newline="") as file:
        columns = next(csv.reader(file))
    with path.open("a", encoding="utf-8", newline="") as file:
        csv.DictWriter(file, fieldnames=columns, restval="", lineterminator="\n").writerows(
            {**defaults, **row} for row in rows
        )


@pytest.fixture
def calendar_data_dir(tiny_data_dir: Path) -> Path:
    """The tiny folder plus the autumn 2023 events above."""
    append_rows(tiny_data_dir / "events.csv", CALENDAR_EVENTS, EVENT_DEFAULTS)
    append_rows(tiny_data_dir / "activities.csv", CALENDAR_ACTIVITIES, ATTENDANCE_DEFAULTS)
    return tiny_data_dir


def tables_outside_expanders(app) -> list[pd.DataFrame]:
    inside = {id(frame) for expander in app.expander for frame in expander.dataframe}
    return [frame.value for frame in app.dataframe if id(frame) not in inside]


def agenda(app) -> pd.DataFrame:
    """The agenda: the first event table not folded into an expander."""
    return next(table for table in tables_outside_expanders(app) if "Dates" in table.columns)


def figure(app, key: str) -> dict:
    chart = next(element for element in app.get("plotly_chart") if element.proto.id.endswith(key))
    return json.loads(chart.proto.spec)


def numbers(values: list | dict) -> list[float]:
    """A figure's array as numbers: plotly writes numeric arrays as {"dtype", "bdata"} (base64) in its JSON."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def download_labels(app) -> list[str]:
    return [button.proto.label for button in app.get("download_button")]


def test_as_of_october_2023_lists_the_events_icma_listed_then(monkeypatch, bundled_data_dir):
    app = run_page(monkeypatch, bundled_data_dir, "calendar", {"as_of": "2023-10-01"})
    assert not app.exception
    listed = agenda(app)["Event"].tolist()
    assert set(OCTOBER_2023_EVENTS) <= set(listed)
    assert listed.index("SCMA Professional Conference 2023") < listed.index("Taituarā Conference 2023")
    assert any("Sample data" in caption.value for caption in app.caption)


def test_month_grid_for_october_2023_contains_the_solace_summit(monkeypatch, bundled_data_dir):
    app = run_page(monkeypatch, bundled_data_dir, "calendar", {"as_of": "2023-10-01", "month": "2023-10"})
    month = figure(app, "calendar_month_chart")
    assert month["layout"]["title"]["text"].startswith("October 2023")
    bar_texts = [text for trace in month["data"] if trace["type"] == "bar" for text in trace["text"]]
    assert "Solace Summit 2023" in bar_texts


def test_representation_without_shows_only_unrepresented_events(monkeypatch, bundled_data_dir):
    app = run_page(
        monkeypatch, bundled_data_dir, "calendar", {"as_of": "2023-10-01", "calendar_representation": WITHOUT}
    )
    listed = agenda(app)
    assert not listed.empty
    assert (listed["ICMA representation"] == "none").all()
    assert (listed["Planned"] == "").all()
    assert "Solace Summit 2023" not in listed["Event"].tolist()


def test_representation_filter_on_hand_written_events(monkeypatch, calendar_data_dir):
    query = {"as_of": "2023-10-01", "calendar_horizon": "Everything upcoming"}
    without = agenda(
        run_page(monkeypatch, calendar_data_dir, "calendar", {**query, "calendar_representation": WITHOUT})
    )
    assert without["Event"].tolist()[:3] == [
        "SCMA Professional Conference 2023",
        "ICMA Europe Summit 2023",
        "MUNIEXPO 2024",
    ]
    represented = agenda(
        run_page(monkeypatch, calendar_data_dir, "calendar", {**query, "calendar_representation": WITH})
    )
    assert represented["Event"].tolist()[:2] == ["Solace Summit 2023", "NFBPA Forum 2023"]
    assert represented.set_index("Event").loc["NFBPA Forum 2023", "Planned"] == "Avery Stone (Regional Director)"


def test_each_event_shows_organizer_dates_place_website_and_sample_label(monkeypatch, calendar_data_dir):
    app = run_page(monkeypatch, calendar_data_dir, "calendar", {"as_of": "2023-10-01"})
    listed = agenda(app).set_index("Event")
    solace = listed.loc["Solace Summit 2023"]
    assert solace["Dates"] == "18 Oct 2023 (end date not known)"
    assert (solace["Organizer"], solace["City"], solace["Country"]) == ("Solace", "Birmingham", "United Kingdom")
    assert solace["Website"] == "https://example.org/solace"
    assert solace["ICMA representation"] == "Jordan Lee (International Committee member)"
    assert listed.loc["NFBPA Forum 2023", "Data"] == "sample"
    assert listed.loc["NFBPA Forum 2023", "Organizer type"] == "national affiliate"
    assert listed.loc["MUNIEXPO 2024", "Country"] == "place unknown"


def test_events_without_a_country_are_listed_as_place_unknown_beside_the_map(monkeypatch, calendar_data_dir):
    app = run_page(monkeypatch, calendar_data_dir, "calendar", {"as_of": "2023-10-01"})
    texts = [block.value for block in app.markdown]
    assert any(text.startswith("**Place unknown** (1") for text in texts)
    assert "- MUNIEXPO 2024" in texts
    world = figure(app, "calendar_map_chart")
    assert world["layout"]["geo"]["scope"] == "world"
    assert set(world["data"][0]["locations"]) == {"SVK", "GBR", "USA"}


def test_filters_come_from_the_url(monkeypatch, calendar_data_dir):
    query = {"as_of": "2023-10-01", "calendar_country": "Slovakia"}
    assert agenda(run_page(monkeypatch, calendar_data_dir, "calendar", query))["Event"].tolist() == [
        "SCMA Professional Conference 2023"
    ]
    query = {"as_of": "2023-10-01", "calendar_organizer": "ICMA"}
    assert agenda(run_page(monkeypatch, calendar_data_dir, "calendar", query))["Event"].tolist() == [
        "ICMA Europe Summit 2023"
    ]
    query = {"as_of": "2023-10-01", "calendar_region": "International"}
    assert agenda(run_page(monkeypatch, calendar_data_dir, "calendar", query))["Event"].tolist() == [
        "Solace Summit 2023"
    ]


def test_the_horizon_limits_how_far_ahead_the_agenda_reaches(monkeypatch, calendar_data_dir):
    query = {"as_of": "2023-10-01", "calendar_horizon": "Next month"}
    listed = agenda(run_page(monkeypatch, calendar_data_dir, "calendar", query))["Event"].tolist()
    assert "MUNIEXPO 2024" not in listed
    assert "NFBPA Forum 2023" in listed


def test_one_button_shows_affiliate_conferences_in_six_months_without_icma(monkeypatch, calendar_data_dir):
    app = run_page(monkeypatch, calendar_data_dir, "calendar", {"as_of": "2023-10-01"})
    app.button(key="calendar_preset_unrepresented").click().run()
    assert app.radio(key="calendar_representation").value == "without"
    assert app.selectbox(key="calendar_horizon").value == "6m"
    assert agenda(app)["Event"].tolist() == ["SCMA Professional Conference 2023", "MUNIEXPO 2024"]


def test_month_chooser_steps_and_reads_its_month_from_the_url(monkeypatch, calendar_data_dir):
    app = run_page(monkeypatch, calendar_data_dir, "calendar", {"as_of": "2023-10-01", "calendar_month": "2023-11"})
    assert figure(app, "calendar_month_chart")["layout"]["title"]["text"] == "November 2023: 1 event"
    app.button(key="calendar_month_previous").click().run()
    assert app.selectbox(key="calendar_month").value == "2023-10"
    assert figure(app, "calendar_month_chart")["layout"]["title"]["text"] == "October 2023: 4 events"


def test_month_defaults_to_the_as_of_month(monkeypatch, calendar_data_dir):
    app = run_page(monkeypatch, calendar_data_dir, "calendar", {"as_of": "2024-02-10"})
    assert app.selectbox(key="calendar_month").value == "2024-02"


def test_calendar_files_and_tables_are_offered_for_download(monkeypatch, calendar_data_dir):
    app = run_page(monkeypatch, calendar_data_dir, "calendar", {"as_of": "2023-10-01"})
    labels = download_labels(app)
    assert "Download this event (.ics)" in labels
    assert "Download the agenda (5 events, .ics)" in labels
    assert {"Download CSV", "Download Excel"} <= set(labels)


def test_no_calendar_file_is_offered_for_an_empty_set(monkeypatch, calendar_data_dir):
    query = {"as_of": "2023-10-01", "calendar_country": "Slovakia", "calendar_representation": WITH}
    app = run_page(monkeypatch, calendar_data_dir, "calendar", query)
    assert not app.exception
    assert not any(label.startswith("Download the agenda") for label in download_labels(app))
    assert any("No upcoming event" in info.value for info in app.info)


def test_a_broken_folder_is_reported_not_raised(monkeypatch, calendar_data_dir):
    path = calendar_data_dir / "events.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2023-10-19", "19/10/2023"), encoding="utf-8")
    app = run_page(monkeypatch, calendar_data_dir, "calendar")
    assert not app.exception
    assert "problem" in app.error[0].value


def test_a_month_without_events_says_so(monkeypatch, calendar_data_dir):
    app = run_page(monkeypatch, calendar_data_dir, "calendar", {"as_of": "2023-10-01", "calendar_month": "2025-01"})
    assert not app.exception
    month = figure(app, "calendar_month_chart")
    assert month["layout"]["title"]["text"] == "January 2025: 0 events"
    assert any("No events this month" in note["text"] for note in month["layout"]["annotations"])


def test_the_agenda_comes_first_and_says_per_event_whether_it_is_real_or_sample(monkeypatch, calendar_data_dir):
    app = run_page(monkeypatch, calendar_data_dir, "calendar", {"as_of": "2023-10-01"})
    headers = [header.value for header in app.header]
    assert headers[0] == "Agenda" and headers.index("Agenda") < headers.index("Month")
    listed = next(block.value for block in app.markdown if "**SCMA Professional Conference 2023**" in block.value)
    lines = {line.split("** · ")[0].lstrip("- *"): line for line in listed.splitlines() if line.startswith("- ")}
    assert "Real event (uploaded)" in lines["SCMA Professional Conference 2023"]
    assert "Sample event (generated)" in lines["NFBPA Forum 2023"]
    counts = next(block.value for block in app.markdown if "upcoming event" in block.value)
    assert "(4 real, 1 sample)" in counts


def test_the_agenda_shows_text_from_data_as_written(monkeypatch, calendar_data_dir):
    hostile = {**CALENDAR_EVENTS[0], "event_id": "E2023-x", "name": "**Bold** [link](https://example.org)"}
    append_rows(calendar_data_dir / "events.csv", [hostile], EVENT_DEFAULTS)
    app = run_page(monkeypatch, calendar_data_dir, "calendar", {"as_of": "2023-10-01"})
    listed = next(block.value for block in app.markdown if "SCMA Professional Conference 2023" in block.value)
    assert "\\*\\*Bold\\*\\* \\[link\\]\\(https" in listed


def test_the_notice_says_which_facts_are_real(monkeypatch, calendar_data_dir):
    app = run_page(monkeypatch, calendar_data_dir, "calendar", {"as_of": "2023-10-01"})
    notice = next(caption.value for caption in app.caption if "Sample data" in caption.value)
    assert "event dates are real" not in notice
    assert "every event marked “sample”, dates included" in notice


def test_representation_over_the_years_draws_held_conferences_and_counts_those_to_come_apart(
    monkeypatch, calendar_data_dir
):
    # As of 2023-10-25: Solace Summit (represented) and SCMA are over; NFBPA Forum (planned) is still to come.
    app = run_page(monkeypatch, calendar_data_dir, "calendar", {"as_of": "2023-10-25"})
    chart = figure(app, "calendar_representation_chart")
    assert "held by 2023-10-25" in chart["layout"]["title"]["text"]
    drawn = sum(int(sum(numbers(trace["y"]))) for trace in chart["data"] if trace["type"] == "bar")
    assert drawn == 1  # Solace Summit only: the planned NFBPA Forum is not counted as attended
    to_come = next(block.value for block in app.markdown if block.value.startswith("**Still to come:**"))
    # NFBPA Forum 2023 and MUNIEXPO 2024 here, and the tiny folder's own conferences of 2026 and 2027.
    assert "4 affiliate conferences (2023: 1, 2024: 1, 2026: 1, 2027: 1)" in to_come


def test_an_organizer_without_a_region_reads_the_same_in_the_chart_and_its_table(monkeypatch, bundled_data_dir):
    app = run_page(monkeypatch, bundled_data_dir, "calendar", {"as_of": "2026-11-27"})
    legend = {trace["name"] for trace in figure(app, "calendar_representation_chart")["data"]}
    table = next(frame.value for frame in app.dataframe if "Organizer's region" in frame.value.columns)
    assert "No region" in legend
    assert set(table["Organizer's region"]) <= legend  # the table's regions are the legend's words


HOSTILE_NAME = '![x](http://127.0.0.1:9/x.png) <a href="http://127.0.0.1:9/">click</a> **bold**'


def test_a_hostile_event_name_is_plain_text_in_the_agenda_the_lists_and_the_charts(monkeypatch, tiny_data_dir):
    hostile = [
        {
            "event_id": "E-hostile",
            "name": HOSTILE_NAME,
            "organizer": HOSTILE_NAME,
            "event_type": "affiliate",
            "start_on": "2023-10-11",
            "end_on": "2023-10-12",
        },
        {
            "event_id": "E-hostile-month",
            "name": HOSTILE_NAME + " (month)",
            "organizer": "x",
            "event_type": "affiliate",
            "start_on": "2023-10-01",
            "date_precision": "month",
        },
    ]
    append_rows(tiny_data_dir / "events.csv", hostile, EVENT_DEFAULTS)
    app = run_page(monkeypatch, tiny_data_dir, "calendar", {"as_of": "2023-10-01", "calendar_month": "2023-10"})
    assert not app.exception
    texts = [block.value for block in [*app.markdown, *app.caption]]
    quoting = [text for text in texts if "127.0.0.1" in shown(text)]
    assert len(quoting) >= 3  # the agenda, the place-unknown list and the month-only caption name it
    for text in quoting:
        assert re.search(r"(?<!\\)[<\[\]]", text) is None, text  # no link, image or tag: each is escaped
        assert HOSTILE_NAME in shown(text)
    for key in ("calendar_month_chart", "calendar_year_chart"):
        spec = json.dumps(figure(app, key))
        assert "<a " not in spec and "&lt;a href" in spec
