"""Deterministic bilingual corpus (English -> French) with a sprinkling of every defect the checks
look for, for benchmarks.

    python bench/generate.py 100000 --out bench/out      # writes corpus-100000.tsv, .fr.txt, glossary

As a module: ``generate(n, seed) -> list[Pair]`` and ``write_corpus(folder, n)``.

Clean targets follow French typography (non-breaking spaces, « guillemets ») so that flags come
from the injected defects, as in a real, mostly good translation; ``Pair.defect`` names the defect
injected (or "" for a clean pair), which lets a benchmark count what was found.
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from pathlib import Path

NBSP = "\u00a0"
NNBSP = "\u202f"

COMPANIES = ["Nordwind", "Helios Data", "Kestrel Labs", "Brightline", "Quanta Mobile", "Orbis", "Vantage AI", "Lumen Works"]
PRODUCTS = ["Atlas", "Nimbus", "Sirius", "Falcon", "Aurora", "Pulse", "Vega", "Zephyr"]
PEOPLE = ["Anna Berg", "David Chen", "Laura Moreau", "Ravi Patel", "Sofia Rossi", "Tom Keller"]
CITIES = [("London", "Londres"), ("Munich", "Munich"), ("Lisbon", "Lisbonne"), ("Geneva", "Genève"), ("Vienna", "Vienne")]

# Parallel clause templates: {c} company, {p} product, {n}/{m} numbers, {x} person, {city}.
CLAUSES: list[tuple[str, str]] = [
    ("{c} reported revenue of {n} million dollars for the quarter",
     "{c} a annoncé un chiffre d'affaires de {n} millions de dollars pour le trimestre"),
    ("the new version of {p} reduces energy use by {n} percent",
     "la nouvelle version de {p} réduit la consommation d'énergie de {n} %"),
    ("more than {n} engineers worked on the project for {m} months",
     "plus de {n} ingénieurs ont travaillé sur le projet pendant {m} mois"),
    ("{x} said that the team would open an office in {city}",
     "{x} a déclaré que l'équipe ouvrirait un bureau à {city_fr}"),
    ("the model was trained on a large collection of public documents",
     "le modèle a été entraîné sur une vaste collection de documents publics"),
    ("users can export their data at any time from the settings page",
     "les utilisateurs peuvent exporter leurs données à tout moment depuis la page des paramètres"),
    ("the update will be available to all customers next week",
     "la mise à jour sera disponible pour tous les clients"),
    ("the company plans to hire {n} people in {city} by the end of the year",
     "l'entreprise prévoit d'embaucher {n} personnes à {city_fr} d'ici la fin de l'année {y}"),
    ("independent tests showed that the battery lasts {m} hours",
     "des tests indépendants ont montré que la batterie tient {m} heures"),
    ("the service now supports {m} languages, including Portuguese and Polish",
     "le service prend désormais en charge {m} langues, dont le portugais et le polonais"),
    ("critics argue that the price of {n} euros is too high for students",
     "les critiques estiment que le prix de {n} euros est trop élevé pour les étudiants"),
    ("the research group published its results in a peer-reviewed journal",
     "le groupe de recherche a publié ses résultats dans une revue à comité de lecture"),
    ("the factory in {city} produces {n} units every day",
     "l'usine de {city_fr} produit {n} unités chaque jour"),
    ("according to the report, the market grew by {d} percent in {y}",
     "selon le rapport, le marché a progressé de {d_fr} % en {y}"),
    ("the app asks for permission before it uses the camera",
     "l'application demande une autorisation avant d'utiliser la caméra"),
    ("{p} is compatible with most laptops sold since {y}",
     "{p} est compatible avec la plupart des ordinateurs portables vendus depuis {y}"),
    ("the board approved a budget of {n} thousand euros for training",
     "le conseil a approuvé un budget de {n} milliers d'euros pour la formation"),
    ("the outage affected customers in {m} countries for several hours",
     "la panne a touché des clients dans {m} pays pendant plusieurs heures"),
    ("the engineers fixed the problem and published a detailed explanation",
     "les ingénieurs ont corrigé le problème et publié une explication détaillée"),
    ("the contract with {c} runs until {y}",
     "le contrat avec {c} court jusqu'en {y}"),
]
CONNECTORS = [(", and ", ", et "), ("; ", f"{NNBSP}; "), (", while ", ", tandis que "), (". In addition, ", ". De plus, ")]
SLOGANS = [("faster together", "plus vite ensemble"), ("data for everyone", "des données pour tous")]
QUESTIONS = [("Is the service free? ", f"Le service est-il gratuit{NNBSP}? "), ("What changes for users? ", f"Qu'est-ce qui change pour les utilisateurs{NNBSP}? ")]

DEFECTS = [
    "preamble", "closing", "translator-note", "refusal", "heading", "bold", "repeat-sentence",
    "repeat-ngram", "truncated", "identical", "wrong-language", "mixed-script", "number",
    "url", "placeholder", "tag", "straight-quotes", "nbsp", "dash", "ellipsis", "double-space",
    "repeated-word", "humour", "relative-date", "idiom", "literal-name", "glossary", "too-long",
]


@dataclass
class Pair:
    id: str
    source: str
    target: str
    defect: str = ""


def _fill(template: tuple[str, str], rng: random.Random) -> tuple[str, str]:
    city, city_fr = rng.choice(CITIES)
    n = rng.choice([12, 25, 40, 75, 120, 250, 480, 900, 1500, 3200])
    d_int, d_dec = rng.randint(1, 19), rng.randint(1, 9)
    values = {
        "c": rng.choice(COMPANIES), "p": rng.choice(PRODUCTS), "x": rng.choice(PEOPLE),
        "n": str(n), "m": str(rng.randint(2, 30)), "y": str(rng.randint(2015, 2025)),
        "city": city, "city_fr": city_fr, "d": f"{d_int}.{d_dec}", "d_fr": f"{d_int},{d_dec}",
    }
    en, fr = template
    if "{y}" in fr and "{y}" not in en:
        fr = fr.replace(" {y}", "")
    return en.format(**values), fr.format(**values)


def _sentence(rng: random.Random) -> tuple[str, str]:
    clauses = rng.choice([1, 1, 2, 2, 2, 3])
    en_parts, fr_parts = [], []
    templates = rng.sample(CLAUSES, clauses)  # distinct clauses: a clean pair repeats nothing
    for i, template in enumerate(templates):
        en, fr = _fill(template, rng)
        if i:
            en_join, fr_join = rng.choice(CONNECTORS)
            en_parts.append(en_join)
            fr_parts.append(fr_join)
        en_parts.append(en)
        fr_parts.append(fr)
    en, fr = "".join(en_parts), "".join(fr_parts)
    en = en[0].upper() + en[1:] + "."
    fr = fr[0].upper() + fr[1:] + "."
    roll = rng.random()
    if roll < 0.05:
        slogan_en, slogan_fr = rng.choice(SLOGANS)
        en += f' The slogan was "{slogan_en}".'
        fr += f" Le slogan était «{NBSP}{slogan_fr}{NBSP}»."
    elif roll < 0.08:
        q_en, q_fr = rng.choice(QUESTIONS)
        en = q_en + en
        fr = q_fr + fr
    return en, fr


def _inject(defect: str, en: str, fr: str, rng: random.Random, other_en: str) -> tuple[str, str]:
    words = fr.split(" ")
    middle = max(1, len(words) // 2)
    if defect == "preamble":
        return en, "Voici la traduction en français :\n" + fr
    if defect == "closing":
        return en, fr + " J'espère que cela vous aide !"
    if defect == "translator-note":
        return en, fr + " (N.d.T. : le nom du produit a été conservé.)"
    if defect == "refusal":
        return en, "Je suis désolé, mais je ne peux pas traduire ce texte."
    if defect == "heading":
        return en, " ".join([*words[:middle], "###", *words[middle:]])
    if defect == "bold":
        return en, " ".join([*words[:middle], f"**{words[middle]}**", *words[middle + 1 :]])
    if defect == "repeat-sentence":
        return en, fr + " " + fr
    if defect == "repeat-ngram":
        chunk = words[1:6]
        return en, " ".join([*words[:6], *chunk, *words[6:]])
    if defect == "truncated":
        return en, " ".join(words[: max(3, middle)]) + ","
    if defect == "identical":
        return en, en
    if defect == "wrong-language":
        return en, other_en
    if defect == "mixed-script":
        return en, " ".join([*words[:middle], "（人工智能）", *words[middle:]])
    if defect == "number":
        for n in ("12", "25", "40", "75", "120", "250", "480", "900", "1500", "3200"):
            if f" {n} " in fr:
                return en, fr.replace(f" {n} ", f" {int(n) + 1} ", 1)
        return en, fr.replace(".", " en 2019.", 1) if fr.endswith(".") else fr
    if defect == "url":
        return en + " Details: https://example.com/news/2024/update.html", fr + f" Détails{NBSP}: voir le site."
    if defect == "placeholder":
        return "Hello {name}, " + en, "Bonjour {nom}, " + fr
    if defect == "tag":
        return f"<b>{en}</b>", f"<b>{fr}"
    if defect == "straight-quotes":
        return en + ' It was called "the big step".', fr + ' On l\'a appelé "le grand pas".'
    if defect == "nbsp":
        return en + " Result: success!", fr + " Résultat : un succès !"
    if defect == "dash":
        return en + " - a first for the sector.", " ".join(words) + " - une première pour le secteur."
    if defect == "ellipsis":
        return en + "...", fr[:-1] + "..."
    if defect == "double-space":
        return en, " ".join(words[:middle]) + "  " + " ".join(words[middle:])
    if defect == "repeated-word":
        return en, fr.replace(" le ", " le le ", 1) if " le " in fr else fr.replace(" la ", " la la ", 1)
    if defect == "humour":
        return en + " He joked that the robots were on strike.", fr + " Il a plaisanté en disant que les robots étaient en grève."
    if defect == "relative-date":
        return en + " The decision was announced last Tuesday.", fr + " La décision a été annoncée mardi dernier."
    if defect == "idiom":
        return en + " This is only the tip of the iceberg.", fr + " Ce n'est que la pointe de l'iceberg."
    if defect == "literal-name":
        return en + " The Great Models House praised the launch.", fr + " La Maison des Grands Modèles a salué le lancement."
    if defect == "glossary":
        return en.rstrip(".") + " in the dashboard.", fr.rstrip(".") + " dans le panneau."
    if defect == "too-long":
        return en, fr + " Il faut également rappeler que cette annonce s'inscrit dans une stratégie plus large de l'entreprise, qui cherche depuis plusieurs années à renforcer sa présence sur les marchés européens et à diversifier ses activités."
    raise ValueError(defect)


def generate(n: int, seed: int = 20240713, defect_rate: float = 0.08) -> list[Pair]:
    """``n`` sentence pairs; about ``defect_rate`` of them carry one defect (cycling through all)."""
    rng = random.Random(seed)
    pairs: list[Pair] = []
    defect_index = 0
    for i in range(n):
        en, fr = _sentence(rng)
        defect = ""
        if rng.random() < defect_rate:
            defect = DEFECTS[defect_index % len(DEFECTS)]
            defect_index += 1
            other_en, _ = _sentence(rng)
            while other_en == en:
                other_en, _ = _sentence(rng)
            en, fr = _inject(defect, en, fr, rng, other_en)
        pairs.append(Pair(f"s{i + 1}", en, fr, defect))
    return pairs


GLOSSARY = [
    ("dashboard", "tableau de bord", ""),
    ("settings page", "page des paramètres", ""),
    ("board", "conseil", ""),
    ("", "panneau de contrôle", "yes"),
]


def write_corpus(folder: str | Path, n: int, seed: int = 20240713) -> dict[str, Path]:
    """Write ``corpus-N.tsv`` (id, source, target), ``corpus-N.fr.txt`` (targets, 5 sentences a
    paragraph) and ``glossary.csv`` into ``folder``; returns their paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    pairs = generate(n, seed)
    tsv = out / f"corpus-{n}.tsv"
    with tsv.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["id", "source", "target"])
        for p in pairs:
            writer.writerow([p.id, p.source, p.target])
    text = out / f"corpus-{n}.fr.txt"
    paragraphs = []
    for i in range(0, len(pairs), 5):
        paragraphs.append(" ".join(p.target.replace("\n", " ") for p in pairs[i : i + 5]))
    text.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    glossary = out / "glossary.csv"
    with glossary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["source", "target", "forbidden"])
        writer.writerows(GLOSSARY)
    return {"tsv": tsv, "text": text, "glossary": glossary}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 100000])
    parser.add_argument("--out", default="bench/out")
    parser.add_argument("--seed", type=int, default=20240713)
    args = parser.parse_args()
    for n in args.sizes:
        paths = write_corpus(args.out, n, args.seed)
        print(f"{n:>7} pairs: {paths['tsv']}, {paths['text']}")


if __name__ == "__main__":
    main()
