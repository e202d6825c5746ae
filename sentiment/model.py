"""The trained sentiment model: inference with numpy only (no scikit-learn at run time).

A text is normalised (`lexicon.normalise`: NFKC, lower case, no spaces) and described by

- its character 1–4-grams that are in the model's vocabulary, weighted TF-IDF (sublinear term
  frequency 1 + ln(count), times the n-gram's inverse document frequency) times the n-gram's
  polarity scale (NB-SVM style: how differently often it occurs in positive and negative
  training texts, `train.polarity_scale`), the row scaled to unit length;
- a few dense features from the hand-written lexicon (`LEXICON_FEATURES`): its score, whether it
  found praise or a complaint, and whether the text asks a question.

A multinomial logistic regression turns those into the probabilities of positive, neutral and
negative. The shipped model is an ensemble of two such regressions over the same n-grams
(`PolarSplit`): P(neutral) comes from the plain one (TF-IDF, no scale), and how the rest,
1 − P(neutral), is split between positive and negative comes from a second regression whose
n-grams are scaled by NB-SVM's positive/negative log-count ratio (`train.polar_scale`), which
separates praise from complaint better but recognises neutral texts worse. The model file (``data/model/sentiment.npz``) holds the vocabulary, the IDF weights,
the coefficients and the configuration, as plain arrays (loaded with ``allow_pickle=False``: a
model file cannot run code). ``train.py`` writes it; ``DATA.md`` beside it says what it was
trained on.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from sentiment.lexicon import normalise

LABELS = ("positive", "neutral", "negative")
MODEL_FILE = ("data", "model", "sentiment.npz")
#: the modules whose code decides a label besides the lexicon's (part of the model version)
CODE_FILES = ("model.py",)
NGRAMS = (1, 2, 3, 4)
LEXICON_FEATURES = ("lexicon_score", "lexicon_positive", "lexicon_negative", "question")
QUESTION_MARKS = ("?", "吗", "么", "呢", "多少", "哪里", "哪儿", "什么时候", "怎么", "几")


def ngrams(normalised: str, sizes: Sequence[int] = NGRAMS) -> Iterable[str]:
    """The character n-grams of a normalised text (of `sizes` characters, 1–4 by default)."""
    length = len(normalised)
    for n in sizes:
        for start in range(length - n + 1):
            yield normalised[start : start + n]


def lexicon_features(texts: Sequence[str]) -> np.ndarray:
    """The dense features from the hand-written lexicon, one row per text (`LEXICON_FEATURES`)."""
    from sentiment.classifier import raw_score
    from sentiment.lexicon import load

    lexicon = load()
    out = np.zeros((len(texts), len(LEXICON_FEATURES)), dtype=np.float64)
    for row, text in enumerate(texts):
        raw = raw_score(text, lexicon) if text else 0.0
        normalised = normalise(text)
        out[row, 0] = np.tanh(raw / 2)
        out[row, 1] = raw >= 0.5
        out[row, 2] = raw <= -0.5
        out[row, 3] = any(mark in normalised for mark in QUESTION_MARKS)
    return out


@dataclass(frozen=True)
class PolarSplit:
    """The second regression of the ensemble: its n-gram scale, coefficients and intercepts
    (its positive/negative probabilities split 1 − P(neutral) of the main regression)."""

    scale: np.ndarray  # (n_features,)
    coef: np.ndarray  # (n_classes, n_features)
    lexicon_coef: np.ndarray  # (n_classes, len(LEXICON_FEATURES))
    intercept: np.ndarray  # (n_classes,)


def _softmax(logits: np.ndarray) -> np.ndarray:
    logits = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class Model:
    """A loaded model: vocabulary → column, IDF weights, polarity scales, coefficients (classes × features) for
    the n-grams and for the lexicon features, intercepts, and the digest it was stored with."""

    vocabulary: dict[str, int]
    idf: np.ndarray  # (n_features,)
    scale: np.ndarray  # (n_features,): the polarity scale (all 1: none)
    coef: np.ndarray  # (n_classes, n_features)
    lexicon_coef: np.ndarray  # (n_classes, len(LEXICON_FEATURES))
    intercept: np.ndarray  # (n_classes,)
    classes: tuple[str, ...]
    config: dict
    digest: str
    polar: PolarSplit | None = None  # the ensemble's positive/negative split (None: plain)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """P(class | text) for every text, a (len(texts), len(classes)) array in `classes` order."""
        if not len(texts):
            return np.zeros((0, len(self.classes)))
        rows, columns = self._columns(texts)
        n = len(texts)
        n_features = len(self.idf)
        # counts of each (row, column) pair, then sublinear TF × IDF (× scale), rows unit length
        keys, counts = np.unique(rows * n_features + columns, return_counts=True)
        rows_u = keys // n_features
        columns_u = keys % n_features
        tfidf = (1.0 + np.log(counts)) * self.idf[columns_u]
        dense = lexicon_features(texts)

        def regression(scale: np.ndarray, coef: np.ndarray, lexicon: np.ndarray, bias: np.ndarray):
            weights = tfidf * scale[columns_u]
            norms = np.sqrt(np.bincount(rows_u, weights=weights * weights, minlength=n))
            norms[norms == 0] = 1.0
            weights = weights / norms[rows_u]
            logits = np.empty((n, len(self.classes)))
            for index in range(len(self.classes)):
                logits[:, index] = np.bincount(
                    rows_u, weights=weights * coef[index, columns_u], minlength=n
                )
            return _softmax(logits + dense @ lexicon.T + bias)

        main = regression(self.scale, self.coef, self.lexicon_coef, self.intercept)
        if self.polar is None:
            return main
        split = regression(
            self.polar.scale, self.polar.coef, self.polar.lexicon_coef, self.polar.intercept
        )
        return combine(main, split, self.classes)

    def _columns(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        get = self.vocabulary.get
        sizes = tuple(self.config.get("ngrams", NGRAMS))
        rows: list[int] = []
        columns: list[int] = []
        for row, text in enumerate(texts):
            found = [c for c in map(get, ngrams(normalise(text), sizes)) if c is not None]
            columns.extend(found)
            rows.extend([row] * len(found))
        return np.asarray(rows, dtype=np.int64), np.asarray(columns, dtype=np.int64)


def combine(main: np.ndarray, split: np.ndarray, classes: Sequence[str]) -> np.ndarray:
    """The ensemble's probabilities: P(neutral) of `main`, the rest divided between positive
    and negative as `split` divides its own positive and negative probability."""
    positive, neutral, negative = (classes.index(label) for label in LABELS)
    polar = 1.0 - main[:, neutral]
    share = split[:, positive] / (split[:, positive] + split[:, negative])
    out = np.empty_like(main)
    out[:, neutral] = main[:, neutral]
    out[:, positive] = polar * share
    out[:, negative] = polar * (1.0 - share)
    return out


def model_path() -> Path:
    return Path(str(resources.files("sentiment").joinpath(*MODEL_FILE)))


def save(path: Path, model: Model) -> None:
    """Write `model` as a plain-array .npz (vocabulary in column order, joined by newlines: a
    normalised text holds no whitespace; the polarity scale only when there is one)."""
    ordered = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {
        "vocabulary": np.array("\n".join(ordered)),
        "idf": model.idf.astype(np.float32),
        "coef": model.coef.astype(np.float32),
        "lexicon_coef": model.lexicon_coef.astype(np.float64),
        "intercept": model.intercept.astype(np.float64),
        "classes": np.array(list(model.classes)),
        "config": np.array(json.dumps(model.config, sort_keys=True, ensure_ascii=False)),
    }
    if not np.all(model.scale == 1.0):  # no polarity scale: the file (and digest) as before
        arrays["scale"] = model.scale.astype(np.float32)
    if model.polar is not None:  # the ensemble's positive/negative split
        arrays["polar_scale"] = model.polar.scale.astype(np.float32)
        arrays["polar_coef"] = model.polar.coef.astype(np.float32)
        arrays["polar_lexicon_coef"] = model.polar.lexicon_coef.astype(np.float64)
        arrays["polar_intercept"] = model.polar.intercept.astype(np.float64)
    with path.open("wb") as handle:
        np.savez_compressed(handle, **arrays)


def read(path: Path) -> Model:
    """A model from a file written by `save` (no pickle). Its digest is over the arrays'
    contents (a zip's timestamps do not change it)."""
    with np.load(path, allow_pickle=False) as arrays:
        digest = hashlib.sha256()
        for name in sorted(arrays.files):
            digest.update(name.encode())
            digest.update(np.ascontiguousarray(arrays[name]).tobytes())
        terms = str(arrays["vocabulary"]).split("\n")
        classes = tuple(str(c) for c in arrays["classes"])
        if sorted(classes) != sorted(LABELS):
            raise ValueError(f"{path}: classes {classes} are not {LABELS}")
        return Model(
            vocabulary={term: column for column, term in enumerate(terms)},
            idf=arrays["idf"].astype(np.float64),
            scale=(
                arrays["scale"].astype(np.float64)
                if "scale" in arrays.files
                else np.ones(len(terms), dtype=np.float64)
            ),
            coef=arrays["coef"].astype(np.float64),
            lexicon_coef=arrays["lexicon_coef"],
            intercept=arrays["intercept"],
            classes=classes,
            config=json.loads(str(arrays["config"])),
            digest=digest.hexdigest(),
            polar=(
                PolarSplit(
                    scale=arrays["polar_scale"].astype(np.float64),
                    coef=arrays["polar_coef"].astype(np.float64),
                    lexicon_coef=arrays["polar_lexicon_coef"],
                    intercept=arrays["polar_intercept"],
                )
                if "polar_coef" in arrays.files
                else None
            ),
        )


@functools.cache
def load() -> Model:
    """The packaged model (read once per process)."""
    path = model_path()
    if not path.exists():
        raise FileNotFoundError(
            f"sentiment model {path} is missing: run `newmedia sentiment train` to build it"
        )
    return read(path)
