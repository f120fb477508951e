"""Input files the importer and exporter tests share: MQM rows, a PO catalogue, a TMX memory, XLIFF 2
names."""

from __future__ import annotations

import collections
import json
from pathlib import Path

from conftest import SHARED
from relecture.importers.xliff import NS_XLIFF2
from relecture.model import ReviewDocument
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
