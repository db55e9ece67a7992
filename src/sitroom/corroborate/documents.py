"""Story clustering: group whole documents that report the same real event.

Two stages, because the hard part is telling apart two similar events of the same kind
(two earthquakes, two shootings, two piracy arrests by the same navy):

1. **Topic**: average-linkage agglomerative clustering over a blend of word TF-IDF and
   "who/where/when" TF-IDF (capitalised name sequences, numbers, weekday and month names),
   with a loose threshold so that reports of one event are rarely split.
2. **Event**: inside each topic group the vectors are fitted again on the group's documents
   only. Terms every report of the topic shares ("earthquake", "Indian navy") lose their
   weight, terms seen in a single document are dropped (they cannot link two reports), and
   what remains are the distinguishing names, numbers and days ("INS Sukanya", "26",
   "Thursday"). A tighter threshold splits the group into events.

Deterministic: no random state; labels are numbered by the first document of each cluster
in the input order, so the partition (not the numbering) is independent of the input order
up to ties in the linkage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

# All thresholds below were calibrated on the ECB+ DEV split (topics 1-35, 772 documents;
# `sitroom eval coref`); F1 stays within 0.90-0.92 for TOPIC_DISTANCE 0.85-0.92 and
# EVENT_DISTANCE 0.86-0.90.
NAME_WEIGHT = 0.7  # share of the who/where/when similarity in the topic stage
TOPIC_DISTANCE = 0.90  # average-linkage cosine distance cut for topics (B3 recall ~0.99)
EVENT_NAME_WEIGHT = 0.5  # share of the who/where/when similarity in the event stage
EVENT_DISTANCE = 0.88  # cut inside a topic group
EVENT_MAX_DF = 0.9  # terms in more than 90 % of a topic group's documents do not discriminate
EVENT_MIN_DF = 2  # a term must appear in two documents to link them
MIN_GROUP_TO_SPLIT = 4  # smaller topic groups are too small to fit local weights on

_NAME = re.compile(r"\b[A-Z][\w'\-]+(?:\s+(?:of\s+)?[A-Z][\w'\-]+)*")
_NUMBER = re.compile(r"\b\d[\d,.]*\b")


def extract_signals(text: str) -> list[str]:
    """Who/where/when tokens of a text: name sequences (whole and per word) and numbers."""
    tokens: list[str] = []
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        tokens.append("_".join(words).lower())
        if len(words) > 1:
            tokens.extend(word.lower() for word in words)
    tokens.extend("#" + number.rstrip(".,") for number in _NUMBER.findall(text))
    return tokens


def _similarity(texts: Sequence[str], name_weight: float, min_df: int, max_df: float) -> np.ndarray:
    """Blended cosine similarity of word TF-IDF and who/where/when TF-IDF."""
    words = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=min_df, max_df=max_df)
    names = TfidfVectorizer(analyzer=extract_signals, sublinear_tf=True, min_df=min_df, max_df=max_df)
    blended = np.zeros((len(texts), len(texts)))
    for vectorizer, weight in ((words, 1.0 - name_weight), (names, name_weight)):
        try:
            matrix = vectorizer.fit_transform(texts)
        except ValueError:  # no term survives min_df/max_df: this view links nothing
            continue
        blended += weight * (matrix @ matrix.T).toarray()
    return blended


def _cut(similarity: np.ndarray, distance: float) -> np.ndarray:
    if len(similarity) < 2:
        return np.zeros(len(similarity), dtype=int)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=distance
    )
    return np.asarray(model.fit_predict(np.clip(1.0 - similarity, 0.0, None)))


def cluster_documents(texts: Sequence[str]) -> list[int]:
    """Cluster labels, one per text: texts with the same label report the same event."""
    if not texts:
        return []
    topics = _cut(_similarity(texts, NAME_WEIGHT, 1, 1.0), TOPIC_DISTANCE)
    labels = np.full(len(texts), -1)
    next_label = 0
    for topic in sorted(set(topics.tolist())):
        members = np.flatnonzero(topics == topic)
        if len(members) < MIN_GROUP_TO_SPLIT:
            events = np.zeros(len(members), dtype=int)
        else:
            local = _similarity(
                [texts[int(i)] for i in members], EVENT_NAME_WEIGHT, EVENT_MIN_DF, EVENT_MAX_DF
            )
            events = _cut(local, EVENT_DISTANCE)
        labels[members] = events + next_label
        next_label += int(events.max()) + 1
    return _renumber(labels.tolist())


def _renumber(labels: Sequence[int]) -> list[int]:
    """Number clusters 0, 1, ... in the order of their first member."""
    numbering: dict[int, int] = {}
    return [numbering.setdefault(label, len(numbering)) for label in labels]
