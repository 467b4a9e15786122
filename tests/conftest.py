"""Shared fixtures: a tiny hand-written data folder that satisfies the schema.

Three affiliates (a state association, an international one, a national one), three liaisons with
e-mail addresses (two in the West Coast region), agreements, goals with owners (G0003's owner is its
agreement's liaison), check-ins, a comment, a few months of membership, events and activities. Tests copy
it and break one thing at a time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis checks properties, not speed: on a loaded two-core CI machine a first example that builds frames can
# take longer than the 200 ms default deadline, which failed test_overview once with nothing wrong in the code.
settings.register_profile("properties", deadline=None)
settings.load_profile("properties")

ROOT = Path(__file__).resolve().parent.parent

TINY_TABLES: dict[str, str] = {
    "states": """state_code,state_name,icma_region,confidence,source
CA,California,West Coast,high,https://example.org/ca
TX,Texas,Mountain Plains,high,https://example.org/tx
VT,Vermont,Northeast,low,
""",
    "affiliates": """affiliate_id,name,acronym,local_name,affiliate_type,country_iso3,country_name,state_code,icma_region,world_region,focus,website,relationship_since,status,notes,source,confidence
state-ca,Cal-ICMA,Cal-ICMA,,state,USA,United States,CA,West Coast,,,https://calicma.org,2005,current,,https://calicma.org/about,high
intl-gbr-solace,Solace,Solace,,international,GBR,United Kingdom,,International,Europe,,,1987,current,,https://example.org/solace,high
natl-nfbpa,National Forum for Black Public Administrators,NFBPA,,national,USA,United States,,,,Black public administrators,https://www.nfbpa.org,,current,,https://example.org/nfbpa,high
""",
    "liaisons": """liaison_id,name,role,icma_region,email,is_sample
L001,Avery Stone,Regional Director,West Coast,avery.stone@example.org,true
L002,Jordan Lee,International Committee member,International,jordan.lee@example.org,true
L003,Morgan Reyes,Regional Vice President,West Coast,morgan.reyes@example.org,true
""",
    "agreements": """agreement_id,affiliate_id,liaison_id,signed_on,renewal_due_on,status,is_sample
AG-state-ca-2019,state-ca,L001,2019-01-15,2024-01-15,lapsed,true
AG-state-ca-2024,state-ca,L001,2024-01-15,2029-01-15,active,true
AG-intl-gbr-solace-2021,intl-gbr-solace,L002,2021-11-01,2026-12-31,due_for_renewal,true
AG-natl-nfbpa-2020,natl-nfbpa,L001,2020-03-01,2025-03-01,lapsed,true
""",
    "goals": """goal_id,agreement_id,area_of_emphasis,title,metric,unit,direction,baseline_value,target_value,start_on,due_on,reporting_interval_months,owner_id,is_sample
G0001,AG-state-ca-2024,"Membership Development, Engagement, and Support",Grow dual membership,dual members,members,increase,100,200,2024-01-01,2027-12-31,3,L001,true
G0002,AG-state-ca-2024,Ethics,Hold ethics trainings,ethics trainings held,events,increase,0,12,2024-01-01,2026-12-31,6,L003,true
G0003,AG-intl-gbr-solace-2021,"Membership Development, Engagement, and Support",Cut member lapse rate,member lapse rate,percent,decrease,12,8,2022-01-01,2026-06-30,6,,true
""",
    "goal_checkins": """checkin_id,goal_id,reported_on,value,narrative,reported_by,is_sample
C000001,G0001,2025-03-31,130,Joint webinar brought new members,Avery Stone,true
C000002,G0001,2026-03-31,150,Annual conference drive,Avery Stone,true
C000003,G0002,2025-06-30,5,Five trainings held,Avery Stone,true
C000004,G0003,2026-06-30,7.5,Lapse rate fell after renewal campaign,Jordan Lee,true
""",
    "membership": """affiliate_id,snapshot_on,members,icma_members,new_members,lapsed_members
state-ca,2025-10-31,1000,600,10,5
state-ca,2025-11-30,1010,605,15,5
state-ca,2026-10-31,1100,660,12,4
intl-gbr-solace,2025-11-30,500,40,3,2
intl-gbr-solace,2026-10-31,520,45,4,1
""",
    "icma_membership": """snapshot_on,members,new_members,lapsed_members
2025-10-31,12900,120,80
2025-11-30,12950,110,60
2026-10-31,13100,100,70
""",
    "events": """event_id,name,organizer,affiliate_id,event_type,start_on,end_on,date_precision,is_cancelled,city,country_name,country_iso3,venue,website,notes,source,confidence,is_sample
E2026-icma-annual,ICMA 2026 Annual Conference,ICMA,,icma_annual,2026-10-17,2026-10-21,day,false,"Long Beach, CA",United States,USA,,,,https://example.org/icma,high,false
E2026-solace-summit,Solace Summit 2026,Solace,intl-gbr-solace,affiliate,2026-12-02,2026-12-04,day,false,Birmingham,United Kingdom,GBR,,,,,low,true
E2027-cal-icma,Cal-ICMA Annual Conference 2027,Cal-ICMA,state-ca,affiliate,2027-02-10,,day,false,Sacramento,United States,USA,,,,,low,true
""",
    "activities": """activity_id,affiliate_id,liaison_id,activity_type,occurred_on,title,status,event_id,is_sample
A000001,intl-gbr-solace,L002,conference_attendance,2026-12-02,ICMA President attends Solace Summit,confirmed,E2026-solace-summit,true
A000002,state-ca,L001,work_plan_item,2026-05-01,Joint ethics webinar series,done,,true
A000003,state-ca,L001,publication_contribution,2024-03-01,Article in PM magazine,done,,true
""",
    "goal_comments": """comment_id,goal_id,checkin_id,commented_on,author,comment,is_sample
K000001,G0001,C000002,2026-04-02,Morgan Reyes,The conference drive worked: keep it for 2027,true
""",
}


# A possible affiliate that is not on ICMA's list: in no relationship, counted against nothing.
TINY_CANDIDATE_ROW = """intl-fra-udite,Federation of European Union Local Authority Chief Executive Officers,UDiTE,,international,FRA,France,,International,Europe,,https://udite.eu,,candidate,Candidate: not on the available part of ICMA's list.,https://udite.eu/en/udite-4/,low
"""


def add_tiny_candidate(folder: Path) -> Path:
    """Add `TINY_CANDIDATE_ROW` to the affiliates of a tiny data folder; returns the folder."""
    with (folder / "affiliates.csv").open("a", encoding="utf-8") as file:
        file.write(TINY_CANDIDATE_ROW)
    return folder


def write_tiny_data(folder: Path) -> Path:
    """The tiny tables as CSV files; a schema table they lack is written with its header only (no rows)."""
    from analytics.core.schema import TABLES

    folder.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        text = TINY_TABLES.get(table.name, ",".join(table.column_names) + "\n")
        (folder / f"{table.name}.csv").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def tiny_data_dir(tmp_path: Path) -> Path:
    """A fresh copy of the tiny data folder, for one test to change."""
    return write_tiny_data(tmp_path / "data")


@pytest.fixture
def bundled_data_dir(tmp_path: Path) -> Path:
    """A copy of the bundled sample data (so a test may change it without touching the repo)."""
    target = tmp_path / "bundled"
    shutil.copytree(ROOT / "data", target, ignore=shutil.ignore_patterns("store", "reference"))
    return target


@pytest.fixture(scope="module")
def bundled_store(tmp_path_factory):
    """A store of a copy of the bundled sample data, shared by one module's tests, which must not change it."""
    from analytics.store.reader import Store

    folder = tmp_path_factory.mktemp("bundled")
    shutil.copytree(ROOT / "data", folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("store"))
    return Store(folder)


def uploads_written(data_dir: Path) -> list[str]:
    """What the upload store holds for `data_dir`: ledger, archive, rejected rows, uploaded rows.

    The store folder itself may exist without any upload (the check record and the Parquet copies
    of CSV tables live there too), so tests that nothing was written look at these parts.
    """
    from analytics.core.schema import UPLOADABLE_TABLES
    from analytics.store.ledger import StoreLayout

    layout = StoreLayout(data_dir)
    parts = [layout.ledger, layout.archive, layout.rejected, *(layout.rows(kind) for kind in UPLOADABLE_TABLES)]
    return [part.name for part in parts if part.exists()]


@pytest.fixture(scope="session")
def s3_emulator():
    """moto's S3 server on loopback, one per test session (tests/object_store.py: an emulator, not AWS)."""
    from tests.object_store import S3Emulator

    emulator = S3Emulator.start()
    yield emulator
    emulator.stop()


@pytest.fixture
def s3_store(s3_emulator, monkeypatch) -> dict[str, str]:
    """The runtime store on a new bucket of the emulator, for this test: the settings' environment it set."""
    environment = s3_emulator.settings_environment()
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return environment
