"""Follower latency: from an item's appearance in a feed to its event served by the API.

    .venv/bin/python bench/follow_latency.py [--feeds 200] [--items 20] [--interval 60]
        [--duration 300] [--every 15] [--changing 0.1]

Serves ``--feeds`` local RSS feeds (loopback) of ``--items`` reports each, and runs the API
with the follower beside it in this process (``sitroom serve --follow``, every source
polled each ``--interval`` seconds, no spacing between requests: one host serves them all).
Once the first poll has ingested every report (the warm-up, timed apart), a share
``--changing`` of the feeds gains a new report every ``--every`` seconds for ``--duration``
seconds, and a client asks the API every half second whether each new report's article and
event are served yet (``GET /api/articles?outlet=``, ``GET /api/events?article_id=``).

Prints: the delay from appearance to the article and to its first event served (median,
p95; target p95 under the interval + 10 s), the feed requests of the measured phase and how
many carried a body (target: only feeds that changed since their last poll), the CPU
seconds of the follower's thread (fetching, parsing, NLP, storing, watches) and the
process's peak RSS (API and follower together). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.follow.feeds import Feed, FeedServer, feed_server  # noqa: E402

from sitroom.api import create_app  # noqa: E402
from sitroom.config import Settings  # noqa: E402
from sitroom.follow.background import follow_options, load_sources_file  # noqa: E402
from sitroom.follow.follower import Follower  # noqa: E402
from sitroom.pipeline import Sitroom  # noqa: E402


@dataclass
class Pending:
    feed: str
    url: str
    appeared: float
    article_at: float | None = None
    event_at: float | None = None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def outlet_of(name: str) -> str:
    return f"Feed {name}"


def serve_api(sitroom: Sitroom) -> tuple[uvicorn.Server, str]:
    config = uvicorn.Config(create_app(sitroom), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


def probe(api: httpx.Client, pending: list[Pending], lock: threading.Lock, stop: threading.Event) -> None:
    """Ask the API, twice a second, which new reports' articles and events it serves."""
    while not stop.is_set():
        with lock:
            waiting = [p for p in pending if p.event_at is None]
        for feed in {p.feed for p in waiting}:
            rows = api.get("/api/articles", params={"outlet": outlet_of(feed), "limit": 1000}).json()[
                "articles"
            ]
            ids = {row["url"]: row["id"] for row in rows}
            for item in (p for p in waiting if p.feed == feed and p.url in ids):
                now = time.monotonic()
                item.article_at = item.article_at or now
                if api.get("/api/events", params={"article_id": ids[item.url]}).json()["events"]:
                    item.event_at = now
        stop.wait(0.5)


def owed_bodies(feeds: FeedServer, changed_since: set[str], last_counts: dict[str, int]) -> int:
    """How many feeds that changed since their last poll were polled since the last look."""
    owed = 0
    with feeds.lock:
        for name in list(changed_since):
            if feeds.requests[f"/feed/{name}.xml"] > last_counts[name]:
                owed += 1
                changed_since.discard(name)
    return owed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=20, help="reports in each feed at the start")
    parser.add_argument("--interval", type=int, default=60, help="seconds between two polls of a feed")
    parser.add_argument("--duration", type=float, default=300, help="seconds during which reports appear")
    parser.add_argument("--every", type=float, default=15, help="seconds between two waves of new reports")
    parser.add_argument("--changing", type=float, default=0.1, help="share of the feeds changed in a wave")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    names = [f"{i:03d}" for i in range(args.feeds)]

    with feed_server() as feeds, tempfile.TemporaryDirectory(prefix="sitroom-follow-bench-") as tmp:
        for name in names:
            feeds.feeds[name] = Feed(items=list(range(1, args.items + 1)))
        listed = Path(tmp) / "sources.txt"
        listed.write_text("".join(f"{feeds.url(n)} {args.interval} {outlet_of(n)}\n" for n in names))
        sitroom = Sitroom(Settings(db=f"sqlite:///{tmp}/bench.db", allow_private=True, follow_host_spacing=0))
        t0 = time.monotonic()
        sitroom.resources  # noqa: B018  (loaded before the clock of the warm-up starts)
        print(f"resources loaded in {time.monotonic() - t0:.1f} s", flush=True)
        load_sources_file(sitroom, listed)
        follower = Follower(sitroom, follow_options(sitroom))
        cpu: dict[str, float] = {}

        def follow() -> None:
            follower.run()
            cpu["follower"] = time.thread_time()

        server, base = serve_api(sitroom)
        api = httpx.Client(base_url=base, timeout=30)
        started = time.monotonic()
        thread = threading.Thread(target=follow, name="follower")
        thread.start()
        total = args.feeds * args.items
        while sum(s["articles_stored"] for s in api.get("/api/sources").json()["sources"]) < total:
            time.sleep(1)
        warm = time.monotonic() - started
        print(
            f"warm-up: {total} reports of {args.feeds} feeds ingested in {warm:.1f} s ({total / warm:.1f}/s)",
            flush=True,
        )

        before = (sum(feeds.requests[f"/feed/{n}.xml"] for n in names), sum(feeds.not_modified.values()))
        pending: list[Pending] = []
        lock = threading.Lock()
        stop_probe = threading.Event()
        prober = threading.Thread(target=probe, args=(api, pending, lock, stop_probe))
        prober.start()
        changed_polls = 0  # polls that found a feed changed since the poll before (the bodies owed)
        changed_since: set[str] = set()  # feeds changed and not polled since
        phase_end = time.monotonic() + args.duration
        next_wave = time.monotonic()
        last_counts = {n: feeds.requests[f"/feed/{n}.xml"] for n in names}
        while time.monotonic() < phase_end:
            if time.monotonic() >= next_wave:
                with feeds.lock, lock:
                    for name in rng.sample(names, max(1, round(args.changing * args.feeds))):
                        number = feeds.feeds[name].items[-1] + 1
                        feeds.feeds[name].items.append(number)
                        pending.append(
                            Pending(name, f"{feeds.base}/page/{name}/{number}.html", time.monotonic())
                        )
                        if name not in changed_since:  # a body is owed by its next poll, not by one before
                            changed_since.add(name)
                            last_counts[name] = feeds.requests[f"/feed/{name}.xml"]
                next_wave += args.every
            changed_polls += owed_bodies(feeds, changed_since, last_counts)
            time.sleep(0.1)
        drain = time.monotonic() + args.interval + 60
        while time.monotonic() < drain and any(p.event_at is None for p in pending):
            changed_polls += owed_bodies(feeds, changed_since, last_counts)
            time.sleep(0.1)
        time.sleep(2)  # the prober's last look
        stop_probe.set()
        prober.join()
        polls = sum(feeds.requests[f"/feed/{n}.xml"] for n in names) - before[0]
        not_modified = sum(feeds.not_modified.values()) - before[1]
        follower.stop.set()
        thread.join()
        server.should_exit = True
        elapsed = time.monotonic() - started

    articles = [p.article_at - p.appeared for p in pending if p.article_at]
    events = [p.event_at - p.appeared for p in pending if p.event_at]
    figures: dict[str, Any] = {
        "feeds": args.feeds,
        "items_per_feed": args.items,
        "interval_s": args.interval,
        "warmup_s": round(warm, 1),
        "new_reports": len(pending),
        "articles_served": len(articles),
        "events_served": len(events),
        "article_median_s": round(statistics.median(articles), 1) if articles else None,
        "article_p95_s": round(percentile(articles, 0.95), 1) if articles else None,
        "event_median_s": round(statistics.median(events), 1) if events else None,
        "event_p95_s": round(percentile(events, 0.95), 1) if events else None,
        "target_p95_s": args.interval + 10,
        "feed_requests": polls,
        "not_modified": not_modified,
        "bodies": polls - not_modified,
        "changed_polls": changed_polls,
        "follower_cpu_s": round(cpu.get("follower", 0.0), 1),
        "elapsed_s": round(elapsed, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(
        f"{len(pending)} new reports: article served after median {figures['article_median_s']} s, "
        f"p95 {figures['article_p95_s']} s; event served ({len(events)} of them) after median "
        f"{figures['event_median_s']} s, p95 {figures['event_p95_s']} s (target p95 < {args.interval + 10} s)"
    )
    print(
        f"measured phase: {polls} feed requests, {not_modified} answered 304, {polls - not_modified} with a "
        f"body, for {changed_polls} polls of a feed changed since its last poll"
    )
    print(
        f"follower thread: {figures['follower_cpu_s']} CPU s over {elapsed:.0f} s; process peak RSS "
        f"{figures['peak_rss_mb']} MB (API and follower)"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
