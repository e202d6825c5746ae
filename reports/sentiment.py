"""Sentiment rates shared by the reports that read mart_sentiment_daily."""

from __future__ import annotations

import pandas as pd


def add_sentiment_rates(df: pd.DataFrame) -> pd.Series:
    """Set positive_rate and negative_share, each as a share of the classified items (positive +
    neutral + negative; NULL where none is classified), and return that classified count."""
    classified = df["positive"] + df["neutral"] + df["negative"]
    df["positive_rate"] = (df["positive"] / classified).where(classified > 0)
    df["negative_share"] = (df["negative"] / classified).where(classified > 0)
    return classified
