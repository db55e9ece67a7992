"""Civilian protection: which protection concerns a sentence about an event raises.

Kinds (docs/interfaces.md): evacuation, corridor, protected_site (with the site: hospital, school,
shelter, place of worship, camp, ...), human_shields, civilian_casualties, displacement,
aid_access. Cues are read from the evidence sentence; ``civilian_casualties`` also needs a
count of dead or injured with civilians named as victims (or a civilian recipient).
"""

from __future__ import annotations

from dataclasses import dataclass

from sitroom.models import Actor, Size
from sitroom.read.protection_cues import (
    AID,
    CIVILIAN_VICTIMS,
    CORRIDOR,
    DISPLACEMENT,
    EVACUATION,
    HUMAN_SHIELDS,
    NOT_PROTECTED,
    SITE_PATTERNS,
)


@dataclass(frozen=True)
class Protection:
    kinds: tuple[str, ...]
    site: str | None


def find_protection(sentence: str, size: Size, recipients: tuple[Actor, ...] = ()) -> Protection:
    """The civilian-protection kinds of an event stated in ``sentence``."""
    kinds: list[str] = []
    if EVACUATION.search(sentence):
        kinds.append("evacuation")
    if CORRIDOR.search(sentence):
        kinds.append("corridor")
    site = next((name for name, pattern in SITE_PATTERNS if pattern.search(sentence)), None)
    if site is not None and site not in NOT_PROTECTED:
        kinds.append("protected_site")
    if HUMAN_SHIELDS.search(sentence):
        kinds.append("human_shields")
    harmed = size.dead is not None or size.injured is not None
    civilian_recipient = any(a.sector == "CVL" or a.acled_inter == 7 for a in recipients)
    if harmed and (civilian_recipient or CIVILIAN_VICTIMS.search(sentence)):
        kinds.append("civilian_casualties")
    if size.displaced is not None or DISPLACEMENT.search(sentence):
        kinds.append("displacement")
    if AID.search(sentence):
        kinds.append("aid_access")
    return Protection(kinds=tuple(kinds), site=site)
