"""Near-duplicate detection and independent source groups.

A wire story and its syndicated copies, or a light rewrite of it, are one source however
many outlets print them. Texts are compared as sets of word 5-shingles (lower-cased word
5-grams, hashed with BLAKE2b: Python's ``hash`` is salted per process). Two articles are
near-duplicates when their shingle sets have a Jaccard similarity of at least
``NEAR_DUPLICATE_JACCARD`` or when at least ``NEAR_DUPLICATE_CONTAINMENT`` of the shorter
text's shingles occur in the longer one (a truncated copy: outlets often print only the
first paragraphs of a wire story, which a Jaccard-only test, and so MinHash, misses).

Candidate pairs come from an inverted index of shingles (pairs sharing at least one
shingle that is not boilerplate), and every candidate is scored exactly: no sampling, no
luck, the same answer in any order.

Source groups are the connected components of "near-duplicate of" plus "same syndication
group" (outlet table: Daily Sabah carries Anadolu Agency copy, so both are one source; two
articles of one outlet are one source too). Components do not depend on the order the
articles come in, and a group is named after its smallest article id.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import combinations

import numpy

from sitroom.corroborate.credibility import OutletTable, load_outlets
from sitroom.models import Article

SHINGLE_WORDS = 5
# Calibrated on ECB+ DEV (772 reports of 66 events, 4491 same-event pairs): pairs that read as
# edited copies of one wire story (same sentences, reordered or trimmed) have Jaccard >= 0.3 or
# containment >= 0.5; independently written reports of one event mostly stay below 0.1 / 0.3
# (median Jaccard 0.001). The grey zone between (0.1-0.3 Jaccard) is left independent.
NEAR_DUPLICATE_JACCARD = 0.3
NEAR_DUPLICATE_CONTAINMENT = 0.5
# A shingle found in more articles than this is boilerplate ("said in a statement on") and
# proposes no candidates; real copies share hundreds of rarer shingles.
BOILERPLATE_ARTICLES = 50
# One event's reports are compared pair by pair (pairwise_source_groups) while the pairs of
# reports of different outlets number at most this many: all the pairs of 64 reports, a few
# tens of milliseconds. Beyond, the candidate index proposes pairs; it costs as much as
# this on its own (tenths of a second for 100 reports), and its boilerplate cut-off can hide
# copies that only the exact comparison finds.
PAIRWISE_PAIRS = 64 * 63 // 2
_WORD = re.compile(r"\w+")


def word_shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[int]:
    """64-bit hashes of the lower-cased word ``size``-grams of a text (the whole text if shorter)."""
    words = [word.casefold() for word in _WORD.findall(text)]
    grams = [" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))] if words else []
    return frozenset(
        int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "big") for gram in grams
    )


def is_near_duplicate(a: frozenset[int], b: frozenset[int]) -> bool:
    """Whether two shingle sets are copies of one text (thresholds above)."""
    return _near(len(a & b), len(a), len(b))


def _near(shared: int, size_a: int, size_b: int) -> bool:
    """The near-duplicate test on two shingle counts and the count they share: the Jaccard
    similarity (shared / union) or the containment (shared / the smaller count) high enough."""
    if not size_a or not size_b:
        return False
    return (
        shared / (size_a + size_b - shared) >= NEAR_DUPLICATE_JACCARD
        or shared / min(size_a, size_b) >= NEAR_DUPLICATE_CONTAINMENT
    )


def near_duplicate_pairs(
    texts: dict[str, str], group_of: Mapping[str, str] | None = None
) -> set[tuple[str, str]]:
    """Pairs of ids (smaller first) whose texts are near-duplicates; with ``group_of`` (id ->
    group), only pairs of different groups: two articles of one outlet need no comparing."""
    if group_of is not None and len({group_of[key] for key in texts}) < 2:
        return set()
    shingles = {key: word_shingles(text) for key, text in texts.items()}
    return {
        pair
        for pair in _candidate_pairs(shingles, group_of)
        if is_near_duplicate(shingles[pair[0]], shingles[pair[1]])
    }


def _candidate_pairs(
    shingles: Mapping[str, Iterable[int]],
    group_of: Mapping[str, str] | None,
    *,
    stars: bool = False,
) -> set[tuple[str, str]]:
    """Pairs of ids (smaller first; of different groups, with ``group_of``) sharing a shingle
    held by at most ``BOILERPLATE_ARTICLES`` of them. With ``stars``, a shingle held by more
    proposes its first holder with each other one (among one event's reports, that many
    copies are more likely a wire story than boilerplate: both are then scored)."""
    holders: dict[int, list[str]] = defaultdict(list)
    for key in sorted(shingles):
        for shingle in shingles[key]:
            holders[shingle].append(key)
    shared: Counter[tuple[str, str]] = Counter()
    for keys in holders.values():
        if 1 < len(keys) <= BOILERPLATE_ARTICLES:
            pairs: Iterable[tuple[str, str]] = combinations(keys, 2)
        elif stars and len(keys) > BOILERPLATE_ARTICLES:
            pairs = ((keys[0], key) for key in keys[1:])
        else:
            continue
        shared.update(pairs if group_of is None else (p for p in pairs if group_of[p[0]] != group_of[p[1]]))
    return set(shared)


class _Groups:
    """Union-find over article ids; a group is named after its smallest id."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.parent = {key: key for key in ids}

    def find(self, key: str) -> str:
        parent = self.parent
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)

    def by_outlet(self, articles: Sequence[Article], table: OutletTable) -> None:
        """Unite the articles that one outlet or syndication group stands behind."""
        by_source: dict[str, str] = {}
        for article in sorted(articles, key=lambda item: item.id):
            key = table.source_key(article)
            if key is not None:
                self.union(article.id, by_source.setdefault(key, article.id))

    def mapping(self) -> dict[str, str]:
        return {key: self.find(key) for key in self.parent}


def source_groups(articles: Sequence[Article], outlets: OutletTable | None = None) -> dict[str, str]:
    """Map every article id to its independent-source group id (the group's smallest article id)."""
    groups = _Groups(article.id for article in articles)
    groups.by_outlet(articles, outlets if outlets is not None else load_outlets())
    texts = {article.id: article_text(article) for article in articles}
    for first, second in near_duplicate_pairs(texts, groups.mapping()):
        groups.union(first, second)
    return groups.mapping()


def article_text(article: Article) -> str:
    """What is compared of an article: its title and text."""
    return f"{article.title or ''}\n{article.text}"


def shingle_array(text: str) -> numpy.ndarray:
    """:func:`word_shingles` as a sorted array of unsigned 64-bit integers (an eighth of the
    memory of the set, for keeping)."""
    return numpy.array(sorted(word_shingles(text)), dtype=numpy.uint64)


def arrays_near_duplicate(a: numpy.ndarray, b: numpy.ndarray) -> bool:
    """:func:`is_near_duplicate` of two :func:`shingle_array` results."""
    return _near(numpy.intersect1d(a, b, assume_unique=True).size, len(a), len(b))


def pairwise_source_groups(
    articles: Sequence[Article],
    outlets: OutletTable,
    shingles: Callable[[Article], numpy.ndarray],
) -> dict[str, str]:
    """:func:`source_groups` of one event's reports, with their shingles from ``shingles``
    (an article's :func:`shingle_array`, which a caller may keep), asked only for articles
    that need comparing. While the pairs of articles that one outlet or syndication group
    does not already unite number at most ``PAIRWISE_PAIRS``, every such pair not already in
    one group is compared exactly, without the candidate index, so copies of a wire story
    printed by more than ``BOILERPLATE_ARTICLES`` outlets are one source too (a story one
    outlet filed fifty times and two others once: a hundred pairs); more pairs take the
    candidate index, as :func:`source_groups` does, its shingles held by more than that
    proposing stars (see :func:`_candidate_pairs`)."""
    groups = _Groups(article.id for article in articles)
    groups.by_outlet(articles, outlets)
    ordered = sorted(articles, key=lambda item: item.id)
    group_of = groups.mapping()
    sizes = Counter(group_of.values())
    if len(sizes) < 2:
        return group_of
    if (len(ordered) ** 2 - sum(size * size for size in sizes.values())) // 2 > PAIRWISE_PAIRS:
        arrays = {article.id: shingles(article) for article in ordered}
        lists = {key: array.tolist() for key, array in arrays.items()}
        for a, b in sorted(_candidate_pairs(lists, group_of, stars=True)):
            if arrays_near_duplicate(arrays[a], arrays[b]):
                groups.union(a, b)
        return groups.mapping()
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if groups.find(first.id) != groups.find(second.id) and arrays_near_duplicate(
                shingles(first), shingles(second)
            ):
                groups.union(first.id, second.id)
    return groups.mapping()
