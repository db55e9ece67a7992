"""The ``sitroom`` command line: a thin edge over :class:`sitroom.pipeline.Sitroom`.

Exit status: 0 all went well, 1 some items failed (each reported on stderr), 2 usage or
configuration error. Domain errors become one-line messages here, once.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from sitroom.config import Settings, load_settings
from sitroom.errors import ConfigError, EvalError, SitroomError, SourceError, StoreError
from sitroom.evaluation import STAGES, evaluator
from sitroom.pipeline import IngestReport, Sitroom
from sitroom.records import article_record
from sitroom.store.events import EventFilter
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
    except (ConfigError, SourceError, EvalError) as exc:
        _fail(exc.message, ExitCode.USAGE)
    except StoreError as exc:
        _fail(exc.message, ExitCode.ITEMS_FAILED)
    except SitroomError as exc:
        _fail(exc.message, ExitCode.ITEMS_FAILED)


def _app(ctx: click.Context, **overrides: Any) -> Sitroom:
    base: Settings = ctx.obj
    with _edge():
        return Sitroom(base.with_overrides(overrides))


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
def _progress(quiet: bool) -> Iterator[Callable[[int], None] | None]:
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(), TextColumn("ingesting: {task.completed} item(s)"), TimeElapsedColumn(), transient=True
    ) as bar:
        task = bar.add_task("ingest", total=None)
        yield lambda n: bar.advance(task, n)


def _report(report: IngestReport, quiet: bool) -> int:
    for line in report.errors:
        click.echo(line, err=True)
    if not quiet:
        click.echo(report.summary(), err=True)
    return ExitCode.ITEMS_FAILED if report.rejected else ExitCode.OK


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@db_option
@click.option("--allow-private", is_flag=True, default=None, help="Allow URLs on loopback/private/link-local addresses.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary line.")
@click.pass_context
def ingest(ctx: click.Context, sources: tuple[str, ...], db: str | None, allow_private: bool | None, quiet: bool) -> None:
    """Ingest news reports: files, folders, .jsonl, '-' (JSONL on stdin), URLs, RSS/Atom feeds.

    SOURCE is a .html/.htm/.html.gz/.txt file, a folder (read recursively), a .jsonl file
    (one object a line with "url" and "html" or "text", optional "published", "outlet",
    "title"), '-' for JSONL on standard input, an http(s) URL of a page or of an RSS/Atom
    feed, or a local .rss/.atom/.xml feed. Each rejected item is reported on stderr and
    recorded in the store; the batch goes on. Exit status 1 when any item was rejected.
    """
    app = _app(ctx, db=db, allow_private=allow_private)
    with _edge(), _progress(quiet) as progress:
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
def articles(ctx: click.Context, ids: tuple[str, ...], db: str | None, fmt: str, outlet: str | None, limit: int, offset: int) -> None:
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
    click.echo(f"captured: {article.captured_at.isoformat()}  from: {article.origin}  extractor: {article.extractor}")
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
@click.option("--quiet", "-q", is_flag=True, help="No summary line.")
@click.option("--no-serve", is_flag=True, help="Only ingest and list; do not serve the dashboard.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address the dashboard listens on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.pass_context
def demo(ctx: click.Context, db: str | None, quiet: bool, no_serve: bool, host: str, port: int) -> None:
    """Ingest the bundled demo corpus (the seed report and invented example reports), list it,
    then serve the dashboard on localhost (until Ctrl-C; --no-serve to skip)."""
    app = _app(ctx, db=db)
    with _edge():
        report = app.ingest([str(DEMO_CORPUS)])
    status = _report(report, quiet)
    ctx.invoke(articles, db=db)
    if not no_serve:
        _serve(app, host, port)
    sys.exit(status)


def _event_filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The event filters shared by ``events`` and ``export`` (those of ``GET /api/events``)."""
    options = [
        click.option("--place", help="Place name, admin1 name or ISO3 country code."),
        click.option("--bbox", metavar="W,S,E,N", help="Bounding box: min_lon,min_lat,max_lon,max_lat."),
        click.option("--actor", help="Actor name or text (case-insensitive substring)."),
        click.option("--type", "event_type", help="PLOVER event type, e.g. ASSAULT."),
        click.option("--status", type=click.Choice(["occurred", "ongoing", "planned", "threatened", "denied", "hypothetical", "unknown"])),
        click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First event date (YYYY-MM-DD)."),
        click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last event date (YYYY-MM-DD)."),
        click.option("--min-sources", type=click.IntRange(min=1), help="Minimum independent sources."),
        click.option("--civilian-protection", help="Civilian-protection kind, e.g. evacuation, corridor."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _event_filter(filters: dict[str, Any], limit: int = 100) -> EventFilter:
    bbox = None
    if filters.get("bbox"):
        from sitroom.api.deps import parse_bbox

        try:
            bbox = parse_bbox(filters["bbox"])
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--bbox") from None
    return EventFilter(
        place=filters.get("place"),
        bbox=bbox,
        actor=filters.get("actor"),
        event_type=filters.get("event_type"),
        status=filters.get("status"),
        since=filters["since"].date() if filters.get("since") else None,
        until=filters["until"].date() if filters.get("until") else None,
        min_sources=filters.get("min_sources"),
        civilian_protection=filters.get("civilian_protection"),
        limit=limit,
    )


@cli.command()
@db_option
@_event_filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@click.pass_context
def events(ctx: click.Context, db: str | None, fmt: str, limit: int, **filters: Any) -> None:
    """List events (one line per report of an event), newest first, filtered."""
    app = _app(ctx, db=db)
    flt = _event_filter(filters, limit)
    with _edge():
        records = app.store.events(flt).records
    if fmt == "jsonl":
        for record in records:
            click.echo(json.dumps(record, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "date", "type", "status", "place", "actor", "dead", "sources", "said by", box=None)
    for r in records:
        dead = (r["size"].get("dead") or {}).get("text") or ""
        table.add_row(
            r["id"], r.get("date") or "", r.get("event_type") or "", r["status"],
            (r.get("location") or {}).get("name") or "", ", ".join(a["name"] for a in r["actor"])[:40],
            dead, str(r.get("independent_sources") or 1), " > ".join(r["attribution"]["chain"])[:50],
        )  # fmt: skip
    Console(width=180).print(table)


@cli.command()
@click.argument("event_id")
@db_option
@click.pass_context
def show(ctx: click.Context, event_id: str, db: str | None) -> None:
    """Show one event: evidence in its article, attribution chain, cluster and contradictions."""
    app = _app(ctx, db=db)
    with _edge():
        record = app.store.event(event_id)
        if record is None:
            _fail(f"no event with id {event_id!r}; list them with 'sitroom events'", ExitCode.ITEMS_FAILED)
        assert record is not None
        evidence, attribution = record["evidence"], record["attribution"]
        place = record.get("location") or {}
        click.echo(f"{record.get('event_type') or '?'} ({record['status']})  {record.get('date') or 'undated'}  {place.get('name') or 'no place'}")
        click.echo(f"actor: {', '.join(a['name'] for a in record['actor']) or '-'}  recipient: {', '.join(a['name'] for a in record['recipient']) or '-'}")
        click.echo(f"said by: {' > '.join(attribution['chain'])}  cue: {attribution.get('cue') or '-'}  hedge: {attribution.get('hedge') or '-'}")
        click.echo(f"article: {evidence['article_id']}  {evidence.get('outlet') or '-'}  {evidence.get('url') or '-'}  [{evidence['start']}:{evidence['end']}]")
        click.echo(f"evidence: {evidence['sentence']}")
        click.echo(f"independent sources: {record.get('independent_sources') or 1}  credibility: {record.get('credibility') or '-'}  cluster: {record.get('cluster_id') or '-'}")
        for contradiction in record.get("contradictions") or []:
            click.echo(f"contradiction: {contradiction['field']}: {' / '.join(contradiction['values'])}")
        if record.get("cluster_id"):
            for other in app.store.iter_events(EventFilter(cluster_id=record["cluster_id"])):
                if other["id"] != event_id:
                    click.echo(f"also reported: {other['id']}  {other['evidence'].get('outlet') or '-'}: {other['evidence']['sentence']}")


@cli.command(name="export")
@db_option
@click.option("--format", "fmt", required=True, type=click.Choice(["jsonl", "plover-jsonl", "acled-csv", "geojson", "hxl-csv"]))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: standard output).")
@click.option("--coarsen", is_flag=True, help="Round the places of civilian-protection events to 0.1 degree.")
@_event_filter_options
@click.pass_context
def export(ctx: click.Context, db: str | None, fmt: str, output: Path | None, coarsen: bool, **filters: Any) -> None:
    """Export every matching event: jsonl, plover-jsonl, acled-csv, geojson or hxl-csv."""
    from sitroom.exports import write_export

    app = _app(ctx, db=db)
    flt = _event_filter(filters, limit=1000)
    with _edge():
        if output is None:
            count = write_export(app.store.iter_events(flt), fmt, sys.stdout, coarsen=coarsen)
        else:
            with output.open("w", encoding="utf-8", newline="") as out:
                count = write_export(app.store.iter_events(flt), fmt, out, coarsen=coarsen)
    click.echo(f"exported {count} event(s) as {fmt}" + (f" to {output}" if output else ""), err=True)


def _serve(app: Sitroom, host: str, port: int) -> None:
    import uvicorn

    from sitroom.api import create_app

    click.echo(f"sitroom dashboard: http://{host}:{port}/  (API: http://{host}:{port}/api/events; Ctrl-C stops)")
    uvicorn.run(create_app(app), host=host, port=port, log_level="warning")


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (keep it local unless you mean it).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.pass_context
def serve(ctx: click.Context, db: str | None, host: str, port: int) -> None:
    """Serve the REST API and the dashboard (one process) until Ctrl-C."""
    app = _app(ctx, db=db)
    with _edge():
        app.store  # noqa: B018  (open and migrate the store before listening: fail early)
    _serve(app, host, port)


@cli.command(name="eval")
@click.argument("stage", type=click.Choice(list(STAGES)))
@click.option("--data", "data_dir", required=True, type=click.Path(path_type=Path), help="Gold data folder of that stage.")
def eval_(stage: str, data_dir: Path) -> None:
    """Score a stage on gold data; the LAST line printed is one JSON object of metrics."""
    with _edge():
        result = evaluator(stage)(data_dir)
    for line in result.lines:
        click.echo(line)
    click.echo(json.dumps(result.metrics, sort_keys=True))


def main() -> None:
    cli(prog_name="sitroom")
