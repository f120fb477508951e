"""Input files the importer and exporter tests share: the smallest valid file of each format
(``SKELETONS``: the fuzz and round-trip suites), MQM rows, a PO catalogue, a TMX memory and the
CAT files of tests/data/cat."""

from __future__ import annotations

import collections
import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pytest

from conftest import SHARED
from relecture.importers.xliff import NS_XLIFF2
from relecture.model import ReviewDocument, show_codes
from relecture.scoring import segment_mqm

WMT_FILE = SHARED / "data" / "wmt-mqm" / "mqm_ted_ende.tsv"


HEADER = "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\tcomment"


ROWS = [
    # sysA seg 1: rater1 two errors (one on the source: an omission), rater2 clean.
    'sysA\tdoc1\t1\t1\trater1\tThe "black" cat sat.\tDie <v>schwarze</v> Katze.\tAccuracy/Mistranslation\tMajor\tsaid "dark"',
    'sysA\tdoc1\t1\t1\trater1\tThe "black" cat <v>sat</v>.\tDie schwarze Katze.\tAccuracy/Omission\tMinor\t',
    'sysA\tdoc1\t1\t1\trater2\tThe "black" cat sat.\tDie schwarze Katze.\tNo-error\tNo-error\t',
    # sysB seg 1: same source, another system; rater1 finds a punctuation error.
    "sysB\tdoc1\t1\t1\trater1\tThe \"black\" cat sat.\tDie schwarze Katze saß<v>,</v>\tFluency/Punctuation\tminor\t",
    # sysA seg 2: non-translation, and a neutral one by another rater.
    "sysA\tdoc1\t2\t2\trater2\tIt rained.\t<v>It rained.</v>\tNon-translation!\tMajor\t",
    "sysA\tdoc1\t2\t2\trater3\tIt rained.\tIt <v>rained</v>.\tSource issue\tNeutral\tok",
    # sysB seg 2: clean for rater3.
    "sysB\tdoc1\t2\t2\trater3\tIt rained.\tEs regnete.\tNo-error\tNo-error\t",
]


def _write(tmp_path: Path, lines: list[str], name: str = "ratings.tsv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _compact(data: object) -> str:
    # Marot and Anthea write JSON.stringify's compact form.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _rows(text: str) -> collections.Counter[str]:
    return collections.Counter(line for line in text.splitlines() if line)


def _scores(doc: ReviewDocument) -> dict[str, float | None]:
    return {s.id: segment_mqm(s) for s in doc.segments}


def _annotation_keys(doc: ReviewDocument) -> set[tuple[object, ...]]:
    return {
        (s.id, a.author, a.side, a.start, a.end, a.text, a.category, a.severity, a.comment)
        for s in doc.segments
        for a in s.annotations
    }


PO = r'''# SOME DESCRIPTIVE TITLE.
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: fr\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

# Keep it short
#. Menu entry
#: src/menu.c:12 src/menu.c:40
#, fuzzy
msgctxt "menu"
msgid "Open file"
msgstr "Ouvrir le fichier"

msgid "Save <b>now</b> & quit"
msgstr "Enregistrer <b>maintenant</b> et quitter"

msgid "One file"
msgid_plural "%d files"
msgstr[0] "Un fichier"
msgstr[1] "%d fichiers"

msgid "Untranslated"
msgstr ""

#~ msgid "Old"
#~ msgstr "Vieux"
'''


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en"
          srclang="en" datatype="plaintext"/>
  <body>
    <tu tuid="t1">
      <note>client glossary</note>
      <prop type="x-domain">legal</prop>
      <tuv xml:lang="en"><seg>The contract &amp; the annex.</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Le contrat et l'annexe.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="fr-FR"><seg>Bonjour</seg></tuv>
      <tuv xml:lang="en"><seg>Hello</seg></tuv>
    </tu>
    <tu tuid="t3">
      <tuv xml:lang="en"><seg>Goodbye</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Au revoir</seg></tuv>
    </tu>
  </body>
</tmx>
"""


X = f"{{{NS_XLIFF2}}}"


# --- the smallest valid file of each format -------------------------------------------------------


def tabular(fmt: str, source: str, target: str) -> str:
    cells = [c.replace("\t", " ").replace("\n", " ") for c in (source, target)]
    if fmt == "tsv":
        return "id\tsource\ttarget\n1\t" + "\t".join(cells) + "\n"
    header = "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\tcomment\n"
    return header + f"sys\tdoc1\t1\t1\trater1\t{cells[0]}\t<v>{cells[1]}</v>\tAccuracy/Mistranslation\tMajor\t\n"


def csv_file(source: str, target: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["id", "source", "target"], ["1", source, target]])
    return buffer.getvalue()


def skeleton(fmt: str, source: str, target: str) -> str:
    """The smallest valid file of ``fmt`` holding one source/target pair."""
    if fmt not in SKELETONS:  # a new importer: it joins the fuzz and round-trip suites with one
        pytest.fail(f"no skeleton file for the {fmt!r} importer: add one to SKELETONS in tests/importers/samples.py")
    return SKELETONS[fmt](source, target)


def xliff21(source: str, target: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="fr">\n'
        f' <file id="f1"><unit id="u1" xml:space="preserve"><segment><source>{xml_escape(source)}</source>'
        f"<target>{xml_escape(target)}</target></segment></unit></file>\n</xliff>\n"
    )


def tmx_file(source: str, target: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
        '<header creationtool="fuzz" creationtoolversion="1" segtype="sentence" o-tmf="none" '
        'adminlang="en" srclang="en" datatype="plaintext"/>\n<body>\n'
        f'<tu tuid="t1"><tuv xml:lang="en"><seg>{xml_escape(source)}</seg></tuv>'
        f'<tuv xml:lang="fr"><seg>{xml_escape(target)}</seg></tuv></tu>\n</body>\n</tmx>\n'
    )


def po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def po_file(source: str, target: str) -> str:
    return (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fr\\n"\n\n'
        f"msgid {po_quote(source)}\nmsgstr {po_quote(target)}\n"
    )


SKELETONS: dict[str, Callable[[str, str], str]] = {
    "text": lambda source, target: target,
    "tsv": lambda source, target: tabular("tsv", source, target),
    "mqm": lambda source, target: tabular("mqm", source, target),
    "csv": csv_file,
    "jsonl": lambda source, target: json.dumps({"id": "1", "source": source, "target": target}, ensure_ascii=False) + "\n",
    "xliff": lambda source, target: xliff21(source, target),
    "po": lambda source, target: po_file(source, target),
    "tmx": lambda source, target: tmx_file(source, target),
}


DATA = Path(__file__).resolve().parents[1] / "data" / "cat"


def shown(seg, side: str = "target") -> str:  # type: ignore[no-untyped-def]
    return show_codes(seg.text(side), seg.codes)
