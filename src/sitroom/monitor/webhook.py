"""Posting alerts to the configured webhook (``Settings.webhook_url``) as JSON.

One POST per alert, body :meth:`Alert.record` plus ``"type": "sitroom.alert"``. A 2xx answer
delivers it; anything else (refused connection, timeout, an error status) is recorded on the
alert (tries and last error) and never stops the run: the alert is tried again next time, up
to :data:`~sitroom.monitor.alerts.MAX_ATTEMPTS` tries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import httpx

from sitroom.monitor.alerts import record_delivery, undelivered_alerts
from sitroom.monitor.watches import Alert
from sitroom.store import Store

DEFAULT_TIMEOUT = 10.0
USER_AGENT = "sitroom-alerts/0.1"


@dataclass(frozen=True)
class Delivery:
    """What one POST of one alert did."""

    key: str
    ok: bool
    status: int | None
    error: str | None


def alert_payload(alert: Alert) -> dict[str, object]:
    return {"type": "sitroom.alert", **alert.record()}


def post_alerts(
    alerts: Sequence[Alert], url: str, *, timeout: float = DEFAULT_TIMEOUT, client: httpx.Client | None = None
) -> list[Delivery]:
    """POST each alert to ``url``; failures are returned, not raised."""
    own = client is None
    http = client or httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=False)
    deliveries = []
    try:
        for alert in alerts:
            try:
                response = http.post(url, json=alert_payload(alert))
            except httpx.HTTPError as exc:
                deliveries.append(Delivery(alert.key, False, None, f"{exc.__class__.__name__}: {exc}"))
                continue
            ok = response.is_success
            error = None if ok else f"HTTP {response.status_code} {response.reason_phrase}".strip()
            deliveries.append(Delivery(alert.key, ok, response.status_code, error))
    finally:
        if own:
            http.close()
    return deliveries


def deliver_alerts(
    store: Store, url: str, now: datetime, *, timeout: float = DEFAULT_TIMEOUT
) -> list[Delivery]:
    """Post every undelivered alert (oldest first) and record each try in the store."""
    deliveries = post_alerts(undelivered_alerts(store), url, timeout=timeout)
    for delivery in deliveries:
        record_delivery(store, delivery.key, now, delivery.error)
    return deliveries
