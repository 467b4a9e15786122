"""ui.text: values read the same on every page (cards, cells, confidence, sources, choosers)."""

from __future__ import annotations

import pandas as pd

from ui.text import (
    NO_CHANGE,
    affiliate_choice_labels,
    change_in_a_year,
    confidence_text,
    confidence_words,
    event_rows,
    format_count,
    format_date,
    format_percent,
    like_for_like_note,
    marked,
    points_in_a_year,
    source_links,
    words,
    yes_no,
)


def test_card_values():
    assert (format_count(13100), format_count(None), format_count(float("nan"))) == ("13,100", "–", "–")
    assert (format_percent(0.6), format_percent(0.0862, 1), format_percent(None)) == ("60%", "8.6%", "–")
    assert (format_date(pd.Timestamp("2026-11-27 13:00")), format_date(pd.NaT)) == ("2026-11-27", "–")


def test_cells_in_words():
    in_words = words(pd.Series(["due_for_renewal", None, "active"]))
    assert (in_words[0], pd.isna(in_words[1]), in_words[2]) == ("due for renewal", True, "active")
    answers = yes_no(pd.Series([True, False, None], dtype="boolean"))
    assert (answers[0], answers[1], pd.isna(answers[2])) == ("yes", "no", True)
    assert marked(pd.Series([True, False, None]), "sample").tolist() == ["sample", "", ""]


def test_low_confidence_is_flagged_with_a_sign_and_a_word():
    flagged = confidence_text(pd.Series(["high", "low", None]))
    assert (flagged[0], flagged[1], pd.isna(flagged[2])) == ("high", "⚠️ low", True)
    assert confidence_words("low").startswith("⚠️ **low**")
    assert (confidence_words("medium"), confidence_words(None)) == ("**medium**", "unknown")


def test_source_links_split_on_semicolons():
    assert source_links("https://a.org/x ; https://b.org/y;") == ["https://a.org/x", "https://b.org/y"]
    assert source_links(None) == []


def test_an_affiliate_reads_with_its_place_in_a_chooser():
    rows = pd.DataFrame(
        {
            "name": ["Cal-ICMA", "NFBPA Forum", "Solace"],
            "acronym": ["Cal-ICMA", None, "Solace"],
            "affiliate_type": ["state", "national", "international"],
            "state_code": ["CA", None, None],
            "country_name": ["United States", "United States", "United Kingdom"],
        }
    )
    assert affiliate_choice_labels(rows).tolist() == [
        "Cal-ICMA (Cal-ICMA) · CA",
        "NFBPA Forum · national",
        "Solace (Solace) · United Kingdom",
    ]


def test_the_like_for_like_note_names_its_count():
    assert "over the 3 affiliates counted both" in like_for_like_note(3)


def test_a_cards_change_in_a_year():
    assert (change_in_a_year(0.1), change_in_a_year(-0.016), change_in_a_year(None)) == (
        {"delta": "+10.0% in a year"},
        {"delta": "-1.6% in a year"},
        {},
    )
    assert (points_in_a_year(0.012), points_in_a_year(-0.0004), points_in_a_year(None)) == (
        {"delta": "+1.2 pts in a year"},
        NO_CHANGE,
        {},
    )
    # A change that rounds to zero reads in words, grey and without an arrow: never a red "-0.0 pts".
    assert NO_CHANGE == {"delta": "no change in a year", "delta_color": "off", "delta_arrow": "off"}
    assert change_in_a_year(0.0) == NO_CHANGE


def test_an_event_reads_the_same_in_every_table_of_events():
    events = pd.DataFrame(
        {
            "name": ["Cal-ICMA Annual Conference", "NFBPA Forum"],
            "start_on": pd.to_datetime(["2027-03-10", "2026-06-01"]),
            "end_on": pd.to_datetime(["2027-03-12", "2026-06-01"]),
            "date_precision": ["day", "month"],
            "city": ["Monterey", None],
            "country_name": ["United States", None],
            "is_sample": [False, True],
        }
    )
    rows = event_rows(events)
    assert rows["dates"].tolist() == ["10–12 Mar 2027", "June 2026 (exact dates not known)"]
    assert rows["place"].tolist() == ["Monterey, United States", "place unknown"]
    assert rows["event_name"].tolist() == ["Cal-ICMA Annual Conference", "NFBPA Forum"]
    assert rows["is_sample"].tolist() == ["", "sample"]
    assert "dates" not in events.columns  # the frame given is left as it was
