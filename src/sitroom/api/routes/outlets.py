"""``/api/outlets``: the outlet reliability table that credibility grades are computed with,
and the grades users keep in the store over it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from sitroom.api.auth import require_token
from sitroom.api.deps import get_sitroom
from sitroom.api.monitor_schemas import OutletGradeIn
from sitroom.api.schemas import Outlet
from sitroom.corroborate.credibility import Outlet as OutletRow
from sitroom.models import OutletGrade
from sitroom.pipeline import Sitroom

router = APIRouter(tags=["outlets"])
SitroomDep = Annotated[Sitroom, Depends(get_sitroom)]


def _outlet(o: OutletRow) -> dict[str, Any]:
    return {
        "name": o.name,
        "domains": list(o.domains),
        "reliability": o.reliability,
        "country": o.country,
        "group": o.group,
        "notes": o.notes,
    }


@router.get(
    "/api/outlets", response_model=list[Outlet], summary="Outlets and their Admiralty reliability (A-F)"
)
def list_outlets(sitroom: SitroomDep) -> list[dict[str, Any]]:
    """The rows of the outlet table in use (``outlets`` setting, else the shipped one), with
    the grades kept in the store over them."""
    return [_outlet(o) for o in sitroom.outlets.outlets]


@router.put(
    "/api/outlets/{name}",
    response_model=Outlet,
    dependencies=[Depends(require_token)],
    tags=["write"],
    summary="Grade an outlet (kept in the store, over the outlet table)",
)
def grade_outlet(
    name: Annotated[str, Path(min_length=1, max_length=200, description="outlet name, any case")],
    body: OutletGradeIn,
    sitroom: SitroomDep,
) -> dict[str, Any]:
    """Keep the outlet's reliability letter (and optionally its country, syndication group,
    domains and notes) in the store; fields left out keep the outlet table's value. Events
    corroborated from now on are graded with it; ``sitroom recluster`` regrades the others.
    Answers the outlet's row as it is now used."""
    grade = OutletGrade(
        name=name.strip(),
        reliability=body.reliability.upper(),
        country=body.country.upper() if body.country is not None else None,
        group=body.group.strip() if body.group is not None else None,
        domains=tuple(d.strip().lower().removeprefix("www.") for d in body.domains if d.strip()),
        notes=body.notes,
    )
    sitroom.store.write_outlet_grade(grade)
    # merge_outlets names the merged row as the grade does
    return next(_outlet(o) for o in sitroom.outlets.outlets if o.name == grade.name)
