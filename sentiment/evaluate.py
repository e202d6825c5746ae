"""The classifier's accuracy on labelled texts: accuracy, per-class precision, recall and F1, and
the confusion matrix.

The packaged set ``data/eval/labelled_texts.csv`` (columns id, text, label, category, split) holds
Chinese comments and mentions about a drinks brand written and labelled by hand, with hard cases
(negation, sarcasm, questions, neutral product questions such as 多少钱 / 哪里买, mixed
opinions), distinct from the sample generator's texts (tests check that none is shared). The
lexicon was tuned on the ``dev`` and, later, the ``holdout`` split; the ``fresh`` split was written
after all tuning and measured once: the honest estimate (figures in README.md).

``python -m sentiment.evaluate`` prints the figures of every split.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from sentiment.classifier import LABELS, classify_many

EVAL_FILE = ("data", "eval", "labelled_texts.csv")


@dataclass(frozen=True)
class LabelledText:
    id: str
    text: str
    label: str
    category: str
    split: str


@dataclass(frozen=True)
class Report:
    """How predictions compare with the true labels."""

    n: int
    accuracy: float
    precision: dict[str, float]
    recall: dict[str, float]
    f1: dict[str, float]
    confusion: dict[str, dict[str, int]]  # true label -> predicted label -> count

    @property
    def macro_f1(self) -> float:
        return sum(self.f1.values()) / len(self.f1)

    def table(self) -> str:
        """The figures as a plain-text table."""
        lines = [f"n = {self.n}, accuracy = {self.accuracy:.3f}, macro F1 = {self.macro_f1:.3f}"]
        lines.append(f"{'label':<10}{'precision':>10}{'recall':>8}{'F1':>7}   confusion (pred →)")
        for label in LABELS:
            row = " ".join(f"{self.confusion[label][p]:>4}" for p in LABELS)
            lines.append(
                f"{label:<10}{self.precision[label]:>10.3f}{self.recall[label]:>8.3f}"
                f"{self.f1[label]:>7.3f}   {row}"
            )
        return "\n".join(lines)


def load_labelled(split: str | None = None) -> list[LabelledText]:
    """The packaged labelled texts (one split, or all)."""
    path = resources.files("sentiment").joinpath(*EVAL_FILE)
    rows = csv.DictReader(path.read_text(encoding="utf-8").splitlines())
    texts = [LabelledText(**row) for row in rows]
    return [t for t in texts if split is None or t.split == split]


def compare(truth: Sequence[str], predicted: Sequence[str]) -> Report:
    """Accuracy, per-class precision/recall/F1 and the confusion matrix."""
    if len(truth) != len(predicted):
        raise ValueError("truth and predictions differ in length")
    confusion = {t: dict.fromkeys(LABELS, 0) for t in LABELS}
    for t, p in zip(truth, predicted, strict=True):
        confusion[t][p] += 1
    precision, recall, f1 = {}, {}, {}
    for label in LABELS:
        hits = confusion[label][label]
        predicted_as = sum(confusion[t][label] for t in LABELS)
        actual = sum(confusion[label].values())
        precision[label] = hits / predicted_as if predicted_as else 0.0
        recall[label] = hits / actual if actual else 0.0
        both = precision[label] + recall[label]
        f1[label] = 2 * precision[label] * recall[label] / both if both else 0.0
    correct = sum(confusion[label][label] for label in LABELS)
    return Report(
        n=len(truth),
        accuracy=correct / len(truth) if truth else 0.0,
        precision=precision,
        recall=recall,
        f1=f1,
        confusion=confusion,
    )


def evaluate(texts: Sequence[LabelledText]) -> tuple[Report, list[tuple[LabelledText, str]]]:
    """The report on `texts` and the misclassified ones with their predicted label."""
    predicted = classify_many([t.text for t in texts])["label"].tolist()
    report = compare([t.label for t in texts], predicted)
    wrong = [(t, p) for t, p in zip(texts, predicted, strict=True) if t.label != p]
    return report, wrong


def main() -> None:
    for split in ("dev", "holdout", "fresh", None):
        report, _ = evaluate(load_labelled(split))
        print(f"[{split or 'all'}]\n{report.table()}\n")


if __name__ == "__main__":
    main()
