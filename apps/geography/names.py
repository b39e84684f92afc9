"""Area names as people type them: one normal form, everyday aliases, trigram similarity.

Pure, no database. ``selectors.search_areas`` uses it: on PostgreSQL through its SQL twins
(``zicht_search_name`` of migration 0003 is ``normalise``; pg_trgm's ``similarity`` is
``similarity``), elsewhere through ``NameIndex``, the names of an indeling in memory.
"""

import csv
import heapq
import re
import unicodedata
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from itertools import accumulate
from pathlib import Path

from .levels import LEVEL_ORDER

ALIASES_FILE = Path(__file__).parent / "data" / "gemeente_aliases.csv"

# pg_trgm's default ``pg_trgm.similarity_threshold``: the ``%`` operator's cut-off.
SIMILARITY_THRESHOLD = 0.3
# Shorter queries are no typo of anything: they share a trigram with thousands of names.
SIMILAR_MIN_LENGTH = 3


class Match(IntEnum):
    """How a search result matched, best first."""

    CODE = 0
    EXACT = 1  # the whole name, an everyday name, or a gemeente's name without its qualifier
    CONTAINS = 2
    SIMILAR = 3  # only when no name contains the query: a typo


_WORD = re.compile(r"[a-z0-9]+")
# A qualifier CBS adds to tell gemeenten of the same name apart: "Bergen (NH.)", "Hengelo (O.)".
_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")


def normalise(text: str | None) -> str:
    """Lower case ASCII words separated by one space: accents, apostrophes, hyphens and
    brackets do not count ("'s-Gravenhage" → "s gravenhage", "Súdwest-Fryslân" →
    "sudwest fryslan")."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_WORD.findall(bare.casefold()))


def compact(text: str | None) -> str:
    """The normal form without spaces, so "DenHaag" and "Den Haag" are one name."""
    return normalise(text).replace(" ", "")


def without_qualifier(name: str) -> str:
    """A CBS name without its trailing qualifier: "Bergen (NH.)" → "Bergen"."""
    return _QUALIFIER.sub("", name)


def trigrams(text: str) -> frozenset[str]:
    """pg_trgm's trigrams of a normalised text: each word padded with two spaces in front and
    one behind."""
    grams = set()
    for word in text.split():
        padded = f"  {word} "
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(first: str | None, second: str | None) -> float:
    """pg_trgm's ``similarity()``: shared trigrams over all trigrams of the two texts, 0 to 1."""
    a, b = trigrams(normalise(first)), trigrams(normalise(second))
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


@cache
def aliases() -> dict[str, tuple[str, ...]]:
    """``{normalised everyday name: gemeente codes}`` from ``data/gemeente_aliases.csv``."""
    found: dict[str, list[str]] = {}
    with ALIASES_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(line for line in handle if not line.startswith("#")):
            codes = found.setdefault(normalise(row["alias"]), [])
            if row["code"] not in codes:
                codes.append(row["code"])
    return {alias: tuple(codes) for alias, codes in found.items()}


@cache
def _aliases_by_compact_name() -> dict[str, tuple[str, ...]]:
    return {alias.replace(" ", ""): codes for alias, codes in aliases().items()}


def alias_codes(query: str) -> tuple[str, ...]:
    """The gemeente codes an everyday name stands for ("Den Haag" → GM0518), or none."""
    return _aliases_by_compact_name().get(compact(query), ())


def similar_alias_codes(key: str) -> dict[str, float]:
    """``{gemeente code: similarity}`` of the everyday names like a normalised query."""
    scores: dict[str, float] = {}
    for alias, codes in aliases().items():
        score = similarity(alias, key)
        if score >= SIMILARITY_THRESHOLD:
            for code in codes:
                scores[code] = max(score, scores.get(code, 0.0))
    return scores


@dataclass(frozen=True)
class Hit:
    code: str
    match: Match
    similarity: float


class NameIndex:
    """The names of one indeling in memory, for databases without pg_trgm (SQLite): finds and
    ranks as ``selectors.search_areas`` does in SQL on PostgreSQL. Trigrams are kept as an
    inverted index (trigram → names), so a query only counts the names that share one; the
    names are one string, so looking for the query in them runs in C."""

    def __init__(self, rows: Iterable[tuple[str, str, str]]):
        """``rows``: (code, level, name) of the areas a search may find."""
        # In the final order of equal matches (level, then name), so positions break ties.
        rows = sorted(rows, key=lambda row: (LEVEL_ORDER.index(row[1]), row[2], row[0]))
        self._codes = [code for code, _, _ in rows]
        self._levels = [LEVEL_ORDER.index(level) for _, level, _ in rows]
        self._position = {code: position for position, code in enumerate(self._codes)}
        keys = [normalise(name) for _, _, name in rows]
        self._exact: dict[str, list[int]] = defaultdict(list)  # by compact name
        self._sizes = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        for position, ((_, level, name), key) in enumerate(zip(rows, keys, strict=True)):
            self._exact[key.replace(" ", "")].append(position)
            if level == "gemeente" and without_qualifier(name) != name:
                self._exact[compact(without_qualifier(name))].append(position)
            grams = trigrams(key)
            self._sizes.append(len(grams))
            for gram in grams:
                self._postings[gram].append(position)
        # Keys hold no newline, so a match never spans two names.
        self._text = "\n".join(keys)
        self._starts = list(accumulate((len(key) + 1 for key in keys[:-1]), initial=0))

    def _similarities(self, key: str) -> dict[int, float]:
        query = trigrams(key)
        shared = Counter()
        for gram in query:
            shared.update(self._postings.get(gram, ()))
        return {
            position: count / (len(query) + self._sizes[position] - count)
            for position, count in shared.items()
        }

    def _containing(self, key: str) -> list[int]:
        found, offset = [], self._text.find(key)
        while offset != -1:
            position = bisect_right(self._starts, offset) - 1
            found.append(position)
            if position + 1 == len(self._starts):
                break
            offset = self._text.find(key, self._starts[position + 1])
        return found

    def search(self, key: str, *, code: str, exact_codes: Iterable[str], limit: int) -> list[Hit]:
        """The best ``limit`` areas for a normalised query ``key`` (or a ``code``); ``exact_codes``
        (everyday names) count as exact, as does a gemeente's name without its qualifier."""
        matches: dict[int, Match] = {}
        if code in self._position:
            matches[self._position[code]] = Match.CODE
        for position in [self._position[each] for each in exact_codes if each in self._position]:
            matches.setdefault(position, Match.EXACT)
        for position in self._exact.get(key.replace(" ", ""), ()):
            matches.setdefault(position, Match.EXACT)
        for position in self._containing(key):
            matches.setdefault(position, Match.CONTAINS)
        similarities = self._similarities(key)
        found = [
            (match, position, similarities.get(position, 0.0)) for position, match in matches.items()
        ]
        if not found and len(key) >= SIMILAR_MIN_LENGTH:
            scores = {
                position: score
                for position, score in similarities.items()
                if score >= SIMILARITY_THRESHOLD
            }
            for alias_code, score in similar_alias_codes(key).items():
                if alias_code in self._position:
                    scores[self._position[alias_code]] = score
            found = [(Match.SIMILAR, position, score) for position, score in scores.items()]
        best = heapq.nsmallest(
            limit, found, key=lambda item: (item[0], self._levels[item[1]], -item[2], item[1])
        )
        return [Hit(self._codes[position], match, score) for match, position, score in best]
