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
    write explain insist suggest declare confirm acknowledge admit assert contend
    emphasize emphasise predict promise pledge vow reply respond ask urge allege complain
    comment concede conclude recall remark reiterate repeat tweet post disclose estimate
    indicate observe propose recommend testify threaten hint
    criticize criticise condemn praise blame demand affirm caution counter retort joke muse
    agree disagree dispute reject dismiss refute rebut lament speculate tout call describe
    cite quote inform continue brief notify concur decry denounce exclaim grumble
    signal underline question wonder plead
    characterize characterise label dub defend endorse applaud slam
    lambast chide scold mock ridicule"""
)

# Verbs of thinking and wanting: PolNeAR counts their holder as a source too.
COGNITION_VERBS: frozenset[str] = _words(
    """
    think believe know expect hope fear worry doubt suspect assume understand
    realize realise learn want wish guess reckon imagine suppose"""
)

# Verbs whose subject is a document or survey: "the poll shows", "records found".
EVIDENCE_VERBS: frozenset[str] = _words("show find reveal suggest indicate estimate")

# Verbs of taking a side: PolNeAR treats "X supports Y" as X's stance on Y.
STANCE_VERBS: frozenset[str] = _words("support oppose favor favour back")

REPORTING_VERBS: frozenset[str] = SPEECH_VERBS | COGNITION_VERBS | EVIDENCE_VERBS | STANCE_VERBS

# Cues that, inside someone's reported words, are part of what that speaker says rather
# than a new source: "officials said the group supports ...", "he said he thinks ...".
PART_OF_OUTER_CLAIM: frozenset[str] = COGNITION_VERBS | STANCE_VERBS | {"in"}

# Verbs whose direct object is what is said ("rejected claims that ...", "denied the
# report", "called him a loser").
OBJECT_CONTENT_VERBS: frozenset[str] = _words(
    """
    deny reject dismiss refute rebut dispute announce confirm acknowledge admit reveal disclose
    claim describe call label dub characterize characterise criticize criticise condemn praise
    blame accuse denounce decry endorse defend applaud slam lambast
    question predict promise pledge demand propose recommend tweet post repeat reiterate
    support oppose favor favour back say"""
)

# Nouns for documents and surveys that "show" or "find" what their object says ("the poll
# showed Trump ahead"), and that report what is "in" them ("in a new poll, 40 percent ...").
DOCUMENT_NOUNS: frozenset[str] = _words(
    """
    poll survey study report data record analysis result figure number document filing email
    memo letter estimate census research review audit investigation count tally projection
    video footage image photo picture recording book article column editorial"""
)

# Documents whose findings are reported as "in" them: "in a new poll, 40 percent ...".
SURVEY_NOUNS: frozenset[str] = _words("poll survey study analysis report census tally count")

# What a statement is made in or on: "said in a statement", "told in an interview".
MEDIUM_NOUNS: frozenset[str] = _words(
    "statement interview letter email release tweet post speech conference call briefing op-ed"
)

# Adjectives of stance: "X is confident that ...", "X was critical of Y".
ATTITUDE_ADJECTIVES: frozenset[str] = _words(
    """
    confident hopeful optimistic pessimistic skeptical sceptical sure certain convinced aware
    critical supportive worried concerned fearful afraid proud adamant insistent doubtful
    wary opposed eager angry furious upset happy pleased glad disappointed frustrated"""
)

# Verbs of asking: "asked Trump about the wall".
QUESTION_VERBS: frozenset[str] = _words("ask question")

# Verbs whose infinitive complement is the content ("wants to run", "vowed to fight").
INTENTION_VERBS: frozenset[str] = _words(
    """
    want hope expect plan promise pledge vow threaten refuse urge ask wish intend
    decline seek"""
)

# Verbs that need an explicit clause, quote or object before they count as a cue: on
# their own they are far more often ordinary verbs ("found the keys", "showed up").
NEEDS_CLAUSE: frozenset[str] = (
    COGNITION_VERBS
    | STANCE_VERBS
    | EVIDENCE_VERBS
    | _words("call describe question repeat post ask continue threaten agree")
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

# The prepositional cue "according to X".
ACCORDING = "according"

# Quotation marks as the tokenizer gives them; straight marks and the typewriter pair
# "''" (as in "''Yes,'' she said") both open and close, so they toggle.
OPENING_QUOTES: frozenset[str] = frozenset({"“", "«", "„", "``", "‘‘"})
CLOSING_QUOTES: frozenset[str] = frozenset({"”", "»", "’’"})
TOGGLING_QUOTES: frozenset[str] = frozenset({'"', "''"})
QUOTE_MARKS: frozenset[str] = OPENING_QUOTES | CLOSING_QUOTES | TOGGLING_QUOTES

# Cues that report speech and nothing else: the sentence that holds one is what its
# speaker says, even beyond the clause the parser gave it. Verbs that can also be actions
# ("rejected compromise", "warned residents") govern only their content.
SENTENCE_CUES: frozenset[str] = _words(
    """
    say tell add claim state report note explain stress reveal confirm announce argue assure
    insist write according reportedly allegedly purportedly supposedly apparently"""
) | {"according to"}

# Singular nouns for people, which "he" or "she" can stand for (organisations take "it").
PERSON_NOUNS: frozenset[str] = _words(
    """
    minister president official officer commander general governor mayor ambassador diplomat
    witness resident source analyst expert leader chief director lawmaker senator prosecutor
    doctor reporter correspondent journalist candidate activist lawyer"""
)

# Modals that make a reporting verb speech that has not happened ("will say", "should
# argue"): no claim is made yet.
UNREALISED_MODALS: frozenset[str] = _words("will should could may shall")
