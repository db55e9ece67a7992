"""Train the ACLED sub-event classifier that sitroom ships, reproducibly, and report its figures.

    scripts/train acled --data ../shared/data/events-acled-types             # acled_model.npz
    scripts/train acled --data ../shared/data/events-acled-types --embeddings  # ..._minilm.npz
    scripts/train pubdate --data ../shared/data/pubdate                      # pubdate_rules.tsv

``pubdate`` chooses the publication-date rules used on top of htmldate
(:mod:`sitroom.ingest.pubdate_model`) on the htmldate MediaCloud pages, prints the day
accuracy of htmldate alone, the k-fold cross-validated one (folds by outlet, 3 seeds) and the
fit, and writes the rules with the data's SHA-256 and those figures.

Reads the CASE 2021 task 2 snippets (any tab-separated file with ``EventSnippet`` and
``SubType`` columns), prints the k-fold cross-validated weighted and macro F1 (near-duplicate
reports kept in one fold, 3 seeds) and the fit on the whole split, then trains on the whole
split and writes the weights with the data's SHA-256 and those figures in the file's metadata.
The same data gives the same file: no randomness outside the seeded folds.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import sklearn

from sitroom.evaluation.acled_types import ACLED_TABLE, TASK_CODES, read_rows
from sitroom.evaluation.datasets import Companions, files_sha256, find_data
from sitroom.evaluation.pubdate import PUBDATE_GOLD, page_dates, read_pages
from sitroom.events import acled_model
from sitroom.events.acled import LABELS, cue_scores
from sitroom.ingest import pubdate_model
from sitroom.ingest.pubdate import shipped_chooser_path
from sitroom.rules import load_rules

PACKAGE_DATA = Path(__file__).resolve().parent.parent / "src" / "sitroom" / "data"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", choices=["acled", "pubdate"], help="the model to train")
    parser.add_argument("--data", type=Path, required=True, help="folder or file of the dev split")
    parser.add_argument("--embeddings", action="store_true", help="add all-MiniLM-L6-v2 features (extra)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", type=Path, help="where to write (default: the packaged file)")
    args = parser.parse_args(argv)
    if args.stage == "pubdate":
        return train_pubdate(args.data, args.folds, args.out)

    paths = find_data(args.data, ACLED_TABLE)
    rows = read_rows(paths)
    by_code = {code: name for name, code in TASK_CODES.items()}
    texts = [snippet for snippet, _ in rows]
    labels = [by_code[code] for _, code in rows]
    # the shipped cue table: the model ships with it, so a user's rule files do not retrain it
    acled_rules = load_rules().acled_rules
    cues = np.array([cue_scores(text, acled_rules) for text in texts])
    embedded = acled_model.embedder()(texts) if args.embeddings else None
    print(f"{len(texts)} snippets, {len(set(labels))} labels, from {', '.join(map(str, paths))}")

    validation = acled_model.cross_validate(texts, labels, cues, embedded, folds=args.folds)
    cv_weighted = validation.mean(lambda run: acled_model.weighted_f1(labels, run))
    cv_macro = validation.mean(lambda run: acled_model.macro_f1(labels, run))
    model = acled_model.fit(texts, labels, cues, embedded)
    fitted = [model.labels[k] for k in model.probabilities(texts, cues, embedded).argmax(axis=1)]
    figures = {
        "cv_weighted_f1": round(cv_weighted[0], 4),
        "cv_weighted_f1_sd": round(cv_weighted[1], 4),
        "cv_macro_f1": round(cv_macro[0], 4),
        "fit_weighted_f1": round(acled_model.weighted_f1(labels, fitted), 4),
    }
    print(
        f"{args.folds}-fold cross-validated (3 seeds): weighted F1 {figures['cv_weighted_f1']:.3f} "
        f"(sd {figures['cv_weighted_f1_sd']:.3f}), macro F1 {figures['cv_macro_f1']:.3f}; "
        f"fit on the whole split: weighted F1 {figures['fit_weighted_f1']:.3f}"
    )
    model = acled_model.AcledModel(
        model.labels,
        model.features,
        model.coef,
        model.intercept,
        {
            "data_files": [path.name for path in paths],
            "data_sha256": files_sha256(paths),
            "n": len(texts),
            "embeddings": args.embeddings,
            "cue_labels": list(LABELS),
            "scikit_learn": sklearn.__version__,
            "folds": args.folds,
            **figures,
        },
    )
    out = args.out or acled_model.shipped_model_path(args.embeddings)
    if args.out is None:
        out = PACKAGE_DATA / out.name
    acled_model.save(model, out)
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")
    return 0


def train_pubdate(data: Path, folds: int, out: Path | None) -> int:
    """Choose the publication-date rules on the pubdate pages and write data/pubdate_rules.tsv."""
    paths = find_data(data, PUBDATE_GOLD)
    pages = read_pages(paths, Companions.under(data))
    captured = datetime.now(UTC)
    candidates = [page_dates(page, captured) for page in pages]
    gold = [page.date for page in pages]
    urls = [page.url for page in pages]
    print(f"{len(pages)} pages from {', '.join(map(str, paths))}")
    validation = pubdate_model.cross_validate(candidates, gold, urls, folds)
    cv_accuracy, cv_sd = validation.accuracy(gold)
    rules = pubdate_model.select_rules(candidates, gold)
    figures = {
        "htmldate_accuracy": round(pubdate_model.right_days(candidates, gold, ()) / len(pages), 4),
        "cv_accuracy": round(cv_accuracy, 4),
        "cv_sd": round(cv_sd, 4),
        "fit_accuracy": round(pubdate_model.right_days(candidates, gold, rules) / len(pages), 4),
    }
    print(
        f"day accuracy: htmldate alone {figures['htmldate_accuracy']:.4f}; {folds}-fold cross-validated by "
        f"outlet (3 seeds) {figures['cv_accuracy']:.4f} (sd {figures['cv_sd']:.4f}); "
        f"fit on the whole split {figures['fit_accuracy']:.4f} with {pubdate_model.describe(rules)}"
    )
    out = out or shipped_chooser_path()
    record: dict[str, object] = {
        "data_files": ", ".join(path.name for path in paths),
        "data_sha256": files_sha256(paths),
        "n": len(pages),
        "folds": folds,
        "rule_trust": (
            f"(right + {pubdate_model.SMOOTHING_RIGHT}) / (pages + {pubdate_model.SMOOTHING_PAGES}) "
            "where a rule applies >= htmldate_accuracy"
        ),
        **figures,
    }
    pubdate_model.save_chooser(rules, out, record)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
