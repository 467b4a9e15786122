"""Records named in a file's cells: affiliates, agreements, goals, liaisons and events, by any name they go by.

Names are compared through `normalise` (accents, case and punctuation ignored). An unknown name is an error
that suggests the closest known ones; a name two records share is an error that lists both, never a guess.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.uploads.values import arrow_text, as_series, lookup_each

# Unknown names: how many close matches are suggested.
SUGGESTIONS = 3

_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")
# Letters that Unicode does not decompose into a plain letter and an accent ("årsmøde" -> "arsmode").
_UNDECOMPOSABLE = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L"}
    | {"ı": "i", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D"}
)


def normalise(text: str) -> str:
    """Text for matching: accents dropped, case folded, punctuation as single spaces."""
    text = str(text)
    if text.isascii():  # nothing to decompose, and casefold() is lower() (most names: several times faster)
        plain = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
        plain = "".join(character for character in decomposed if not unicodedata.combining(character)).casefold()
    return _NOT_ALPHANUMERIC.sub(" ", plain).strip()


@dataclass(frozen=True)
class NameResolver:
    """Records found by any name they go by (id, name, acronym...), case, accents and punctuation ignored.

    An unknown name gets the closest known ones as suggestions; a name two records share is refused
    with both, never guessed.
    """

    keys: dict[str, str]  # normalised name -> record id
    ambiguous: dict[str, tuple[str, ...]]  # normalised name -> the ids it could mean
    labels: dict[str, str]  # record id -> "Name (id)"
    noun: str = "affiliate"
    hint: str = "use its id, name or acronym as on the Affiliates page"

    @classmethod
    def from_names(cls, records: Iterable[tuple[str, str, Iterable[object]]], noun: str, hint: str) -> NameResolver:
        """`records`: (id, label, the names it goes by) of each record; names that are not text are skipped."""
        claims: dict[str, set[str]] = {}
        labels = {}
        for record_id, label, names in records:
            labels[record_id] = label
            for text in names:
                key = normalise(text) if isinstance(text, str) else ""
                if key:
                    claims.setdefault(key, set()).add(record_id)
        keys = {key: next(iter(ids)) for key, ids in claims.items() if len(ids) == 1}
        ambiguous = {key: tuple(sorted(ids)) for key, ids in claims.items() if len(ids) > 1}
        return cls(keys, ambiguous, labels, noun, hint)

    def resolve(self, text: str) -> tuple[str | None, str | None]:
        """(record id, None), or (None, the reason with the closest known names)."""
        key = normalise(text)
        if key in self.keys:
            return self.keys[key], None
        if key in self.ambiguous:
            shown = ", ".join(self.labels[record_id] for record_id in self.ambiguous[key])
            return None, f"names more than one {self.noun}: {shown}"
        close = difflib.get_close_matches(key, list(self.keys), n=SUGGESTIONS * 3, cutoff=0.6)
        suggestions = list(dict.fromkeys(self.labels[self.keys[match]] for match in close))[:SUGGESTIONS]
        if suggestions:
            return None, f"unknown {self.noun}; did you mean " + " or ".join(suggestions) + "?"
        return None, f"unknown {self.noun} ({self.hint})"


class AffiliateResolver(NameResolver):
    """Affiliates by id, name, acronym, local name, or (state associations) state code and name."""

    @classmethod
    def from_tables(cls, affiliates: pd.DataFrame, states: pd.DataFrame | None = None) -> AffiliateResolver:
        state_names = {}
        if states is not None and not states.empty:
            state_names = dict(zip(states["state_code"], states["state_name"], strict=True))
        columns = ["affiliate_id", "name", "acronym", "local_name", "affiliate_type", "state_code"]
        as_lists = [as_objects(affiliates[column]) for column in columns]
        records = []
        for affiliate_id, name, acronym, local_name, affiliate_type, state_code in zip(*as_lists, strict=True):
            names = [affiliate_id, name, acronym, local_name]
            if affiliate_type == "state" and isinstance(state_code, str):
                names += [state_code, state_names.get(state_code)]
            records.append((affiliate_id, f"{name} ({affiliate_id})", names))
        return cls.from_names(records, "affiliate", "use its id, name or acronym as on the Affiliates page")


def liaison_resolver(liaisons: pd.DataFrame, hint: str) -> NameResolver:
    """Liaisons by id, name or e-mail address (a folder without e-mail addresses: by id or name)."""
    emails = liaisons["email"] if "email" in liaisons.columns else pd.Series(None, index=liaisons.index)
    columns = [as_objects(liaisons[name]) for name in ("liaison_id", "name")] + [as_objects(emails)]
    records = [
        (liaison_id, f"{name} ({liaison_id})", [liaison_id, name, email])
        for liaison_id, name, email in zip(*columns, strict=True)
    ]
    return NameResolver.from_names(records, "liaison", hint)


def as_objects(values: pd.Series) -> list[object]:
    """The values as a list, a missing one as None."""
    return values.astype(object).where(values.notna(), None).tolist()


def resolve_names(values: pd.Series, resolver: NameResolver) -> tuple[pd.Series, pd.Series]:
    """Each cell's record id and the reason a cell names none."""
    ids, reason = names_from_text(arrow_text(values), resolver)
    return as_series(ids, values.index), as_series(reason, values.index)


def names_from_text(text: pa.Array, resolver: NameResolver) -> tuple[pa.Array, pa.Array]:
    """Each cell's record id and the reason when there is none; each distinct text resolved once."""
    resolved = {value: resolver.resolve(value) for value in pc.unique(text).to_pylist() if value}
    ids = lookup_each(text, {value: found for value, (found, _) in resolved.items()}, pa.string())
    return ids, lookup_each(text, {value: why for value, (_, why) in resolved.items()}, pa.string())
