"""A lexicon-based Chinese sentiment classifier: positive, neutral or negative, with a score.

How a text is scored (`raw_score`; the lexicon's kinds are described in lexicon.py):

1. Normalise it (NFKC, lower case, no spaces) and find, left to right, the lexicon's terms (the
   longest at each position: 不错 is one positive word, not 不 + 错) and the clause separators.
2. Within a clause, each sentiment word counts its weight, changed by the modifiers before it
   (at most `WINDOW` characters away):

   - a negator flips it (不好用, 没有效果): a positive word becomes -`NEGATED_POSITIVE` × its
     weight, a negative one +`NEGATED_NEGATIVE` × (不贵, 不踩雷 are mild praise); two adjacent
     negators cancel (不是不好), two negated words do not (不甜不腻);
   - a degree adverb multiplies it (很, 非常, 太, 超 > 1; 有点, 稍微 < 1); after a negator it
     softens the flip instead (不是很喜欢: `NEGATED_DEGREE`); a ``degree_or_term`` word (好) is a
     degree adverb (× `DEGREE_OR_TERM_FACTOR`) when a sentiment word follows it directly.

3. A clause that is a question (?, 吗, 是不是, 多少钱, 哪里买, an A-not-A form like 甜不甜) counts
   its words at `QUESTION_FACTOR` (好用吗 asks, it does not praise), an accusation (是不是假货) at
   `ACCUSATION_QUESTION_FACTOR`; a complaint phrased as a question (为什么, 凭什么, 怎么还) is not
   damped, and its marker's own weight counts.
4. After a contrast (但是, 不过, 就是 …) what came before counts `BEFORE_CONTRAST` and what follows
   `AFTER_CONTRAST`.
5. The sum is the raw score: ≥ `POSITIVE_THRESHOLD` is positive, ≤ -`NEGATIVE_THRESHOLD`
   negative, else neutral (a text without sentiment words is neutral). The score returned is
   tanh(raw / 2), in -1..1.

`classify_many` labels many texts at once: each distinct text is scored once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd

from sentiment.lexicon import Lexicon, load, normalise

LABELS = ("positive", "neutral", "negative")

WINDOW = 3  # characters between a modifier and the word it modifies
NEGATED_POSITIVE = 0.8
NEGATED_NEGATIVE = 0.6
NEGATED_DEGREE = 0.6
DEGREE_OR_TERM_FACTOR = 1.5
QUESTION_FACTOR = 0.2
ACCUSATION_QUESTION_FACTOR = 0.8
BEFORE_CONTRAST = 0.5
AFTER_CONTRAST = 1.3
POSITIVE_THRESHOLD = 0.5
NEGATIVE_THRESHOLD = 0.5


@dataclass(frozen=True)
class Result:
    label: str
    score: float  # tanh(raw / 2): -1 (very negative) .. 1 (very positive)
    raw: float


Token = tuple[int, int, str, float]  # start, end, kind, weight


#: an A-not-A question: 好不好, 甜不甜, 好喝不好喝, 有没有
A_NOT_A = re.compile(r"([\u4e00-\u9fff]{1,2})[不没]\1")


def _tokens(text: str, lexicon: Lexicon) -> list[tuple[list[Token], bool]]:
    """The text's clauses: each a list of tokens and whether it is a question by its form (it
    ends with ?, or holds an A-not-A question such as 甜不甜)."""
    normalised = normalise(text)
    questions = [match.start() for match in A_NOT_A.finditer(normalised)]
    clauses: list[tuple[list[Token], bool]] = []
    current: list[Token] = []
    clause_start = 0

    def asks(end: int) -> bool:
        return any(clause_start <= position < end for position in questions)

    for start, end, entry in lexicon.scan(normalised):
        if entry is not None:
            current.append((start, end, entry.kind, entry.weight))
            continue
        question_mark = normalised[start] == "?"
        if current:  # a separator ends a clause
            clauses.append((current, question_mark or asks(start)))
            current = []
        elif question_mark and clauses:  # "??", "吗 ?"
            clauses[-1] = (clauses[-1][0], True)
        clause_start = end
    if current:
        clauses.append((current, asks(len(normalised))))
    return clauses


def _modifies_next(tokens: list[Token], index: int) -> bool:
    """Whether the token at `index` is directly followed by a sentiment word."""
    if index + 1 >= len(tokens):
        return False
    start, _end, kind, _weight = tokens[index + 1]
    return start == tokens[index][1] and kind in ("term", "accusation", "degree_or_term")


def raw_score(text: str, lexicon: Lexicon | None = None) -> float:
    """The raw score of one text: the sum over its clauses (see the module docstring)."""
    lexicon = lexicon or load()
    total = 0.0
    after_contrast = False
    for tokens, ends_with_question in _tokens(text, lexicon):
        words: list[tuple[float, bool]] = []  # (contribution, is an accusation)
        negators = 0
        degree_before = 1.0  # degree adverbs before the first pending negator
        degree_after = False  # a degree adverb after a negator
        last_end = -1
        question, rhetorical = ends_with_question, False
        for index, (start, end, kind, weight) in enumerate(tokens):
            if (negators or degree_after or degree_before != 1.0) and start - last_end > WINDOW:
                negators, degree_before, degree_after = 0, 1.0, False
            if kind == "degree_or_term" and _modifies_next(tokens, index):
                kind, weight = "degree", DEGREE_OR_TERM_FACTOR  # 好苦, 好喜欢: 好 is "very"
            if kind == "negator":
                # two negators cancel only when adjacent (不是不好); 不甜不腻 negates twice
                negators = negators + 1 if negators and start == last_end else 1
                last_end = end
            elif kind == "degree":
                if negators:
                    degree_after = True
                else:
                    degree_before *= weight
                last_end = end
            elif kind == "question":
                question = True
            elif kind == "rhetorical":
                rhetorical = True
                words.append((weight * (AFTER_CONTRAST if after_contrast else 1.0), False))
            elif kind == "contrast":
                total *= BEFORE_CONTRAST
                words = [(value * BEFORE_CONTRAST, acc) for value, acc in words]
                after_contrast = True
                negators, degree_before, degree_after = 0, 1.0, False
            else:  # a sentiment word (term, accusation) or a blocker
                value = weight * degree_before
                if negators % 2:
                    value = -value * (NEGATED_POSITIVE if value > 0 else NEGATED_NEGATIVE)
                    if degree_after:
                        value *= NEGATED_DEGREE
                if after_contrast:
                    value *= AFTER_CONTRAST
                words.append((value, kind == "accusation"))
                negators, degree_before, degree_after = 0, 1.0, False
                last_end = end
        if question and not rhetorical:
            total += sum(
                value * (ACCUSATION_QUESTION_FACTOR if acc else QUESTION_FACTOR)
                for value, acc in words
            )
        else:
            total += sum(value for value, _acc in words)
    return total


def label_of(raw: float) -> str:
    if raw >= POSITIVE_THRESHOLD:
        return "positive"
    if raw <= -NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


def lexicon_classify(text: str | None) -> Result:
    """The hand-written lexicon's label and score of one text (an empty or missing text is
    neutral, score 0). The trained model (`classify`) uses its score as a feature."""
    raw = raw_score(text) if text else 0.0
    return Result(label_of(raw), round(math.tanh(raw / 2), 4), raw)


@dataclass(frozen=True)
class Prediction:
    label: str  # the most probable of positive, neutral, negative
    score: float  # P(positive) - P(negative): -1 (surely negative) .. 1 (surely positive)
    p_negative: float  # P(negative), what the recall-tuned alert threshold applies to


def classify(text: str | None) -> Prediction:
    """The trained model's label, score and negative probability of one text (an empty or
    missing text is neutral, score 0, P(negative) 0)."""
    row = classify_many([text]).iloc[0]
    return Prediction(str(row["label"]), float(row["score"]), float(row["p_negative"]))


#: the alert rule fires on a negative label or on P(negative) >= ALERT_THRESHOLD, chosen for a
#: negative recall of about 0.93 on validation reviews (README.md, "Alerts": recall 0.933 at
#: precision 0.800 for the shipped ensemble)
ALERT_THRESHOLD = 0.3
BATCH = 50_000  # texts per numpy batch (bounds the memory of a million-text run)


def classify_many(texts: Iterable[str | None] | pd.Series) -> pd.DataFrame:
    """Labels, scores and negative probabilities of many texts by the trained model, in their
    order: a frame with the columns `label`, `score` and `p_negative`. Each distinct text is
    scored once (comments repeat a lot), so the cost grows with the distinct texts; an empty or
    missing text is neutral with score 0 and P(negative) 0."""
    from sentiment.model import load as load_model

    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype="object")
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    strings = list(_as_strings(uniques))
    model = load_model()
    probabilities = np.zeros((len(strings), len(LABELS)))
    for start in range(0, len(strings), BATCH):
        probabilities[start : start + BATCH] = model.probabilities(strings[start : start + BATCH])
    order = [model.classes.index(label) for label in LABELS]
    probabilities = probabilities[:, order]
    labels = np.array(LABELS, dtype=object)[probabilities.argmax(axis=1)]
    empty = np.array([not text.strip() for text in strings], dtype=bool)
    labels[empty] = "neutral"
    scores = np.round(probabilities[:, 0] - probabilities[:, 2], 4)
    p_negative = np.round(probabilities[:, 2], 4)
    scores[empty] = 0.0
    p_negative[empty] = 0.0
    known = codes >= 0
    out_labels = np.full(len(series), "neutral", dtype=object)
    out_scores = np.zeros(len(series), dtype=np.float64)
    out_p_negative = np.zeros(len(series), dtype=np.float64)
    out_labels[known] = labels[codes[known]]
    out_scores[known] = scores[codes[known]]
    out_p_negative[known] = p_negative[codes[known]]
    return pd.DataFrame(
        {"label": out_labels, "score": out_scores, "p_negative": out_p_negative},
        index=series.index,
    )


def _as_strings(values: Sequence[object]) -> Iterable[str]:
    for value in values:
        yield value if isinstance(value, str) else str(value)


def model_version() -> str:
    """The version stored with every label: ``model-`` and 12 hex digits of a digest of the
    trained model's arrays, the lexicon (its files and code, which give the lexicon features)
    and the model's code. Retraining on other data, or changing either code, changes it, and the
    warehouse labels every text again."""
    import hashlib

    from sentiment.model import CODE_FILES
    from sentiment.model import load as load_model

    digest = hashlib.sha256()
    digest.update(load_model().digest.encode())
    digest.update(load().version.encode())
    package = resources.files("sentiment")
    for name in CODE_FILES:
        digest.update(name.encode())
        digest.update(package.joinpath(name).read_bytes())
    return "model-" + digest.hexdigest()[:12]
