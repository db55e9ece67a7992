"""Death tolls: each event once, at its lowest credible figure; totals leave out what did not happen."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from sitroom.corroborate.clusters import cluster_mentions
from sitroom.corroborate.tolls import event_toll, is_background, total_dead
from sitroom.models import Count, EventCluster

PUBLISHED = {"a1-aa": date(2026, 1, 5), "a4-reuters": date(2026, 1, 5)}


def test_one_event_counts_once_at_its_lowest_figure(articles, corpus):
    reports = [
        corpus.make_mention("x1", articles["a1-aa"], dead=Count(7, None, "at least seven")),
        corpus.make_mention("x2", articles["a4-reuters"], dead=Count(9, 9, "nine")),
    ]
    assert event_toll(reports, PUBLISHED) == (Count(7, 9, "7+ / 9"), "")


def test_an_absurd_figure_is_left_out(articles, corpus):
    """ "Plague has killed millions" was read as 1,000,000 dead of one event."""
    reports = [
        corpus.make_mention("x1", articles["a1-aa"], dead=Count(1_000_000, None, "millions")),
        corpus.make_mention("x2", articles["a4-reuters"], dead=Count(3, 3, "three")),
    ]
    assert event_toll(reports, PUBLISHED) == (Count(3, 3, "3"), "")
    assert event_toll(reports[:1], PUBLISHED) == (None, "")


@pytest.mark.parametrize(
    ("change", "reason", "counted"),
    [
        ({"status": "planned"}, "planned", False),
        ({"status": "denied"}, "denied", False),
        # "so far this year" (issue 19: a year is news unless more than a year back): the event
        # counts, its figure, a year's tally, does not
        ({"date": date(2025, 1, 1), "date_precision": "year"}, "", False),
        ({"date": date(2024, 1, 1), "date_precision": "year"}, "background", False),
        ({"date": date(1990, 1, 1), "date_precision": "decade"}, "background", False),
        ({"date": date(2024, 10, 1)}, "background", False),  # over a year before the article
        ({"date": date(2025, 10, 1)}, "", True),  # months before: a late report of the event, counted
        ({"date": date(2026, 1, 3)}, "", True),
    ],
)
def test_what_did_not_happen_today_is_not_counted(articles, corpus, change, reason, counted):
    report = replace(corpus.make_mention("x1", articles["a1-aa"], dead=Count(5, 5, "five")), **change)
    dead, not_counted = event_toll([report], PUBLISHED)
    assert not_counted == reason
    assert (dead is not None) is counted


def test_is_background_needs_a_date(articles, corpus):
    assert not is_background(corpus.make_mention("x1", articles["a1-aa"], when=None), date(2026, 1, 5))


def test_a_denial_outweighing_the_sources_leaves_the_event_out(articles, corpus):
    report = corpus.make_mention("x1", articles["a1-aa"], dead=Count(5, 5, "five"))
    assert event_toll([report], PUBLISHED, improbable=True) == (None, "denied")


def test_totals_count_each_cluster_once_and_skip_the_uncounted():
    seven = EventCluster("ev-1", ("m1", "m2"), 2, dead=Count(7, 9, "7+ / 9"))
    clusters = [
        seven,
        seven,  # the same event reached through its second report
        EventCluster("ev-2", ("m3",), 1, dead=Count(2, 2, "2")),
        EventCluster("ev-3", ("m4",), 1),
        EventCluster("ev-4", ("m5",), 1, not_counted="background"),
    ]
    total = total_dead(clusters)
    assert (total.dead, total.high, total.events, total.with_figures) == (9, 11, 3, 2)
    assert total.left_out == {"background": 1}


def test_clusters_carry_their_toll(mentions, articles):
    clusters = {c.mention_ids: c for c in cluster_mentions(mentions, articles)}
    bombing = clusters[("m1", "m2", "m3", "m4", "m6")]  # 7, 7, 7+, 9, 7
    assert (bombing.dead, bombing.not_counted) == (Count(7, 9, "7 / 7+ / 9"), "")


@pytest.mark.parametrize("source", ["report", "capture"])
def test_a_date_inferred_from_the_report_is_never_background(articles, corpus, source):
    report = replace(
        corpus.make_mention("x1", articles["a1-aa"], when=date(2024, 1, 5)),
        date_precision="week",
        date_source=source,
    )
    assert not is_background(report, date(2026, 1, 5))
