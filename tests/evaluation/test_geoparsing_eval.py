"""The geoparsing scorer: gold reading, span matching, distance accounting."""

from __future__ import annotations

import pytest

from sitroom.evaluation.geoparsing import GoldArticle, GoldToponym, read_gold, score
from sitroom.models import Place

GWN = """<?xml version="1.0" ?>
<articles><article file="7"><title>t</title><link>l</link>
<text>Syrian forces entered Aleppo and Paris.</text>
<toponyms>
<toponym><extractedName>Syrian</extractedName><type>Non_Literal_Modifier</type><start>0</start><end>6</end>
<latitude>35.0</latitude><longitude>38.0</longitude></toponym>
<toponym><extractedName>Aleppo</extractedName><type>Literal</type><start>22</start><end>28</end>
<latitude>36.2</latitude><longitude>37.16</longitude></toponym>
<toponym><extractedName>forces</extractedName><type>Non_Lit_Expression</type><start>7</start><end>13</end></toponym>
<toponym><extractedName>Paris</extractedName><type>Literal</type><start>33</start><end>38</end>
<latitude>48.85</latitude><longitude>2.35</longitude></toponym>
<toponym><extractedName>x</extractedName><type>Literal</type><start>-20</start><end>-15</end>
<latitude>1</latitude><longitude>1</longitude></toponym>
</toponyms></article></articles>
"""


def test_read_gold_keeps_counted_types_with_coordinates_inside_the_text(tmp_path):
    path = tmp_path / "GWN.xml"
    path.write_text(GWN, encoding="utf-8")
    (article,) = read_gold(path)
    assert [(g.start, g.end, g.kind) for g in article.toponyms] == [
        (0, 6, "Non_Literal_Modifier"),
        (22, 28, "Literal"),
        (33, 38, "Literal"),
    ]


def test_score_counts_exact_spans_and_overlapping_resolution():
    article = GoldArticle(
        "1",
        "x" * 50,
        (
            GoldToponym(0, 6, 35.0, 38.0, "Literal"),
            GoldToponym(10, 16, 36.2, 37.16, "Literal"),
            GoldToponym(20, 25, 0.0, 0.0, "Literal"),
        ),
    )
    predictions = [
        [
            Place("a", "a", 0, 6, 35.1, 38.1),  # exact and near
            Place("b", "b", 9, 16, 48.85, 2.35),  # overlapping, far away
            Place("c", "c", 30, 35),  # spurious, unresolved
        ]
    ]
    result = score([article], predictions)
    assert (result.precision, result.recall) == (1 / 3, 1 / 3)
    assert result.recognised == 2 and result.acc_161km == 0.5
    assert result.median_km > 1000


def test_unresolved_recognised_toponym_is_a_miss():
    article = GoldArticle("1", "x" * 10, (GoldToponym(0, 6, 35.0, 38.0, "Literal"),))
    result = score([article], [[Place("a", "a", 0, 6)]])
    assert result.f1 == 1.0 and result.recognised == 1 and result.acc_161km == 0.0


LGL = """<?xml version="1.0" ?>
<articles><article docid="11" feedid="2"><title>t</title><domain>example.com</domain>
<text>Police in Lafayette and in Indiana said.</text>
<toponyms>
<toponym><start>10</start><end>19</end><gaztag geonameid="4922388"><name>Lafayette</name>
<fclass>P</fclass><lat>40.41667</lat><lon>-86.87529</lon></gaztag><phrase>Lafayette</phrase></toponym>
<toponym><start>27</start><end>34</end><gaztag geonameid="4921868" lat="40.00032" lon="-86.25027"/>
<phrase>Indiana</phrase></toponym>
<toponym><start>0</start><end>6</end><phrase>Police</phrase></toponym>
</toponyms></article></articles>
"""


def test_read_gold_takes_lgl_gaztag_coordinates_from_children_or_attributes(tmp_path):
    path = tmp_path / "lgl.xml"
    path.write_text(LGL, encoding="utf-8")
    (article,) = read_gold(path)
    assert article.id == "11"
    assert [(g.start, g.end, g.lat, g.lon) for g in article.toponyms] == [
        (10, 19, 40.41667, -86.87529),
        (27, 34, 40.00032, -86.25027),
    ]


def test_evaluate_without_any_gold_file_names_the_folder(tmp_path):
    from sitroom.errors import EvalError
    from sitroom.evaluation.geoparsing import evaluate

    with pytest.raises(EvalError, match=r"no GWN\.xml or lgl\.xml"):
        evaluate(tmp_path)
