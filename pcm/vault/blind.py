"""Blind indexes: keyed hashes of normalised name and phone tokens.

Names and phone numbers are encrypted, so PCM never searches them in SQL. Instead each person
gets a few keyed hashes (HMAC-SHA256 with the keyring's index key, cut to 64 bits) of
- the phonetic key of each name token, after transliteration to Latin letters, so that
  "Mohammed", "Muhammad" and "محمد" share one key ("mhmd");
- the first 3, 4 and 5 letters of each transliterated token, for prefix search ("Moh");
- both of these for a token without its Arabic article too ("Al-Jubouri", "الجبوري" and
  "Aljubouri" are one token, found by "Jubouri" as well);
- the last 7 digits of the phone number, so a number is found with or without country code;
- the phonetic key of the whole name, for duplicate detection.
A search hashes the query the same way and looks the hashes up in an ordinary index. Without the
index key the hashes reveal nothing; the emergency purge destroys it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable

from pcm.vault.keys import keyring

PREFIX_LENGTHS = (3, 4, 5)
PHONE_DIGITS = 7
MAX_QUERY_TOKENS = 5

# Arabic (with Persian/Kurdish letters): consonants by their usual Latin transliteration; short
# vowels are not written, and alif, waw and ya are read as vowels after the first letter.
_ARABIC = {
    "ا": "a", "أ": "a", "إ": "a", "آ": "a", "ٱ": "a", "ء": "", "ؤ": "u", "ئ": "i",
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "a", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "و": "w", "ي": "y", "ى": "a", "ة": "a", "پ": "p", "چ": "ch", "ژ": "zh",
    "گ": "g", "ک": "k", "ی": "y", "ە": "a", "ێ": "e", "ۆ": "o", "ڕ": "r", "ڵ": "l",
}  # fmt: skip
# Cyrillic (Ukrainian and Russian), by the Ukrainian national transliteration where they differ.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ye",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "yu",
    "я": "ya", "ы": "y", "э": "e", "ё": "yo", "ъ": "",
}  # fmt: skip
_TRANSLITERATION = str.maketrans({**_ARABIC, **_CYRILLIC})
# Arabic diacritics (harakat), tatweel and other marks that carry no letter.
_MARKS = re.compile(r"[\u064B-\u065F\u0670\u0640\u06D6-\u06ED]")
_NOT_LETTER = re.compile(r"[^a-z0-9]+")

# Sound-alike spellings, applied in order before vowels are dropped.
_DIGRAPHS = (
    ("sch", "s"), ("ph", "f"), ("kh", "k"), ("gh", "g"), ("sh", "s"), ("ch", "s"),
    ("th", "t"), ("dh", "d"), ("zh", "z"), ("ts", "s"), ("ck", "k"), ("q", "k"),
    ("c", "k"), ("x", "ks"), ("g", "j"), ("v", "f"), ("z", "s"), ("p", "b"),
)  # fmt: skip
_VOWELS = frozenset("aeiouyw")


def latinise(text: str) -> str:
    """TEXT in lower-case Latin letters and digits, words separated by single spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _MARKS.sub("", text).translate(_TRANSLITERATION)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_LETTER.sub(" ", stripped).split())


def phonetic(token: str) -> str:
    """A consonant skeleton of one latinised token: "mohammed" -> "mhmd", "omar" -> "amr"."""
    if not token:
        return ""
    first = token[0]
    if first in "aeiou":
        head, rest = "a", token[1:]  # every initial vowel sounds alike across scripts
    elif first in "wy":
        head, rest = first, token[1:]
    else:
        head, rest = "", token
    for spelling, sound in _DIGRAPHS:
        rest = rest.replace(spelling, sound)
    skeleton = head + "".join(ch for ch in rest if ch not in _VOWELS)
    collapsed = re.sub(r"(.)\1+", r"\1", skeleton)
    return collapsed or token[:1]


# The Arabic article, written attached in Arabic script (الجبوري) and often apart in Latin
# (Al-Jubouri, El Masri): a name token is the article and the word together, as in Arabic.
ARTICLES = frozenset({"al", "el"})


def name_tokens(*names: str) -> list[str]:
    tokens: list[str] = []
    for name in names:  # an article joins the next word of the same name only
        article = ""
        for token in latinise(name).split():
            if token in ARTICLES:
                article += token
                continue
            tokens.append(article + token)
            article = ""
        if article:
            tokens.append(article)
    return tokens


def _without_article(token: str) -> str:
    """ "aljubouri" -> "jubouri" (so that "Jubouri" finds "Al-Jubouri"), else ""."""
    for article in ARTICLES:
        if token.startswith(article) and len(token) >= len(article) + PREFIX_LENGTHS[0]:
            return token[len(article) :]
    return ""


def digest(kind: str, value: str) -> int:
    """A signed 64-bit keyed hash of KIND:VALUE (fits a BigIntegerField)."""
    mac = hmac.new(keyring().index_key, f"{kind}:{value}".encode(), hashlib.sha256).digest()
    return int.from_bytes(mac[:8], "big", signed=True)


def phone_digits(phone: str) -> str:
    """The digits of PHONE in ASCII, whatever script they were typed in ("٠٧٧٠" -> "0770")."""
    text = unicodedata.normalize("NFKC", phone)
    return "".join(str(unicodedata.decimal(ch)) for ch in text if unicodedata.decimal(ch, -1) >= 0)


def phone_digest(phone: str) -> int | None:
    digits = phone_digits(phone)
    if len(digits) < PHONE_DIGITS:
        return None
    return digest("t", digits[-PHONE_DIGITS:])


def duplicate_digest(given_name: str, family_name: str) -> int | None:
    """The key two registrations of the same person share, whatever the spelling or script."""
    keys = sorted(phonetic(token) for token in name_tokens(given_name, family_name))
    return digest("d", " ".join(keys)) if keys else None


def person_digests(given_name: str, family_name: str, phone: str = "") -> set[int]:
    """Every blind-index hash stored for one person."""
    found: set[int] = set()
    for whole in name_tokens(given_name, family_name):
        for token in filter(None, (whole, _without_article(whole))):
            found.add(digest("n", phonetic(token)))
            for length in PREFIX_LENGTHS:
                if len(token) >= length:
                    found.add(digest("p", token[:length]))
    for value in (phone_digest(phone), duplicate_digest(given_name, family_name)):
        if value is not None:
            found.add(value)
    return found


def query_digests(text: str) -> list[set[int]]:
    """For each name token of a search (at most five), the hashes any one of which matches it.

    A person matches the search when every token matches: by sound, or as the start of a name.
    """
    groups: list[set[int]] = []
    for token in name_tokens(text)[:MAX_QUERY_TOKENS]:
        group = {digest("n", phonetic(token))}
        if len(token) >= PREFIX_LENGTHS[0]:
            group.add(digest("p", token[: PREFIX_LENGTHS[-1]]))
        groups.append(group)
    return groups


def any_digests(values: Iterable[int | None]) -> set[int]:
    return {value for value in values if value is not None}
