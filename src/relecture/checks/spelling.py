"""Spelling of the target: words missing from the target language's word list.

The word lists are pyspellchecker's (frequency lists built from OpenSubtitles, shipped in the
PyPI package for de, en, es, fr, it, nl, pt and a few more), so ``pip`` alone installs them. A
word they lack is confirmed with a Hunspell dictionary through spylls (optional: ``pip install
spylls``; it is not a dependency because it installs a top-level ``tests`` package) when the
system has one
(``/usr/share/hunspell``, ``/usr/share/myspell``, or ``[checks] hunspell = "path/fr_FR"``):
Hunspell knows inflections and compounds a frequency list misses, so it only ever removes flags.

Never flagged: words with a capital letter (names, acronyms, sentence starts, German nouns: the
check stays cheap and quiet), words with digits or underscores, code (URLs, e-mails,
placeholders, tags, paths, identifiers), words of the source, of the glossary and of the
personal word list (``[checks] words = [...]``, ``words_file = "words.txt"``), words of three
letters or fewer, words with no listed word one edit away (a typing error is one edit
from the word meant, 80 % of the time after Damerau; a rare word usually is not), abbreviations (a short word before a full stop), and a word that differs
from a listed one by its last letter only (frequency lists lack many inflected forms). Elisions and hyphenated words are accepted when each part is known
(``qu'il``, ``c'est``), and a compound when it splits into two known words (``Zeitplanänderung``).
Each distinct word is looked up once per run.
"""

from __future__ import annotations

import bisect
import gzip
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from relecture.checks.base import WORD_RE, CheckInfo, Context, Family, Finding, SegmentView
from relecture.checks.langdata import word_set
from relecture.packagedata import package_file

FAMILY = "spelling"

# The [checks] settings this family reads (any other key there is an error).
SETTINGS = ("hunspell",)

INFOS = [
    CheckInfo(
        id="spelling.unknown-word",
        family=FAMILY,
        category="Fluency/Spelling",
        severity="minor",
        description="Word not in the target language's word list (de, en, es, fr, it, nl, pt)",
        explanation=(
            "This word is in neither the language's word list nor the source, the glossary or "
            "your word list: it may be misspelt. If it is right (a rare word, a term of the "
            "field), add it to `[checks] words` in relecture.toml so it is never flagged again."
        ),
    ),
]

# Languages whose word list pyspellchecker ships (the check is silent for the others).
# Russian is shipped too, but its list lacks most inflected forms (натуральным, почты).
LANGUAGES = ("de", "en", "es", "fr", "it", "nl", "pt")

_TOKEN = re.compile(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*")
# Code and addresses inside prose: their letters are not words of the language.
_CODE = re.compile(
    r"\S+://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # URLs, e-mails
    r"|%\([\w.]+\)[-+#0-9.]*[a-zA-Z]|%[-+#0-9.]*[a-zA-Z@]|\{[^{}\s]*\}|\$\{\w+\}"  # placeholders
    r"|<[^<>]*>|&#?\w+;|`[^`]*`"  # tags, entities, inline code
    r"|[^\s\"'«»“”()]*[/\\_=][^\s\"'«»“”()]*"  # paths, identifiers, key=value
    r"|\w+\.\w+(?:\.\w+)*\(?"  # dotted names, file names, calls
)
_PARTS = re.compile(r"['’ʼ-]")
# Typographic apostrophes and ligatures as the word lists write them (œuvre is listed "oeuvre").
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "œ": "oe", "æ": "ae"})
# Endings a compound's first part may take before the second (German Fugen-s, -n, -en, -es).
_LINKS = ("", "s", "n", "en", "es", "e")
MIN_LENGTH = 4
_VOWELS = "aeiouàâäéèêëíîïóôöúùûüœ"
_ENDING_LETTERS = _VOWELS + "s"
MAX_SUGGESTION_LENGTH = 20


class WordList:
    """pyspellchecker's word list for one language (word -> frequency), read as it is shipped.

    Parsing the whole file costs 0.15-0.5 s (140,000-340,000 words), more than checking a small
    catalogue. The shipped file has one ``"word": count,`` line per word in sorted order: an
    index of the first word of every kilobyte (a few milliseconds to build) points to the one
    kilobyte that can hold a word, searched for its line (~3-5 us a word). After as many
    distinct words, or texts, as parsing would cost (a large document: ~25,000 texts in French)
    the file is parsed whole and lookups are dict lookups. A file in another layout (unsorted, escaped, on one line) is parsed whole at once.
    Both ways give the same answers.
    """

    BLOCK = 1024

    def __init__(self, blob: bytes) -> None:
        self._blob = blob
        self._memo: dict[str, int | None] = {}
        self._listed: set[str] = set()  # the words of the memo, by answer
        self._unlisted: set[str] = set()
        self._texts = 0  # texts asked about (``missing``)
        self._full: dict[str, int] | None = None
        self._full_after = len(blob) // 50
        self._starts: list[int] = []  # line offsets, one a block
        self._keys: list[bytes] = []  # their words
        if not blob or not self._index():
            self._load_full()

    def _index(self) -> bool:
        """Build the block index; False when the file is not in the sorted one-line layout."""
        blob = self._blob
        if not blob.startswith(b'{\n"') or b"\\" in blob:
            return False
        end_of_words = blob.rfind(b"\n") + 1  # the closing brace's line
        pos = 2
        while pos < end_of_words:
            cut = blob.find(b'": ', pos)
            end = blob.find(b"\n", pos)
            if blob[pos] != 34 or cut < 0 or end < 0 or cut > end:  # 34: '"'
                return False
            self._starts.append(pos)
            self._keys.append(blob[pos + 1 : cut])
            pos = blob.find(b"\n", pos + self.BLOCK) + 1 or end_of_words
            if pos > end_of_words:
                pos = end_of_words
        self._starts.append(end_of_words)
        keys = self._keys
        return len(keys) > 0 and all(a < b for a, b in itertools.pairwise(keys))

    def prepare(self, texts: int) -> None:
        """Parse the whole file now when ``texts`` texts would make ``missing`` parse it anyway
        (before forking workers: parsed once, shared)."""
        if self._full is None and texts > self._full_after // 2:
            self._load_full()

    def _load_full(self) -> dict[str, int]:
        try:
            data = json.loads(self._blob) if self._blob else {}
        except ValueError:
            data = {}
        full: dict[str, int] = data if isinstance(data, dict) else {}
        self._full = full
        self._memo, self._listed, self._unlisted = {}, set(), set()
        return full

    def _lookup(self, word: str) -> int | None:
        target = word.encode("utf-8", "surrogatepass")
        block = bisect.bisect_right(self._keys, target) - 1
        if block < 0:
            return None
        needle = b'\n"' + target + b'": '
        blob, starts = self._blob, self._starts
        at = blob.find(needle, starts[block] - 1, starts[block + 1] - 1 + len(needle))
        if at < 0:
            return None
        end = blob.find(b"\n", at + len(needle))
        return int(blob[at + len(needle) : end if end >= 0 else len(blob)].rstrip(b","))

    def get(self, word: str, default: int | None = None) -> int | None:
        full = self._full
        if full is not None:
            return full.get(word, default)
        memo = self._memo
        if word in memo:
            found = memo[word]
        else:
            if len(memo) >= self._full_after:
                self._load_full()
                return self.get(word, default)
            found = memo[word] = self._lookup(word)
            (self._unlisted if found is None else self._listed).add(word)
        return default if found is None else found

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __bool__(self) -> bool:
        return bool(self._full) if self._full is not None else bool(self._blob)

    def present(self, words: Iterable[str]) -> dict[str, int]:
        """The listed words of ``words`` with their counts (a suggestion's ~1,000 candidates:
        not remembered one by one)."""
        full = self._full
        if full is not None:
            return {w: full[w] for w in words if w in full}
        found: dict[str, int] = {}
        for word in words:
            count = self._lookup(word)
            if count is not None:
                found[word] = count
        return found

    def missing(
        self, words: set[str] | frozenset[str], known: set[str] | frozenset[str] = frozenset()
    ) -> set[str] | frozenset[str]:
        """The words of ``words`` the list lacks (a set difference at C speed once parsed), but
        those of ``known``."""
        # ``set.difference`` of a dict looks its keys up at C speed: no second copy of 140,000-
        # 340,000 words as a set (8-17 MB a process).
        if self._full is not None:
            # The list first: it leaves few words, often none, for ``known``.
            rest = words.difference(self._full)
            return rest.difference(known) if rest and known else rest
        words = words.difference(known) if known else words
        self._texts += 1
        if self._texts > self._full_after // 2:
            # A large document: a few microseconds a text add up.
            return words.difference(self._load_full())
        # Words met before are settled by two set differences at C speed.
        rest = words.difference(self._listed)
        if rest:
            for word in rest.difference(self._unlisted):
                self.get(word)
            if self._full is not None:
                return rest.difference(self._full)
            return rest.difference(self._listed)
        return rest

    def letters(self) -> str:
        """The characters of the listed words, but ' - . and space, sorted; unparsed, those of
        the whole file but its quotes and line breaks (digits and braces too: a character no word
        has only makes candidates that are not listed)."""
        if self._full is not None:
            # The words' bytes, handled as the file's below: a set of 1-3 million characters
            # costs 2-3 times as much (17-90 ms, once a worker).
            blob = "".join(self._full).encode("utf-8", "surrogatepass")
            common = bytes(range(ord("a"), ord("z") + 1))
        else:
            blob = self._blob
            common = bytes(range(ord("a"), ord("z") + 1)) + b'0123456789{}":,\n '
        # Most bytes are these: deleted at C speed, the rest (capitals, accents) is short; an
        # ASCII byte is never part of a longer character in UTF-8.
        rest = blob.translate(None, common).decode("utf-8", "surrogatepass")
        chars = set(rest) | {chr(c) for c in common if bytes([c]) in blob}
        if self._full is None:
            chars -= set('"\n')
        return "".join(sorted(chars - set("'-. ")))


@lru_cache(maxsize=16)
def word_frequencies(lang: str) -> WordList:
    """pyspellchecker's shipped word list for ``lang`` (empty when none).

    Read from the package's resource file directly: building a ``SpellChecker`` costs 2.5 times
    as much (0.37 s for French) for structures these checks do not use."""
    if lang not in LANGUAGES:
        return WordList(b"")
    try:
        path = package_file("spellchecker", "resources", f"{lang}.json.gz")
        if path is None:
            return WordList(b"")
        raw = path.read_bytes()
        return WordList(gzip.decompress(raw))
    except (FileNotFoundError, ModuleNotFoundError, OSError, ValueError, EOFError):
        return WordList(b"")


def _hunspell_paths(lang: str, configured: str | None) -> list[Path]:
    if configured:
        return [Path(configured)]
    found: list[Path] = []
    for folder in (Path("/usr/share/hunspell"), Path("/usr/share/myspell"), Path("/usr/share/myspell/dicts")):
        if folder.is_dir():
            found += sorted(folder.glob(f"{lang}_*.dic")) + sorted(folder.glob(f"{lang}.dic"))
    return found


class Speller:
    """Word lookups for one language, cached per word; ``extra`` words are always right."""

    def __init__(self, lang: str, extra: Iterable[str] = (), hunspell: str | None = None) -> None:
        self.lang = lang
        self.words: WordList = word_frequencies(lang)
        self.extra = frozenset(w.lower().translate(_APOSTROPHES) for w in extra)
        self._hunspell_path = hunspell
        self._hunspell: Any = None
        self._hunspell_loaded = False
        self._cache: dict[str, bool] = {}
        self._suggestions: dict[str, str | None] = {}
        self._letters: str | None = None
        self.harmless: set[str] = set()

    def __bool__(self) -> bool:
        return bool(self.words)

    def reliable(self, common: Iterable[str]) -> bool:
        """Whether the word list holds the language's commonest words (``common``: its function
        words). pyspellchecker's Spanish list lacks "está", "hay" and "fue": a list like that
        would flag correct text everywhere, so it is only used with Hunspell beside it."""
        sample = [w for w in common if len(w) >= 3 and w.isalpha()]
        if not sample:
            return True
        missing = sum(1 for w in sample if w not in self.words)
        return missing <= 0.1 * len(sample)  # English lacks "isn", "didn" (5 %), Spanish 16 %

    def has_hunspell(self) -> bool:
        return any(
            (p.with_suffix("") if p.suffix == ".dic" else p).with_suffix(".aff").is_file()
            for p in _hunspell_paths(self.lang, self._hunspell_path)
        )

    def _in_hunspell(self, word: str) -> bool:
        if not self._hunspell_loaded:
            self._hunspell_loaded = True
            for path in _hunspell_paths(self.lang, self._hunspell_path):
                base = path.with_suffix("") if path.suffix == ".dic" else path
                if not base.with_suffix(".aff").is_file():
                    continue
                try:
                    from spylls.hunspell import Dictionary

                    self._hunspell = Dictionary.from_files(str(base))
                    break
                except Exception:  # spylls missing or the dictionary unreadable: no confirmation
                    self._hunspell = None
        if self._hunspell is None:
            return False
        try:
            return bool(self._hunspell.lookup(word))
        except Exception:
            return False

    def _known_part(self, part: str) -> bool:
        words = self.words
        # "jusqu'" and "aujourd'" are listed with their apostrophe.
        return len(part) <= 3 or part in words or part + "'" in words or part in self.extra

    def _compound(self, word: str) -> bool:
        words = self.words
        for cut in range(4, len(word) - 3):
            head, tail = word[:cut], word[cut:]
            if tail not in words:
                continue
            for link in _LINKS:
                if link and not head.endswith(link):
                    continue
                stem = head[: len(head) - len(link)] if link else head
                if len(stem) >= 3 and stem in words:
                    return True
        return False

    def known(self, word: str) -> bool:
        """Whether ``word`` (lower case) is right: in a list, made of known parts, or Hunspell's."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        key = word.translate(_APOSTROPHES)
        words = self.words
        ok = key in words or key in self.extra or key + "'" in words  # "jusqu" of "jusqu'à"
        if not ok and ("'" in key or "-" in key):
            ok = all(self._known_part(p) for p in re.split(r"['-]", key) if p)
        if not ok and len(key) >= 8:
            ok = self._compound(key)
        if not ok and self.inflection(key):
            ok = True
        if not ok:
            ok = self._in_hunspell(word)
        self._cache[word] = ok
        return ok

    def suspect(self, word: str) -> bool:
        """Whether a word the list lacks may be flagged; the others join ``harmless`` (short, not
        all letters, known through its parts, or without a suggestion), so the set difference
        of the next text drops them at C speed."""
        if len(word) >= MIN_LENGTH and word.isalpha() and not self.known(word) and self.suggestion(word) is not None:
            return True
        self.harmless.add(word)
        return False

    def inflection(self, word: str) -> bool:
        """Whether ``word`` is a listed word with another ending: its last letter dropped
        (letras/letra, australien/australie), a vowel or an s added (caractere/caracteres), or a
        final vowel changed (fallita/fallito). Frequency lists miss inflected forms, while a
        typing error rarely falls on the ending alone."""
        words = self.words
        head, last = word[:-1], word[-1:]
        if head in words or any(word + c in words for c in _ENDING_LETTERS):
            return True
        return last in _VOWELS and any(head + c in words for c in _VOWELS if c != last)

    def suggestion(self, word: str) -> str | None:
        """The most frequent listed word one edit away (deletion, transposition, replacement,
        insertion: Norvig's corrector, as pyspellchecker computes it), if any."""
        if word in self._suggestions:
            return self._suggestions[word]
        best = None
        if len(word) <= MAX_SUGGESTION_LENGTH:
            letters = _alphabet(self)
            splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
            edits = {a + b[1:] for a, b in splits if b}
            edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            edits |= {a + c + b[1:] for a, b in splits if b for c in letters}
            edits |= {a + c + b for a, b in splits for c in letters}
            edits.discard(word)
            frequency = self.words.present(edits)
            if frequency:
                best = max(frequency, key=lambda w: (frequency[w], w))
        self._suggestions[word] = best
        return best


def _alphabet(speller: Speller) -> str:
    """The letters of the language's words (computed once, when a first suggestion is asked)."""
    if speller._letters is None:
        speller._letters = speller.words.letters()
    return speller._letters


def _code_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _CODE.finditer(text)]


def misspellings(text: str, speller: Speller, skip: frozenset[str] = frozenset()) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) of the words of ``text`` the speller does not know; ``skip`` holds
    lower-cased words that are right here (the source's, the glossary's)."""
    code = _code_spans(text) if any(c in text for c in "/\\_=@<&{%`.") else []
    for m in _TOKEN.finditer(text):
        word = m.group()
        if len(word) < MIN_LENGTH or not word.islower():
            continue  # capitals: names, acronyms, sentence starts (see the module docstring)
        start, end = m.span()
        if code and any(s <= start < e for s, e in code):
            continue
        if word in skip or word.translate(_APOSTROPHES) in skip:
            continue
        if skip and not word.isalpha() and all(
            p in skip or len(p) <= 3 or speller.known(p) for p in _PARTS.split(word) if p
        ):
            continue  # "same-origin" from the source, "sull'header"
        if end < len(text) and text[end] == "." and len(word) <= 5:
            continue  # an abbreviation ("nachm.", "janv.")
        if not speller.known(word):
            yield start, end, word


def speller_for(ctx: Context) -> Speller | None:
    """The run's speller for the target language, or None when there is no usable word list."""
    lang = ctx.target_lang or ""
    if lang not in LANGUAGES:
        return None
    hunspell = ctx.settings.get("hunspell")
    speller = Speller(lang, ctx.words, hunspell if isinstance(hunspell, str) else None)
    if not speller or not (speller.reliable(word_set(ctx.data(lang))) or speller.has_hunspell()):
        return None
    return speller


def errors(
    text: str,
    speller: Speller,
    skip: frozenset[str] = frozenset(),
    words: set[str] | frozenset[str] | None = None,
    source: str = "",
) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, word, suggestion) of the misspelt words of ``text``; ``words``: the set of
    its lower-cased ``\\w+`` runs when the caller has it; ``source``: the lower-cased source,
    whose words are right in the target."""
    if not text or text.isupper():
        return
    distinct = set(WORD_RE.findall(text.lower())) if words is None else words
    rare = _rare(speller, distinct)
    if rare and _suspects(text, speller, skip, rare, source):
        yield from _errors(text, speller, skip, source)


def _rare(speller: Speller, distinct: set[str] | frozenset[str]) -> set[str] | frozenset[str]:
    """The words of ``distinct`` (a text's lower-cased ``\\w+`` runs) the list lacks that no
    text judged harmless before; none when the text reads as another language."""
    # One set difference at C speed leaves the few words the list lacks, a second (of a few
    # words) those judged harmless before.
    unknown = speller.words.missing(distinct)
    if not unknown:
        return unknown
    rare = unknown.difference(speller.harmless)
    # A third of the words unknown: another language (language.wrong's finding). ``unknown``
    # counts the words already judged harmless too, so that the answer never depends on the
    # texts this process checked before (nor on how the texts fell to the workers).
    if rare and len(distinct) >= 4 and len(unknown) * 3 > len(distinct):
        return frozenset()
    return rare


def _suspects(text: str, speller: Speller, skip: frozenset[str], rare: Iterable[str], source: str) -> bool:
    """Whether a word of ``rare`` may be misspelt in ``text``: a word that never appears in lower
    case (a name) or that the source has is dropped by a substring test, the others by the
    cached per-word judgement."""
    found = False
    for w in rare:
        if w not in skip and w in text and w not in source:
            found = speller.suspect(w) or found  # judged, even after a first suspect
        elif len(w) < MIN_LENGTH or not w.isalpha():
            # Never flagged, whatever the text (numbers, elided letters): dropped at C speed
            # from now on, as ``suspect`` would.
            speller.harmless.add(w)
    return found


def _errors(text: str, speller: Speller, skip: frozenset[str], source: str) -> Iterator[tuple[int, int, str, str]]:
    """``errors`` once ``text`` has a suspect: tokenised in detail."""
    skip = skip | frozenset(_TOKEN.findall(source)) if source else skip
    for start, end, word in misspellings(text, speller, skip):
        suggestion = speller.suggestion(word)
        if suggestion is not None:  # no listed word one edit away: a rare word more often than a typo
            yield start, end, word, suggestion


def build(ctx: Context) -> Family:
    family = Family()
    if not ctx.on("spelling.unknown-word"):
        return family
    speller = speller_for(ctx)
    if speller is None:
        return family
    lang = speller.lang
    glossary_words: frozenset[str] = frozenset()
    glossary = ctx.glossary
    if glossary is not None:
        terms = [t for e in glossary.entries for t in e.targets] + [t for t, _ in glossary.forbidden]
        glossary_words = frozenset(w.lower() for t in terms for w in _TOKEN.findall(t))

    def spelling(view: SegmentView) -> Iterable[Finding]:
        # ``errors`` unrolled: most texts end at ``_rare`` or ``_suspects``, without a generator.
        target = view.target
        if not target or target.isupper():
            return ()
        rare = _rare(speller, view.distinct)
        if not rare:
            return ()
        source = view.source_lower if view.source else ""
        if not _suspects(target, speller, glossary_words, rare, source):
            return ()
        return [
            (
                "spelling.unknown-word", "target", start, end,
                f"“{word}” is not in the {lang} word list: “{suggestion}”?", suggestion,
            )
            for start, end, word, suggestion in _errors(target, speller, glossary_words, source)
        ]

    family.segment_fns.append(spelling)
    family.prepare_fns.append(speller.words.prepare)
    return family


def post_edit_errors(
    doc: Any, config: Any = None, segment_ids: Iterable[str] | None = None
) -> dict[str, list[tuple[int, int, str, str]]]:
    """Spelling of the reviewers' post-edits: {segment id: [(start, end, word, suggestion)]},
    offsets into ``Segment.post_edit`` (flags index the imported target, so these are reported
    apart, in the workbench once a post-edit is saved)."""
    from relecture.checks import Checker
    from relecture.model import ReviewDocument, Segment

    wanted = None if segment_ids is None else set(segment_ids)
    edited = [
        Segment(id=seg.id, source=seg.source, target=seg.post_edit, paragraph=i)
        for i, seg in enumerate(doc.segments)
        if seg.post_edit and (wanted is None or seg.id in wanted)
    ]
    if not edited:
        return {}
    # Only the edited segments: the languages come from the document, never from guessing.
    small = ReviewDocument(id=doc.id, title=doc.title, segments=edited, source_lang=doc.source_lang,
                           target_lang=doc.target_lang)
    speller = speller_for(Checker(small, config, only="spelling").ctx)
    out: dict[str, list[tuple[int, int, str, str]]] = {}
    if speller is None:
        return out
    for seg in edited:
        found = list(errors(seg.target, speller, source=(seg.source or "").lower()))
        if found:
            out[seg.id] = found
    return out
