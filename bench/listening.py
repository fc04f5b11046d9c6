"""Benchmark the listening-event theme suggester: 10,000 comments, and its quality on the labelled sets.

Generates 10,000 realistic comments by resampling the labelled comments in
tests/listening/data/themes_{dev,heldout}.csv and perturbing each one (typos, dropped or
swapped words, fillers, case, punctuation), then times ``suggest_themes`` on them with the
embedding model (the number of themes chosen automatically), and reports the peak memory and
the adjusted Rand index (ARI) of embeddings and of the TF-IDF fallback on the two sets.

    .venv/bin/python bench/listening.py                 # or: make bench-listening
    .venv/bin/python bench/listening.py --comments 2000 --write-docs

Writes nothing unless asked: ``--write-docs`` rewrites the figures section of
docs/performance.md (between its listening markers).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.progress import Progress  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402

from c2hub.listening import theming  # noqa: E402
from c2hub.listening.theming import embedding  # noqa: E402

DATA = ROOT / "tests" / "listening" / "data"
DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- bench:listening:begin -->", "<!-- bench:listening:end -->"
FILLERS_BEFORE = ["tbh", "honestly", "also", "and", "plus", "i think", "for me", "main thing -", "seriously"]
FILLERS_AFTER = ["!!", "...", " tbh", " it's a joke", " please sort it", " x", " every single day", "?", " :("]


# The held-out set names four of the development set's themes differently; the generated
# comments are scored against one theme per subject.
SAME_THEME = {
    "Rubbish and fly-tipping": "Litter, fly-tipping and dog mess",
    "Activities for children and teenagers": "Nothing for young people to do",
    "Speeding and dangerous roads": "Traffic, parking and speeding",
    "Cold, damp and disrepair at home": "Housing repairs and damp",
}


def load_set(name: str) -> tuple[list[str], list[str]]:
    with (DATA / f"themes_{name}.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows], [r["theme"] for r in rows]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:  # swap two letters
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    if kind < 0.7:  # drop a letter
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]  # double a letter


def perturb(text: str, rng: random.Random) -> str:
    """A different comment saying the same thing the way a resident might type it."""
    words = text.split()
    out: list[str] = []
    for word in words:
        roll = rng.random()
        if roll < 0.05 and len(words) > 4:
            continue  # dropped word
        if roll < 0.12:
            word = _typo(word, rng)
        out.append(word)
    if len(out) > 3 and rng.random() < 0.2:
        i = rng.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    result = " ".join(out) or text
    if rng.random() < 0.3:
        result = f"{rng.choice(FILLERS_BEFORE)} {result[:1].lower()}{result[1:]}"
    if rng.random() < 0.3:
        result = result.rstrip(".!") + rng.choice(FILLERS_AFTER)
    roll = rng.random()
    if roll < 0.15:
        result = result.lower()
    elif roll < 0.18:
        result = result.upper()
    return result


def generate(count: int, seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    texts: list[str] = []
    themes: list[str] = []
    for name in ("dev", "heldout"):
        t, h = load_set(name)
        texts += t
        themes += h
    out_texts, out_themes = [], []
    for _ in range(count):
        i = rng.randrange(len(texts))
        out_texts.append(perturb(texts[i], rng))
        out_themes.append(SAME_THEME.get(themes[i], themes[i]))
    return out_texts, out_themes


def labels_of(themes: list[theming.SuggestedTheme], count: int) -> list[int]:
    labels = [-1] * count
    for number, theme in enumerate(themes):
        for index in theme.members:
            labels[index] = number
    return labels


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def quality(progress: Progress) -> dict[str, dict[str, float]]:
    """ARI of embeddings and TF-IDF on both labelled sets, automatic and true number of themes."""
    results: dict[str, dict[str, float]] = {}
    task = progress.add_task("quality on the labelled sets", total=8)
    original = embedding.load_model
    for method in ("embeddings", "tfidf"):
        if method == "tfidf":
            embedding.load_model = lambda: None  # type: ignore[assignment]
            theming.load_model = embedding.load_model  # type: ignore[attr-defined]
        try:
            for name in ("dev", "heldout"):
                texts, human = load_set(name)
                for label, n_themes in (("auto", None), ("true", len(set(human)))):
                    themes = theming.suggest_themes(texts, n_themes=n_themes)
                    key = f"{method}/{name}/{label}"
                    results[key] = {
                        "ari": adjusted_rand_score(human, labels_of(themes, len(texts))),
                        "themes": len(themes),
                    }
                    progress.advance(task)
        finally:
            embedding.load_model = original  # type: ignore[assignment]
            theming.load_model = original  # type: ignore[attr-defined]
    return results


def run(args: argparse.Namespace) -> dict[str, Any]:
    console = Console()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("loading the model", total=None)
        started = time.perf_counter()
        model = embedding.load_model()
        load_seconds = time.perf_counter() - started
        if model is None:
            console.print("[red]The embedding model is not installed: `make install` first.")
            raise SystemExit(2)
        progress.update(task, description=f"generating {args.comments:,} comments")
        texts, human = generate(args.comments, args.seed)
        theming.suggest_themes(texts[:50])  # warm up (allocations, thread pools)
        progress.update(task, description=f"theming {args.comments:,} comments")
        rss_before = peak_rss_mib()
        started = time.perf_counter()
        vectors = embedding.embed_with_model(model, texts)
        embed_seconds = time.perf_counter() - started
        started, cpu_started = time.perf_counter(), time.process_time()
        themes = theming.suggest_themes(texts)
        total_seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        progress.remove_task(task)
        figures: dict[str, Any] = {
            "comments": len(texts),
            "distinct": len({" ".join(t.lower().split()) for t in texts}),
            "load_seconds": load_seconds,
            "embed_seconds": embed_seconds,
            "theme_seconds": total_seconds,
            "theme_cpu_seconds": cpu_seconds,
            "themes": len(themes),
            "ari_generated": adjusted_rand_score(human, labels_of(themes, len(texts))),
            "peak_rss_mib": peak_rss_mib(),
            "rss_before_mib": rss_before,
            "dimensions": int(vectors.shape[1]),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg()[0],
            "python": platform.python_version(),
            "method": theming.theming_method(),
        }
        figures["quality"] = quality(progress)
    return figures


def markdown(f: dict[str, Any], command: str) -> str:
    q = f["quality"]

    def row(name: str, label: str) -> str:
        e, t = q[f"embeddings/{name}/{label}"], q[f"tfidf/{name}/{label}"]
        return f"| {name} | {label} | {e['ari']:.2f} ({e['themes']} themes) | {t['ari']:.2f} ({t['themes']} themes) |"

    lines = [
        BEGIN,
        "",
        "_This section is written by `bench/listening.py --write-docs`; edit the text around it, not inside it._",
        "",
        f"Command: `{command}` — {f['cpus']} cores, Python {f['python']}, load average {f['load_average']:.1f} "
        f"at the end of the run; method: {f['method']}.",
        "",
        "| What | Figure |",
        "| --- | --- |",
        f"| Comments themed (distinct) | {f['comments']:,} ({f['distinct']:,}) |",
        f"| `suggest_themes` (embed, cluster, name), themes chosen automatically | **{f['theme_seconds']:.1f} s** "
        f"({f['themes']} themes) |",
        f"| CPU time of those (all threads; what it would take alone on one core) | {f['theme_cpu_seconds']:.1f} s |",
        f"| Embedding the comments alone | {f['embed_seconds']:.1f} s |",
        f"| Loading the model (once per process) | {f['load_seconds']:.1f} s |",
        f"| Peak memory of the process (RSS) | {f['peak_rss_mib']:.0f} MiB |",
        f"| ARI against the comments' source themes (13 subjects; at most 12 themes suggested) "
        f"| {f['ari_generated']:.2f} |",
        "",
        "| Set | Number of themes | ARI, embeddings | ARI, TF-IDF fallback |",
        "| --- | --- | --- | --- |",
        row("dev", "auto"),
        row("dev", "true"),
        row("heldout", "auto"),
        row("heldout", "true"),
        "",
        END,
    ]
    return "\n".join(lines)


def write_docs(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    if BEGIN not in doc:
        raise SystemExit(f"{DOC} has no {BEGIN} marker")
    head, rest = doc.split(BEGIN, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    DOC.write_text(head + text + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--write-docs", action="store_true", help="rewrite the figures in docs/performance.md")
    args = parser.parse_args(argv)
    figures = run(args)
    command = "python bench/listening.py" + (f" --comments {args.comments}" if args.comments != 10_000 else "")
    text = markdown(figures, command)
    print(text.replace(BEGIN, "").replace(END, "").strip())
    if args.write_docs:
        write_docs(text)
        print(f"Wrote the figures into {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
