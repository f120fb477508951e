"""Fit the length model's defaults (``src/relecture/data/length.toml``) on real bilingual data.

    python bench/length_fit.py            # prints the fit
    python bench/length_fit.py --write    # and rewrites the data file

- Script weights (a Han character, a kana, a Hangul syllable in English letters) and each
  language's verbosity relative to English: Django 5.2's catalogues (98 languages, the same
  English source strings translated by people; ``../shared/data/real-catalogues``).
- The English-German pair and the spread of the log ratio as a function of length: the WMT 2021
  TED MQM file (``../shared/data/wmt-mqm/mqm_ted_ende.tsv``), professional-quality sentences.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))

from relecture.checks.langdata import base_lang  # noqa: E402
from relecture.checks.length import DATA_FILE, Model  # noqa: E402
from relecture.importers import import_document  # noqa: E402

SHARED = REPO.parent / "shared" / "data"
DJANGO = SHARED / "real-catalogues" / "django-5.2.19"
TED = SHARED / "wmt-mqm" / "mqm_ted_ende.tsv"
FLAT = {"script_weights": {"han": 1.0, "kana": 1.0, "hangul": 1.0}}


def _pairs(path: Path) -> list[tuple[str, str]]:
    doc = import_document(path)
    return [(s.source or "", s.target) for s in doc.segments if s.source and s.target.strip()]


def _count(text: str, lo: str, hi: str) -> int:
    return sum(1 for ch in text if lo <= ch <= hi)


def fit_weights() -> dict[str, float]:
    flat = Model(None, None, FLAT)
    weights = {"han": 1.0, "kana": 1.0, "hangul": 1.0}
    # Han from Chinese, then kana from Japanese with Han fixed, Hangul from Korean.
    ratios = []
    for source, target in _pairs(DJANGO / "zh_Hans" / "django.po"):
        han = _count(target, "\u3400", "\u9fff")
        if han >= 4:
            rest = flat.units(target) - han
            ratios.append((flat.units(source) - rest) / han)
    weights["han"] = round(median(ratios), 2)
    ratios = []
    for source, target in _pairs(DJANGO / "ja" / "django.po"):
        kana = _count(target, "\u3040", "\u30ff")
        han = _count(target, "\u3400", "\u9fff")
        if kana >= 4:
            rest = flat.units(target) - kana - han
            ratios.append((flat.units(source) - rest - weights["han"] * han) / kana)
    weights["kana"] = round(median(ratios), 2)
    ratios = []
    for source, target in _pairs(DJANGO / "ko" / "django.po"):
        hangul = _count(target, "\uac00", "\ud7af")
        if hangul >= 4:
            rest = flat.units(target) - hangul
            ratios.append((flat.units(source) - rest) / hangul)
    weights["hangul"] = round(median(ratios), 2)
    return weights


def fit_verbosity(weights: dict[str, float]) -> dict[str, float]:
    model = Model(None, None, {"script_weights": weights})
    out: dict[str, float] = {"en": 0.0}
    for folder in sorted(DJANGO.iterdir()):
        if not (folder / "django.po").is_file():
            continue
        lang = base_lang(folder.name) or folder.name
        if lang in out and folder.name != lang:
            continue  # es_AR after es: the main variety speaks for the language
        logs = []
        for source, target in _pairs(folder / "django.po"):
            su, tu = model.units(source), model.units(target)
            if su >= 20:
                logs.append(math.log((tu + 1) / (su + 1)))
        if len(logs) >= 50:
            out[lang] = round(median(logs), 3)
    return out


def fit_spread(weights: dict[str, float]) -> tuple[float, float, float]:
    """en-de center and (sigma0, k) of sigma(u)^2 = sigma0^2 + k/u on TED sentences."""
    model = Model(None, None, {"script_weights": weights})
    seen: set[tuple[str, str]] = set()
    rows: list[tuple[float, float]] = []
    for source, target in _pairs(TED):
        if (source, target) in seen:
            continue
        seen.add((source, target))
        su, tu = model.units(source), model.units(target)
        if su >= 10:
            rows.append((su, math.log((tu + 1) / (su + 1))))
    center = median(r for _, r in rows)
    rows.sort()
    bins = [rows[i : i + len(rows) // 8] for i in range(0, len(rows), len(rows) // 8)]
    points = []
    for part in bins:
        if len(part) < 20:
            continue
        u = median(su for su, _ in part)
        sigma = 1.4826 * median(abs(r - center) for _, r in part)
        points.append((1.0 / u, sigma * sigma))
    # Least squares of sigma^2 = a + k * (1/u).
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    k = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)
    a = my - k * mx
    return round(center, 3), round(math.sqrt(max(a, 0.0025)), 3), round(max(k, 0.0), 3)


def render(weights: dict[str, float], verbosity: dict[str, float], center: float, sigma0: float, k: float) -> str:
    lines = [
        "# Defaults of the length model (relecture.checks.length), fitted by bench/length_fit.py on",
        "# Django 5.2's catalogues (98 languages, BSD-3-Clause) and the WMT 2021 TED MQM English-German",
        "# file (google/wmt-mqm-human-evaluation, Apache-2.0). Regenerate, do not edit by hand.",
        "",
        "# A Han character, a kana, a Hangul syllable, in letters of an alphabet.",
        "[script_weights]",
        *(f"{key} = {value}" for key, value in weights.items()),
        "",
        "# Per language: median log(length / English length) of the same strings.",
        "[verbosity]",
        *(f"{key} = {value}" for key, value in sorted(verbosity.items())),
        "",
        "# Pairs measured directly on sentence-level data: the expected log ratio.",
        "[pairs]",
        f'"en-de" = {{ center = {center} }}',
        "",
        "# sigma(u)^2 = sigma0^2 + k / u, u the source length in units.",
        "[spread]",
        f"sigma0 = {sigma0}",
        f"k = {k}",
        "",
        "# A segment is flagged beyond z standard deviations; each missing or extra sentence counts",
        "# `sentence` standard deviations more (see bench/length.py for precision and recall).",
        "[threshold]",
        "z = 3.5",
        "sentence = 1.0",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite src/relecture/data/length.toml")
    args = parser.parse_args()
    if not DJANGO.is_dir() or not TED.is_file():
        raise SystemExit(f"needs {DJANGO} and {TED}")
    weights = fit_weights()
    verbosity = fit_verbosity(weights)
    center, sigma0, k = fit_spread(weights)
    text = render(weights, verbosity, center, sigma0, k)
    print(text)
    if args.write:
        DATA_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {DATA_FILE}")


if __name__ == "__main__":
    main()
