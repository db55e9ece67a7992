"""An analyst's date is stated, no longer inferred from the report (issue 19's ``date_source``)."""

from __future__ import annotations

import pytest

from sitroom.review import Correction, apply_corrections


@pytest.mark.parametrize(("after", "source"), [("2026-01-05", "review"), (None, None)])
def test_correcting_an_inferred_date_makes_it_the_analysts(after: str | None, source: str | None) -> None:
    record = {"id": "m1", "date": "2026-01-10", "date_precision": "week", "date_source": "report"}
    change = {"date": {"before": "2026-01-10", "after": after}}
    entry = Correction("m1", "correct", "the monitor's report", "ana", "2026-01-11T09:00:00+00:00", change)
    out = apply_corrections(record, [entry])
    assert (out["date"], out["date_source"], out["corrected"]) == (after, source, ["date"])
