"""What committing a checked file would change: the rows it adds, the stored records it replaces (shown before
and after), and for membership the member totals of every month it touches.

How a kind's replaced records are found is its `records` in the registry (analytics/uploads/kinds.py): by the
schema key over the stored table (`KEYED_RECORDS`, every kind but one), or, for membership snapshots, over the
months the file touches only, vectorised in numpy over one integer per (affiliate, date), so that a million
rows take a fraction of a second (`MEMBERSHIP_SNAPSHOTS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.core.frames import is_among
from analytics.uploads.checked import Checked

if TYPE_CHECKING:
    from analytics.store.reader import Store
    from analytics.uploads.kinds import UploadKind


@dataclass(frozen=True)
class Preview:
    """What committing a checked file would do."""

    rows_in_file: int
    rows_valid: int
    rows_rejected: int
    rows_added: int
    rows_replaced: int
    replaced: pd.DataFrame  # the key, then <column>_before and <column>_after of each preview column
    totals: pd.DataFrame  # membership: month_end_on, members_before, members_after, ...; other kinds: empty
    already_loaded_as: str | None
    # Plausibility warnings (analytics.uploads.plausibility) the analyst must acknowledge to commit, in words.
    warnings: tuple[str, ...] = ()


def preview_of(kind: UploadKind, checked: Checked, store: Store, already_loaded_as: str | None) -> Preview:
    """The preview of a checked file of `kind` (`already_loaded_as`: the batch that holds this very file)."""
    replaced, totals = kind.records.replaced_and_totals(kind, checked.rows, store)
    return Preview(
        rows_in_file=checked.rows_in_file,
        rows_valid=len(checked.rows),
        rows_rejected=len(checked.rejected_rows),
        rows_added=len(checked.rows) - len(replaced),
        rows_replaced=len(replaced),
        replaced=replaced,
        totals=totals,
        already_loaded_as=already_loaded_as,
    )


class KeyedRecords:
    """A row replaces the stored record with the same key (events: event_id; goals: goal_id...)."""

    def stored(self, kind: UploadKind, rows: pd.DataFrame, store: Store) -> pd.DataFrame:
        """The stored records of the kind that the rows may replace."""
        return store.table(kind.name)

    def count_replaced(self, kind: UploadKind, rows: pd.DataFrame, store: Store) -> int:
        """How many of the rows replace a record readers see now."""
        if rows.empty:
            return 0
        key = list(kind.key)
        stored = self.stored(kind, rows, store)[key]
        if len(key) == 1:
            return int(is_among(rows[key[0]], stored[key[0]]).sum())
        found = rows[key].merge(stored.drop_duplicates(), on=key, how="left", indicator=True)
        return int((found["_merge"] == "both").sum())

    def replaced_and_totals(
        self, kind: UploadKind, rows: pd.DataFrame, store: Store
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Each replaced record before and after in the kind's preview columns, by key; no totals."""
        key, shown = list(kind.key), list(kind.preview_columns)
        before = self.stored(kind, rows, store)[[*key, *shown]]
        replaced = rows[[*key, *shown]].merge(before, on=key, how="inner", suffixes=("_after", "_before"))
        replaced = replaced[[*key, *(f"{name}_{when}" for name in shown for when in ("before", "after"))]]
        return replaced.sort_values(key).reset_index(drop=True), pd.DataFrame()


class MembershipSnapshots(KeyedRecords):
    """Membership snapshots, keyed by affiliate and date: only the months the rows touch are read, and the
    preview adds member totals per month, before and after, each affiliate counted once with its latest
    snapshot of the month."""

    def stored(self, kind: UploadKind, rows: pd.DataFrame, store: Store) -> pd.DataFrame:
        first_on, last_on = _month_span(_days(rows["snapshot_on"]))
        return store.query("membership_snapshots_between", first_on=first_on, last_on=last_on)

    def count_replaced(self, kind: UploadKind, rows: pd.DataFrame, store: Store) -> int:
        if rows.empty:
            return 0
        new_days = _days(rows["snapshot_on"])
        first_on, last_on = _month_span(new_days)
        before = store.query("membership_keys_between", first_on=first_on, last_on=last_on)
        new_affiliates, before_affiliates = _affiliate_codes(rows["affiliate_id"], before["affiliate_id"])
        new_keys = _keys(new_affiliates, new_days)
        return int(_is_in(new_keys, _keys(before_affiliates, _days(before["snapshot_on"]))).sum())

    def replaced_and_totals(
        self, kind: UploadKind, rows: pd.DataFrame, store: Store
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        if rows.empty:
            return pd.DataFrame(), pd.DataFrame()
        new = rows
        new_days = _days(new["snapshot_on"])
        before = self.stored(kind, rows, store)
        before_days = _days(before["snapshot_on"])
        new_affiliates, before_affiliates = _affiliate_codes(new["affiliate_id"], before["affiliate_id"])
        new_keys = _keys(new_affiliates, new_days)
        before_keys = _keys(before_affiliates, before_days)
        is_replacing = _is_in(new_keys, before_keys)
        is_kept = ~_is_in(before_keys, new_keys)

        months = np.unique(new_days.astype("datetime64[D]").astype("datetime64[M]"))
        measures = kind.preview_columns  # members, icma_members
        totals_before = _month_totals(before_affiliates, before_days, {m: before[m] for m in measures}, months)
        totals_after = _month_totals(
            np.concatenate([before_affiliates[is_kept], new_affiliates]),
            np.concatenate([before_days[is_kept], new_days]),
            {m: np.concatenate([_counts(before[m])[is_kept], _counts(new[m])]) for m in measures},
            months,
        )
        totals = pd.DataFrame(
            {
                "month_end_on": ((months + 1).astype("datetime64[D]") - 1).tolist(),
                "members_before": totals_before["members"],
                "members_after": totals_after["members"],
                "change": totals_after["members"] - totals_before["members"],
                "icma_members_before": totals_before["icma_members"],
                "icma_members_after": totals_after["icma_members"],
            }
        )
        order = np.argsort(before_keys, kind="stable")
        replacing = new[is_replacing]
        replaced_at = order[np.searchsorted(before_keys, new_keys[is_replacing], sorter=order)]
        replaced = pd.DataFrame(
            {
                "affiliate_id": replacing["affiliate_id"].to_numpy(),
                "snapshot_on": pd.to_datetime(replacing["snapshot_on"]).to_numpy(),
                **{
                    f"{name}_{when}": values
                    for name in measures
                    for when, values in (
                        ("before", before[name].to_numpy()[replaced_at]),
                        ("after", replacing[name].to_numpy()),
                    )
                },
            }
        )
        return replaced.sort_values(list(kind.key)).reset_index(drop=True), totals


KEYED_RECORDS = KeyedRecords()
MEMBERSHIP_SNAPSHOTS = MembershipSnapshots()


def _days(dates: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 of each date, as int64."""
    return pd.to_datetime(dates).to_numpy(dtype="datetime64[D]").astype("int64")


def _month_span(days: np.ndarray) -> tuple[date, date]:
    """The first day of the earliest month and the last day of the latest month among `days`."""
    months = days.astype("datetime64[D]").astype("datetime64[M]")
    first = months.min().astype("datetime64[D]")
    last = (months.max() + 1).astype("datetime64[D]") - 1
    return first.item(), last.item()


def _affiliate_codes(*affiliate_ids: pd.Series) -> list[np.ndarray]:
    """One integer per affiliate, the same across all the given columns (dictionary-encoded in Arrow)."""
    chunks = []
    for ids in affiliate_ids:
        array = pa.array(ids.astype("string").array)
        chunks += [chunk.cast(pa.large_string()) for chunk in getattr(array, "chunks", [array])]
    combined = pa.chunked_array(chunks, pa.large_string()).combine_chunks()
    codes = pc.dictionary_encode(combined).indices.to_numpy(zero_copy_only=False).astype("int64")
    bounds = np.cumsum([0, *(len(ids) for ids in affiliate_ids)])
    return [codes[start:stop] for start, stop in zip(bounds[:-1], bounds[1:], strict=True)]


def _counts(values: pd.Series | np.ndarray) -> np.ndarray:
    """Counts as int64, a missing count as 0 (as a sum skips it)."""
    return pd.Series(values).fillna(0).to_numpy(dtype="int64")


def _keys(affiliates: np.ndarray, days: np.ndarray) -> np.ndarray:
    """One int64 per (affiliate, date): the affiliate's code in the high bits, the day in the low 32."""
    return (affiliates << 32) | (days + 2**31)


def _is_in(keys: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Whether each key is among `others` (a sorted search: numpy's hashed isin is several times slower)."""
    if not len(others):
        return np.zeros(len(keys), dtype=bool)
    ordered = np.sort(others)
    at = np.minimum(np.searchsorted(ordered, keys), len(ordered) - 1)
    return ordered[at] == keys


def _month_totals(
    affiliates: np.ndarray, days: np.ndarray, measures: dict[str, object], months: np.ndarray
) -> dict[str, np.ndarray]:
    """Each measure summed over affiliates per month of `months`, each affiliate counted once with its latest snapshot.

    Snapshots are unique per (affiliate, date): the latest of an affiliate's month is its largest date.
    """
    month_of = days.astype("datetime64[D]").astype("datetime64[M]")
    position = np.searchsorted(months, month_of)
    wanted = (position < len(months)) & (months[np.minimum(position, len(months) - 1)] == month_of)
    group = affiliates[wanted] * len(months) + position[wanted]
    day_in_month = days[wanted] - month_of[wanted].astype("datetime64[D]").astype("int64")
    order = np.argsort(group * 32 + day_in_month, kind="stable")
    sorted_groups = group[order]
    latest = order[np.append(sorted_groups[1:] != sorted_groups[:-1], True)] if len(order) else order
    month_index = position[wanted][latest]
    return {
        name: np.bincount(month_index, weights=_counts(values)[wanted][latest], minlength=len(months)).astype("int64")
        for name, values in measures.items()
    }
