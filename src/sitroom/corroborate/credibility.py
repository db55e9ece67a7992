"""Admiralty grading: outlet reliability (A-F) and information credibility (1-6).

Outlet reliability comes from a user-editable table (``sitroom/data/outlets.tsv``, header
explains the columns); an outlet that is not listed is F, "cannot be judged". Grades a user
keeps in the store (:class:`~sitroom.models.OutletGrade`, ``PUT /api/outlets/{name}``) win over the table's rows
(:func:`merge_outlets`).

Information credibility of an event (a cluster of reports), the rules in order:

6 cannot be judged  no report, or every report is hypothetical (no basis to judge).
5 improbable        some report says the event did not happen (status "denied") and fewer
                    than ``CONFIRMING_SOURCES`` independent sources report it as happening.
1 confirmed         at least two independent sources, not all hedged, no contradiction,
                    and either ``CONFIRMING_SOURCES`` sources or one of them graded A-C.
                    A single-source claim is NEVER 1, whatever the outlet.
2 probably true     two or more independent sources otherwise (hedged, contradicted details,
                    or only F outlets), as long as no more than one field is disputed;
                    or one unhedged report from an A/B outlet.
3 possibly true     one unhedged report from a C or unjudged (F) outlet; or several sources
                    disputing two or more fields (dead count and perpetrator ...).
4 doubtful          one report, hedged ("reportedly", "allegedly", "claimed") or from a D/E outlet.

"Independent sources" are source groups (:mod:`sitroom.corroborate.shingles`): a wire copy
and its syndicated twins count once. A contradiction on a detail (the death toll) does not
make the occurrence doubtful, it lowers the grade only when several fields are disputed.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from sitroom.errors import ConfigError
from sitroom.models import Article, Contradiction, OutletGrade

RELIABILITY_GRADES = "ABCDEF"
UNJUDGED = "F"
# Three independent reports of one event make it confirmed even from unjudged outlets:
# two could still share an unseen common origin (a press release, one Telegram post).
CONFIRMING_SOURCES = 3
IMPROBABLE = 5  # the grade of an event a report denies, against fewer than CONFIRMING_SOURCES
_COLUMNS = ("outlet", "domains", "reliability", "country", "group", "notes")


@dataclass(frozen=True)
class Outlet:
    """One row of the outlet table."""

    name: str
    domains: tuple[str, ...]
    reliability: str
    country: str | None = None
    group: str | None = None
    notes: str = ""


@dataclass(frozen=True)
class OutletTable:
    """The outlet reliability table with look-ups by outlet name and by URL domain."""

    outlets: tuple[Outlet, ...]

    @functools.cached_property
    def _by_name(self) -> dict[str, Outlet]:
        by_name: dict[str, Outlet] = {}
        for row in self.outlets:
            by_name.setdefault(row.name.casefold(), row)  # the first row of a name wins
        return by_name

    @functools.cached_property
    def _by_domain(self) -> dict[str, int]:
        """Domain -> index of the first row listing it."""
        by_domain: dict[str, int] = {}
        for index, row in enumerate(self.outlets):
            for domain in row.domains:
                by_domain.setdefault(domain, index)
        return by_domain

    @functools.cached_property
    def _found(self) -> dict[tuple[str | None, str | None], Outlet | None]:
        return {}

    def find(self, outlet: str | None, url: str | None = None) -> Outlet | None:
        """The row for an outlet name (case-insensitive) or, failing that, a URL's domain (or
        a domain it is a subdomain of; of several rows that match, the first in the table)."""
        key = (outlet, url)
        if key not in self._found:
            if len(self._found) >= 100_000:
                self._found.clear()
            self._found[key] = self._find(outlet, url)
        return self._found[key]

    def _find(self, outlet: str | None, url: str | None) -> Outlet | None:
        if outlet and (row := self._by_name.get(outlet.strip().casefold())) is not None:
            return row
        host = domain_of(url)
        if not host:
            return None
        labels = host.split(".")
        found = [
            i for k in range(len(labels)) if (i := self._by_domain.get(".".join(labels[k:]))) is not None
        ]
        return self.outlets[min(found)] if found else None

    def reliability(self, article: Article) -> str:
        """The article outlet's reliability letter (F when the outlet is unknown)."""
        row = self.find(article.outlet, article.url)
        return row.reliability if row else UNJUDGED

    def source_key(self, article: Article) -> str | None:
        """Who stands behind an article: its syndication group, else its outlet, else its domain."""
        row = self.find(article.outlet, article.url)
        if row:
            return "group:" + (row.group or row.name).casefold()
        if article.outlet:
            return "outlet:" + article.outlet.strip().casefold()
        host = domain_of(article.url)
        return "domain:" + host if host else None

    def display_name(self, article: Article) -> str | None:
        """The outlet's name as the table spells it, else as the article gives it, else its domain."""
        row = self.find(article.outlet, article.url)
        if row:
            return row.name
        return article.outlet or domain_of(article.url)


def domain_of(url: str | None) -> str | None:
    """Lower-case host of a URL without a leading "www."."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def parse_outlets(text: str, origin: str = "outlets.tsv") -> OutletTable:
    """Parse the tab-separated outlet table (``#`` lines are comments, then a header row)."""
    rows: list[Outlet] = []
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if not header_seen:
            if tuple(cells[: len(_COLUMNS)]) != _COLUMNS:
                raise ConfigError(
                    f"{origin}:{number}: the header must be {' '.join(_COLUMNS)} (tab-separated)"
                )
            header_seen = True
            continue
        cells += [""] * (len(_COLUMNS) - len(cells))
        name, domains, grade, country, group, notes = cells[: len(_COLUMNS)]
        grade = (grade or UNJUDGED).upper()
        if not name or len(grade) != 1 or grade not in RELIABILITY_GRADES:
            raise ConfigError(
                f"{origin}:{number}: need an outlet name and a reliability letter A-F, got {name!r} {grade!r}"
            )
        rows.append(
            Outlet(
                name=name,
                domains=tuple(
                    d.strip().lower().removeprefix("www.") for d in domains.split(",") if d.strip()
                ),
                reliability=grade,
                country=country or None,
                group=group or None,
                notes=notes,
            )
        )
    return OutletTable(tuple(rows))


@functools.lru_cache(maxsize=8)
def load_outlets(path: Path | None = None) -> OutletTable:
    """The outlet table from ``path``, or the one sitroom ships when ``path`` is None."""
    if path is None:
        text = resources.files("sitroom").joinpath("data/outlets.tsv").read_text(encoding="utf-8")
        return parse_outlets(text, "sitroom/data/outlets.tsv")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot read the outlet table ({exc}); fix the path or remove the setting"
        ) from exc
    return parse_outlets(text, str(path))


def grade_credibility(
    *,
    independent_sources: int,
    reliabilities: Sequence[str],
    all_hedged: bool,
    contradictions: Sequence[Contradiction],
    denied: bool = False,
    all_hypothetical: bool = False,
) -> int:
    """Admiralty information credibility 1-6 of one event (rules in the module docstring).

    ``reliabilities`` holds the best outlet letter of each independent source.
    """
    if independent_sources == 0 or all_hypothetical:
        return 6
    if denied and independent_sources < CONFIRMING_SOURCES:
        return IMPROBABLE
    best = min(reliabilities, default=UNJUDGED)
    if independent_sources >= 2:
        disputed = {contradiction.field for contradiction in contradictions if contradiction.disputed}
        trusted = best in "ABC"
        if not disputed and not all_hedged and (independent_sources >= CONFIRMING_SOURCES or trusted):
            return 1
        return 2 if len(disputed) <= 1 else 3
    if all_hedged or best in "DE":
        return 4
    return 2 if best in "AB" else 3


def credibility_basis(
    sources: Sequence[Sequence[str]],
    *,
    all_hedged: bool = False,
    denied: bool = False,
    contradictions: Sequence[Contradiction] = (),
) -> str:
    """What a grade rests on, in words: "single source: Demo Wire", "2 independent sources:
    Anadolu Agency / Daily Sabah, Reuters; disputed: dead". ``sources`` holds the outlet
    names of each independent source (a wire copy and its twins are one source)."""
    names = ", ".join(" / ".join(outlets) or "unnamed outlet" for outlets in sources)
    if not sources:
        parts = ["no report"]
    elif len(sources) == 1:
        parts = [f"single source: {names}"]
    else:
        parts = [f"{len(sources)} independent sources: {names}"]
    if all_hedged:
        parts.append("every report hedged")
    if denied:
        parts.append("a report denies it")
    disputed = [c.field for c in contradictions if c.disputed]
    if disputed:
        parts.append("disputed: " + ", ".join(disputed))
    return "; ".join(parts)


def _overlay(value: str | None, kept: str | None) -> str | None:
    """A stored field over the table's: None keeps the table's value, "" clears it."""
    return kept if value is None else value or None


def merge_outlets(table: OutletTable, grades: Sequence[OutletGrade]) -> OutletTable:
    """The outlet table with the stored grades over it: the store wins. A grade replaces the
    row of the same name (any case) field by field, or is added after the table's rows."""
    rows = list(table.outlets)
    for grade in grades:
        wanted = grade.name.strip().casefold()
        at = next((n for n, row in enumerate(rows) if row.name.casefold() == wanted), None)
        base = rows[at] if at is not None else Outlet(grade.name, (), UNJUDGED)
        merged = Outlet(
            name=grade.name,
            domains=grade.domains or base.domains,
            reliability=grade.reliability,
            country=_overlay(grade.country, base.country),
            group=_overlay(grade.group, base.group),
            notes=base.notes if grade.notes is None else grade.notes,
        )
        if at is None:
            rows.append(merged)
        else:
            rows[at] = merged
    return OutletTable(tuple(rows))
