"""The timex evaluation: TimeML reading, value comparison at the gold granularity (the dev floors: test_quality_floors.py)."""

from __future__ import annotations

from datetime import date

import pytest

from sitroom.errors import EvalError
from sitroom.evaluation.timex import evaluate, read_timeml, same_value

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>test</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-08-07" functionInDocument="CREATION_TIME">19980807</TIMEX3></DCT>
<TEXT>
Bombs hit U.S. embassies <TIMEX3 tid="t1" type="DATE" value="1998-08-07">Friday</TIMEX3>, AT&amp;T said. \
Talks <EVENT eid="e1" class="OCCURRENCE">lasted</EVENT> <TIMEX3 tid="t2" type="DURATION" value="P2W">two weeks</TIMEX3> \
and resume <TIMEX3 tid="t3" type="DATE" value="1998-W33">next week</TIMEX3>.
</TEXT>
</TimeML>
"""


@pytest.mark.parametrize(
    ("gold", "predicted", "same"),
    [
        ("1998-08-14", "1998-08-14", True),
        ("1998-08-14", "1998-08-13", False),
        ("1998-08", "1998-08-14", True),  # a day is right for its month
        ("1998-08-14", "1998-08", False),  # a month is too coarse for a day
        ("1998", "1998-W33", True),
        ("1998-W33", "1998-08-14", True),
        ("2000-W7", "2000-W07", True),
        ("1998-08", "1998-W33", True),  # the whole week lies in August
        ("1998-07", "1998-W31", False),  # 27 July - 2 August
        ("1989-Q3", "1989-08-01", True),
        ("1989-Q3", "1989", False),
        ("199", "1995", True),
        ("1998-XX-XX", "1998", True),  # placeholders: only the known part counts
        ("199X-XX-XX", "199", True),
        ("1998-08-14TNI", "1998-08-14", False),
        ("1998-08-14", "1998-08-14TNI", True),
        ("PRESENT_REF", "PRESENT_REF", True),
        ("PAST_REF", "PRESENT_REF", False),
        ("1998-08-14", None, False),
    ],
)
def test_values_compare_at_the_gold_granularity(gold, predicted, same):
    assert same_value(gold, predicted) is same


def test_read_timeml_strips_tags_and_keeps_offsets(tmp_path):
    path = tmp_path / "doc.tml"
    path.write_text(TML, encoding="utf-8")
    doc = read_timeml(path)
    assert doc.anchor == date(1998, 8, 7)
    assert "AT&T said" in doc.text and "<" not in doc.text
    assert [doc.text[t.start : t.end] for t in doc.timexes] == ["Friday", "two weeks", "next week"]
    assert [t.type for t in doc.timexes] == ["DATE", "DURATION", "DATE"]


def test_evaluate_on_a_tiny_layout(tmp_path):
    (tmp_path / "TimeBank").mkdir()
    (tmp_path / "TimeBank" / "doc.tml").write_text(TML, encoding="utf-8")
    result = evaluate(tmp_path)
    assert set(result.metrics) >= {"n", "span_f1", "value_accuracy", "strict_f1"}
    assert result.metrics["n"] == 3
    assert result.metrics["span_f1"] == 1.0 and result.metrics["strict_f1"] == 1.0
    assert result.metrics["value_accuracy"] == 1.0 and result.metrics["n_value"] == 2
    assert result.metrics["type_accuracy"] == 1.0


def test_a_wrong_value_counts_against_accuracy(tmp_path):
    (tmp_path / "doc.tml").write_text(TML.replace('value="1998-W33"', 'value="1998-W30"'), encoding="utf-8")
    assert evaluate(tmp_path).metrics["value_accuracy"] == 0.5


def test_evaluate_rejects_a_folder_without_timeml(tmp_path):
    with pytest.raises(EvalError, match=r"no \.tml files"):
        evaluate(tmp_path)
    with pytest.raises(EvalError, match="not found"):
        evaluate(tmp_path / "missing")


def test_malformed_timeml_names_the_file(tmp_path):
    (tmp_path / "bad.tml").write_text("<TimeML><TEXT>unclosed", encoding="utf-8")
    with pytest.raises(EvalError, match=r"bad\.tml"):
        evaluate(tmp_path)
