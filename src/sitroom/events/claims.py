"""The claim behind an event: who says it, chained from the outlet to the innermost speaker.

Built from an article's :class:`~sitroom.events.attribution.Attribution` records; an
unattributed statement is the outlet's own claim, and says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sitroom.events.attribution import Attribution
from sitroom.events.cues import Cues
from sitroom.models import Claim


def _covers(attribution: Attribution, start: int, end: int) -> bool:
    return any(part.start <= start and end <= part.end for part in attribution.content)


def _by_size(attributions: Iterable[Attribution]) -> list[Attribution]:
    return sorted(attributions, key=lambda a: sum(p.end - p.start for p in a.content))


def _governing(attributions: Sequence[Attribution], start: int, end: int, cues: Cues) -> list[Attribution]:
    """Attributions around the span, innermost first.

    Those whose content covers the span come first; failing them, a reporting cue governs
    its whole sentence ("It sought ..., but those efforts were blocked, they added.").
    Cues that can also be actions ("rejected compromise") only govern their content.
    """
    covering = [a for a in attributions if _covers(a, start, end)]
    if covering:
        return _by_size(covering)
    return _by_size(
        a
        for a in attributions
        if a.cue_lemma in cues.sentence_cues
        and a.scope.start <= start
        and end <= a.scope.end
        and not (a.cue.start <= start and end <= a.cue.end)
    )


def _sentence_hedge(start: int, end: int, text: str, cues: Cues) -> str | None:
    """A hedge word in the sentence around ``[start, end)`` that no attribution carried."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    for word in re.findall(r"[a-z]+", text[left:right].lower()):
        hedge = cues.hedge_adverbs.get(word) or cues.hedge_adjectives.get(word)
        if hedge:
            return hedge
    return None


def claim_for_span(
    start: int,
    end: int,
    attributions: Sequence[Attribution],
    outlet: str | None,
    text: str,
    cues: Cues,
) -> Claim:
    """The claim that governs an event found at ``[start, end)`` of ``text``.

    The innermost attribution whose content covers the span (or, failing that, the
    reporting cue whose sentence holds it) names the speaker; outer attributions whose
    content holds that one's cue make the chain, which runs from the outlet to the innermost
    speaker. A hedge-only attribution ("reportedly") names no speaker but keeps its hedge, as
    does a hedge word anywhere in the span's sentence of ``text``. With no attribution the
    outlet itself is the speaker. ``cues`` is :attr:`sitroom.rules.Rules.cues`.
    """
    around = _governing(attributions, start, end, cues)
    hedge = next((a.hedge for a in around if a.hedge), None) or _sentence_hedge(start, end, text, cues)
    speakers = [a for a in around if a.speaker]
    outlet_chain: tuple[str, ...] = (outlet,) if outlet else ()
    if not speakers:
        cue = around[0].cue_word if around else None
        return Claim(outlet, "outlet", cue, hedge, False, outlet_chain)
    inner = speakers[0]
    chain = [inner]
    while True:
        outer = [
            a
            for a in _by_size(a for a in attributions if _covers(a, inner.cue.start, inner.cue.end))
            if a.speaker and a not in chain
        ]
        if not outer:
            break
        chain.append(outer[0])
        inner = outer[0]
    innermost = chain[0]
    names = tuple(a.speaker for a in reversed(chain) if a.speaker)
    span = innermost.speaker_span
    return Claim(
        speaker=innermost.speaker,
        speaker_type=innermost.speaker_type,
        cue=innermost.cue_word,
        hedge=hedge,
        direct_quote=innermost.direct_quote and _covers(innermost, start, end),
        chain=outlet_chain + names,
        speaker_start=span.start if span else -1,
        speaker_end=span.end if span else -1,
    )
