"""``/api/clusters``: events as clusters of reports, with their reports side by side."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from sitroom.api.deps import MAX_PAGE, get_sitroom
from sitroom.api.routes.events import cluster_reports
from sitroom.api.schemas import Cluster, ClusterDetail
from sitroom.pipeline import Sitroom
from sitroom.records import cluster_record

router = APIRouter(prefix="/api/clusters", tags=["clusters"])
SitroomDep = Annotated[Sitroom, Depends(get_sitroom)]


@router.get("", response_model=list[Cluster], summary="Event clusters, newest first")
def list_clusters(
    sitroom: SitroomDep,
    min_sources: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, Any]]:
    """Clusters (one real event each) with their earliest report as ``headline``."""
    out = []
    for cluster in sitroom.store.clusters(limit=limit, offset=offset, min_sources=min_sources):
        reports = cluster_reports(sitroom, cluster.id)
        out.append({**cluster_record(cluster), "headline": reports[0] if reports else None})
    return out


@router.get("/{cluster_id}", response_model=ClusterDetail, summary="One cluster with every report of it")
def get_cluster(cluster_id: str, sitroom: SitroomDep) -> dict[str, Any]:
    """The cluster record (sources, outlets, contradictions, credibility) and its reports, oldest first."""
    cluster = sitroom.store.cluster(cluster_id)
    if cluster is None:
        raise HTTPException(404, f"no cluster with id {cluster_id!r}")
    reports = cluster_reports(sitroom, cluster_id)
    return {
        "cluster": {**cluster_record(cluster), "headline": reports[0] if reports else None},
        "reports": reports,
    }
