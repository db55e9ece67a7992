"""Alerts as an Atom feed (RFC 4287), for feed readers and for ``GET`` by other tools.

Entry ids are ``urn:uuid:`` names derived from the alert key (UUID version 5), so an alert
keeps its id across runs and readers show it once.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from sitroom.monitor.watches import Alert

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "sitroom:alerts"))


def _moment(value: str | None, fallback: datetime) -> str:
    moment = datetime.fromisoformat(value) if value else fallback
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def entry_id(alert: Alert) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"sitroom:alert:{alert.key}"))


def render_atom(
    alerts: Sequence[Alert],
    *,
    updated: datetime,
    title: str = "sitroom alerts",
    self_url: str | None = None,
    event_url: str | None = None,
) -> str:
    """The Atom document of ``alerts`` (newest first as given). ``updated`` dates the feed
    when no alert is older than it; ``event_url`` (with ``{id}``) links each incident."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", FEED_ID)
    sub(feed, "title", title)
    newest = max((_moment(a.created_at, updated) for a in alerts), default=_moment(None, updated))
    sub(feed, "updated", newest)
    author = sub(feed, "author")
    sub(author, "name", "sitroom")
    sub(feed, "generator", "sitroom")
    if self_url:
        sub(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    for alert in alerts:
        entry = sub(feed, "entry")
        sub(entry, "id", entry_id(alert))
        sub(entry, "title", alert.title)
        sub(entry, "updated", _moment(alert.created_at, updated))
        sub(entry, "category", term=alert.kind)
        sub(entry, "category", term=f"watch:{alert.watch}")
        lines = [
            f"Watch {alert.watch}: {alert.count} event(s) from {alert.window_start} to {alert.window_end} "
            f"(threshold {alert.threshold}).",
        ]
        if alert.places:
            lines.append(f"Places: {', '.join(alert.places)}.")
        if alert.event_ids:
            lines.append(f"Events: {', '.join(alert.event_ids)}.")
        sub(entry, "summary", " ".join(lines), type="text")
        if event_url:
            for event_id in alert.event_ids:
                sub(entry, "link", rel="related", href=event_url.format(id=event_id))
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
