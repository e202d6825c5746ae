"""The platform registry: the one list of platforms, read by Python (ingest, gates, reports, the
DAGs) and by dbt (the seed `platforms`, `dbt_project/seeds/platforms.csv`).

Columns: `platform_id`; `name_zh` (the name a marketer reads); `display_order` (reports, charts,
dashboards); `kind` — `content` (a content platform: contents, engagement, followers),
`private_domain` (企业微信), `shop` (an e-commerce back office), `ads` (an ad platform),
`listening` (a source of brand mentions only, no landing folder); `counts_for` (the platform
whose spend and GMV this one's count for: 抖店 and 千川 count for 抖音); `enabled` (the platform
coverage gates expect its rows every week; a team that does not run a platform sets false);
`landing_folder` (exports/<platform_id>/ exists and ingest reads it); `publish_time_known`
(its content export states the publish time, not the date only); `aliases` (other names a
template may use for it, space-separated, matched case-insensitively with the id and the Chinese
name by the dbt macro `platform_id`); `hosts` (the platform's own web
hosts, space-separated: the only hosts an alert may link to).

Adding a platform: a line here, its reader (`ingest/platforms/<id>.py`), its staging models and
its conformed content model (see README, "Adding a platform")."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REGISTRY_CSV = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "platforms.csv"
KINDS = ("content", "private_domain", "shop", "ads", "listening")


@dataclass(frozen=True)
class Platform:
    platform_id: str
    name_zh: str
    display_order: int
    kind: str
    counts_for: str
    enabled: bool
    landing_folder: bool
    publish_time_known: bool
    aliases: tuple[str, ...]
    hosts: tuple[str, ...]


def _flag(value: str, column: str, row: int) -> bool:
    lowered = value.strip().lower()
    if lowered not in {"true", "false"}:
        raise ValueError(
            f"{REGISTRY_CSV.name} row {row}, column {column}: not true/false: {value!r}"
        )
    return lowered == "true"


@cache
def platforms() -> tuple[Platform, ...]:
    """Every registered platform, in display order."""
    rows: list[Platform] = []
    with REGISTRY_CSV.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if row["kind"] not in KINDS:
                raise ValueError(
                    f"{REGISTRY_CSV.name} row {number}, column kind: {row['kind']!r} is not one "
                    f"of {', '.join(KINDS)}"
                )
            rows.append(
                Platform(
                    platform_id=row["platform_id"],
                    name_zh=row["name_zh"],
                    display_order=int(row["display_order"]),
                    kind=row["kind"],
                    counts_for=row["counts_for"],
                    enabled=_flag(row["enabled"], "enabled", number),
                    landing_folder=_flag(row["landing_folder"], "landing_folder", number),
                    publish_time_known=_flag(
                        row["publish_time_known"], "publish_time_known", number
                    ),
                    aliases=tuple(row["aliases"].split()),
                    hosts=tuple(row["hosts"].split()),
                )
            )
    ids = [p.platform_id for p in rows]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ValueError(f"{REGISTRY_CSV.name}: platform ids listed twice: {duplicated}")
    unknown = sorted({p.counts_for for p in rows} - set(ids))
    if unknown:
        raise ValueError(f"{REGISTRY_CSV.name}: counts_for names unknown platforms {unknown}")
    return tuple(sorted(rows, key=lambda p: p.display_order))


def get(platform_id: str) -> Platform:
    for platform in platforms():
        if platform.platform_id == platform_id:
            return platform
    raise KeyError(f"no platform {platform_id!r} in {REGISTRY_CSV}")


def ids(kind: str | None = None, *, enabled_only: bool = False) -> tuple[str, ...]:
    """Platform ids in display order, of one kind and/or enabled only."""
    return tuple(
        p.platform_id
        for p in platforms()
        if (kind is None or p.kind == kind) and (p.enabled or not enabled_only)
    )


def content_platforms(*, enabled_only: bool = False) -> tuple[str, ...]:
    """The content platforms (contents, engagement, followers), in display order."""
    return ids("content", enabled_only=enabled_only)


def landing_folders() -> tuple[str, ...]:
    """The landing zone's platform folders (exports/<platform_id>/), in display order."""
    return tuple(p.platform_id for p in platforms() if p.landing_folder)


def names_zh() -> dict[str, str]:
    """platform_id → the Chinese name, in display order."""
    return {p.platform_id: p.name_zh for p in platforms()}


def hosts(platform_id: str) -> tuple[str, ...]:
    """The platform's own hosts (empty for an unknown platform)."""
    try:
        return get(platform_id).hosts
    except KeyError:
        return ()
