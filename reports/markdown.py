"""Safe markdown for the group robots (WeCom, Feishu): text a platform user wrote is quoted so it
cannot become a link, a heading, an HTML tag (`<font>`, `<a>`) or a second paragraph, and a link
is only ever made to http(s) addresses on the platform's own hosts (the registry's `hosts`);
anything else is shown as plain text."""

from __future__ import annotations

import re
import urllib.parse

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
_ANGLE = str.maketrans({"<": "＜", ">": "＞", "&": "＆"})
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85\x0b\x0c]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def quote(text: str | None, limit: int = 500) -> str:
    """`text` as inert markdown on one line: breaks become spaces, markdown punctuation is
    backslash-escaped, angle brackets and ampersands become their full-width forms (the robots
    render `<font>` tags and entities), cut at `limit` characters with an ellipsis."""
    if not text:
        return ""
    flat = _CONTROL.sub("", _LINE_BREAKS.sub(" ", str(text))).strip()
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return _SPECIAL.sub(r"\\\1", flat.translate(_ANGLE))


def host_allowed(url: str, hosts: tuple[str, ...]) -> bool:
    """True for an http(s) URL whose host is one of `hosts` or a subdomain of one."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError:
        return False
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return False
    if parts.username or parts.password:
        return False
    host = parts.hostname.lower().rstrip(".")
    return any(host == h or host.endswith("." + h) for h in hosts)


def link(label: str, url: str | None, hosts: tuple[str, ...]) -> str:
    """A markdown link when `url` is http(s) on one of `hosts`, else the address as plain text
    (quoted), so a `javascript:` or look-alike link in an export is never clickable."""
    if not url:
        return ""
    url = url.strip()
    if host_allowed(url, hosts) and not re.search(r"[\s()<>\[\]]", url):
        return f"[{quote(label)}]({url})"
    return f"{quote(label)}：{quote(url, limit=200)}"
