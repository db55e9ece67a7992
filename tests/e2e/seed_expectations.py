"""Matching sitroom's output against ``aleppo-2026-01.expected.json`` (its lenient rules).

Names match case-insensitively by substring on any listed alternative, coordinates within
``tolerance_km``, and an event matches if every field given agrees.
"""

from __future__ import annotations

from typing import Any

from sitroom.read.gazetteer import distance_km


def names_match(wanted: list[str], values: list[str]) -> bool:
    return any(w.lower() in v.lower() or v.lower() in w.lower() for w in wanted for v in values if v)


def _entity_names(entities: list[dict[str, Any]]) -> list[str]:
    return [e.get("text") or "" for e in entities] + [e.get("name") or "" for e in entities]


def event_matches(expected: dict[str, Any], record: dict[str, Any]) -> bool:
    """Does one event record satisfy every field the expectation gives?"""
    if "event_type" in expected and record["event_type"] not in expected["event_type"]:
        return False
    if "actor" in expected and not names_match(expected["actor"], _entity_names(record["actor"])):
        return False
    if "recipient" in expected and not names_match(expected["recipient"], _entity_names(record["recipient"])):
        return False
    if "actor_country" in expected and expected["actor_country"] not in {
        a.get("country") for a in record["actor"]
    }:
        return False
    if "recipient_country" in expected and expected["recipient_country"] not in {
        a.get("country") for a in record["recipient"]
    }:
        return False
    if "place" in expected:
        loc = record.get("location") or {}
        if not names_match(expected["place"], [loc.get("text") or "", loc.get("name") or ""]):
            return False
    if "dead_min" in expected:
        dead = (record["size"] or {}).get("dead") or {}
        if (dead.get("min") or 0) < expected["dead_min"]:
            return False
    if "speaker" in expected:
        attribution = record["attribution"]
        if not names_match(
            expected["speaker"], [attribution.get("speaker") or "", *attribution.get("chain", [])[1:]]
        ):
            return False
    if (
        "civilian_protection" in expected
        and expected["civilian_protection"] not in record["civilian_protection"]
    ):
        return False
    return not (expected.get("hedged") and not record["attribution"].get("hedge"))


def place_matches(expected: dict[str, Any], place: dict[str, Any]) -> bool:
    if not names_match(expected["mention"], [place.get("text") or ""]):
        return False
    if place.get("lat") is None or place.get("lon") is None:
        return False
    return (
        place.get("country") == expected["country"]
        and distance_km(place["lat"], place["lon"], expected["lat"], expected["lon"])
        <= expected["tolerance_km"]
    )
