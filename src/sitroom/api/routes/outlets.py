"""``/api/outlets``: the outlet reliability table that credibility grades are computed with."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from sitroom.api.deps import get_sitroom
from sitroom.api.schemas import Outlet
from sitroom.pipeline import Sitroom

router = APIRouter(tags=["outlets"])


@router.get(
    "/api/outlets", response_model=list[Outlet], summary="Outlets and their Admiralty reliability (A-F)"
)
def list_outlets(sitroom: Annotated[Sitroom, Depends(get_sitroom)]) -> list[dict[str, Any]]:
    """The rows of the outlet table in use (``outlets`` setting, else the shipped one)."""
    return [
        {
            "name": o.name,
            "domains": list(o.domains),
            "reliability": o.reliability,
            "country": o.country,
            "group": o.group,
            "notes": o.notes,
        }
        for o in sitroom.outlets.outlets
    ]
