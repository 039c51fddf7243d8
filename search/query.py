"""What a person typed, made safe and French-aware, the same way for every engine.

Nothing a person types is passed to an engine's query syntax as it is: the text is cut to a sane
length, stripped of control characters, split into words (letters and digits), French elisions
("l'", "d'", "qu'") dropped, and each word reduced to a light stem that the engines match as a prefix
("réseaux" → "reseau", so "réseau" and "réseaux" both match). Double-quoted parts are phrases.
"""

import dataclasses
import re
import unicodedata

MAX_LENGTH = 200  # characters kept of a query; longer ones are cut, with a notice
MAX_TERMS = 12

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
# Words that would match everything; dropped unless they are all there is.
STOP_WORDS = frozenset(
    "le la les l un une des du de d et ou en au aux a à the of and or to in on for with sur par pour dans "
    "ce cet cette ces qui que quoi est sont".split()
)
_OPERATORS = frozenset({"and", "or", "not", "near"})


def fold(text):
    """Lowercase, without accents: "Sécurité" → "securite"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Light French stemming (after Savoy's light stemmer): plurals and the commonest feminine endings.
_SUFFIXES = [
    ("eaux", "eau"),
    ("aux", "al"),
    ("euses", "eu"),
    ("euse", "eu"),
    ("ives", "if"),
    ("ive", "if"),
    ("ees", ""),
    ("es", ""),
    ("ee", ""),
    ("s", ""),
    ("x", ""),
]


def stem(word):
    """A prefix shared by a French word's light inflections, folded: "réseaux" → "reseau".

    Matched as a prefix by the engines, so a stem only needs to be a prefix of every form: a final
    "e" is dropped too ("sécurité" → "securit", found by "securite" and "sécurités").
    """
    word = fold(word)
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    # "national" must stay a prefix of "nationaux", "securit" of "securite" and "securites".
    if word.endswith("al") and len(word) > 4:
        word = word[:-1]
    elif word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


@dataclasses.dataclass
class Term:
    text: str  # the folded word or phrase, as typed
    stems: tuple  # the stem of each word (one for a word, several for a phrase)

    @property
    def is_phrase(self):
        return len(self.stems) > 1


@dataclasses.dataclass
class ParsedQuery:
    raw: str  # what was kept of the typed text (cut, cleaned)
    terms: list
    truncated: bool = False

    def __bool__(self):
        return bool(self.terms)

    @property
    def words(self):
        """Every folded word of the query, for highlighting."""
        return [s for t in self.terms for s in t.stems]


def _words(text):
    out = []
    for token in _WORD.findall(_ELISION.sub("", text)):
        token = _ELISION.sub("", token)
        if token:
            out.append(token)
    return out


def clean(text):
    """The typed text without control characters, cut to MAX_LENGTH; (text, truncated)."""
    text = "".join(" " if unicodedata.category(c).startswith("C") else c for c in str(text or ""))
    text = " ".join(text.split())
    truncated = len(text) > MAX_LENGTH
    return text[:MAX_LENGTH].strip(), truncated


def parse(text):
    raw, truncated = clean(text)
    terms = []
    # Quoted parts are phrases; the rest are words. An unbalanced quote counts as a space.
    parts = raw.split('"')
    if len(parts) % 2 == 0:
        parts = raw.replace('"', " ").split('"')
    for index, part in enumerate(parts):
        if index % 2 == 1:
            words = [w for w in (fold(t) for t in _words(part)) if w]
            if len(words) > 1:
                terms.append(Term(" ".join(words), tuple(stem(w) for w in words)))
                continue
            part = " ".join(words)
        for token in _words(part):
            folded = fold(token)
            if folded in _OPERATORS and token.isupper():
                continue  # AND/OR/NOT typed as operators: every word is required anyway
            terms.append(Term(folded, (stem(token),)))
    meaningful = [t for t in terms if t.is_phrase or t.text not in STOP_WORDS]
    terms = meaningful or terms
    # Same stem twice adds nothing.
    seen, unique = set(), []
    for term in terms:
        if term.stems not in seen:
            seen.add(term.stems)
            unique.append(term)
    if len(unique) > MAX_TERMS:
        unique, truncated = unique[:MAX_TERMS], True
    return ParsedQuery(raw=raw, terms=unique, truncated=truncated)
