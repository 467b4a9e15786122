"""ui.data.kept_per_data: what a page derives from the data is kept until the data changes, per function."""

from __future__ import annotations

import streamlit as st

from ui.data import data_state, kept_per_data


def test_a_derived_result_is_kept_until_the_data_changes(monkeypatch, tiny_data_dir):
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    st.cache_resource.clear()
    calls = []

    @kept_per_data()
    def members_total(params: dict, scale: int) -> int:
        calls.append(params["region"])
        return 1100 * scale

    assert members_total({"region": "West Coast"}, 1) == 1100
    assert members_total({"region": "West Coast"}, 1) == 1100
    assert calls == ["West Coast"]  # the second call read the cache
    assert members_total({"region": "International"}, 2) == 2200
    assert calls == ["West Coast", "International"]  # other arguments, another entry

    before = data_state()
    path = tiny_data_dir / "membership.csv"
    path.write_text(path.read_text() + "state-ca,2026-11-30,1110,666,9,3\n")
    assert data_state() != before
    assert members_total({"region": "West Coast"}, 1) == 1100
    assert calls == ["West Coast", "International", "West Coast"]  # new data: built again


def test_two_kept_functions_with_the_same_arguments_do_not_share_results(monkeypatch, tiny_data_dir):
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    st.cache_resource.clear()

    @kept_per_data()
    def first(params: dict) -> str:
        return "first"

    @kept_per_data()
    def second(params: dict) -> str:
        return "second"

    assert (first({"as_of": "2026-11-27"}), second({"as_of": "2026-11-27"})) == ("first", "second")
    assert first.__name__ == "first"  # reads as the function it keeps


def test_data_state_names_the_folder_and_its_fingerprint(monkeypatch, tiny_data_dir):
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    folder, fingerprint = data_state()
    assert folder == str(tiny_data_dir)
    assert fingerprint == data_state()[1]


def test_the_affiliate_chooser_lists_every_affiliate_by_name_with_its_place(monkeypatch, tiny_data_dir):
    from ui.data import affiliate_choices

    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    st.cache_resource.clear()
    st.cache_data.clear()
    assert affiliate_choices() == {
        "state-ca": "Cal-ICMA (Cal-ICMA) · CA",
        "natl-nfbpa": "National Forum for Black Public Administrators (NFBPA) · national",
        "intl-gbr-solace": "Solace (Solace) · United Kingdom",
    }
    assert list(affiliate_choices()) == ["state-ca", "natl-nfbpa", "intl-gbr-solace"]
    assert affiliate_choices() is affiliate_choices()  # kept and shared until the data changes, not rebuilt


def test_the_upload_ledger_is_read_through_the_cache_and_shows_a_commit_at_once(monkeypatch, tiny_data_dir):
    from analytics.auth.roles import operator_identity
    from analytics.core.settings import Settings
    from analytics.store.reader import open_store
    from analytics.uploads import pipeline
    from ui.data import counting_batches, refused_rows, upload_batches

    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    st.cache_data.clear()
    st.cache_resource.clear()
    assert upload_batches().empty
    data = b"affiliate,date,members,icma members\nCal-ICMA,2025-11-30,1020,610\nNowhere,2025-12-31,530,41\n"
    store = open_store(tiny_data_dir)
    checked = pipeline.check_file(data, "members.csv", "membership", store, Settings.from_environment())
    analyst = operator_identity("Jordan Lee")
    result = pipeline.commit(checked, data, store, committed_by=analyst, only_valid=True)
    assert upload_batches()["batch_id"].tolist() == [result.batch_id]  # the ledger's version keys the cache
    assert counting_batches()["batch_id"].tolist() == [result.batch_id]
    assert refused_rows(result.batch_id)["row"].tolist() == [3]
    pipeline.undo(tiny_data_dir, result.batch_id, analyst)
    assert counting_batches().empty
    assert upload_batches()["status"].tolist() == ["undone"]
