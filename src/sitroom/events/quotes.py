"""Quotations in a parsed article: where they open and close, and how they attach to cues.

Token ranges are half-open ``(start, end)`` index pairs into the Doc, marks included.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from sitroom.events import cues

# A quotation that follows a cue sentence belongs to it only if it starts within this many
# characters of the sentence end (no paragraph break between them).
QUOTE_CONTINUATION_GAP = 3
# Longest stretch, in tokens, a quotation may run before it is taken as unbalanced.
MAX_QUOTE_TOKENS = 400

Range = tuple[int, int]


@dataclass(frozen=True)
class Quotations:
    """Quotations of a document as token ranges, indexed by where they start and end."""

    pairs: tuple[Range, ...]
    by_start: dict[int, Range]
    by_end: dict[int, Range]


def find_quotations(doc: Doc) -> Quotations:
    """Pair opening and closing marks; straight marks toggle."""
    pairs = []
    open_at: int | None = None
    for token in doc:
        text = token.text
        if text not in cues.QUOTE_MARKS:
            # a quotation left open at a paragraph end is either resumed by the next
            # paragraph's opening mark or was never closed: either way it stops here
            if open_at is not None and ("\n" in text or token.i - open_at > MAX_QUOTE_TOKENS):
                open_at = None
            continue
        if text in cues.OPENING_QUOTES or (text in cues.TOGGLING_QUOTES and open_at is None):
            open_at = token.i
        elif open_at is not None:
            pairs.append((open_at, token.i + 1))
            open_at = None
    return Quotations(pairs=tuple(pairs), by_start={p[0]: p for p in pairs}, by_end={p[1]: p for p in pairs})


def inside_quotation(cue: Range, quotations: Quotations) -> bool:
    """Whether a cue stands within quotation marks (speech quoted inside speech)."""
    return any(q_start < cue[0] and cue[1] < q_end for q_start, q_end in quotations.pairs)


def adjacent_quotation(doc: Doc, clause: Range, quotations: Quotations) -> list[Range]:
    """A quotation right before or after a reporting clause ("'...,' she said." / "said: '...'")."""
    before = clause[0]
    while before > 0 and (doc[before - 1].is_space or doc[before - 1].text == ","):
        before -= 1
    if before in quotations.by_end:
        return [quotations.by_end[before]]
    after = clause[1]
    while after < len(doc) and (doc[after].is_space or doc[after].text in (",", ":")):
        after += 1
    if after in quotations.by_start:
        return [quotations.by_start[after]]
    return []


def widen_to_quotations(content: Sequence[Range], cue: Range, quotations: Quotations) -> list[Range]:
    """A content that takes in part of a quotation takes all of it (the cue stays outside)."""
    widened = []
    for start, end in content:
        for q_start, q_end in quotations.pairs:
            overlaps = q_start < end and start < q_end
            holds_quote = start <= q_start and q_end <= end
            cue_inside = q_start <= cue[0] and cue[1] <= q_end
            if overlaps and not holds_quote and not cue_inside:
                start, end = min(start, q_start), max(end, q_end)
        widened.append((start, end))
    return widened


def continuation(
    doc: Doc, sentence_end: int, quotations: Quotations, cue_tokens: Iterable[int]
) -> Range | None:
    """ "'A,' he said. 'B.'" -- the quotation B right after a cue's sentence, if it has no cue."""
    start = sentence_end
    while start < len(doc) and doc[start].is_space and "\n" not in doc[start].text:
        start += 1
    pair = quotations.by_start.get(start)
    if pair is None or any(pair[0] <= i < pair[1] for i in cue_tokens):
        return None
    last = doc[sentence_end - 1]
    if doc[pair[0]].idx - (last.idx + len(last)) > QUOTE_CONTINUATION_GAP:
        return None
    return pair
