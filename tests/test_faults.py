"""Fault injection: an ingest killed at each of its commits, then run again, loses nothing,
duplicates nothing and leaves every mention clustered, on SQLite and PostgreSQL.

The killed run is a child process, forked from the test's once the NLP resources are
loaded, that sends itself SIGKILL as the N-th transaction of its ingest is about to commit.
Killed there, the store holds what the N-1 commits before it wrote (the N-th rolls back),
so N = 1, 2 ... up to the first N the ingest does not reach covers every state a crash can
leave: between a batch's articles and its clustering, between batches, inside either.

Short form: four demo reports (one a syndicated copy, three of one shelling) and an empty
file, in batches of 2. ``SITROOM_FAULTS_LONG=1``: the whole demo corpus.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from sitroom.cli import DEMO_CORPUS
from sitroom.config import load_settings
from sitroom.pipeline import Sitroom
from sitroom.store import Store, open_store
from sitroom.store import schema as t
from tests.conftest import _pg_schema

pytestmark = pytest.mark.model

SHORT = (
    "demowire-ariha-market-shelling.html",
    "levantdaily-ariha-market-shelling.html",
    "frontlinemonitor-ariha-toll.html",
    "demowire-maarat-airstrike.html",
)
BATCH = 2
COMPLETED = 3  # the child's exit status when its ingest ran to the end without being killed


@pytest.fixture(scope="module")
def resources() -> Any:
    return Sitroom(load_settings({})).resources


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    if os.environ.get("SITROOM_FAULTS_LONG"):
        shutil.copytree(DEMO_CORPUS, folder)
    else:
        folder.mkdir()
        for name in SHORT:
            shutil.copy(DEMO_CORPUS / name, folder / name)
    (folder / "empty.txt").write_text("  \n")  # rejected: its rejection is a write too
    return folder


StoreMaker = Callable[[], Iterator[tuple[str, str | None]]]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh_store(request: pytest.FixtureRequest, tmp_path: Path) -> StoreMaker:
    """Makes a fresh, empty store (URL, PostgreSQL schema) for each run, on either backend."""
    runs = itertools.count()

    @contextmanager
    def sqlite() -> Iterator[tuple[str, str | None]]:
        yield f"sqlite:///{tmp_path / f'run{next(runs)}.db'}", None

    @contextmanager
    def postgresql() -> Iterator[tuple[str, str | None]]:
        yield from _pg_schema()

    return sqlite if request.param == "sqlite" else postgresql  # type: ignore[return-value]


def make_app(url: str, schema: str | None, resources: Any) -> Sitroom:
    app = Sitroom(load_settings({}, overrides={"db": url, "batch_size": BATCH}))
    app.__dict__["resources"] = resources
    app.__dict__["store"] = open_store(url, schema=schema)
    return app


def ingest_killed_at(commit: int, url: str, schema: str | None, resources: Any, inputs: Path) -> int:
    """Ingest ``inputs`` in a child process killed as its ``commit``-th transaction is about
    to commit; return its wait status."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = COMPLETED
        try:
            app = make_app(url, schema, resources)
            commits = itertools.count(1)

            def crash(_conn: Any) -> None:
                if next(commits) == commit:
                    os.kill(os.getpid(), signal.SIGKILL)

            event.listen(app.store.engine, "commit", crash)
            app.ingest([str(inputs)])
        except BaseException:
            traceback.print_exc()
            status = 70
        os._exit(status)
    return os.waitpid(pid, 0)[1]


def snapshot(store: Store) -> dict[str, Any]:
    """What an ingest leaves, in a form two runs' stores compare by."""
    m, e = t.event_mentions.c, t.events.c
    with store.engine.connect() as conn:
        mentions = conn.execute(select(m.id, m.cluster_id).order_by(m.id)).all()
        clusters = {row.id: row.record for row in conn.execute(select(e.id, e.record))}
        articles = conn.execute(select(t.articles.c.id).order_by(t.articles.c.id)).scalars().all()
        sightings = conn.execute(
            select(t.sightings.c.article_id, t.sightings.c.locator).order_by(t.sightings.c.id)
        ).all()
        rejections = conn.execute(select(t.rejections.c.origin, t.rejections.c.code)).all()
    members = sorted(key for record in clusters.values() for key in record["mention_ids"])
    assert members == [key for key, _ in mentions], "every mention in exactly one cluster"
    assert all(key in clusters[cid]["mention_ids"] for key, cid in mentions if cid in clusters)
    return {
        "articles": articles,
        "sightings": sorted(sightings),
        "rejections": sorted(rejections),
        "unclustered": [key for key, cid in mentions if cid is None],
        "partition": sorted(sorted(record["mention_ids"]) for record in clusters.values()),
    }


def test_an_ingest_killed_at_any_commit_and_run_again_loses_and_duplicates_nothing(
    fresh_store: StoreMaker, resources: Any, inputs: Path
) -> None:
    with fresh_store() as (url, schema):
        clean = make_app(url, schema, resources)
        report = clean.ingest([str(inputs)])
        expected = snapshot(clean.store)
        clean.store.close()
    assert report.stored == len(expected["articles"]) >= 3 and report.rejected == 1 and report.events
    assert expected["unclustered"] == [] and len(expected["partition"]) < report.events  # some corroborate

    for commit in itertools.count(1):
        with fresh_store() as (url, schema):
            status = ingest_killed_at(commit, url, schema, resources, inputs)
            if os.WIFEXITED(status):
                assert os.WEXITSTATUS(status) == COMPLETED, "the child's ingest failed (its traceback above)"
                break  # past the last commit: every kill point was tried
            assert os.WTERMSIG(status) == signal.SIGKILL
            again = make_app(url, schema, resources)
            rerun = again.ingest([str(inputs)])
            got = snapshot(again.store)
            again.store.close()
        assert got == expected, f"killed at commit {commit}"
        assert rerun.rejected == 1
    assert commit > 2 * len(expected["articles"]) // BATCH  # a write and a clustering per batch at least
