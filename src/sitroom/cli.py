"""The ``sitroom`` command line: a thin edge over :class:`sitroom.pipeline.Sitroom`.

Exit status: 0 all went well, 1 some items failed (each reported on stderr), 2 usage or
configuration error (a bad ``--db`` URL, an unreachable store, no store where a command only
reads). Domain errors become one-line messages here, once. Only commands that write
(ingest, demo, recluster, serve, watch add) make a store where there is none.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from sitroom.config import Settings, load_settings
from sitroom.errors import (
    ConfigError,
    EvalError,
    FilterError,
    SitroomError,
    SourceError,
    StoreError,
    StoreOpenError,
)
from sitroom.evaluation import STAGES, evaluator
from sitroom.exports import EXPORT_FORMATS, write_export
from sitroom.pipeline import IngestReport, Sitroom
from sitroom.records import article_record
from sitroom.store.events import Group
from sitroom.store.filters import STATUSES, EventFilter
from sitroom.store.store import ArticleFilter

DEMO_CORPUS = Path(__file__).parent / "data" / "demo"

db_option = click.option(
    "--db",
    metavar="URL",
    help="SQLAlchemy URL of the store (default: $SITROOM_DB, else ~/.local/share/sitroom/sitroom.db).",
)


class ExitCode:
    OK = 0
    ITEMS_FAILED = 1
    USAGE = 2


def _fail(message: str, code: int) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


@contextmanager
def _edge() -> Iterator[None]:
    """Turn domain errors into a one-line message and the documented exit status."""
    try:
        yield
    except (ConfigError, SourceError, EvalError, StoreOpenError) as exc:
        _fail(exc.message, ExitCode.USAGE)
    except StoreError as exc:
        _fail(exc.message, ExitCode.ITEMS_FAILED)
    except SitroomError as exc:
        _fail(exc.message, ExitCode.ITEMS_FAILED)


def _app(ctx: click.Context, *, writes: bool = False, **overrides: Any) -> Sitroom:
    """The composition root for a command; only a command that ``writes`` makes a store where
    there is none (a typo in ``--db`` of a read says so instead of making an empty one)."""
    base: Settings = ctx.obj
    with _edge():
        return Sitroom(base.with_overrides(overrides), create_store=writes)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="sitroom")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """sitroom: turn conflict news reports into a sourced, up-to-date situation picture.

    Settings come from ~/.config/sitroom/config.toml (or $SITROOM_CONFIG), then SITROOM_*
    environment variables, then flags. See docs/configuration.md.
    """
    with _edge():
        ctx.obj = load_settings()


@contextmanager
def _progress(quiet: bool, total: int | None, console: Any = None) -> Iterator[Callable[[int], None] | None]:
    """A progress line on stderr (a terminal's only) advanced as each item is done: a bar with
    the count and the time left where the ``total`` is known, a running count otherwise."""
    from rich.console import Console

    console = console or Console(stderr=True)
    if quiet or not console.is_terminal:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    known = [BarColumn(), MofNCompleteColumn(), TextColumn("item(s)"), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn()]  # fmt: skip
    unknown = [SpinnerColumn(), TextColumn("{task.completed} item(s)"), TimeElapsedColumn()]
    columns = known if total is not None else unknown
    with Progress(TextColumn("{task.description}"), *columns, console=console, transient=True) as bar:
        # until the first item is done: loading the language models, clustering what is pending
        task = bar.add_task("starting", total=total)
        yield lambda n: bar.update(task, advance=n, description="ingesting")


def _report(report: IngestReport, quiet: bool) -> int:
    for line in report.errors:
        click.echo(line, err=True)
    if not quiet:
        click.echo(report.summary(), err=True)
    return ExitCode.ITEMS_FAILED if report.rejected else ExitCode.OK


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@db_option
@click.option(
    "--allow-private", is_flag=True, default=None, help="Allow URLs on loopback/private/link-local addresses."
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary line.")
@click.option(
    "--workers", type=click.IntRange(min=1), help="Local processes for extraction and NLP (default 1)."
)
@click.option(
    "--scheduler", metavar="URL", help="Run extraction and NLP on this Dask scheduler (tcp://HOST:PORT)."
)
@click.pass_context
def ingest(
    ctx: click.Context,
    sources: tuple[str, ...],
    db: str | None,
    allow_private: bool | None,
    quiet: bool,
    workers: int | None,
    scheduler: str | None,
) -> None:
    """Ingest news reports: files, folders, .jsonl, '-' (JSONL on stdin), URLs, RSS/Atom feeds.

    SOURCE is a .html/.htm/.html.gz/.txt file, a folder (read recursively), a .jsonl file
    (one object a line with "url" and "html" or "text", optional "published", "outlet",
    "title"), '-' for JSONL on standard input, an http(s) URL of a page or of an RSS/Atom
    feed, or a local .rss/.atom/.xml feed. Each rejected item is reported on stderr and
    recorded in the store; the batch goes on. Exit status 1 when any item was rejected.
    """
    from sitroom.ingest.sources import count_items

    app = _app(ctx, writes=True, db=db, allow_private=allow_private, workers=workers, scheduler=scheduler)
    total = count_items(sources, app.settings.max_bytes) if not quiet and sys.stderr.isatty() else None
    with _edge(), _progress(quiet, total) as progress:
        report = app.ingest(sources, stdin=sys.stdin.buffer if "-" in sources else None, progress=progress)
    sys.exit(_report(report, quiet))


@cli.command()
@click.argument("ids", nargs=-1)
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.option("--outlet", help="Only articles from this outlet.")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True)
@click.pass_context
def articles(
    ctx: click.Context,
    ids: tuple[str, ...],
    db: str | None,
    fmt: str,
    outlet: str | None,
    limit: int,
    offset: int,
) -> None:
    """List stored articles, newest first, or show the articles named by IDS in full."""
    app = _app(ctx, db=db)
    with _edge():
        if ids:
            found = [app.store.article(i) for i in ids]
            missing = [i for i, a in zip(ids, found, strict=True) if a is None]
            for article in (a for a in found if a is not None):
                if fmt == "jsonl":
                    click.echo(json.dumps(article_record(article), ensure_ascii=False))
                else:
                    _show_article(app, article.id)
            for i in missing:
                click.echo(f"Error: no article with id {i!r}", err=True)
            sys.exit(ExitCode.ITEMS_FAILED if missing else ExitCode.OK)
        rows = app.store.articles(ArticleFilter(outlet=outlet, limit=limit, offset=offset))
        if fmt == "jsonl":
            for article in rows:
                click.echo(json.dumps(article_record(article), ensure_ascii=False))
            return
        from rich.console import Console
        from rich.table import Table

        table = Table("id", "published", "outlet", "title", "words", box=None)
        for article in rows:
            table.add_row(
                article.id,
                (article.published or "")[:16],
                article.outlet or "",
                (article.title or "")[:70],
                str(len(article.text.split())),
            )
        Console(width=160).print(table)


def _show_article(app: Sitroom, article_id: str) -> None:
    article = app.store.article(article_id)
    assert article is not None
    click.echo(f"{article.title or '(no title)'}")
    click.echo(f"id: {article.id}  outlet: {article.outlet or '-'}  published: {article.published or '-'}")
    click.echo(f"url: {article.url or '-'}  canonical: {article.canonical_url or '-'}")
    click.echo(f"sha256(text): {article.sha256}  sha256(raw): {article.raw_sha256}")
    click.echo(
        f"captured: {article.captured_at.isoformat()}  from: {article.origin}  extractor: {article.extractor}"
    )
    for sighting in app.store.sightings(article.id)[1:]:
        click.echo(f"also seen: {sighting.url or sighting.origin} ({sighting.outlet or '-'})")
    click.echo("")
    click.echo(article.text)


@cli.command()
@db_option
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@click.pass_context
def rejections(ctx: click.Context, db: str | None, limit: int) -> None:
    """List inputs that were rejected, with the reason recorded for each."""
    app = _app(ctx, db=db)
    with _edge():
        for item in app.store.rejections(limit):
            click.echo(f"{item.captured_at.isoformat()}  [{item.code}]  {item.reason}")


@cli.command()
@db_option
@click.pass_context
def recluster(ctx: click.Context, db: str | None) -> None:
    """Recompute every event cluster from all stored mentions (ingest updates them incrementally)."""
    from sitroom.corroborate.update import recluster_all

    app = _app(ctx, writes=True, db=db)
    with _edge():
        count = recluster_all(app.store, app.outlets)
    click.echo(f"{count} cluster(s) written", err=True)


@cli.command()
@db_option
@click.option(
    "--quiet", "-q", is_flag=True, help="Only errors and one summary line: no progress, no article list."
)
@click.option("--no-serve", is_flag=True, help="Only ingest and list; do not serve the dashboard.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address the dashboard listens on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.pass_context
def demo(ctx: click.Context, db: str | None, quiet: bool, no_serve: bool, host: str, port: int) -> None:
    """Ingest the bundled demo corpus (the seed report and invented example reports), list it,
    then serve the dashboard on localhost (until Ctrl-C; --no-serve to skip)."""
    from sitroom.ingest.sources import count_items

    app = _app(ctx, writes=True, db=db)
    total = count_items([str(DEMO_CORPUS)], app.settings.max_bytes)
    with _edge(), _progress(quiet, total) as progress:
        report = app.ingest([str(DEMO_CORPUS)], progress=progress)
    status = _report(report, quiet=False)
    if not quiet:
        ctx.invoke(articles, db=db)
    if not no_serve:
        _serve(app, host, port)
    sys.exit(status)


def _event_filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The event filters shared by ``events`` and ``export`` (those of ``GET /api/events``),
    taken as typed and checked by :class:`EventFilter` itself (:func:`_event_filter`)."""
    from sitroom.models import CIVILIAN_PROTECTION_KINDS, PLOVER_TYPES
    from sitroom.review import REVIEW_STATES
    from sitroom.store.filters import BACKGROUND_CHOICES

    options = [
        click.option(
            "--place",
            help="Place name (any spelling, accents optional, alternate names: Halab), admin1 name, ISO3 code or country name.",
        ),
        click.option("--bbox", metavar="W,S,E,N", help="Bounding box: min_lon,min_lat,max_lon,max_lat."),
        click.option("--actor", help="Actor name or text (substring; case, accents, punctuation ignored)."),
        click.option(
            "--query",
            "q",
            metavar="TEXT",
            help='Full-text search of sentences, actors, places, outlets, titles: words, "a phrase", prefix*.',
        ),
        click.option(
            "--type", "event_type", help=f"PLOVER event type (any case): {', '.join(PLOVER_TYPES)}."
        ),
        click.option("--status", help=f"Status of the reported event: {', '.join(STATUSES)}."),
        click.option("--since", metavar="YYYY-MM-DD", help="First event date."),
        click.option("--until", metavar="YYYY-MM-DD", help="Last event date."),
        click.option("--min-sources", metavar="N", help="Minimum independent sources (1 or more)."),
        click.option(
            "--civilian-protection",
            help=f"Civilian-protection kind: {', '.join(CIVILIAN_PROTECTION_KINDS)}.",
        ),
        click.option(
            "--review",
            help=f"Review status: {', '.join(REVIEW_STATES)} (without it, every event but the dismissed).",
        ),
        click.option(
            "--background",
            type=click.Choice(BACKGROUND_CHOICES),
            help="Events dated more than a year before their report (history, not news): "
            "exclude (default), include or only.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


# the option of each filter field whose name is not the field's
_FILTER_OPTIONS = {"event_type": "--type", "q": "--query"}


def _event_filter(filters: dict[str, Any], limit: int = 100) -> EventFilter:
    """The filter of the options, or a usage error (exit 2) naming the option and its valid values."""
    try:
        return replace(EventFilter.parse(filters), limit=limit)
    except FilterError as exc:
        option = _FILTER_OPTIONS.get(exc.name, "--" + exc.name.replace("_", "-"))
        raise click.BadParameter(exc.detail, param_hint=f"'{option}'") from None


@cli.command()
@db_option
@_event_filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True, help="Most rows shown.")
@click.option(
    "--per-report",
    is_flag=True,
    help="One line per report of an event (default: one per event, the matching report standing for it, "
    "with how many of its reports match; jsonl: their ids in report_ids).",
)
@click.pass_context
def events(
    ctx: click.Context, db: str | None, fmt: str, limit: int, per_report: bool, **filters: Any
) -> None:
    """List events (one line per event, or per report with --per-report), newest first, filtered."""
    app = _app(ctx, db=db)
    flt = _event_filter(filters, limit)
    group: Group = "report" if per_report else "event"
    with _edge():
        records = app.store.events(flt, group).records
    if fmt == "jsonl":
        for record in records:
            click.echo(json.dumps(record, ensure_ascii=False))
        return
    from rich.console import Console

    console = Console()
    console.print(events_table(records, console.width))
    total = app.store.count_events(flt, group) if len(records) == flt.limit else len(records)
    shown = f"{len(records)} of {total}" if total > len(records) else str(total)
    more = "; --limit or the filters for the others" if total > len(records) else ""
    what = "report(s) of events" if per_report else "event(s)"
    history = ""
    if flt.background == "exclude":
        left_out = app.store.count_events(replace(flt, background="only"), group)
        history = f"; {left_out} background (history) left out: --background include" if left_out else ""
    click.echo(f"{shown} {what}, newest first{more}{history}; 'sitroom show ID' for one in full", err=True)


# Where every column of 'sitroom events' fits on one line with this many characters of the
# evidence left (about 150 columns), it does; else the type, status and evidence share a column
# (the evidence's start on two lines) and the parties and speakers are left out ('sitroom show'
# has them): 80 columns hold id, date, place, dead and sources whole and 24 characters a line.
WIDE_EVIDENCE = 40
EVIDENCE_LINES = 2


def events_table(records: list[dict[str, Any]], width: int) -> Any:
    """The rich table of event records for a terminal ``width`` columns wide."""
    import textwrap

    from rich.table import Table

    from sitroom.describe import (
        count_label,
        date_label,
        evidence_start,
        parties_label,
        status_label,
        type_label,
    )

    rows = [
        {
            "id": r["id"],
            "date": date_label(r),
            "type": type_label(r.get("event_type")),
            "status": status_label(r),
            "place": place_label(r.get("location")) or "-",
            "parties": parties_label(r),
            "dead": count_label((r.get("size") or {}).get("dead")),
            "src": str(r.get("independent_sources") or 1),
            "rep": str(len(r.get("report_ids") or [r["id"]])),
            "said by": " > ".join(r["attribution"]["chain"]),
            "evidence": evidence_start(r),
        }
        for r in records
    ]

    def fitted(name: str, most: int) -> int:
        return min(most, max([len(name)] + [len(row[name]) for row in rows]))

    widths = {"id": fitted("id", 16), "date": fitted("date", 17), "dead": fitted("dead", 7), "src": 3}
    # one row per event: how many of its reports match, a column of its own on a wide terminal
    grouped = any("report_ids" in r for r in records)
    wide_widths = (
        widths
        | ({"rep": 3} if grouped else {})
        | {
            "type": fitted("type", 22),
            "status": fitted("status", 23),
            "place": fitted("place", 32),
            "parties": fitted("parties", 22),
            "said by": fitted("said by", 22),
        }
    )
    # one space between columns; the evidence (or the event) column takes what is left
    wide = width - sum(wide_widths.values()) - len(wide_widths) >= WIDE_EVIDENCE
    widths = wide_widths if wide else widths | {"place": fitted("place", 18)}
    flexible = max(16, width - sum(widths.values()) - len(widths))
    table = Table(box=None, pad_edge=False, collapse_padding=True, header_style="bold")
    columns = (
        ["id", "date", "type", "status", "place", "parties", "dead", "src", "said by", "evidence"]
        if wide
        else ["id", "date", "event", "place", "dead", "src"]
    )
    if grouped and wide:
        columns.insert(columns.index("src") + 1, "rep")
    for name in columns:
        table.add_column(
            "actor -> recipient" if name == "parties" else "event / evidence" if name == "event" else name,
            width=widths.get(name, flexible),
            justify="right" if name in ("dead", "src", "rep") else "left",
            overflow="fold" if name == "place" else "ellipsis",
            no_wrap=name != "place",
        )
    for row in rows:
        if wide:
            table.add_row(*(row[name] for name in columns))
            continue
        status = "" if row["status"] == "occurred" else f", {row['status']}"
        reports = [f"{row['rep']} reports"] if grouped and row["rep"] != "1" else []
        evidence = textwrap.wrap(row["evidence"], flexible, max_lines=EVIDENCE_LINES, placeholder=" …")
        event = "\n".join([row["type"] + status, *reports, *evidence])
        table.add_row(*(event if name == "event" else row[name] for name in columns))
    return table


def place_label(place: dict[str, Any] | None) -> str:
    """A place with its country beside it ("Ariha, Idlib (SYR)"), so a namesake abroad shows;
    an event's site before its town ("police station, Ariha, Idlib (SYR)")."""
    if not place or not place.get("name"):
        return ""
    admin1 = place.get("admin1")
    name = f"{place['name']}, {admin1}" if admin1 and admin1 != place["name"] else place["name"]
    site = (place.get("site") or {}).get("text")
    name = f"{site}, {name}" if site and place["name"] not in site else name
    country = place.get("country")
    return f"{name} ({country})" if country and place.get("precision") != "country" else name


@cli.command()
@click.argument("event_id")
@db_option
@click.pass_context
def show(ctx: click.Context, event_id: str, db: str | None) -> None:
    """Show one event: evidence in its article, attribution chain, cluster and contradictions."""
    from sitroom.describe import count_label, date_label, status_label, type_label

    app = _app(ctx, db=db)
    with _edge():
        record = app.store.event(event_id)
        if record is None:
            _fail(f"no event with id {event_id!r}; list them with 'sitroom events'", ExitCode.ITEMS_FAILED)
        assert record is not None
        evidence, attribution = record["evidence"], record["attribution"]
        place = record.get("location") or {}
        click.echo(
            f"{type_label(record.get('event_type'))}, {status_label(record)}  {date_label(record)}  {place_label(place) or 'no place'}"
        )
        sizes = [
            f"{name}: {count_label(count)} ({count.get('text') or '-'})"
            for name, count in (record.get("size") or {}).items()
            if count
        ]
        if sizes:
            click.echo("  ".join(sizes))
        click.echo(
            f"actor: {', '.join(a['name'] for a in record['actor']) or '-'}  recipient: {', '.join(a['name'] for a in record['recipient']) or '-'}"
        )
        click.echo(
            f"said by: {' > '.join(attribution['chain'])}  cue: {attribution.get('cue') or '-'}  hedge: {attribution.get('hedge') or '-'}"
        )
        click.echo(
            f"article: {evidence['article_id']}  {evidence.get('outlet') or '-'}  {evidence.get('url') or '-'}  [{evidence['start']}:{evidence['end']}]"
        )
        click.echo(f"evidence: {evidence['sentence']}")
        click.echo(
            f"independent sources: {record.get('independent_sources') or 1}  credibility: {record.get('credibility') or '-'}  cluster: {record.get('cluster_id') or '-'}"
        )
        cluster = app.store.cluster(record["cluster_id"]) if record.get("cluster_id") else None
        if cluster is not None and cluster.credibility_basis:
            click.echo(f"graded on: {cluster.credibility_basis}")
        for contradiction in record.get("contradictions") or []:
            # a spread of figures that can all be right is shown, but is no contradiction
            label = "contradiction" if contradiction.get("disputed", True) else "figures differ"
            click.echo(f"{label}: {contradiction['field']}: {' / '.join(contradiction['values'])}")
        if record.get("review_status"):
            click.echo(
                f"review: {record['review_status']}  corrected: {', '.join(record.get('corrected') or []) or '-'}"
            )
        for entry in app.store.corrections(event_id):
            click.echo(f"correction: {correction_line(entry.as_dict())}")
        if record.get("cluster_id"):
            for other in app.store.iter_events(
                EventFilter(cluster_id=record["cluster_id"], background="include")
            ):
                if other["id"] != event_id:
                    click.echo(
                        f"also reported: {other['id']}  {other['evidence'].get('outlet') or '-'}: {other['evidence']['sentence']}"
                    )


@cli.command(name="export")
@db_option
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(list(EXPORT_FORMATS)),
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: standard output).",
)
@click.option("--coarsen", is_flag=True, help="Round the places of civilian-protection events to 0.1 degree.")
@_event_filter_options
@click.pass_context
def export(
    ctx: click.Context, db: str | None, fmt: str, output: Path | None, coarsen: bool, **filters: Any
) -> None:
    """Export every matching event in one of the formats, one row per report of an event
    (its cluster_id joins the reports of one event; README: what each format holds)."""
    app = _app(ctx, db=db)
    flt = _event_filter(filters, limit=1000)
    with _edge():
        if output is None:
            count = write_export(app.store.iter_events(flt), fmt, sys.stdout, coarsen=coarsen)
        else:
            with output.open("w", encoding="utf-8", newline="") as out:
                count = write_export(app.store.iter_events(flt), fmt, out, coarsen=coarsen)
    click.echo(f"exported {count} event(s) as {fmt}" + (f" to {output}" if output else ""), err=True)


def _serve(
    app: Sitroom,
    host: str,
    port: int,
    workers: int = 1,
    cache_mb: int | None = None,
    follow_file: Path | None = None,
) -> None:
    import os
    import tempfile

    import uvicorn

    from sitroom.api.app import create_app, worker_environment
    from sitroom.api.cache import DEFAULT_CACHE_MB
    from sitroom.api.workers import serve_processes

    cache_mb = DEFAULT_CACHE_MB if cache_mb is None else cache_mb
    click.echo(
        f"sitroom dashboard: http://{host}:{port}/  (API: http://{host}:{port}/api/events; Ctrl-C stops)"
    )
    if follow_file is not None:
        from sitroom.follow.background import BackgroundFollower, load_sources_file

        if workers != 1:
            raise click.UsageError("--follow runs beside one server process: drop --workers")
        for line in load_sources_file(app, follow_file):
            click.echo(f"Error: {line}; skipped", err=True)
        follower = BackgroundFollower(app)
        click.echo(f"following the sources of {follow_file} beside the API", err=True)
        uvicorn.run(
            create_app(app, cache_mb=cache_mb, follower=follower), host=host, port=port, log_level="warning"
        )
        return
    if workers == 1:
        uvicorn.run(create_app(app, cache_mb=cache_mb), host=host, port=port, log_level="warning")
        return
    # Worker processes import the app by name and rebuild it from the settings resolved here;
    # importing sitroom takes seconds on a busy machine, past uvicorn's 5 s health check.
    # They share their cached answers through a SQLite file in a folder of this process's.
    shared = tempfile.TemporaryDirectory(prefix="sitroom-answers-")
    os.environ.update(worker_environment(app.settings, cache_mb, str(Path(shared.name) / "answers.sqlite")))
    config = uvicorn.Config(
        "sitroom.api.app:create_worker_app",
        factory=True,
        workers=workers,
        timeout_worker_healthcheck=60,
        host=host,
        port=port,
        log_level="warning",
    )
    with shared:
        serve_processes(config)


@cli.command()
@db_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (keep it local unless you mean it).",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Server processes answering requests (about one per CPU core for many concurrent users).",
)
@click.option(
    # 64: sitroom.api.cache.DEFAULT_CACHE_MB (not imported here: importing the API is slow)
    "--cache-mb",
    type=click.IntRange(min=0),
    default=64,
    show_default=True,
    help="MB of event-endpoint answers each process keeps until the store changes; 0 turns the cache off.",
)
@click.option(
    "--follow",
    "follow_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Follow the sources of this file beside the API, as 'sitroom follow --sources FILE' does.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    db: str | None,
    host: str,
    port: int,
    workers: int,
    cache_mb: int,
    follow_file: Path | None,
) -> None:
    """Serve the REST API and the dashboard until Ctrl-C (with --follow, following sources too)."""
    app = _app(ctx, writes=True, db=db)
    with _edge():
        app.store  # noqa: B018  (open and migrate the store before listening: fail early)
    with _edge():  # a port already taken by another program: one line, exit status 1
        _serve(app, host, port, workers, cache_mb, follow_file)


@cli.command(name="eval")
@click.argument("stage", type=click.Choice(list(STAGES)))
@click.option(
    "--data",
    "data_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Gold data of that stage: a folder (its subfolders searched) or one file, any name, found by format.",
)
@click.pass_context
def eval_(ctx: click.Context, stage: str, data_dir: Path) -> None:
    """Score a stage on gold data; the first line names the files read, the LAST is one JSON object of metrics.

    The rule tables are the shipped ones plus the files of the `rules` setting (docs/rules.md).
    """
    from sitroom.rules import load_rules  # the rule tables import the event stage: not for --help

    settings: Settings = ctx.obj
    with _edge():
        result = evaluator(stage, load_rules(settings.rules))(data_dir)
    for line in result.lines:
        click.echo(line)
    click.echo(json.dumps(result.metrics, sort_keys=True))


def _today(value: Any) -> Any:
    """The day monitoring runs for: --today, else the current UTC date (read here, at the edge)."""
    from datetime import UTC, datetime

    return value.date() if value is not None else datetime.now(UTC).date()


_today_option = click.option(
    "--today", type=click.DateTime(["%Y-%m-%d"]), help="Run as of this day (default: today, UTC)."
)


def _echo_rows(rows: Any, fmt: str, columns: tuple[str, ...]) -> None:
    """Frozen dataclasses as JSON lines, or as a table of ``columns``."""
    from dataclasses import asdict

    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(asdict(row), ensure_ascii=False, default=str))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns, box=None)
    for row in rows:
        table.add_row(*(_cell(getattr(row, c)) for c in columns))
    Console(width=200).print(table)


def _cell(value: Any) -> str:
    """A table cell: a tuple as a list, nothing (None) as '-'."""
    if value is None:
        return "-"
    return ", ".join(value) if isinstance(value, tuple) else str(value)


def _as_of_newest(incidents: Any, day: Any, span_days: int, command: str) -> Any:
    """``day``, or the newest event's day where no event is dated in the ``span_days`` that
    end on ``day`` (an archive: an empty table said nothing); said on stderr in one line."""
    from datetime import timedelta

    newest = max((i.day for i in incidents if i.day is not None and i.day <= day), default=None)
    if newest is None or newest > day - timedelta(days=span_days):
        return day
    click.echo(
        f"{command}: no event in the {span_days} days to {day} (the newest is of {newest}): "
        f"shown as of {newest}; --today YYYY-MM-DD for another day",
        err=True,
    )
    return newest


@cli.group()
def watch() -> None:
    """Saved watches: a place, an actor, an event type or a civilian-protection kind, and a
    threshold of events in a window. 'sitroom alerts' evaluates them (docs/monitoring.md)."""


@watch.command(name="add")
@click.argument("name")
@db_option
@click.option("--place", help="Place name, admin1 or ISO3 country.")
@click.option("--actor", help="Actor canonical name (case-insensitive substring).")
@click.option("--type", "event_type", help="PLOVER event type, e.g. ASSAULT.")
@click.option("--protection", help="Civilian-protection kind, e.g. evacuation.")
@click.option(
    "--threshold", type=int, required=True, help="Events (that happened) in one window that raise an alert."
)
@click.option(
    "--window-days", type=int, default=7, show_default=True, help="Window length in days (7: ISO weeks)."
)
@_today_option
@click.pass_context
def watch_add(
    ctx: click.Context, name: str, db: str | None, threshold: int, window_days: int,
    place: str | None, actor: str | None, event_type: str | None, protection: str | None, today: Any,
) -> None:  # fmt: skip
    """Save a watch named NAME; it raises no alert for windows that ended before it was added."""
    from datetime import UTC, datetime

    from sitroom.errors import WatchError
    from sitroom.monitor.alerts import add_watch
    from sitroom.monitor.watches import make_watch

    app = _app(ctx, writes=True, db=db)
    try:
        spec = make_watch(
            name, threshold, window_days=window_days, place=place, actor=actor, event_type=event_type,
            protection=protection, added=_today(today),
        )  # fmt: skip
    except WatchError as exc:
        raise click.UsageError(exc.message) from None
    with _edge():
        saved = add_watch(app.store, spec, datetime.now(UTC))
    click.echo(f"watch {saved.name}: {saved.describe()}")


@watch.command(name="list")
@db_option
@click.pass_context
def watch_list(ctx: click.Context, db: str | None) -> None:
    """List saved watches."""
    from sitroom.monitor.alerts import list_watches

    app = _app(ctx, db=db)
    with _edge():
        for saved in list_watches(app.store):
            click.echo(f"{saved.name}  {saved.describe()}  (added {saved.added})")


@watch.command(name="remove")
@click.argument("name")
@db_option
@click.pass_context
def watch_remove(ctx: click.Context, name: str, db: str | None) -> None:
    """Remove the watch NAME and its alerts."""
    from sitroom.monitor.alerts import remove_watch

    app = _app(ctx, db=db)
    with _edge():
        remove_watch(app.store, name)
    click.echo(f"removed watch {name}")


@cli.command()
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "jsonl", "atom"]), default="table", show_default=True
)
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@_today_option
@click.pass_context
def alerts(ctx: click.Context, db: str | None, fmt: str, limit: int, today: Any) -> None:
    """Evaluate the watches, post new alerts to the webhook (setting webhook_url), list alerts."""
    from datetime import UTC, datetime

    from sitroom.monitor.alerts import list_alerts, raise_alerts
    from sitroom.monitor.feed import render_atom
    from sitroom.monitor.webhook import deliver_alerts

    app = _app(ctx, db=db)
    now = datetime.now(UTC)
    with _edge():
        fresh = raise_alerts(app.store, _today(today), now)
        deliveries = (
            deliver_alerts(app.store, app.settings.webhook_url, now, timeout=app.settings.fetch_timeout)
            if app.settings.webhook_url
            else []
        )
        stored = list_alerts(app.store, limit)
    click.echo(f"{len(fresh)} new alert(s)", err=True)
    for failed in (d for d in deliveries if not d.ok):
        click.echo(
            f"webhook: alert {failed.key} not delivered ({failed.error}); tried again next run", err=True
        )
    if fmt == "atom":
        click.echo(render_atom(stored, updated=now), nl=False)
        return
    _echo_rows(
        stored,
        fmt,
        ("created_at", "watch", "count", "window_start", "window_end", "places", "delivered_at", "title"),
    )


@cli.command()
@db_option
@click.option("--place", help="Place name, city, admin1 or ISO3 country.")
@click.option("--dyad", metavar="A,B", help="Two actor canonical names, comma-separated.")
@click.option("--weekly", is_flag=True, help="ISO weeks instead of days.")
@click.option(
    "--periods", type=click.IntRange(min=1), help="Days or weeks shown (default 28 days, 12 weeks)."
)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Run as of this day (default: today, UTC; the newest event's day when none is as recent as the span shown).",
)
@click.pass_context
def escalation(
    ctx: click.Context,
    db: str | None,
    place: str | None,
    dyad: str | None,
    weekly: bool,
    periods: int | None,
    fmt: str,
    today: Any,
) -> None:
    """Escalation and de-escalation: the series and signals of a place or dyad; without
    either, the current signals of every admin1, city and dyad (docs/monitoring.md)."""
    from sitroom.monitor.escalation import DEFAULT_PERIODS, build_escalation_view
    from sitroom.monitor.incidents import load_incidents, record_start
    from sitroom.monitor.series import Subject
    from sitroom.monitor.signals import scan_signals

    if place and dyad:
        raise click.UsageError("give --place or --dyad, not both")
    pair = [p.strip() for p in dyad.split(",")] if dyad else []
    if dyad and (len(pair) != 2 or not all(pair)):
        raise click.BadParameter("two actor names separated by a comma", param_hint="--dyad")
    app = _app(ctx, db=db)
    day = _today(today)
    with _edge():
        incidents = load_incidents(app.store)
    if today is None:  # the signals' last complete week lies in the last 14 days
        span = (
            (periods or DEFAULT_PERIODS["week" if weekly else "day"]) * (7 if weekly else 1)
            if place or dyad
            else 14
        )
        day = _as_of_newest(incidents, day, span, "escalation")
    signal_columns = ("end", "kind", "level", "subject", "metric", "value", "baseline", "change", "reason")
    if not (place or dyad):
        _echo_rows(scan_signals(incidents, day, record_start(incidents)), fmt, signal_columns)
        return
    subject = Subject.of_place(place) if place else Subject.of_dyad(pair[0], pair[1])
    view = build_escalation_view(incidents, subject, "week" if weekly else "day", day, periods)
    _echo_rows(
        view.series,
        fmt,
        (
            "start",
            "events",
            "fatalities",
            "intensity",
            "deescalation",
            "planned",
            "denied",
            "other",
            "complete",
        ),
    )
    if fmt == "table":
        click.echo("")
    _echo_rows(view.signals, fmt, signal_columns)


@cli.command()
@db_option
@click.option("--place", help="Only this place (name, city, admin1 or ISO3 country).")
@click.option(
    "--level", type=click.Choice(["admin1", "city", "country"]), default="admin1", show_default=True
)
@click.option("--daily", is_flag=True, help="Days instead of ISO weeks.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day (YYYY-MM-DD).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.pass_context
def protection(
    ctx: click.Context,
    db: str | None,
    place: str | None,
    level: str,
    daily: bool,
    since: Any,
    until: Any,
    fmt: str,
) -> None:
    """Civilian protection by place and period: evacuations, corridors, protected sites, human
    shields, civilian casualties, displacement, aid access."""
    from sitroom.monitor.incidents import load_incidents
    from sitroom.monitor.protection import build_protection_view

    app = _app(ctx, db=db)
    with _edge():
        incidents = load_incidents(app.store)
    rows = build_protection_view(
        incidents, place=place, level=level, period="day" if daily else "week",  # type: ignore[arg-type]
        since=since.date() if since else None, until=until.date() if until else None,
    )  # fmt: skip
    _echo_rows(
        rows,
        fmt,
        (
            "start",
            "place",
            "kind",
            "events",
            "completed",
            "planned",
            "denied",
            "other",
            "dead",
            "injured",
            "displaced",
            "sites",
            "event_ids",
        ),
    )


@cli.command()
@click.argument("sources", nargs=-1)
@db_option
@click.option(
    "--sources",
    "sources_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="File of sources, one a line: URL [INTERVAL] [OUTLET NAME] (# comments).",
)
@click.option(
    "--interval",
    type=click.IntRange(min=10),
    help="Seconds between two polls of a source that sets none (default 300: setting follow_interval).",
)
@click.option("--once", is_flag=True, help="Poll every due source once, then exit (for cron and tests).")
@click.option(
    "--allow-private", is_flag=True, default=None, help="Allow URLs on loopback/private/link-local addresses."
)
@click.option("--quiet", "-q", is_flag=True, help="Only errors, no summary line per round.")
@click.pass_context
def follow(
    ctx: click.Context,
    sources: tuple[str, ...],
    db: str | None,
    sources_file: Path | None,
    interval: int | None,
    once: bool,
    allow_private: bool | None,
    quiet: bool,
) -> None:
    """Follow RSS/Atom feeds and pages: poll each when due and ingest what is new, until Ctrl-C.

    SOURCE is an http(s) URL of a feed or page; --sources reads them from a file. They are
    kept in the store with the sources followed before (see 'sitroom sources'), so a restart
    resumes where it stopped. Each poll is a conditional GET (a 304 costs no body); robots.txt
    is honoured; a failing source backs off. After polls that stored something the watches
    are evaluated (alerts posted to webhook_url). Ctrl-C or SIGTERM finishes the item in hand
    and exits 0. Exit status 1 (with --once, or a bad line in the sources) when something failed.
    """
    import signal
    from datetime import UTC, datetime

    from sitroom.follow import state
    from sitroom.follow.background import follow_options, load_sources_file
    from sitroom.follow.follower import Follower, RoundReport
    from sitroom.follow.lock import follower_lock
    from sitroom.follow.sources_file import read_sources

    app = _app(ctx, writes=True, db=db, allow_private=allow_private, follow_interval=interval)
    failed = False

    def heard(report: RoundReport) -> None:
        nonlocal failed
        failed = failed or bool(report.failed or report.ingest.rejected)
        for line in report.errors + report.ingest.errors:
            click.echo(line, err=True)
        if not quiet:
            click.echo(report.summary(), err=True)

    with _edge(), follower_lock(app.settings.db):
        bad = read_sources(sources, "argument", app.settings.follow_interval)
        state.save_sources(app.store, bad.specs, datetime.now(UTC))
        problems = bad.errors + (load_sources_file(app, sources_file) if sources_file else [])
        for line in problems:
            click.echo(f"Error: {line}; skipped", err=True)
        if not state.list_sources(app.store):
            raise click.UsageError(
                "no sources to follow: give URLs, --sources FILE, or add some (POST /api/sources)"
            )
        follower = Follower(app, follow_options(app))
        if once:
            heard(follower.poll_due())
            sys.exit(ExitCode.ITEMS_FAILED if failed or problems else ExitCode.OK)
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda _s, _f: follower.stop.set())
        if not quiet:
            click.echo(f"following {len(state.list_sources(app.store))} source(s); Ctrl-C stops", err=True)
        follower.run(on_round=heard)
    sys.exit(ExitCode.ITEMS_FAILED if problems else ExitCode.OK)


@cli.command(name="sources")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.pass_context
def sources_(ctx: click.Context, db: str | None, fmt: str) -> None:
    """Each followed source's state: ok, failing with the last error, backing off until when;
    items seen and articles stored ('sitroom follow' adds and polls them)."""
    from sitroom.follow.state import list_sources

    app = _app(ctx, db=db)
    with _edge():
        rows = list_sources(app.store)
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row.record(), ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "url", "outlet", "every", "items", "articles", "last new item", "state", box=None)
    for row in rows:
        table.add_row(
            str(row.id), row.url, row.outlet or "", f"{row.interval_s} s", str(row.items_seen),
            str(row.articles_stored), row.last_new_item or "-", row.describe(),
        )  # fmt: skip
    Console(width=200).print(table)


@cli.group()
def review() -> None:
    """Dismiss, confirm, correct, merge or split events, each with a reason (a reviewer's token).

    Each action is appended to the event's corrections log under the token's name (never its
    value) and shows in 'sitroom show', every list, count and export at once; a dismissed
    event leaves them ('sitroom events --review dismissed' lists them). The token is a
    reviewer's or an admin's of setting tokens (or api_token): --token or $SITROOM_TOKEN.
    Several event ids: each is reviewed, a failure named on stderr (exit 1), the rest go on.
    """


def _review_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.argument("event_ids", nargs=-1, required=True),
        db_option,
        click.option("--reason", required=True, help="Why (kept in the log; required)."),
        click.option(
            "--token",
            envvar="SITROOM_TOKEN",
            help="A reviewer's or admin's token (default: $SITROOM_TOKEN); its name is logged.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return click.pass_context(command)


def _review(
    ctx: click.Context, db: str | None, token: str | None, event_ids: tuple[str, ...], make: Any
) -> None:
    """Apply the request ``make()`` builds to each event; one line per event, exit 1 if any failed."""
    from sitroom.config import identify

    app = _app(ctx, db=db)
    with _edge():
        app.store  # noqa: B018 (no store where a review expects one: exit 2 before anything else)
        who = identify(app.settings, token) if token else None
        if who is None or not who.allows("reviewer"):
            found = "no token given (--token or $SITROOM_TOKEN)" if not token else (
                "the token is none of setting tokens or api_token" if who is None else f"token {who.name!r} has role {who.role}"
            )  # fmt: skip
            _fail(f"review needs a reviewer's or admin's token: {found}", ExitCode.USAGE)
        assert who is not None
        request = make(app)
    failed = 0
    for event_id in event_ids:
        try:
            record, entry = app.review(event_id, request, who.name)
        except SitroomError as exc:
            click.echo(f"Error: {event_id}: {exc.message}", err=True)
            failed += 1
            continue
        click.echo(f"{event_id}: {entry.action} by {who.name}; now {record.get('review_status')}")
    if failed:
        sys.exit(ExitCode.ITEMS_FAILED)


@review.command(name="dismiss")
@_review_options
@click.option(
    "--kind",
    "dismiss_kind",
    required=True,
    type=click.Choice(["not_event", "duplicate", "wrong"]),
    help="Not an event, a duplicate of another report, or wrong.",
)
def review_dismiss(
    ctx: click.Context,
    event_ids: tuple[str, ...],
    db: str | None,
    reason: str,
    token: str | None,
    dismiss_kind: str,
) -> None:
    """Dismiss events: they leave every list, count, cluster, signal, alert and export."""
    from sitroom.review import ReviewRequest

    _review(
        ctx, db, token, event_ids, lambda _app: ReviewRequest("dismiss", reason, dismiss_kind=dismiss_kind)
    )


@review.command(name="confirm")
@_review_options
def review_confirm(
    ctx: click.Context, event_ids: tuple[str, ...], db: str | None, reason: str, token: str | None
) -> None:
    """Confirm events as extracted."""
    from sitroom.review import ReviewRequest

    _review(ctx, db, token, event_ids, lambda _app: ReviewRequest("confirm", reason))


@review.command(name="correct")
@_review_options
@click.option("--type", "event_type", help="PLOVER event type ('none': untyped).")
@click.option("--actor", help="Actor names separated by ';' ('none': nobody).")
@click.option("--recipient", help="Recipient names separated by ';' ('none': nobody).")
@click.option(
    "--place", "location", help="A place of the gazetteer by name ('Name, ISO3' or an entry id if ambiguous)."
)
@click.option("--date", metavar="YYYY-MM-DD", help="The event's date.")
@click.option(
    "--date-precision", type=click.Choice(["day", "week", "month", "year"]), help="The date's precision."
)
@click.option("--dead", metavar="N|N-M", help="Killed: a number or a range ('none': not reported).")
@click.option("--injured", metavar="N|N-M", help="Injured.")
@click.option("--displaced", metavar="N|N-M", help="Displaced.")
@click.option("--arrested", metavar="N|N-M", help="Arrested.")
def review_correct(
    ctx: click.Context,
    event_ids: tuple[str, ...],
    db: str | None,
    reason: str,
    token: str | None,
    **given: str | None,
) -> None:
    """Correct fields of events (only those given); the log keeps each one's value before."""
    from sitroom.review import SIZE_FIELDS, ReviewRequest

    fields = {("size." + k if k in SIZE_FIELDS else k): v for k, v in given.items()}

    def make(app: Sitroom) -> ReviewRequest:
        return ReviewRequest("correct", reason, app.review_values(fields))

    _review(ctx, db, token, event_ids, make)


@review.command(name="merge")
@_review_options
@click.option("--with", "other", required=True, metavar="OTHER_ID", help="An event of the same happening.")
def review_merge(
    ctx: click.Context, event_ids: tuple[str, ...], db: str | None, reason: str, token: str | None, other: str
) -> None:
    """Merge events' clusters with the cluster of OTHER_ID: one happening (kept at every recluster)."""
    from sitroom.review import ReviewRequest

    _review(ctx, db, token, event_ids, lambda _app: ReviewRequest("merge", reason, other=other))


@review.command(name="split")
@_review_options
def review_split(
    ctx: click.Context, event_ids: tuple[str, ...], db: str | None, reason: str, token: str | None
) -> None:
    """Split events out of their clusters: each is a happening of its own (kept at every recluster)."""
    from sitroom.review import ReviewRequest

    _review(ctx, db, token, event_ids, lambda _app: ReviewRequest("split", reason))


@review.command(name="log")
@click.argument("event_id")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.pass_context
def review_log(ctx: click.Context, event_id: str, db: str | None, fmt: str) -> None:
    """One event's corrections log, oldest first (no token needed)."""
    app = _app(ctx, db=db)
    with _edge():
        entries = app.store.corrections(event_id)
    for entry in entries:
        click.echo(
            json.dumps(entry.as_dict(), ensure_ascii=False)
            if fmt == "jsonl"
            else correction_line(entry.as_dict())
        )


def correction_line(entry: dict[str, Any]) -> str:
    """One log entry in words: when, who, what (each field before -> after), why."""
    if entry["action"] == "correct":
        what = "; ".join(
            f"{name} {_short(change['before'])} -> {_short(change['after'])}"
            for name, change in entry["changes"].items()
        )
    elif entry["action"] == "dismiss":
        what = f"dismissed ({entry['changes'].get('dismissed')})"
    elif entry["action"] == "merge":
        what = f"merged with {entry['changes'].get('merged_with')}"
    elif entry["action"] == "split":
        what = f"split out of {entry['changes'].get('split_from') or '-'}"
    else:
        what = "confirmed"
    return f"{entry['created_at']}  {entry['reviewer']}: {what}  because: {entry['reason']}"


def _short(value: Any) -> str:
    """A corrected value in a few words: a place or actor by name, a count by its figures."""
    if value is None:
        return "-"
    if isinstance(value, list):
        return ", ".join(_short(v) for v in value) or "-"
    if isinstance(value, dict):
        if "min" in value:
            low, high = value.get("min"), value.get("max")
            return str(low) if low == high else f"{low}-{high}"
        return str(value.get("name") or value.get("text") or value)
    return str(value)


def main() -> None:
    cli(prog_name="sitroom")
