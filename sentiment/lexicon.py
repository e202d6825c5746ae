"""The Chinese sentiment lexicon shipped with the package (``data/lexicon/*.csv``): nothing is
downloaded at run time.

Every file has the columns ``term,kind,weight``:

- ``term``: a word, phrase, internet slang, emoji or bracket emoji (``[赞]``), matched as a
  substring after normalisation (NFKC, lower case), longest term first at each position;
- ``kind``:

  - ``term``: a sentiment word, ``weight`` > 0 positive, < 0 negative;
  - ``accusation``: a sentiment word that keeps most of its weight inside a question
    (是不是假货 doubts the product; 好用吗 asks);
  - ``blocker``: a word that contains a sentiment word or modifier without carrying it
    (好像, 不得不说, 超市, 没用过); its weight, usually 0, is scored like a term's;
  - ``degree_or_term``: a sentiment word that is a degree adverb when a sentiment word follows
    it directly (好: 好喝 is praise, 好苦 is "very bitter");
  - ``negator``: flips the next sentiment word (不, 没, 没有, 别, 不太, 并不 …);
  - ``degree``: multiplies the next sentiment word by ``weight`` (很 1.5, 太 1.8, 有点 0.7);
  - ``contrast``: 但是, 不过 …: what follows outweighs what came before;
  - ``question``: marks its clause as a question (吗, 是不是, 多少钱, 哪里买 …);
  - ``rhetorical``: 为什么, 凭什么, 怎么还 …: a complaint phrased as a question: its clause is
    not damped as a question, and its own weight counts (凭什么 -1.5, 为什么 0).

The model version is a digest of the data files and of the scoring code (this module and
``classifier.py``), so that any change of either makes the warehouse classify every text again.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import unicodedata
from dataclasses import dataclass
from importlib import resources

KINDS = frozenset(
    {
        "term",
        "accusation",
        "blocker",
        "degree_or_term",
        "negator",
        "degree",
        "contrast",
        "question",
        "rhetorical",
    }
)
#: clause separators (after NFKC: full-width ，！？；： become ASCII)
#: the modules whose code decides a label (part of the model version)
CODE_FILES = ("lexicon.py", "classifier.py")
SEPARATORS = frozenset(",.!?;:。、\n~…")


@dataclass(frozen=True)
class Entry:
    term: str
    kind: str
    weight: float
    source: str  # the file it comes from


@dataclass(frozen=True)
class Lexicon:
    entries: dict[str, Entry]
    #: first character of a term -> the lengths of the terms starting with it, longest first
    lengths: dict[str, tuple[int, ...]]
    version: str

    def __len__(self) -> int:
        return len(self.entries)

    def scan(self, normalised: str) -> list[tuple[int, int, Entry | None]]:
        """The terms and clause separators of a normalised text, left to right, the longest
        term at each position, never overlapping: (start, end, entry), entry None for a
        separator."""
        found: list[tuple[int, int, Entry | None]] = []
        entries, lengths = self.entries, self.lengths
        size = len(normalised)
        position = 0
        while position < size:
            char = normalised[position]
            if char in SEPARATORS:
                found.append((position, position + 1, None))
                position += 1
                continue
            for length in lengths.get(char, ()):
                entry = entries.get(normalised[position : position + length])
                if entry is not None:
                    found.append((position, position + length, entry))
                    position += length
                    break
            else:
                position += 1
        return found


def normalise(text: str) -> str:
    """NFKC (full-width letters, digits and punctuation to ASCII), lower case, no spaces."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def _data_files() -> list[tuple[str, bytes]]:
    folder = resources.files("sentiment") / "data" / "lexicon"
    files = sorted(
        (entry.name, entry.read_bytes())
        for entry in folder.iterdir()
        if entry.name.endswith(".csv")
    )
    if not files:
        raise FileNotFoundError(f"no lexicon files in {folder}")
    return files


def parse_entries(files: list[tuple[str, bytes]]) -> dict[str, Entry]:
    """Entries by normalised term; a term listed twice, an unknown kind or a bad weight is an
    error naming the file and the term."""
    entries: dict[str, Entry] = {}
    for name, data in files:
        rows = csv.DictReader(data.decode("utf-8-sig").splitlines())
        if rows.fieldnames != ["term", "kind", "weight"]:
            raise ValueError(f"{name}: the header must be term,kind,weight")
        for row in rows:
            term = normalise(row["term"])
            if not term:
                raise ValueError(f"{name}: an empty term")
            if row["kind"] not in KINDS:
                raise ValueError(f"{name}: {term!r} has the unknown kind {row['kind']!r}")
            try:
                weight = float(row["weight"])
            except ValueError:
                raise ValueError(f"{name}: {term!r} has the weight {row['weight']!r}") from None
            if term in entries:
                raise ValueError(
                    f"{name}: {term!r} is listed again (first in {entries[term].source})"
                )
            entries[term] = Entry(term, row["kind"], weight, name)
    return entries


@functools.cache
def load() -> Lexicon:
    """The packaged lexicon (loaded once per process)."""
    files = _data_files()
    entries = parse_entries(files)
    by_first: dict[str, set[int]] = {}
    for term in entries:
        by_first.setdefault(term[0], set()).add(len(term))
    lengths = {char: tuple(sorted(sizes, reverse=True)) for char, sizes in by_first.items()}
    digest = hashlib.sha256()
    package = resources.files("sentiment")
    code = [(name, package.joinpath(name).read_bytes()) for name in CODE_FILES]
    for name, data in [*files, *code]:
        digest.update(name.encode() + b"\0" + data + b"\0")
    return Lexicon(entries, lengths, f"lexicon-{digest.hexdigest()[:12]}")
