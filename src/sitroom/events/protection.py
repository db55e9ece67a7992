"""Civilian protection: which protection concerns a sentence about an event raises.

Kinds (docs/interfaces.md): evacuation, corridor, protected_site (with the site: hospital, school,
shelter, place of worship, camp, ...), human_shields, civilian_casualties, displacement,
aid_access. Cues are read from the evidence sentence; ``civilian_casualties`` also needs a
count of dead or injured with civilians named as victims (or a civilian recipient).

A concern is always an event's: every event has a PLOVER type. A cue in a typed trigger's clause
is that act's concern ("shells struck the town, damaging a school": the strike's); one no
trigger's clause covers is a typed act of its own when its clause says what happens
(:func:`concern_type`: armed men at a hospital are a posture, MOBILIZE; the wounded taken to a
hospital are medical aid, AID; an evacuation is AID), or no event at all: a bare mention of a
facility ("a professor at the University of Texas", "closed schools") is none.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitroom.models import Actor, Size
from sitroom.read.protection_cues import (
    AID,
    CASUALTIES,
    CIVILIAN_VICTIMS,
    CORRIDOR,
    DISPLACEMENT,
    EVACUATION,
    HUMAN_SHIELDS,
    NOT_PROTECTED,
    SITE_PATTERNS,
    site_text,
)

# Acts of cooperation and talk concern no site they name: a hospital or a university there is where
# someone works or met ("professors at the American University of Kabul were handed over",
# "spoke to a physician at X Hospital"), not a site harmed, used, spared or served.
NO_SITE_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "COOPERATE"})


@dataclass(frozen=True)
class Protection:
    kinds: tuple[str, ...]
    site: str | None


def find_protection(
    sentence: str, size: Size, recipients: tuple[Actor, ...] = (), event_type: str | None = None
) -> Protection:
    """The civilian-protection kinds of an event of ``event_type`` stated in ``sentence`` (no
    protected site for the types of :data:`NO_SITE_TYPES`)."""
    kinds: list[str] = []
    if EVACUATION.search(sentence):
        kinds.append("evacuation")
    if CORRIDOR.search(sentence):
        kinds.append("corridor")
    sites = site_text(sentence)
    site = next((name for name, pattern in SITE_PATTERNS if pattern.search(sites)), None)
    if event_type in NO_SITE_TYPES:
        site = None
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


def concern_type(protection: Protection, clause: str, *, armed: bool, happening: bool) -> str | None:
    """The PLOVER type of a protection concern no typed trigger states, or None when its clause
    states no act (then it is no event).

    ``armed``: the clause's subject is an armed actor, or the clause names arms or fighters;
    ``happening``: the concern's verb states something done (not "to enter the camp").
    Armed men at a protected site or using civilians as shields are a military posture or
    coercion; the wounded taken to or treated at a hospital, and an evacuation, are aid."""
    if not happening:
        return None
    kinds = set(protection.kinds)
    if armed and "human_shields" in kinds:
        return "COERCE"
    if armed and "protected_site" in kinds:
        return "MOBILIZE"
    if "protected_site" in kinds and protection.site == "hospital" and CASUALTIES.search(clause):
        return "AID"
    if "evacuation" in kinds:
        return "AID"
    return None
