"""Corpora for the benchmark.

- ``generate``: a deterministic French corpus. Sentences come from a word-bigram model of the
  five sample articles, sprinkled with Zipf-distributed rare words (names, places) so the
  vocabulary grows with the corpus as real press does. Article lengths follow a log-normal
  distribution (median ~3.5 KB, long tail to 60 KB), in paragraphs, with a title line and a
  date line, like the samples.
- ``manpages``: Debian's French man pages (``manpages-fr``, ``manpages-fr-dev``), downloaded
  with ``apt-get download`` and rendered to text with groff: real French technical prose.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import shutil
import subprocess
import tempfile
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "articles"
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[.,;:!?«»“”()\-–—]")
_SYLLABLES = [
    "ba",
    "ro",
    "ti",
    "lu",
    "ne",
    "ka",
    "mi",
    "so",
    "vé",
    "dra",
    "gon",
    "pel",
    "tru",
    "zé",
    "quo",
    "an",
    "ber",
    "lin",
]


class Model:
    """A word-bigram model of the samples."""

    def __init__(self) -> None:
        self.next: dict[str, list[str]] = defaultdict(list)
        self.starts: list[str] = []
        for path in sorted(SAMPLES.glob("*.txt")):
            for paragraph in path.read_text("utf-8").split("\n"):
                words = _TOKEN.findall(paragraph)
                if len(words) < 8:
                    continue
                self.starts.append(words[0])
                for a, b in itertools.pairwise(words):
                    self.next[a].append(b)

    def sentence(self, rng: random.Random, rare: list[str], length: int) -> str:
        word = rng.choice(self.starts)
        out = [word]
        while len(out) < length:
            followers = self.next.get(word)
            word = rng.choice(self.starts) if not followers or rng.random() < 0.02 else rng.choice(followers)
            if rng.random() < 0.06:
                out.append(rare[min(len(rare) - 1, int(rng.paretovariate(1.1)) - 1)])
            out.append(word)
        text = " ".join(out)
        text = re.sub(r" ([.,;:!?)»”])", r"\1", text)
        text = re.sub(r"([(«“]) ", r"\1", text)
        return text[0].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def _rare_words(rng: random.Random, n: int) -> list[str]:
    words = set()
    while len(words) < n:
        w = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        words.add(w.capitalize() if rng.random() < 0.4 else w)
    ranked = sorted(words)
    rng.shuffle(ranked)  # rank (frequency) unrelated to spelling
    return ranked


# Outlets of the ``sourced`` corpus, the first ones most frequent (Zipf): a timeline split by
# outlet has 8 large ones and a tail of "other".
OUTLETS = (
    "Le Monde", "Le Figaro", "Libération", "Le Parisien", "Les Echos", "L'Obs", "Le Point",
    "La Croix", "Mediapart", "Numerama", "Le Temps", "Le Soir", "Marianne", "Slate",
)  # fmt: skip


def generate(folder: Path, count: int, seed: int = 2026, *, sourced: bool = False) -> Path:
    """``count`` articles in ``folder`` (subfolders of 1,000), same seed → same bytes;
    ``sourced``: each names its outlet on the line after its date (see :data:`OUTLETS`)."""
    marker = folder / f".generated-{count}-{seed}{'-sourced' * sourced}"
    if marker.exists():
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    model = Model()
    rare = _rare_words(random.Random(seed), 60_000)
    start = date(2025, 6, 1)
    for i in range(count):
        rng = random.Random(seed * 1_000_003 + i)
        size = min(60_000, max(500, int(math.exp(rng.gauss(math.log(3500), 0.6)))))
        title = model.sentence(rng, rare, rng.randint(8, 16)).rstrip(".")
        day = start + timedelta(days=rng.randint(0, 240))
        paragraphs, total = [], 0
        while total < size:
            paragraph = " ".join(
                model.sentence(rng, rare, rng.randint(12, 35)) for _ in range(rng.randint(2, 6))
            )
            paragraphs.append(paragraph)
            total += len(paragraph)
        rank = int(rng.paretovariate(0.9)) - 1
        outlet = f"{OUTLETS[rank if rank < len(OUTLETS) else rng.randrange(8, len(OUTLETS))]}\n\n"
        head = f"{title}\n\n{day.day}.{day.month}.{day.year} - 14:50\n\n{outlet * sourced}"
        body = head + "\n\n".join(paragraphs) + "\n"
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{i:06d}.txt").write_text(body, "utf-8")
    marker.write_text("ok")
    return folder


def manpages(folder: Path) -> Path | None:
    """French man pages as text files, or None when they cannot be had here."""
    marker = folder / ".generated-manpages"
    if marker.exists():
        return folder
    if shutil.which("groff") is None or shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        got = subprocess.run(
            ["apt-get", "download", "manpages-fr", "manpages-fr-dev"], cwd=tmp, capture_output=True, text=True
        )
        debs = list(Path(tmp).glob("*.deb"))
        if got.returncode != 0 or not debs:
            return None
        unpacked = Path(tmp) / "root"
        for deb in debs:
            subprocess.run(["dpkg-deb", "-x", str(deb), str(unpacked)], check=True)
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        import gzip

        for page in sorted(unpacked.rglob("man*/*.gz")):
            source = gzip.decompress(page.read_bytes())
            rendered = subprocess.run(
                ["groff", "-man", "-Tutf8", "-P", "-cbou", "-t", "-k"],
                input=source,
                capture_output=True,
                env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"},
            )
            text = rendered.stdout.decode("utf-8", "replace")
            if len(text) > 200:
                name = page.name.removesuffix(".gz")
                (folder / f"{page.parent.name}-{name}.txt").write_text(text, "utf-8")
    marker.write_text("ok")
    return folder


def distinct(source: Path, folder: Path) -> Path:
    """The files of ``source`` with each content once (the first by name of a set of exact
    copies): half the man pages are copies of another (alias pages), which Glose analyses
    once (tui.text.recent) and FTS5 every time; building both corpora shows what that is
    worth and what a folder without copies costs."""
    marker = folder / ".distinct"
    if marker.exists():
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    seen: set[bytes] = set()
    import hashlib

    for path in sorted(source.glob("*.txt")):
        digest = hashlib.sha256(path.read_bytes()).digest()
        if digest not in seen:
            seen.add(digest)
            shutil.copy(path, folder / path.name)
    marker.write_text("ok")
    return folder


def near_copies(folder: Path, sources: int, copies: int = 4, seed: int = 29) -> dict[str, list[str]]:
    """Wire copies of ``sources`` articles of a generated corpus, in ``folder/wire/``: each
    source gets ``copies`` versions (a paragraph cut, a new lead and a local paragraph, the
    paragraphs reordered, shortened with a few words changed), dated a day or two later, as
    outlets print an agency's dispatch. Returns source id → its copies' ids (what a correct
    grouping finds). Deterministic; written once."""
    rng = random.Random(seed)
    model = Model()
    rare = _rare_words(random.Random(seed), 5_000)
    originals = sorted(p for p in folder.rglob("*.txt") if p.parent.name != "wire")
    wire = folder / "wire"
    wire.mkdir(exist_ok=True)
    planted: dict[str, list[str]] = {}
    for n, path in enumerate(rng.sample(originals, sources)):
        title, _, rest = path.read_text("utf-8").partition("\n\n")
        dateline, _, body = rest.partition("\n\n")
        paras = [p for p in body.strip().split("\n\n") if p]
        if len(paras) < 3:
            continue
        made = []
        for k in range(copies):
            kind = k % 4
            if kind == 0:  # one paragraph cut
                drop = rng.randrange(1, len(paras))
                new = paras[:drop] + paras[drop + 1 :]
            elif kind == 1:  # a new lead, a local paragraph
                new = [model.sentence(rng, rare, 25), *paras[1:], model.sentence(rng, rare, 30)]
            elif kind == 2:  # reordered
                new = paras[:1] + rng.sample(paras[1:], len(paras) - 1)
            else:  # shortened, a few words changed
                new = paras[: max(2, len(paras) // 2)]
                words = new[0].split(" ")
                for _ in range(3):
                    words[rng.randrange(len(words))] = rng.choice(rare)
                new[0] = " ".join(words)
            name = f"{n:04d}-{k}.txt"
            later = dateline.replace("14:50", f"{15 + k}:10")  # the outlets print it later
            (wire / name).write_text(f"{title} ({k})\n\n{later}\n\n" + "\n\n".join(new) + "\n", "utf-8")
            made.append(f"wire/{name}")
        planted[str(path.relative_to(folder).as_posix())] = made
    return planted
