"""Word lists that mark reported speech: reporting verbs, hedges, speaker kinds.

Written by the sitroom developers from general knowledge of English reporting verbs
(speech, cognition and evidence verbs, as in the grammars' lists of "verbs of saying"),
then pruned by checking which lemmas helped or hurt on the train compartment of PolNeAR;
nothing here is copied from a data set.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``: lists below read as prose."""
    return frozenset(text.split())


# Verbs of saying: their subject is a source and a clause, a quote or (for the lemmas in
# OBJECT_CONTENT_VERBS) their object is the content.
SPEECH_VERBS: frozenset[str] = _words(
    """
    say tell add claim reveal stress argue assure warn deny accuse note state announce report
    write explain insist suggest declare confirm acknowledge admit assert maintain contend
    emphasize emphasise predict promise pledge vow reply respond answer ask urge allege complain
    comment concede conclude recall remark reiterate repeat tweet post disclose estimate
    indicate mention observe propose recommend testify threaten hint boast brag charge
    criticize criticise condemn praise blame demand affirm caution counter retort joke muse
    agree disagree dispute reject dismiss refute rebut lament speculate tout call describe
    cite quote inform brief notify concur decry denounce exclaim grumble
    signal underline underscore highlight question wonder plead
    characterize characterise label dub defend endorse applaud welcome slam blast attack
    lambast chide scold mock ridicule"""
)

# Verbs of thinking and wanting: PolNeAR counts their holder as a source too.
COGNITION_VERBS: frozenset[str] = _words(
    """
    think believe feel know expect hope fear worry doubt suspect assume consider understand
    realize realise learn want wish guess reckon imagine figure suppose"""
)

# Verbs whose subject is a document or survey: "the poll shows", "records found".
EVIDENCE_VERBS: frozenset[str] = _words("show find reveal suggest indicate estimate")

REPORTING_VERBS: frozenset[str] = SPEECH_VERBS | COGNITION_VERBS | EVIDENCE_VERBS

# Verbs whose direct object is what is said ("rejected claims that ...", "denied the
# report", "called him a loser").
OBJECT_CONTENT_VERBS: frozenset[str] = _words(
    """
    deny reject dismiss refute rebut dispute announce confirm acknowledge admit reveal disclose
    claim describe call label dub characterize characterise criticize criticise condemn praise
    blame accuse denounce decry endorse defend applaud welcome slam blast attack lambast
    question predict promise pledge demand propose recommend tweet post repeat reiterate
    support oppose say"""
)

# Verbs whose infinitive complement is the content ("wants to run", "vowed to fight").
INTENTION_VERBS: frozenset[str] = _words(
    """
    want hope expect plan promise pledge vow threaten refuse urge ask wish intend
    decline seek"""
)

# Verbs that need an explicit clause, quote or object before they count as a cue: on
# their own they are far more often ordinary verbs ("found the keys", "showed up").
NEEDS_CLAUSE: frozenset[str] = (
    COGNITION_VERBS | EVIDENCE_VERBS | _words("call describe question repeat support oppose attack post ask")
)

# Adverbs and nouns that hedge a statement without naming who makes it.
HEDGE_ADVERBS: dict[str, str] = {
    "reportedly": "reportedly",
    "allegedly": "allegedly",
    "purportedly": "purportedly",
    "supposedly": "supposedly",
    "apparently": "apparently",
    "ostensibly": "purportedly",
}
HEDGE_NOUNS: dict[str, str] = {
    "claim": "claimed",
    "allegation": "allegedly",
    "report": "reportedly",
    "rumor": "unconfirmed",
    "rumour": "unconfirmed",
    "accusation": "allegedly",
}
HEDGE_ADJECTIVES: dict[str, str] = {
    "unconfirmed": "unconfirmed",
    "alleged": "allegedly",
    "purported": "purportedly",
    "unverified": "unconfirmed",
}
# Cue lemmas that hedge by themselves: the speaker asserts, the outlet does not endorse.
HEDGING_CUES: dict[str, str] = {"claim": "claimed", "allege": "allegedly"}

# Prepositional cues: "according to X", "citing X".
ACCORDING = "according"

QUOTE_MARKS: frozenset[str] = frozenset({'"', "“", "”", "«", "»", "„"})
OPENING_QUOTES: frozenset[str] = frozenset({"“", "«", "„"})
CLOSING_QUOTES: frozenset[str] = frozenset({"”", "»"})
