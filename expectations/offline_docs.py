"""Data Docs that open offline.

GX 1.24's page templates load Bootstrap, jQuery, Popper, bootstrap-table (with its filter-control
extension), bootstrap-datepicker, bootstrap-dark, vega, vega-lite, vega-embed and Font Awesome
from public CDNs, and its logo from an S3 bucket. Offline, or where those hosts are blocked or
slow, a run's index opens unstyled with an empty results table (bootstrap-table fills it).

So the project serves those files itself:

- at install time (`make install` runs `python -m expectations.offline_docs install`), the npm
  packages in `PACKAGES`, pinned to the versions GX's templates ask for and to the registry's
  sha512 of each tarball, are fetched with `npm pack` and the files the pages use (with each
  package's `package.json` and licence) are kept in `assets_dir()`,
  `<sys.prefix>/share/newmedia/data-docs-assets`, or in `--dest` (the Makefile passes
  `$NEWMEDIA_DATA_DOCS_ASSETS` when set);
- after GX writes a run's Data Docs, `make_offline(run_dir, assets)` copies them (from `assets`,
  the settings' NEWMEDIA_DATA_DOCS_ASSETS, default `assets_dir()`) to the run's
  `static/vendor/` and points every page (index, validation results, expectation suites) at
  them by a relative path. Nothing is fetched at run time.

This module uses the standard library only, so a build stage without the project's packages
(the Dockerfile's) can run `python3 offline_docs.py install --dest DIR`.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ASSETS_ENV = "NEWMEDIA_DATA_DOCS_ASSETS"
MANIFEST = "manifest.json"
#: where a run's copy goes, under the run's GX `static/` folder
VENDOR = "vendor"


@dataclass(frozen=True)
class Package:
    """One npm package: its exact version, the registry's integrity (sha512 of the tarball) and
    the files of the package the pages load (a file next to one, e.g. Font Awesome's webfonts,
    is listed as well)."""

    name: str
    version: str
    integrity: str
    files: tuple[str, ...]

    @property
    def folder(self) -> str:
        """The package's folder under `vendor/`: `fortawesome-fontawesome-free-6.6.0`."""
        return f"{self.name.lstrip('@').replace('/', '-')}-{self.version}"

    @property
    def tarball(self) -> str:
        """The file name `npm pack` gives the package's tarball."""
        return f"{self.folder}.tgz"


_FA_FONTS = tuple(
    f"webfonts/fa-{face}.{ext}"
    for face in ("brands-400", "regular-400", "solid-900", "v4compatibility")
    for ext in ("woff2", "ttf")
)

#: GX 1.24.1's templates (render/view/templates/*.j2) ask for these versions; vega@5,
#: vega-lite@5 and vega-embed@6 are the newest releases of those majors.
PACKAGES: tuple[Package, ...] = (
    Package(
        "bootstrap",
        "4.3.1",
        "sha512-rXqOmH1VilAt2DyPzluTi2blhk17bO7ef+zLLPlWvG494pDxcM234pJ8wTc/6R40UWizAIIMgxjvxZg5kmsbag==",
        ("dist/css/bootstrap.min.css", "dist/js/bootstrap.min.js"),
    ),
    Package(
        "jquery",
        "3.7.1",
        "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
        ("dist/jquery.min.js",),
    ),
    Package(
        "popper.js",
        "1.12.9",
        "sha512-s0EEi9xiSCdqz9lV4IiVH5yIZnDX/U1t0tCjB+0jXx9jW8lrR7kOpVupiUg175ogqVoudpDXHF1p6dKATCHMeg==",
        ("dist/umd/popper.min.js",),
    ),
    Package(
        "bootstrap-table",
        "1.19.1",
        "sha512-WvV+l1AI/C+zThaKmfHmi/IuayVNB0qdFyEhFx1jyZhO0oLtNJNANkCR3rvJf6Dkh72dsLElxpE/bzK9seEQLA==",
        (
            "dist/bootstrap-table.min.css",
            "dist/bootstrap-table.min.js",
            "dist/extensions/filter-control/bootstrap-table-filter-control.css",
            "dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
            "dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
        ),
    ),
    Package(
        "bootstrap-datepicker",
        "1.9.0",
        "sha512-9rYYbaVOheGYxjOr/+bJCmRPihfy+LkLSg4fIFMT9Od8WwWB/MB50w0JO1eBgKUMbb7PFHQD5uAfI3ArAxZRXA==",
        ("dist/css/bootstrap-datepicker.min.css", "dist/js/bootstrap-datepicker.min.js"),
    ),
    Package(
        "@forevolve/bootstrap-dark",
        "1.1.0",
        "sha512-A3ucpEpxPoTVO490lZZCfjPXxv832l7mm1IxX3bXyxvgwnPGXDLyh7dWrphXKO8YBAu3EswbBEu3VSW8NRMW3A==",
        ("dist/css/bootstrap-prefers-dark.css",),
    ),
    Package(
        "@fortawesome/fontawesome-free",
        "6.6.0",
        "sha512-60G28ke/sXdtS9KZCpZSHHkCbdsOGEhIUGlwq6yhY74UpTiToIh8np7A8yphhM4BWsvNFtIvLpi4co+h9Mr9Ow==",
        ("css/all.min.css", *_FA_FONTS),  # all.min.css loads ../webfonts/*
    ),
    Package(
        "vega",
        "5.33.1",
        "sha512-1fArfVDUqVbb5z8n+/nVQb+VNBzx8svY6CrsyTK4Ujm4yrd9I1auoKxBAPXLCavY1LcrbHUskQbGUP8gXOzyQw==",
        ("build/vega.min.js",),
    ),
    Package(
        "vega-lite",
        "5.23.0",
        "sha512-l4J6+AWE3DIjvovEoHl2LdtCUkfm4zs8Xxx7INwZEAv+XVb6kR6vIN1gt3t2gN2gs/y4DYTs/RPoTeYAuEg6mA==",
        ("build/vega-lite.min.js",),
    ),
    Package(
        "vega-embed",
        "6.29.0",
        "sha512-PmlshTLtLFLgWtF/b23T1OwX53AugJ9RZ3qPE2c01VFAbgt3/GSNI/etzA/GzdrkceXFma+FDHNXUppKuM0U6Q==",
        ("build/vega-embed.min.js",),
    ),
)
_BY_NAME = {p.name: p for p in PACKAGES}

_BT = "https://unpkg.com/bootstrap-table@"
_FC = "dist/extensions/filter-control/bootstrap-table-filter-control"
#: every CDN address GX 1.24.1's pages load → (npm package, file in it)
CDN: dict[str, tuple[str, str]] = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": (
        "bootstrap",
        "dist/css/bootstrap.min.css",
    ),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": (
        "bootstrap",
        "dist/js/bootstrap.min.js",
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery", "dist/jquery.min.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": (
        "popper.js",
        "dist/umd/popper.min.js",
    ),
    f"{_BT}1.19.1/dist/bootstrap-table.min.css": (
        "bootstrap-table",
        "dist/bootstrap-table.min.css",
    ),
    f"{_BT}1.19.1/dist/bootstrap-table.min.js": ("bootstrap-table", "dist/bootstrap-table.min.js"),
    f"{_BT}1.19.1/{_FC}.min.js": ("bootstrap-table", f"{_FC}.min.js"),
    # the templates take the extension's (unchanged) style sheet from 1.19.0
    f"{_BT}1.19.0/{_FC}.css": ("bootstrap-table", f"{_FC}.css"),
    f"{_BT}1.19.0/{_FC}.min.css": ("bootstrap-table", f"{_FC}.min.css"),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        "bootstrap-datepicker",
        "dist/css/bootstrap-datepicker.min.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        "bootstrap-datepicker",
        "dist/js/bootstrap-datepicker.min.js",
    ),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "@forevolve/bootstrap-dark",
        "dist/css/bootstrap-prefers-dark.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        "@fortawesome/fontawesome-free",
        "css/all.min.css",
    ),
    "https://cdn.jsdelivr.net/npm/vega@5": ("vega", "build/vega.min.js"),
    "https://cdn.jsdelivr.net/npm/vega-lite@5": ("vega-lite", "build/vega-lite.min.js"),
    "https://cdn.jsdelivr.net/npm/vega-embed@6": ("vega-embed", "build/vega-embed.min.js"),
}

#: GX's logo comes from its S3 bucket; its static/images/ has the same logo
GX_IMAGES = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"
#: images of that bucket GX ships no copy of → the shipped image shown instead
IMAGE_STANDINS = {"full_logo_dark.png": "logo-long.png"}

_TAG = re.compile(r"<(?:script|link|img)\b[^>]*>", re.IGNORECASE)
_URL_ATTR = re.compile(r"""\b(src|href)=(["'])(https?://[^"']*)\2""", re.IGNORECASE)
_LOCAL_ATTR = re.compile(
    r"""\b(src|href)=(["'])(?:\./|(?:\.\./)+)?static/([^"']*)\2""", re.IGNORECASE
)
_SRI_ATTR = re.compile(r"""\s+(?:integrity|crossorigin)=(["'])[^"']*\1""", re.IGNORECASE)
_GX_IMAGE = re.compile(re.escape(GX_IMAGES) + r"""([A-Za-z0-9_.-]+)(?:\?[^"')\s]*)?""")
_CSS_URL = re.compile(r"""url\(\s*["']?(https?://[^"')\s]+)""", re.IGNORECASE)


class AssetsMissingError(RuntimeError):
    """The vendored Data Docs assets are not installed."""


# --------------------------------------------------------------------------- install time


def assets_dir() -> Path:
    """Where `install` keeps the assets unless told otherwise (`--dest`, the settings'
    NEWMEDIA_DATA_DOCS_ASSETS): `<sys.prefix>/share/newmedia/data-docs-assets` (inside the
    project's .venv)."""
    return Path(sys.prefix) / "share" / "newmedia" / "data-docs-assets"


def integrity_of(data: bytes) -> str:
    """npm's integrity string (Subresource Integrity form) of a tarball."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def npm_pack(packages: list[Package], into: Path) -> None:
    """Fetch the packages' tarballs from the npm registry with `npm pack` (npm's own client,
    its cache and its registry settings)."""
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsMissingError(
            "npm is not installed, so the Data Docs assets cannot be fetched: install the Debian "
            "package npm (`make system-deps`)"
        )
    specs = [f"{p.name}@{p.version}" for p in packages]
    done = subprocess.run(
        [npm, "pack", "--silent", "--pack-destination", str(into), *specs],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise AssetsMissingError(f"npm pack {' '.join(specs)} failed: {done.stderr.strip()}")


def _extract(package: Package, data: bytes, into: Path) -> dict[str, object]:
    """Write the package's listed files, package.json and licence under `into/<folder>`."""
    wanted = {f"package/{name}" for name in (*package.files, "package.json")}
    licence = re.compile(r"^package/licen[cs]e(\.[a-z]+)?$", re.IGNORECASE)
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile() and (member.name in wanted or licence.match(member.name)):
                handle = tar.extractfile(member)
                if handle is not None:
                    found[member.name.removeprefix("package/")] = handle.read()
    missing = [name for name in (*package.files, "package.json") if name not in found]
    if missing:
        raise AssetsMissingError(f"{package.name}@{package.version} has no {', '.join(missing)}")
    meta = json.loads(found["package.json"])
    if meta.get("version") != package.version:
        raise AssetsMissingError(
            f"{package.tarball} holds {package.name}@{meta.get('version')}, not {package.version}"
        )
    for name, content in found.items():
        target = into / package.folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return {
        "name": package.name,
        "version": package.version,
        "integrity": package.integrity,
        "license": meta.get("license"),
        "homepage": meta.get("homepage"),
        "folder": package.folder,
        "files": sorted(found),
    }


def install(dest: Path | None = None, packs: Path | None = None) -> Path:
    """Fetch (unless `packs` already holds their tarballs) and check every package, keep the
    files the pages load in `dest` (default `assets_dir()`), and write `dest/manifest.json`
    (each package's version, integrity, licence and files). Returns `dest`."""
    dest = Path(dest) if dest is not None else assets_dir()
    with tempfile.TemporaryDirectory(prefix="newmedia-docs-assets-") as tmp:
        folder = Path(packs) if packs is not None else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        missing = [p for p in PACKAGES if not (folder / p.tarball).is_file()]
        if missing:
            npm_pack(missing, folder)
        staging = Path(tmp) / "assets"
        entries = []
        for package in PACKAGES:
            data = (folder / package.tarball).read_bytes()
            if integrity_of(data) != package.integrity:
                raise AssetsMissingError(
                    f"{package.tarball}: its sha512 is not the pinned {package.integrity}"
                )
            entries.append(_extract(package, data, staging))
        (staging / MANIFEST).write_text(
            json.dumps({"packages": entries}, indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        dest.parent.mkdir(parents=True, exist_ok=True)
        old = dest.with_name(dest.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if dest.exists():
            dest.rename(old)
        shutil.copytree(staging, dest)
        shutil.rmtree(old, ignore_errors=True)
    return dest


def check(assets: Path | None = None) -> Path:
    """The installed assets folder, or AssetsMissingError saying how to install it."""
    assets = Path(assets) if assets is not None else assets_dir()
    try:
        manifest = json.loads((assets / MANIFEST).read_text(encoding="utf-8"))
        installed = {(p["name"], p["version"]) for p in manifest["packages"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AssetsMissingError(
            f"the Data Docs assets are not installed in {assets} ({exc}): run `make install` "
            f"(it fetches them from the npm registry), or set {ASSETS_ENV}"
        ) from exc
    stale = [f"{p.name}@{p.version}" for p in PACKAGES if (p.name, p.version) not in installed]
    if stale:
        raise AssetsMissingError(
            f"the Data Docs assets in {assets} lack {', '.join(stale)}: run `make install`"
        )
    return assets


# --------------------------------------------------------------------------- run time


def local_path(url: str) -> str | None:
    """A CDN address's file under a run's `static/`: `vendor/<folder>/<file>`."""
    known = CDN.get(url)
    if known is None:
        return None
    name, file = known
    return f"{VENDOR}/{_BY_NAME[name].folder}/{file}"


def remote_resources(page: str) -> list[str]:
    """The http(s) addresses a page would load (scripts, style sheets, images, CSS url()s);
    plain links (<a href>) are not loads and are left out."""
    found = []
    for tag in _TAG.finditer(page):
        found += [m.group(3) for m in _URL_ATTR.finditer(tag.group(0))]
    found += [m.group(1) for m in _CSS_URL.finditer(page)]
    return found


def rewrite_page(page: str, static: str, images: set[str] | None = None) -> str:
    """`page` with every known CDN address replaced by its copy under `static` (the relative
    path from the page to the run's static/ folder). The Subresource Integrity attributes of
    those tags go too: a browser does not apply them to files opened from disk (the copies are
    the very files: their sha384 is the templates' `integrity`). GX's own references to its
    static/ folder are made relative to `static` as well (its validation pages name the
    favicon one folder too high)."""

    def tag(match: re.Match[str]) -> str:
        text = match.group(0)
        replaced = False

        def attr(m: re.Match[str]) -> str:
            nonlocal replaced
            local = local_path(m.group(3))
            if local is None:
                return m.group(0)
            replaced = True
            return f"{m.group(1)}={m.group(2)}{static}/{local}{m.group(2)}"

        text = _URL_ATTR.sub(attr, text)
        text = _LOCAL_ATTR.sub(
            lambda m: f"{m.group(1)}={m.group(2)}{static}/{m.group(3)}{m.group(2)}", text
        )
        return _SRI_ATTR.sub("", text) if replaced else text

    def image(match: re.Match[str]) -> str:
        name = IMAGE_STANDINS.get(match.group(1), match.group(1))
        if images is not None and name not in images:
            return match.group(0)
        return f"{static}/images/{name}"

    return _GX_IMAGE.sub(image, _TAG.sub(tag, page))


def _copy_new(source: str, target: str) -> None:
    """Copy to a new file: a file already there may be hard-linked to other runs' copies."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)
    shutil.copy2(source, target)


def make_offline(run_dir: Path, assets: Path | None = None) -> list[Path]:
    """Copy the vendored assets to `run_dir/static/vendor/` and point every page of the run at
    them. Returns the pages changed. Raises AssetsMissingError when they are not installed."""
    assets = check(assets)
    run_dir = Path(run_dir)
    static = run_dir / "static"
    shutil.copytree(assets, static / VENDOR, dirs_exist_ok=True, copy_function=_copy_new)
    images = {p.name for p in (static / "images").glob("*")}
    changed = []
    for page in sorted(run_dir.rglob("*.html")):
        if static in page.parents:
            continue
        text = page.read_text(encoding="utf-8")
        relative = Path(os.path.relpath(static, page.parent)).as_posix()
        new = rewrite_page(text, relative, images)
        left = remote_resources(new)
        if left:  # a GX upgrade brought a file this module does not know: say which
            log.warning("Data Docs page %s still loads %s", page, ", ".join(sorted(set(left))))
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed.append(page)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m expectations.offline_docs",
        description="Install the files GX's Data Docs load, for pages that open offline.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    inst = sub.add_parser("install", help="fetch (npm pack), check and keep the assets")
    inst.add_argument("--dest", type=Path, default=None, help=f"default: {assets_dir()}")
    inst.add_argument("--packs", type=Path, default=None, help="a folder of npm pack tarballs")
    args = parser.parse_args(argv)
    try:
        dest = install(args.dest, args.packs)
    except AssetsMissingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    size = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    print(f"Data Docs assets: {len(PACKAGES)} npm packages, {size / 1e6:.1f} MB in {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
