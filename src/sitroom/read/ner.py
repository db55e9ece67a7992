"""Entity recognition beyond stock spaCy: generic actor phrases and office holders.

Conflict reports name actors by role as often as by name: "the regime", "coalition
forces", "Syrian government forces", "Kurdish residents", "PKK snipers", "the Foreign
Secretary". Stock spaCy tags names only, so these EntityRuler patterns (added to the
same ruler as the lexicon's aliases, see :meth:`sitroom.read.lexicon.Lexicon.ruler_patterns`)
mark them as ORG, and office titles with or without a name as PERSON.

The word tables here are also the vocabulary :mod:`sitroom.read.actors` resolves such
phrases with (head noun -> PLOVER sector and ACLED inter), so recognition and resolution
cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

Role = tuple[str | None, int | None]  # PLOVER sector, ACLED inter


def _words(text: str) -> tuple[str, ...]:
    """A word table written as one "|"-separated string, to keep the tables readable."""
    return tuple(text.split("|"))


# Head nouns of actor phrases with the sector they give. Calibrated by reading the seed
# article and ACLED's actor-type definitions, not tuned on evaluation data.
HEAD_ROLES: dict[str, Role] = {
    **dict.fromkeys(
        [
            "forces",
            "troops",
            "soldiers",
            "army",
            "military",
            "navy",
            "marines",
            "paratroopers",
            "commandos",
            "servicemen",
            "battalion",
            "brigade",
            "brigades",
            "regiment",
            "division",
            "units",
            "unit",
            "warplanes",
            "jets",
        ],
        ("MIL", 1),
    ),
    **dict.fromkeys(
        ["police", "policemen", "gendarmes", "gendarmerie", "guards"],
        ("COP", 1),
    ),
    **dict.fromkeys(
        ["intelligence", "spies"],
        ("SPY", 1),
    ),
    **dict.fromkeys(
        [
            "government",
            "authorities",
            "officials",
            "administration",
            "regime",
            "ministry",
            "ministries",
            "minister",
            "ministers",
            "cabinet",
            "diplomats",
            "delegation",
            "envoy",
            "embassy",
            "president",
            "presidency",
            "spokesman",
            "spokesperson",
            "spokeswoman",
            "leaders",
            "state",
        ],
        ("GOV", 1),
    ),
    **dict.fromkeys(
        [
            "rebels",
            "insurgents",
            "militants",
            "fighters",
            "jihadists",
            "guerrillas",
            "snipers",
            "gunmen",
            "combatants",
        ],
        ("REB", 2),
    ),
    **dict.fromkeys(
        ["militias", "militia", "militiamen", "paramilitaries", "mercenaries"],
        ("UAF", 3),
    ),
    **dict.fromkeys(
        ["opposition", "dissidents"],
        ("OPP", None),
    ),
    **dict.fromkeys(
        [
            "civilians",
            "residents",
            "villagers",
            "people",
            "locals",
            "inhabitants",
            "families",
            "children",
            "women",
            "population",
            "citizens",
            "community",
            "communities",
            "victims",
            "mourners",
            "worshippers",
            "farmers",
            "herders",
            "passengers",
            "detainees",
            "prisoners",
        ],
        ("CVL", 7),
    ),
    **dict.fromkeys(
        ["refugees", "idps", "migrants", "displaced"],
        ("REF", 7),
    ),
    **dict.fromkeys(
        ["protesters", "demonstrators"],
        ("CVL", 6),
    ),
    **dict.fromkeys(
        ["rioters"],
        ("CVL", 5),
    ),
    **dict.fromkeys(
        ["journalists", "reporters", "photographers", "media"],
        ("MED", 7),
    ),
    **dict.fromkeys(
        ["doctors", "medics", "nurses", "paramedics"],
        ("HLH", 7),
    ),
    **dict.fromkeys(
        ["students", "teachers", "academics"],
        ("EDU", 7),
    ),
    **dict.fromkeys(
        ["clerics", "imams", "priests"],
        ("REL", 7),
    ),
    **dict.fromkeys(
        ["lawmakers", "legislators", "parliamentarians", "parliament", "mps"],
        ("LEG", 1),
    ),
    **dict.fromkeys(
        ["judges", "prosecutors", "court", "judiciary"],
        ("JUD", 1),
    ),
    **dict.fromkeys(
        ["businessmen", "companies", "firms", "traders", "businesses"],
        ("BUS", 7),
    ),
}

# Heads whose sector comes from the words before them ("security sources", "aid workers"),
# or from the named group they belong to ("PKK elements", "ISIL tactical units").
GENERIC_HEADS = frozenset(
    _words(
        "sources|personnel|officers|services|service|agency|agencies|staff|workers|members|"
        "elements|operatives|leadership|leader|commanders|commander|group|groups|organisation|"
        "organization|movement|faction|factions|cells|cell|teams|team|coalition|partners|allies|"
        "backers|affiliates|supporters|terrorists"
    )
)

# Words before a generic head that decide its sector.
MODIFIER_ROLES: dict[str, Role] = {
    **dict.fromkeys(
        [
            "military",
            "army",
            "armed",
            "naval",
            "air",
            "coalition",
            "defence",
            "defense",
            "special",
            "ground",
            "allied",
            "partner",
            "tactical",
        ],
        ("MIL", 1),
    ),
    **dict.fromkeys(
        ["security", "police", "border", "interior"],
        ("COP", 1),
    ),
    **dict.fromkeys(
        ["intelligence"],
        ("SPY", 1),
    ),
    **dict.fromkeys(
        ["government", "state", "regime", "official", "diplomatic", "foreign", "ministry", "presidential"],
        ("GOV", 1),
    ),
    **dict.fromkeys(
        ["rebel", "opposition", "insurgent", "jihadist"],
        ("REB", 2),
    ),
    **dict.fromkeys(
        ["militia", "tribal", "paramilitary", "pro-government"],
        ("UAF", 3),
    ),
    **dict.fromkeys(
        ["medical", "health", "hospital"],
        ("HLH", 7),
    ),
    **dict.fromkeys(
        ["aid", "humanitarian", "relief", "rescue"],
        ("NGO", 7),
    ),
    **dict.fromkeys(
        ["media", "news", "press"],
        ("MED", 7),
    ),
    **dict.fromkeys(
        ["local", "civilian"],
        ("CVL", 7),
    ),
}

# (modifier, head) pairs where the pair means more than its parts.
PAIR_ROLES: dict[tuple[str, str], Role] = {
    ("security", "sources"): ("SPY", 1),
    ("intelligence", "sources"): ("SPY", 1),
    ("government", "forces"): ("MIL", 1),
    ("regime", "forces"): ("MIL", 1),
    ("security", "forces"): ("COP", 1),
    ("security", "personnel"): ("COP", 1),
    ("opposition", "forces"): ("REB", 2),
    ("opposition", "fighters"): ("REB", 2),
    ("foreign", "fighters"): ("REB", 2),
    ("foreign", "militias"): ("UAF", 8),
}

# Ethnic and religious adjectives: they name a community, never a state.
GROUP_ADJECTIVES = frozenset(
    _words(
        "kurdish|arab|yazidi|yezidi|druze|alawite|sunni|shia|shiite|christian|muslim|jewish|"
        "assyrian|turkmen|rohingya|tuareg|fulani|peul|hausa|tigrayan|amhara|oromo|masalit|zaghawa|"
        "hutu|tutsi|banyamulenge|hema|lendu|bedouin|baloch|pashtun|tribal"
    )
)

# Words that are an outlet's characterisation, kept as ``Actor.label`` and never a sector.
LABEL_WORDS = frozenset(
    _words(
        "terrorist|terrorists|terror|extremist|extremists|radical|brutal|barbaric|criminal|"
        "murderous|illegitimate|so-called|puppet|occupation|occupying|bloody|separatist|cowardly"
    )
)
LABEL_SUFFIXES = ("-backed", "-led", "-linked", "-aligned", "-affiliated", "-allied", "-controlled")

# Determiners and quantifiers a mention may start with (re3d and our actor texts keep them).
DETERMINERS = ("the", "a", "an", "this", "these", "those", "all", "its", "their")

# Office titles, coded GOV unless listed in MILITARY_TITLES; "Mr"/"Ms" mark a person only.
OFFICE_TITLES = _words(
    "president|vice president|prime minister|deputy prime minister|foreign minister|"
    "defence minister|defense minister|interior minister|minister|deputy minister|"
    "foreign secretary|defence secretary|defense secretary|home secretary|secretary of state|"
    "deputy secretary of state|secretary of defense|secretary|secretary-general|king|"
    "crown prince|emir|ayatollah|supreme leader|chancellor|ambassador|envoy|special envoy|"
    "spokesperson|spokesman|spokeswoman|governor|mayor|senator"
)
MILITARY_TITLES = _words(
    "gen.|general|lt. gen.|maj. gen.|brig. gen.|lt.|col.|lt. col.|capt.|maj.|sgt.|commodore|"
    "admiral|adm.|commander|chief of staff|colonel"
)
COURTESY_TITLES = ("mr", "mr.", "ms", "ms.", "mrs", "mrs.", "dr", "dr.")

_DETERMINER: dict[str, Any] = {"LOWER": {"IN": list(DETERMINERS)}, "OP": "?"}
_NAME: dict[str, Any] = {"IS_TITLE": True, "OP": "+"}

# Heads that make an actor on their own with a determiner ("the regime", "the group").
_LABEL_SUFFIX_REGEX = "(" + "|".join(LABEL_SUFFIXES) + ")$"
_BARE_HEADS = _words(
    "regime|government|group|coalition|opposition|authorities|militants|insurgents|rebels|"
    "civilians|refugees|fighters|militias|terrorists|journalists|protesters|demonstrators|"
    "troops|soldiers"
)


def generic_patterns(
    country_adjectives: Sequence[str], tokenize: Callable[[str], list[str]]
) -> list[dict[str, Any]]:
    """EntityRuler patterns for role phrases and office holders.

    ``country_adjectives`` are the words that put a country before a noun ("Syrian",
    "U.S."); ethnic and religious adjectives come from :data:`GROUP_ADJECTIVES`.
    ``tokenize`` splits a title the way the pipeline's tokenizer does ("Lt." -> Lt, .).
    """
    heads = sorted(set(HEAD_ROLES) | GENERIC_HEADS)
    modifiers = sorted(set(MODIFIER_ROLES) | {w for w, _ in PAIR_ROLES})
    single = [a.lower() for a in country_adjectives if " " not in a]
    multi = [a.lower().split() for a in country_adjectives if " " in a]
    modifier: dict[str, Any] = {"LOWER": {"IN": modifiers}, "OP": "*"}
    head: dict[str, Any] = {"LOWER": {"IN": heads}}
    nationals: list[list[dict[str, Any]]] = [
        [{"LOWER": {"IN": single + sorted(GROUP_ADJECTIVES)}}],
        *[[{"LOWER": w} for w in words] for words in multi],
    ]
    patterns: list[dict[str, Any]] = []
    for national in nationals:
        patterns.append(_org([_DETERMINER, *national, modifier, head]))
    patterns.append(_org([_DETERMINER, {"LOWER": {"IN": modifiers}}, modifier, head]))
    patterns.append(
        _org(
            [
                {"LOWER": {"IN": ["the", "this", "these"]}},
                {"LOWER": {"REGEX": _LABEL_SUFFIX_REGEX}, "OP": "?"},
                {"LOWER": {"IN": sorted(LABEL_WORDS)}, "OP": "?"},
                {"LOWER": {"IN": list(_BARE_HEADS)}},
            ]
        )
    )
    patterns.append(
        _org(
            [
                _DETERMINER,
                {"LOWER": {"IN": ["government", "people", "regime", "army"]}},
                {"LOWER": "of"},
                _NAME,
            ]
        )
    )
    patterns.append(
        _org(
            [
                _DETERMINER,
                {"IS_TITLE": True},
                {"LOWER": {"IN": ["'s", "’s"]}, "OP": "?"},
                {"IS_LOWER": True, "OP": "?"},
                {"LOWER": "regime"},
            ]
        )
    )
    patterns.extend(_office_patterns(single, tokenize))
    return patterns


def member_patterns(
    alias_tokens: Iterable[list[dict[str, Any]]], label: str, entry_id: str
) -> list[dict[str, Any]]:
    """Patterns for a named group followed by a role head ("PKK snipers", "ISIL tactical units")."""
    heads = sorted((set(HEAD_ROLES) | GENERIC_HEADS) - {"state", "government"})
    modifiers = sorted(MODIFIER_ROLES)
    return [
        {
            "label": label,
            "id": entry_id,
            "pattern": [
                _DETERMINER,
                *body,
                {"LOWER": {"IN": modifiers}, "OP": "*"},
                {"LOWER": {"IN": heads}},
            ],
        }
        for body in alias_tokens
    ]


def _org(pattern: list[dict[str, Any]]) -> dict[str, Any]:
    return {"label": "ORG", "pattern": pattern}


def _office_patterns(
    country_adjectives: list[str], tokenize: Callable[[str], list[str]]
) -> list[dict[str, Any]]:
    national: dict[str, Any] = {"LOWER": {"IN": country_adjectives}, "OP": "?"}
    patterns = []
    for title in (*OFFICE_TITLES, *MILITARY_TITLES, *COURTESY_TITLES):
        words: list[dict[str, Any]] = [{"LOWER": w.lower()} for w in tokenize(title)]
        patterns.append({"label": "PERSON", "pattern": [_DETERMINER, national, *words, _NAME]})
        if title not in COURTESY_TITLES and "." not in title:
            patterns.append({"label": "PERSON", "pattern": [{"LOWER": "the"}, national, *words]})
    return patterns
