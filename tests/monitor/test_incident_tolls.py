"""An incident's dead leave out a figure no single event has, as the header's totals do."""

from __future__ import annotations

from sitroom.models import Count
from sitroom.monitor.incidents import load_incidents
from sitroom.store import Store
from tests.monitor.builders import cluster, store_mentions


def test_a_misread_million_is_no_incident_toll(store: Store) -> None:
    """ "Plague has killed millions" was read as 1,000,000 dead and charted as fatalities."""
    history, attack, other = store_mentions(
        store,
        [
            {"dead": Count(1_000_000, None, "millions"), "status": "occurred"},
            {"dead": Count(3, 3, "three"), "status": "occurred", "outlet": "Frontline Monitor"},
            {"dead": Count(1_000_000, None, "millions"), "status": "occurred", "outlet": "Other Desk"},
        ],
    )
    store.write_clusters([cluster("c1", [history, attack])])
    incidents = {i.id: i for i in load_incidents(store)}
    assert incidents["c1"].dead == 3
    assert incidents[other.id].dead is None
