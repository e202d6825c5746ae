"""Chinese sentiment of mentions and comments: a lexicon-based classifier shipped with the
package (``data/lexicon/``, nothing downloaded at run time), its evaluation on a hand-labelled
set (``data/eval/``) and the raw-layer table of labels the warehouse reads (``store``)."""

from sentiment.classifier import LABELS, Result, classify, classify_many, model_version

__all__ = ["LABELS", "Result", "classify", "classify_many", "model_version"]
