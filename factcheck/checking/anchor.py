"""Pure text: fold a text for forgiving comparison, find a quote in a snapshot, name the closest passage."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

MatchKind = Literal["exact", "normalized"]

_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2039\u203a\u2032\u0060\u00b4"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_TRANSLATE = str.maketrans(
    {**{c: "'" for c in _SINGLE_QUOTES}, **{c: '"' for c in _DOUBLE_QUOTES}, **{c: "-" for c in _DASHES},
     **{c: "" for c in _INVISIBLE}}
)
_ASCII_SPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\.\.|\u2026)\s*\]|\.\.\.|\u2026)\s*")

MIN_SUGGESTION_SCORE = 60.0
MIN_SUGGESTION_LENGTH = 8
# The work a crafted quote can ask for is bounded: the closest-passage search costs about the quote's length
# times the snapshot's, so it is made only for quotes up to MAX_SEARCHED_QUOTE characters (real quotes are
# a sentence or two), and an ellipsis quote is matched in at most MAX_PARTS parts.
MAX_SEARCHED_QUOTE = 500
MAX_PARTS = 100
# An ellipsis stands for words left out of one passage: the parts of an ellipsis quote must lie in one
# paragraph (no blank line between them) with at most MAX_OMISSION characters left out between two parts,
# about three sentences of news prose. Farther apart, "..." is punctuation, or joins two passages into a
# sentence the source never wrote. Each start of the first part is tried, up to MAX_FIRST_TRIES of them.
MAX_OMISSION = 300
MAX_FIRST_TRIES = 1000
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n|\u2029")


def fold(text: str) -> str:
    """The text with whitespace runs, typographic quotes, dashes and compatibility forms folded."""
    if text.isascii():
        return _ASCII_SPACE.sub(" ", text)
    return fold_with_spans(text)[0]


# What folding changes: runs of two or more whitespace characters, and non-ASCII characters (with the
# combining marks after them, and an ASCII letter before such marks). Everything between is copied.
_VISIBLE_ASCII = re.compile(r"[0-9A-Za-z]")
_CHANGES = re.compile(r"\s{2,}|[^\x00-\x7f]")
_ONE_SPACE = str.maketrans(dict.fromkeys("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f", " "))


class Spans:
    """For each folded character, the original span it came from: `starts[k]`, `ends[k]`.

    Kept as the few places where folding changed the text, so a snapshot of any size costs a handful
    of entries and a lookup is a binary search.
    """

    def __init__(self, changes: list[tuple[int, int, int, int]]) -> None:
        self._changes = changes  # (folded start, folded length, original start, original end), in order
        self._keys = [change[0] for change in changes]
        self.starts = _Lookup(self, 0)
        self.ends = _Lookup(self, 1)

    def span(self, k: int) -> tuple[int, int]:
        import bisect

        i = bisect.bisect_right(self._keys, k) - 1
        if i < 0:
            return k, k + 1
        folded_start, folded_length, original_start, original_end = self._changes[i]
        if k < folded_start + folded_length:
            return original_start, original_end
        at = k - (folded_start + folded_length) + original_end
        return at, at + 1


_ASCII_RUNS = re.compile(r"\s{2,}")  # in ASCII text, as _CHANGES finds them
_SPACES_TO_ONE = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"  # what _ONE_SPACE makes a space


class _Lookup:
    def __init__(self, spans: Spans, which: int) -> None:
        self._spans, self._which = spans, which

    def __getitem__(self, k: int) -> int:
        return self._spans.span(k)[self._which]


def _replacement(piece: str) -> str:
    if piece.isspace():
        return " "
    return _ASCII_SPACE.sub(" ", unicodedata.normalize("NFKC", piece).translate(_TRANSLATE))


# The characters the usual snapshot folds one for one into ASCII: typographic quotes and dashes, taken from
# what the general way makes of each, so the two cannot disagree.
_ONE_FOR_ONE = [(char, _replacement(char)) for char in _SINGLE_QUOTES + _DOUBLE_QUOTES + _DASHES
                if not char.isascii() and len(_replacement(char)) == 1 and _replacement(char).isascii()
                and not _replacement(char).isspace()]


def fold_with_spans(text: str) -> tuple[str, _Lookup, _Lookup]:
    """`fold(text)` plus where each folded character came from (`starts[k]`, `ends[k]`)."""
    quick = _fold_quickly(text)
    return quick if quick is not None else _fold_generally(text)


def _fold_quickly(text: str) -> tuple[str, _Lookup, _Lookup] | None:
    """`fold_with_spans` for the usual snapshot: ASCII but for typographic quotes and dashes, each folded
    to one ASCII character (so each keeps its place). A chain of `str.replace` and a scan of the
    then-ASCII text for whitespace runs are some ten times quicker than the general way; None for any
    other text."""
    for char, replacement in _ONE_FOR_ONE:
        if char in text:
            text = text.replace(char, replacement)
    if not text.isascii():
        return None
    pieces: list[str] = []
    changes: list[tuple[int, int, int, int]] = []
    folded_length = copied_to = 0
    for match in _ASCII_RUNS.finditer(text):
        start, end = match.span()
        pieces.append(text[copied_to:start])
        folded_length += start - copied_to
        pieces.append(" ")
        changes.append((folded_length, 1, start, end))
        folded_length += 1
        copied_to = end
    pieces.append(text[copied_to:])
    folded = "".join(pieces)
    for space in _SPACES_TO_ONE:
        if space in folded:
            folded = folded.replace(space, " ")
    if "  " in folded:  # a run met a space: the general way folds character by character
        return None
    spans = Spans(changes)
    return folded, spans.starts, spans.ends


def _fold_generally(text: str) -> tuple[str, _Lookup, _Lookup]:
    pieces: list[str] = []
    changes: list[tuple[int, int, int, int]] = []
    folded_length = copied_to = 0
    length = len(text)
    for match in _CHANGES.finditer(text):
        start, end = match.span()
        if start < copied_to:
            continue  # taken already, as combining marks of the character before
        if start > copied_to and unicodedata.combining(text[start]) and text[start - 1].isascii() \
                and not text[start - 1].isspace():
            start -= 1  # the ASCII letter before composes with its marks: fold them together
        while end < length and unicodedata.combining(text[end]) and not text[start].isspace():
            end += 1
        replacement = _replacement(text[start:end])
        pieces.append(text[copied_to:start])
        folded_length += start - copied_to
        pieces.append(replacement)
        changes.append((folded_length, len(replacement), start, end))
        folded_length += len(replacement)
        copied_to = end
    pieces.append(text[copied_to:])
    folded = "".join(pieces).translate(_ONE_SPACE)
    if "  " in folded:  # a replacement met a space: fold character by character instead
        return _fold_slowly(text)
    spans = Spans(changes)
    return folded, spans.starts, spans.ends


def _fold_slowly(text: str) -> tuple[str, _Lookup, _Lookup]:
    out: list[str] = []
    changes: list[tuple[int, int, int, int]] = []
    index, length = 0, len(text)
    while index < length:
        end = index + 1
        if text[index].isspace():
            while end < length and text[end].isspace():
                end += 1
        else:
            while end < length and unicodedata.combining(text[end]):
                end += 1
        replacement = _replacement(text[index:end])
        if replacement.startswith(" ") and out and out[-1] == " ":
            replacement = replacement[1:]
        if replacement != text[index:end]:
            changes.append((len(out), len(replacement), index, end))
        out.extend(replacement)
        index = end
    spans = Spans(changes)
    return "".join(out), spans.starts, spans.ends


# Evidence must say something on its own: at least MIN_EVIDENCE_CHARACTERS visible characters, and at
# least one word that is not a number or one of these function words (English, Spanish, French, German,
# Portuguese), so that "e", "the", "2023" or "it is not" can never carry a verdict.
MIN_EVIDENCE_CHARACTERS = 12
_FUNCTION_WORDS = frozenset(" ".join((
    "a an and are as at be but by for from has have he her his i in is it its not no of on or our she so that the",
    "their them they this to was we were will with you yes one all any some if than then there here what which",
    "who been do does did can could would should may might also into about up out just me my him us your",
    "el la los las un una y o de del en que es por con no se lo al",
    "le les des du et ou est une en dans pour pas",
    "der die das und oder ist ein eine nicht zu den dem mit von",
    "o os as um uma e ou do da dos das em que com por nao",
)).split())
_WORD = re.compile(r"\w+")


def too_short(quote: str) -> str | None:
    """Why a quote is too slight to be evidence, or None when it can be."""
    folded = fold(quote).strip()
    if len(folded) < MIN_EVIDENCE_CHARACTERS:
        return f"{len(folded)} characters; evidence needs at least {MIN_EVIDENCE_CHARACTERS}"
    words = _WORD.findall(folded.casefold())
    if not any(not word.isdigit() and word not in _FUNCTION_WORDS for word in words):
        return "only numbers and function words (the, of, is...); evidence needs words that say something"
    return None


def split_ellipsis(quote: str) -> list[str]:
    """The parts of a quote around its ellipses (`...`, `…`, `[...]`), empty parts dropped."""
    return [part for part in _ELLIPSIS.split(quote) if part.strip()]


class Found:
    """Where a quote is in the snapshot (original character offsets) and how it was matched.

    `occurrences` (how often the words occur) is counted only when asked: verify never needs it.
    """

    __slots__ = ("_counted_in", "_fits", "_occurrences", "end", "kind", "omitted", "spans", "start")

    def __init__(self, kind: MatchKind, start: int, end: int, spans: tuple[tuple[int, int], ...],
                 occurrences: int | None = None, counted_in: tuple[str, str] | None = None,
                 fits: int | None = None, omitted: bool = False) -> None:
        self.kind, self.start, self.end, self.spans = kind, start, end, spans
        self._occurrences, self._counted_in = occurrences, counted_in
        self._fits = fits
        self.omitted = omitted  # an ellipsis quote: words of the passage are left out

    @property
    def occurrences(self) -> int:
        """How often the words occur in the snapshot, whatever the prefix and suffix say."""
        if self._occurrences is None:
            assert self._counted_in is not None
            text, words = self._counted_in
            self._occurrences = text.count(words)
        return self._occurrences

    @property
    def fits(self) -> int:
        """How many places the quote with its prefix and suffix fits: more than one is a quote that does not
        say which place it means."""
        return self.occurrences if self._fits is None else self._fits

    def repeated(self) -> bool:
        """`fits > 1`, known without counting every place: for a quote found where it first occurs, whether
        the words occur again after it (as `str.count` counts, without overlapping)."""
        if self._fits is None and self._occurrences is None:
            assert self._counted_in is not None
            text, words = self._counted_in
            return text.find(words, self.start + len(words)) >= 0
        return self.fits > 1

    def __repr__(self) -> str:
        return f"Found({self.kind!r}, {self.start}, {self.end}, {self.spans!r})"


@dataclass(frozen=True)
class Missing:
    """A quote that is not in the snapshot, with the closest passage when one is similar enough."""

    reason: str
    closest: str | None = None
    score: float = 0.0

    def hint(self) -> str:
        """The closest passage for a message, in the source's own characters between quotes (so it can be
        pasted back as it is); nothing when there is none, or when the reason names the words already."""
        if self.closest is None or self.reason.startswith("only the letter case differs"):
            return ""
        return f"; closest passage ({self.score:g}% similar): '{self.closest}'"


class Snapshot:
    """A source text prepared for searching: folded once, searched many times."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _folded(self) -> tuple[str, _Lookup, _Lookup]:
        return fold_with_spans(self.text)

    @cached_property
    def _quick_lowered(self) -> str:
        return self._folded[0].lower()

    @cached_property
    def _lowered(self) -> str:
        """The folded text in lower case, character for character: made once, for any quote that needs it."""
        return _lower_keeping_length(self._folded[0])

    def find(self, quote: str, prefix: str | None = None, suffix: str | None = None) -> Found | Missing:
        """Find `quote`: exactly, then folded, then as ellipsis parts in order; prefix/suffix pick among repeats."""
        quote = quote.strip()
        if not quote:
            return Missing("the quote is empty")
        if not quote.isascii() and not _VISIBLE_ASCII.search(quote) and not fold(quote).strip():
            # (folding keeps every ASCII letter and digit, and a stripped ASCII quote is not blank)
            return Missing("the quote has no visible characters (only spaces or invisible ones such as U+200B)")
        if not prefix and not suffix:  # the common case, in two C calls
            at = self.text.find(quote)
            if at >= 0:
                return Found("exact", at, at + len(quote), ((at, at + len(quote)),), counted_in=(self.text, quote))
        spans = _occurrences(self.text, quote)
        kept = [span for span in spans if self._fits_raw(span, prefix, suffix)]
        if kept:
            return Found("exact", kept[0][0], kept[0][1], (kept[0],), len(spans), fits=len(kept))
        folded_quote = fold(quote).strip()
        folded, starts, ends = self._folded
        folded_spans = _occurrences(folded, folded_quote)
        folded_kept = [span for span in folded_spans if self._fits_folded(span, prefix, suffix)]
        if folded_kept:
            start, end = folded_kept[0]
            original = (starts[start], ends[end - 1])
            return Found("normalized", original[0], original[1], (original,), len(folded_spans), fits=len(folded_kept))
        parts = split_ellipsis(quote)
        if len(parts) > MAX_PARTS:
            return Missing(f"an ellipsis quote of {len(parts)} parts; at most {MAX_PARTS} are matched")
        if parts and parts != [quote]:  # an ellipsis between parts, or before or after the words
            found = self._find_parts(parts, prefix, suffix)
            if found is not None:
                return found
        if spans or folded_spans:
            count = max(len(spans), len(folded_spans))
            return Missing(
                f"the words occur {count} time{'s' if count != 1 else ''} but none with the given prefix/suffix"
            )
        return self._missing((self._first_missing(parts) if len(parts) > 1 else None) or quote)

    def context(self, start: int, end: int, width: int = 60) -> tuple[str, str, str]:
        """The words before, the matched text and the words after, whitespace folded for display."""
        before = self.text[max(0, start - width):start]
        after = self.text[end:end + width]
        if start - width > 0 and " " in before:
            before = "..." + before[before.index(" ") + 1:]
        if end + width < len(self.text) and " " in after:
            after = after[:after.rindex(" ")] + "..."
        squash = _ASCII_SPACE.sub
        return squash(" ", before).lstrip(), squash(" ", self.text[start:end]), squash(" ", after).rstrip()

    def _fits_raw(self, span: tuple[int, int], prefix: str | None, suffix: str | None) -> bool:
        return _fits(self.text, span, prefix and prefix.strip(), suffix and suffix.strip())

    def _fits_folded(self, span: tuple[int, int], prefix: str | None, suffix: str | None) -> bool:
        return _fits(self._folded[0], span, prefix and fold(prefix).strip(), suffix and fold(suffix).strip())

    def _find_parts(self, parts: list[str], prefix: str | None, suffix: str | None) -> Found | Missing | None:
        """The parts in order, each near the one before in the same paragraph (see MAX_OMISSION); a Missing
        that says so when they are in the source but only farther apart; None when a part is not there."""
        too_far = False
        for kind, haystack, folder in (("exact", self.text, None), ("normalized", self._folded[0], fold)):
            pieces = [folder(part).strip() if folder else part.strip() for part in parts]
            checker = self._fits_raw if folder is None else self._fits_folded
            for first in _occurrences(haystack, pieces[0])[:MAX_FIRST_TRIES]:
                if not checker(first, prefix, None):
                    continue
                spans = [first]
                nowhere = False
                for piece in pieces[1:]:
                    end = spans[-1][1]
                    at = haystack.find(piece, end, end + MAX_OMISSION + len(piece) + 1)
                    if at < 0 or self._breaks_paragraph(folder is not None, end, at):
                        nowhere = haystack.find(piece, end) < 0
                        too_far = too_far or not nowhere
                        break
                    spans.append((at, at + len(piece)))
                else:
                    if not checker(spans[-1], None, suffix):
                        continue
                    if folder is not None:
                        _, starts, ends = self._folded
                        spans = [(starts[s], ends[e - 1]) for s, e in spans]
                    return Found(kind, spans[0][0], spans[-1][1], tuple(spans), 1,  # type: ignore[arg-type]
                                 omitted=True)
                if nowhere:
                    break  # a part is missing after this start, so after every later one too
        if too_far:
            return Missing(f"the parts are in the source, but not within {MAX_OMISSION} characters of each other "
                           "in one paragraph: an ellipsis stands for words left out of one passage, not for a jump "
                           "between passages")
        return None

    def _breaks_paragraph(self, folded: bool, start: int, end: int) -> bool:
        """Whether a blank line lies between two offsets (of the folded text when `folded`)."""
        if folded:
            _, starts, ends = self._folded
            start, end = ends[start - 1] if start else 0, starts[end] if end < len(self._folded[0]) else len(self.text)
        return _PARAGRAPH_BREAK.search(self.text, start, end) is not None

    def _first_missing(self, parts: list[str]) -> str | None:
        folded = self._folded[0]
        for part in parts:
            if fold(part).strip() not in folded:
                return part
        return None

    def _missing(self, quote: str) -> Missing:
        folded_quote = fold(quote).strip()
        if len(folded_quote) < MIN_SUGGESTION_LENGTH:
            return Missing("not in the snapshot")
        case = self._case_only(folded_quote)
        if case is not None:
            return case
        if len(folded_quote) > MAX_SEARCHED_QUOTE:
            return Missing(f"not in the snapshot; closest passage not searched: quote longer than {MAX_SEARCHED_QUOTE} "
                           "characters")
        from rapidfuzz import fuzz

        folded, starts, ends = self._folded
        alignment = fuzz.partial_ratio_alignment(folded_quote, folded)
        if alignment is None or alignment.score < MIN_SUGGESTION_SCORE or alignment.dest_end <= alignment.dest_start:
            return Missing("not in the snapshot, and no passage is similar")
        start, end = _widen_to_words(folded, alignment.dest_start, alignment.dest_end)
        closest = self.text[starts[start]:ends[end - 1]].strip()  # the source's own characters, to paste back
        return Missing("not in the snapshot", closest, round(alignment.score, 1))

    def _case_only(self, folded_quote: str) -> Missing | None:
        """The not-found reason when the words are there but for letter case, naming both spellings."""
        _, starts, ends = self._folded
        if folded_quote.lower() not in self._quick_lowered:  # the usual answer, from C's lower() alone
            return None
        lowered = _lower_keeping_length(folded_quote)
        if len(lowered) != len(folded_quote):
            return None
        at = self._lowered.find(lowered)
        if at < 0:
            return None
        own = self.text[starts[at]:ends[at + len(lowered) - 1]]
        return Missing(f"only the letter case differs: {own!r} in the source, {folded_quote!r} in the quote", own, 100.0)


def _occurrences(haystack: str, needle: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    at = haystack.find(needle)
    while at >= 0:
        spans.append((at, at + len(needle)))
        at = haystack.find(needle, at + 1)
    return spans


def _fits(haystack: str, span: tuple[int, int], prefix: str | None, suffix: str | None) -> bool:
    """True when the words just before the span (spaces between skipped) end with `prefix`, and those just
    after start with `suffix`. Only the text next to the span is looked at, so checking every occurrence of
    a much-repeated quote costs the length of the snapshot, not its square."""
    if prefix:
        before = span[0]
        while before > 0 and haystack[before - 1].isspace():
            before -= 1
        if not haystack.endswith(prefix, 0, before):
            return False
    if suffix:
        after, length = span[1], len(haystack)
        while after < length and haystack[after].isspace():
            after += 1
        if not haystack.startswith(suffix, after):
            return False
    return True


def _widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


# `quote` forgives what a person mistypes, never what they reword. A typed quote is matched exactly, then
# after folding, then ignoring case; failing those, the most similar passage (rapidfuzz's partial ratio at
# least FORGIVING_MIN_SCORE) is taken only when it has the typed words, word for word, each at most a
# typo away (Damerau-Levenshtein distance of 1, or 1 in 4 letters for longer words: "Azerbiajan" for
# "Azerbaijan"). A word added, dropped or replaced by another word makes it a paraphrase, refused: such
# as "linking childhood vaccination and SIDS" for "Childhood vaccination causes SIDS", 90% similar
# by partial ratio, which is why similarity alone cannot decide. Nor may the passage cross a sentence end
# the typed words do not.
FORGIVING_MIN_SCORE = 90.0
_SENTENCE_END = re.compile(r"[.!?][\"')\]\u2019\u201d]*\s+\S")


@dataclass(frozen=True)
class Located:
    """Where words typed by a person are in a snapshot, what forgave the difference, and what to store."""

    start: int
    end: int
    how: str  # exact, normalized, case, typos
    text: str  # the source's own characters (an ellipsis quote: its parts, with the typed ellipses)
    similarity: float = 100.0  # of the typed words to what is stored, in percent
    differences: tuple[tuple[str, str], ...] = ()  # (typed word, the source's word), for each typo forgiven
    omitted: bool = False


def locate_forgiving(snapshot: Snapshot, typed: str) -> Located | Missing:
    """Find words as a person typed them: exactly, folded, in any case, or with small typos.

    The text returned is the snapshot's own characters, so the caller stores what the source says, never
    what was typed.
    """
    typed = typed.strip()
    found = snapshot.find(typed)
    if isinstance(found, Found):
        return Located(found.start, found.end, found.kind, _own_words(snapshot.text, typed, found), omitted=found.omitted)
    if isinstance(found, Missing) and found.reason.startswith("the parts are in the source"):
        return found
    folded, starts, ends = snapshot._folded
    lowered, lowered_quote = snapshot._lowered, _lower_keeping_length(fold(typed).strip())
    at = lowered.find(lowered_quote) if lowered_quote else -1
    if at >= 0:
        start, end = starts[at], ends[at + len(lowered_quote) - 1]
        return Located(start, end, "case", snapshot.text[start:end])
    if MIN_SUGGESTION_LENGTH <= len(lowered_quote) <= MAX_SEARCHED_QUOTE:
        from rapidfuzz import fuzz

        alignment = fuzz.partial_ratio_alignment(lowered_quote, lowered)
        if alignment is not None and alignment.score >= FORGIVING_MIN_SCORE and alignment.dest_end > alignment.dest_start:
            start, end = _widen_to_words(folded, alignment.dest_start, alignment.dest_end)
            while start < end and folded[start] == " ":
                start += 1
            while end > start and folded[end - 1] == " ":
                end -= 1
            own = snapshot.text[starts[start]:ends[end - 1]]
            similarity = round(fuzz.ratio(lowered_quote, lowered[start:end]), 1)
            refused = _reworded(typed, own, similarity)
            if isinstance(refused, Missing):
                return refused
            return Located(starts[start], ends[end - 1], "typos", own, similarity, refused)
    return snapshot._missing(typed)


def _own_words(text: str, typed: str, found: Found) -> str:
    """What to store for a quote found as typed: the source's characters, with an ellipsis quote's ellipses."""
    if not found.omitted:
        return text[found.start:found.end]
    out, at = [], 0
    for part, (start, end) in zip(split_ellipsis(typed), found.spans, strict=True):
        part = part.strip()
        where = typed.index(part, at)
        out += [typed[at:where], text[start:end]]
        at = where + len(part)
    out.append(typed[at:])
    return "".join(out)


def _reworded(typed: str, own: str, similarity: float) -> tuple[tuple[str, str], ...] | Missing:
    """The typos between typed words and the source's, or a Missing when they differ by more than typos."""
    import difflib

    from rapidfuzz.distance import DamerauLevenshtein

    mine, theirs = _WORD.findall(fold(typed).casefold()), _WORD.findall(fold(own).casefold())
    shown_mine, shown_theirs = _WORD.findall(fold(typed)), _WORD.findall(fold(own))
    typos: list[tuple[str, str]] = []
    reworded: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, mine, theirs, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            for a, b, shown_a, shown_b in zip(mine[i1:i2], theirs[j1:j2], shown_mine[i1:i2], shown_theirs[j1:j2],
                                              strict=True):
                if DamerauLevenshtein.distance(a, b) <= max(1, max(len(a), len(b)) // 4):
                    typos.append((shown_a, shown_b))
                else:
                    reworded.append(f"{shown_a!r} typed where the source has {shown_b!r}")
            continue
        if i2 > i1:
            reworded.append(f"{' '.join(shown_mine[i1:i2])!r} typed, not in the source" + (
                f" (which has {' '.join(shown_theirs[j1:j2])!r})" if j2 > j1 else ""))
        elif j2 > j1:
            reworded.append(f"the source has {' '.join(shown_theirs[j1:j2])!r}, not typed")
    if not reworded and len(_SENTENCE_END.findall(own)) > len(_SENTENCE_END.findall(typed)):
        reworded.append("the passage runs across the end of a sentence, and the typed words do not")
    if reworded:
        return Missing("not in the snapshot; the closest passage differs in words, not only in spelling (a quote "
                       "must be the source's own words): " + "; ".join(reworded), own.strip(), similarity)
    return tuple(typos)


def _lower_keeping_length(text: str) -> str:
    """Lowercase, character by character, keeping any character whose lower form is not one character."""
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)


def pin(snapshot: Snapshot, start: int, end: int, width: int = 32) -> tuple[str | None, str | None]:
    """A prefix and suffix that single out this occurrence when the same words occur more than once."""
    exact = snapshot.text[start:end]
    if snapshot.text.count(exact) <= 1:
        return None, None
    for size in range(8, max(width, 8) * 4 + 1, 8):
        prefix = _word_trim(snapshot.text[max(0, start - size):start], from_left=True) or None
        suffix = _word_trim(snapshot.text[end:end + size], from_left=False) or None
        found = snapshot.find(exact, prefix, suffix)
        if isinstance(found, Found) and found.start == start:
            return prefix, suffix
    return None, None


def _word_trim(text: str, *, from_left: bool) -> str:
    """Cut a context window back to whole words (the edge word may have been cut mid-way)."""
    if from_left and " " in text:
        return text[text.index(" ") + 1:] if not text[0].isspace() else text.lstrip()
    if not from_left and " " in text:
        return text[:text.rindex(" ")] if not text[-1].isspace() else text.rstrip()
    return text
