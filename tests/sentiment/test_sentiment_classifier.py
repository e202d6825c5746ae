"""The hand-written lexicon (sentiment.lexicon_classify, whose score is a feature of the trained
model): negation flips a word, degree adverbs scale it,
emoji, slang and the consumer-brand domain words count, questions are damped unless they
complain, contrast weighs what follows; many texts are labelled at once, in order; the packaged
lexicon is well formed and versioned by its content."""

from __future__ import annotations

import pandas as pd
import pytest

from sentiment import classify, classify_many, lexicon_classify, model_version
from sentiment.lexicon import KINDS, load, normalise, parse_entries


def label(text: str) -> str:
    return lexicon_classify(text).label


def raw(text: str) -> float:
    return lexicon_classify(text).raw


@pytest.mark.parametrize(
    ("plain", "negated"),
    [
        ("好用", "不好用"),
        ("好喝", "没有那么好喝"),
        ("推荐", "不推荐"),
        ("喜欢", "并不喜欢"),
        ("满意", "不太满意"),
        ("值得", "一点都不值得"),
    ],
)
def test_a_negator_before_a_positive_word_makes_it_negative(plain: str, negated: str):
    assert label(plain) == "positive"
    assert label(negated) == "negative"
    assert raw(negated) < 0 < raw(plain)


@pytest.mark.parametrize(("plain", "negated"), [("贵", "不贵"), ("踩雷", "不踩雷"), ("腻", "不腻")])
def test_a_negated_negative_word_is_mild_praise(plain: str, negated: str):
    assert raw(plain) < 0 < raw(negated) < -raw(plain)


def test_two_adjacent_negators_cancel_but_two_negated_words_do_not():
    assert label("不是不好") == "positive"  # 不是 + 不 + 好
    assert label("不甜不腻") == "positive"  # 不甜 (no sentiment) + 不腻 (not greasy)


def test_a_negator_reaches_only_a_few_characters_and_never_past_a_clause():
    assert label("不知道为什么，真的好喝") == "positive"
    assert label("我不，好喝") == "positive"


def test_degree_adverbs_scale_the_next_word():
    assert raw("好喝") < raw("很好喝") < raw("非常好喝") < raw("超级好喝")
    assert raw("有点贵") > raw("贵") > raw("太贵了")
    assert raw("很不好") < raw("不太好") < 0  # very bad vs not too good
    assert label("好苦") == "negative" and raw("好苦") < raw("苦")  # 好 as "very"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("👍👍", "positive"),
        ("😍", "positive"),
        ("🤮", "negative"),
        ("👎", "negative"),
        ("[赞][赞]", "positive"),
        ("[微笑]", "negative"),  # the passive-aggressive smile of Chinese social media
        ("😡客服呢", "negative"),
        ("😂😂😂", "neutral"),
    ],
)
def test_emoji(text: str, expected: str):
    assert label(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yyds", "positive"),
        ("YYDS！！", "positive"),  # full-width and upper case are normalised
        ("绝了", "positive"),
        ("种草了", "positive"),
        ("无限回购", "positive"),
        ("闭眼入", "positive"),
        ("踩雷了", "negative"),
        ("智商税", "negative"),
        ("避雷", "negative"),
        ("拔草了，不如其他家", "negative"),
    ],
)
def test_internet_slang(text: str, expected: str):
    assert label(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("用了过敏，脸上起红疹", "negative"),
        ("烂脸了", "negative"),
        ("申请退货", "negative"),
        ("物流慢", "negative"),
        ("客服一直不回复", "negative"),
        ("是假货吧", "negative"),
        ("好用，性价比高", "positive"),
        ("已经回购三次", "positive"),
        ("发货快，包装严实", "positive"),
        ("敏感肌用了不过敏", "positive"),
    ],
)
def test_consumer_brand_domain(text: str, expected: str):
    assert label(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "多少钱",
        "哪里买",
        "哪里能买到？",
        "求链接",
        "好喝吗？",
        "会不会过敏",
        "甜不甜啊",
        "孕妇能喝吗",
    ],
)
def test_product_questions_are_neutral(text: str):
    assert label(text) == "neutral"


def test_a_complaint_phrased_as_a_question_stays_negative():
    assert label("为什么喝了拉肚子") == "negative"
    assert label("凭什么不给退款？") == "negative"
    assert label("是不是假货啊") == "negative"  # an accusation keeps most of its weight


def test_what_follows_a_contrast_weighs_more():
    assert label("虽然好喝，但是太贵了") == "negative"
    assert label("虽然有点贵，但是真的好喝") == "positive"
    assert label("好喝是好喝，就是太贵了") == "negative"


def test_words_inside_longer_words_do_not_count():
    assert label("好像是新包装") == "neutral"
    assert label("超市有卖") == "neutral"
    assert label("没用过这个牌子") == "neutral"


def test_a_lexicon_result_has_a_label_a_bounded_score_and_the_raw_sum():
    result = lexicon_classify("超级好喝")
    assert result.label == "positive" and 0 < result.score < 1 and result.raw > 0
    assert lexicon_classify("") == lexicon_classify(None)
    assert lexicon_classify("").label == "neutral" and lexicon_classify("").score == 0.0


def test_a_prediction_has_a_label_a_score_and_a_negative_probability():
    praise, complaint = classify("超级好喝，已经回购三次了"), classify("太难喝了，再也不买了")
    assert praise.label == "positive" and 0 < praise.score <= 1 and praise.p_negative < 0.2
    assert complaint.label == "negative" and complaint.score < 0 and complaint.p_negative > 0.5
    assert classify("") == classify(None) == classify("  ")
    assert classify("").label == "neutral" and classify("").score == classify("").p_negative == 0


def test_classify_many_keeps_order_index_and_missing_values():
    texts = pd.Series(
        ["好喝", None, "太难喝了", "好喝", "", "多少钱一瓶"], index=[10, 11, 12, 13, 14, 15]
    )
    out = classify_many(texts)
    assert list(out.columns) == ["label", "score", "p_negative"]
    assert list(out.index) == [10, 11, 12, 13, 14, 15]
    assert out["label"].tolist() == [
        "positive",
        "neutral",
        "negative",
        "positive",
        "neutral",
        "neutral",
    ]
    assert out["score"].tolist()[1] == 0.0 and out["p_negative"].tolist()[1] == 0.0
    assert out.loc[10, "score"] == out.loc[13, "score"] == classify("好喝").score
    assert ((out["p_negative"] >= 0) & (out["p_negative"] <= 1)).all()
    assert classify_many([]).empty
    assert classify_many(["好喝"])["label"].tolist() == ["positive"]


def test_normalise_folds_width_case_and_spaces():
    assert normalise("ＹＹＤＳ ！ 好 喝") == "yyds!好喝"


def test_the_packaged_lexicon_loads_with_every_kind():
    lexicon = load()
    kinds = {entry.kind for entry in lexicon.entries.values()}
    assert kinds == KINDS  # every kind the scorer knows is used by some entry
    assert len(lexicon) > 1000
    assert {e.source for e in lexicon.entries.values()} == {
        "domain.csv",
        "emoji.csv",
        "general.csv",
        "modifiers.csv",
        "slang.csv",
    }
    for term in ("不", "没", "没有", "别", "不太", "并不"):
        assert lexicon.entries[term].kind == "negator", term
    for term in ("很", "非常", "太", "超"):
        assert lexicon.entries[term].kind == "degree", term
    for term in ("yyds", "绝了", "踩雷", "智商税", "避雷", "回购", "种草", "拔草"):
        assert term in lexicon.entries, term
    for term in ("过敏", "烂脸", "退货", "物流慢", "假货", "好用", "性价比"):
        assert term in lexicon.entries, term


def test_a_malformed_lexicon_file_is_refused_with_its_name():
    good = "term,kind,weight\n好,term,1\n".encode()
    with pytest.raises(ValueError, match=r"b\.csv: '好' is listed again \(first in a\.csv\)"):
        parse_entries([("a.csv", good), ("b.csv", good)])
    with pytest.raises(ValueError, match="unknown kind 'adverb'"):
        parse_entries([("a.csv", "term,kind,weight\n很,adverb,1\n".encode())])
    with pytest.raises(ValueError, match="the weight 'x'"):
        parse_entries([("a.csv", "term,kind,weight\n好,term,x\n".encode())])
    with pytest.raises(ValueError, match="header"):
        parse_entries([("a.csv", "word,weight\n好,1\n".encode())])


def test_the_model_version_is_a_digest_of_the_model_the_lexicon_and_code(monkeypatch):
    from sentiment import model

    version = model_version()
    assert version.startswith("model-") and len(version) == len("model-") + 12
    trained = model.load()
    monkeypatch.setattr(
        model, "load", lambda: type(trained)(**{**trained.__dict__, "digest": "retrained"})
    )
    assert model_version() != version
