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
@click.pass_context
def demo(ctx: click.Context, db: str | None, quiet: bool) -> None:
    """Ingest the bundled demo corpus (the seed report and invented example reports) and list it."""
    app = _app(ctx, db=db)
    with _edge():
        report = app.ingest([str(DEMO_CORPUS)])
    status = _report(report, quiet)
    ctx.invoke(articles, db=db)
    sys.exit(status)


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
