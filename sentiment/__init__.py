"""Chinese sentiment of mentions and comments: a trained classifier shipped with the package
(``data/model/``: character n-gram TF-IDF and the hand-written lexicon's features, multinomial
logistic regression, numpy at run time, nothing downloaded), the lexicon (``data/lexicon/``),
training (``train``), evaluation on held-out sets (``evaluate``) and the raw-layer table of
labels the warehouse reads (``store``)."""

from sentiment.classifier import (
    LABELS,
    Prediction,
    Result,
    classify,
    classify_many,
    lexicon_classify,
    model_version,
)

__all__ = [
    "LABELS",
    "Prediction",
    "Result",
    "classify",
    "classify_many",
    "lexicon_classify",
    "model_version",
]
