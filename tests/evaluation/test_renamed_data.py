"""Every stage reads its gold data by format, whatever the files are called and wherever they sit.

Each ``shared`` test copies a small part of a real dev file from ../shared/data into tmp_path
under another name (columns reordered where the format allows it), reads it with the stage's
reader and checks that it reads the same items as from the original. Where scoring is quick,
the stage's ``evaluate`` gives the same metrics on the renamed copy as on the same items under
their original names. Without ../shared/data these tests skip, except in CI, where they fail.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from sitroom.errors import EvalError
from sitroom.evaluation import (
    STAGES,
    acled_types,
    attribution,
    coref,
    evaluator,
    events,
    events_e2e,
    extraction,
    geoparsing,
    ner,
    pubdate,
    timex,
)
from sitroom.evaluation.datasets import Companions, DataFormat, find_data
from tests.conftest import shared_data

# The format each stage looks for first (ner also reads entities files, attribution texts).
FORMATS: dict[str, DataFormat] = {
    "extraction": extraction.EXTRACTION_GOLD,
    "pubdate": pubdate.PUBDATE_GOLD,
    "geoparsing": geoparsing.GEO_XML,
    "ner": ner.RE3D_DOCUMENTS,
    "timex": timex.TIMEML,
    "attribution": attribution.ANNOTATIONS,
    "events": events.PLV_TABLE,
    "acled-types": acled_types.ACLED_TABLE,
    "coref": coref.ECB_DOCUMENT,
    "events-e2e": events_e2e.E2E_DOCUMENTS,
}


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _copy(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def _without(metrics: dict[str, float | int], *timings: str) -> dict[str, float | int]:
    return {key: value for key, value in metrics.items() if key not in timings}


def _reordered_tsv(source: Path, target: Path, rows: int) -> list[str]:
    """The header and first ``rows`` rows of a TSV, columns reversed, written to ``target``."""
    lines = source.read_text(encoding="utf-8").split("\n")[: rows + 1]
    _write(target, "".join("\t".join(line.split("\t")[::-1]) + "\n" for line in lines))
    return lines[0].split("\t")


def test_every_stage_has_a_format() -> None:
    assert set(FORMATS) == set(STAGES)


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_a_folder_without_a_file_of_the_format_names_the_folder_and_the_format(
    stage: str, tmp_path: Path
) -> None:
    _write(tmp_path / "notes" / "table.tsv", "a\tb\n1\t2\n")
    _write(tmp_path / "notes" / "record.json", '{"a": {"b": 1}}\n')
    _write(tmp_path / "notes" / "page.xml", "<notes><note>x</note></notes>\n")
    _write(tmp_path / "notes" / "spans.ann", "not a BRAT line\n")
    with pytest.raises(EvalError) as caught:
        evaluator(stage)(tmp_path)
    assert str(tmp_path) in caught.value.message
    assert FORMATS[stage].description in caught.value.message


def test_a_missing_path_and_a_file_of_another_format_are_eval_errors(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="not found"):
        find_data(tmp_path / "absent", events.PLV_TABLE)
    other = _write(tmp_path / "snippets.tsv", "id\tEventSnippet\tSubType\n1\tA grenade exploded.\tGRENADE\n")
    assert find_data(other, acled_types.ACLED_TABLE) == [other]
    with pytest.raises(EvalError, match=rf"{re.escape(str(other))} is not a PLV table"):
        find_data(other, events.PLV_TABLE)


def test_a_named_file_is_taken_from_the_folder_nearest_its_gold_file(tmp_path: Path) -> None:
    far = _write(tmp_path / "a" / "pages" / "p1.html", "far")
    near = _write(tmp_path / "b" / "pages" / "p1.html", "near")
    gold = _write(tmp_path / "b" / "gold.json", "{}")
    companions = Companions.under(tmp_path)
    assert companions.find("p1.html", gold) == near
    assert companions.find("p1.html", tmp_path / "a" / "gold.json") == far
    with pytest.raises(EvalError, match=r"p2\.html"):
        companions.find("p2.html", gold)


@pytest.mark.shared
def test_acled_types_reads_a_renamed_table_with_its_columns_reordered(tmp_path: Path) -> None:
    (original,) = find_data(shared_data("events-acled-types"), acled_types.ACLED_TABLE)
    renamed = tmp_path / "case2021" / "subtypes_dev.tsv"
    header = _reordered_tsv(original, renamed, rows=30)
    assert renamed.read_text(encoding="utf-8").split("\n")[0].split("\t") == header[::-1] != header
    assert find_data(tmp_path, acled_types.ACLED_TABLE) == [renamed]
    assert find_data(renamed, acled_types.ACLED_TABLE) == [renamed]
    assert acled_types.read_rows([renamed]) == acled_types.read_rows([original])[:30]


@pytest.mark.shared
def test_events_reads_a_renamed_plv_table_with_its_columns_reordered(tmp_path: Path) -> None:
    (original,) = find_data(shared_data("events-plover"), events.PLV_TABLE)
    renamed = tmp_path / "plv" / "PLV_test.tsv"
    header = _reordered_tsv(original, renamed, rows=40)
    assert renamed.read_text(encoding="utf-8").split("\n")[0].split("\t") == header[::-1] != header
    assert find_data(tmp_path, events.PLV_TABLE) == [renamed]
    rows = events.read_rows([renamed])
    assert rows == events.read_rows([original])[:40]
    assert {"sentence", "marked_sentence", "gold_root", "gold_penta"} <= set(rows[0])


@pytest.mark.shared
@pytest.mark.model
def test_events_scores_a_renamed_plv_file_as_the_original(tmp_path: Path) -> None:
    (original,) = find_data(shared_data("events-plover"), events.PLV_TABLE)
    renamed = tmp_path / "renamed" / "PLV_test.tsv"
    _reordered_tsv(original, renamed, rows=8)
    same_name = tmp_path / "original" / original.name
    _reordered_tsv(renamed, same_name, rows=8)
    result = events.evaluate(renamed)
    assert result.metrics == events.evaluate(same_name.parent).metrics
    assert result.metrics["n"] == 8
    assert result.lines[0] == f"events-plover: 8 dyads from {renamed}"


def _copy_pages(
    gold: dict[str, object], pages: list[Path], folder: Path, gold_name: str, pages_name: str
) -> Path:
    for page in pages:
        _copy(page, folder / pages_name / page.name)
    return _write(folder / gold_name, json.dumps(gold))


def _page(page: Any) -> tuple[dict[str, object], bytes]:
    """A read page's gold fields and saved bytes, wherever the page file sits."""
    fields = {key: value for key, value in dataclasses.asdict(page).items() if key != "path"}
    return fields, page.path.read_bytes()


@pytest.mark.shared
@pytest.mark.parametrize(
    ("stage", "folder", "key", "pages_folder", "timings"),
    [
        ("extraction", "article-extraction", "id", "html", ("ms_per_page",)),
        ("pubdate", "pubdate", "url", "test_set", ()),
    ],
)
def test_a_renamed_gold_file_finds_its_pages_by_name(
    stage: str, folder: str, key: str, pages_folder: str, timings: tuple[str, ...], tmp_path: Path
) -> None:
    module = {"extraction": extraction, "pubdate": pubdate}[stage]
    data = shared_data(folder)
    (original,) = find_data(data, FORMATS[stage])
    expected = module.read_pages([original], Companions.under(data))[:3]
    gold = json.loads(original.read_text(encoding="utf-8"))
    subset = {getattr(page, key): gold[getattr(page, key)] for page in expected}
    pages = [page.path for page in expected]
    renamed = _copy_pages(subset, pages, tmp_path / "renamed", "gold-2024.json", "saved")
    same_name = _copy_pages(subset, pages, tmp_path / "original", original.name, pages_folder)
    assert find_data(tmp_path / "renamed", FORMATS[stage]) == [renamed]
    read = module.read_pages([renamed], Companions.under(renamed))
    assert [_page(page) for page in read] == [_page(page) for page in expected]
    assert {page.path.parent for page in read} == {tmp_path / "renamed" / "saved"}
    result = module.evaluate(renamed)
    assert _without(result.metrics, *timings) == _without(module.evaluate(same_name.parent).metrics, *timings)
    assert result.metrics["n"] == 3
    assert str(renamed) in result.lines[0]


@pytest.mark.shared
def test_ner_reads_renamed_documents_and_entities_and_no_relations(tmp_path: Path) -> None:
    data = shared_data("ner-conflict")
    documents = find_data(data, ner.RE3D_DOCUMENTS)
    entities = find_data(data, ner.RE3D_ENTITIES)
    source = documents[0].parent
    lines = [line for line in documents[0].read_text(encoding="utf-8").split("\n") if line.strip()][:2]
    ids = {json.loads(line)["_id"] for line in lines}
    (own_entities,) = [path for path in entities if path.parent == source]
    entity_lines = [
        line
        for line in own_entities.read_text(encoding="utf-8").split("\n")
        if line.strip() and json.loads(line)["documentId"] in ids
    ]
    folder = tmp_path / "re3d"
    texts_file = _write(folder / "texts.jsonl", "\n".join(lines) + "\n")
    gold_file = _write(folder / "gold" / "spans.json", "\n".join(entity_lines) + "\n")
    _copy(source / "relations.json", folder / "links.json")
    assert find_data(tmp_path, ner.RE3D_DOCUMENTS) == [texts_file]
    assert find_data(tmp_path, ner.RE3D_ENTITIES) == [gold_file]
    texts, gold = ner.read_re3d(documents, entities)
    expected = ({i: texts[i] for i in ids}, {i: gold[i] for i in ids})
    assert ner.read_re3d([texts_file], [gold_file]) == expected
    assert sum(len(triples) for triples in expected[1].values()) > 0


@pytest.mark.shared
def test_coref_reads_renamed_documents_in_their_subtopic_folders(tmp_path: Path) -> None:
    data = shared_data("event-coref")
    documents = find_data(data, coref.ECB_DOCUMENT)
    subtopics = sorted({path.parent for path in documents})[:2]
    picked = [path for subtopic in subtopics for path in [p for p in documents if p.parent == subtopic][:2]]
    renamed, same_name = tmp_path / "renamed", tmp_path / "original"
    for number, path in enumerate(picked):
        _copy(path, renamed / path.parent.name / f"story-{number}.json")
        _copy(path, same_name / path.parent.name / path.name)
    for subtopic in subtopics:  # the annotation files beside the documents are not documents
        for annotation in (subtopic / "annotation").rglob("*.json"):
            _copy(annotation, renamed / subtopic.name / "annotation" / annotation.name)
    found = find_data(renamed, coref.ECB_DOCUMENT)
    assert len(found) == 4
    texts, gold = coref.read_documents(found)
    assert sorted(zip(texts, gold, strict=True)) == sorted(zip(*coref.read_documents(picked), strict=True))
    assert sorted(set(gold)) == [subtopic.name for subtopic in subtopics]
    result = coref.evaluate(renamed)
    assert _without(result.metrics, "seconds") == _without(coref.evaluate(same_name).metrics, "seconds")


@pytest.mark.shared
def test_geoparsing_reads_a_renamed_xml_of_a_few_articles(tmp_path: Path) -> None:
    (original,) = find_data(shared_data("geoparsing"), geoparsing.GEO_XML)
    root = ET.parse(original).getroot()
    subset = ET.Element(root.tag)
    subset.extend(list(root.iter("article"))[:2])
    renamed = tmp_path / "news" / "toponyms-2019.xml"
    renamed.parent.mkdir()
    ET.ElementTree(subset).write(renamed, encoding="utf-8", xml_declaration=True)
    assert find_data(tmp_path, geoparsing.GEO_XML) == [renamed]
    articles = geoparsing.read_gold(renamed)
    assert articles == geoparsing.read_gold(original)[:2]
    assert sum(len(article.toponyms) for article in articles) > 0


@pytest.mark.shared
def test_timex_reads_renamed_timeml_files_as_tml_or_xml(tmp_path: Path) -> None:
    paths = find_data(shared_data("timex"), timex.TIMEML)
    picked = [paths[0], paths[-1]]  # one from each of AQUAINT and TimeBank
    assert picked[0].parent != picked[1].parent
    renamed = [
        _copy(picked[0], tmp_path / "renamed" / "first.tml"),
        _copy(picked[1], tmp_path / "renamed" / "nested" / "second.xml"),
    ]
    for path in picked:
        _copy(path, tmp_path / "original" / path.name)
    assert find_data(tmp_path / "renamed", timex.TIMEML) == renamed
    for copy, path in zip(renamed, picked, strict=True):
        assert timex.read_timeml(copy) == dataclasses.replace(timex.read_timeml(path), name=copy.name)
    result = timex.evaluate(tmp_path / "renamed")
    assert result.metrics == timex.evaluate(tmp_path / "original").metrics
    assert timex.evaluate(renamed[1]).metrics["n_docs"] == 1


@pytest.mark.shared
def test_attribution_reads_renamed_annotations_beside_their_texts(tmp_path: Path) -> None:
    data = shared_data("attribution")
    expected = attribution.read_articles(data, compartments=["dev"], limit=2)
    annotations = find_data(data, attribution.ANNOTATIONS)
    folder = tmp_path / "polnear"
    for number, article in enumerate(expected):
        _write(folder / f"story{number}.txt", article.text)
        own = [path for path in annotations if path.stem.rsplit("_", 1)[0] == article.name]
        assert len(own) == len(article.gold)
        for path in own:
            _copy(path, folder / f"story{number}_{path.stem.rsplit('_', 1)[1]}.ann")
    read = attribution.read_articles(tmp_path)
    assert [(a.compartment, a.name) for a in read] == [("polnear", "story0"), ("polnear", "story1")]
    assert [(a.text, a.gold) for a in read] == [(a.text, a.gold) for a in expected]
    (one,) = attribution.read_articles(next(folder.glob("story1_*.ann")))
    assert one.text == expected[1].text
