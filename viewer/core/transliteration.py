"""Spelling-tolerant keys for personal names written in Latin script from other scripts.

Persian, Arabic and Russian names reach English text in many spellings (q/gh, ei/ey/i,
ou/u, y/i, doubled letters). A key keeps the first letter and the consonant skeleton
after digraphs are folded, so the usual variants of one name share a key while names
with different consonants stay apart. Rapidfuzz was considered and not used: an edit
distance cannot tell a vowel change (same name) from a consonant change (a different
name), and a key can be part of a stable id, which a similarity score cannot.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Ordered: longer digraphs first, so "kh" is folded before "h" is looked at.
_FOLDS: tuple[tuple[str, str], ...] = (
    ("sch", "sh"),
    ("tch", "sh"),
    ("ch", "sh"),  # French and Russian "ch" (Rachid, Chevchenko) is English "sh"
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("q", "g"),
    ("ph", "f"),
    ("ck", "k"),
    ("c", "k"),
    ("w", "v"),
    ("x", "ks"),
    ("y", "i"),
)
_VOWELS = frozenset("aeiou")
_J_AS_Y = re.compile(r"(?<=[bcfghklmnprstvwz])j(?=[aeiou])")
_NON_LETTER = re.compile(r"[^a-z]")
_OU_AS_W = re.compile(r"(?<=[aeiou])ou(?=[aeiouy]|$)")  # Hamdaoui, and Dedaou (Dedew)
_INITIAL_H = re.compile(r"^h(?=[rlnv])")
_FINAL_SILENT_H = re.compile(r"(?<=[aeiou])h$")
# Arabic article and similar particles written before a surname carry no identity.
_PARTICLES = frozenset({"al", "el", "ul", "ad", "as", "ar", "an", "at", "az"})


def ascii_fold(text: str) -> str:
    """Lowercase ASCII letters of a text: diacritics stripped, everything else dropped."""
    if text.isascii():
        return _NON_LETTER.sub("", text.lower())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_LETTER.sub("", stripped.lower().replace("ı", "i"))


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """The spelling-tolerant key of one name word ("Qorbani" and "Ghorbani" -> "grbn")."""
    letters = ascii_fold(word)
    parts = re.split(r"[-\s]+", word.strip())
    if len(parts) > 1 and ascii_fold(parts[0]) in _PARTICLES:
        letters = ascii_fold("".join(parts[1:]))
    if not letters:
        return ""
    # A "j" between a consonant and a vowel is the Dutch/Slavic spelling of "y" (Wirjawan).
    letters = _J_AS_Y.sub("y", letters)
    # French spelling writes "w" between vowels as "ou" (Hamdaoui, Hamdawi); Belarusian
    # and Ukrainian write Russian "G" as "H" (Hrushevich, Grushevich).
    letters = _OU_AS_W.sub("w", letters)
    letters = _INITIAL_H.sub("g", letters)
    # Persian "-zadeh" is also written "-zade" (Huseynzadeh, Huseynzade): a final "h" after a
    # vowel is silent.
    letters = _FINAL_SILENT_H.sub("", letters)
    for old, new in _FOLDS:
        letters = letters.replace(old, new)
    return _skeleton(letters)


# Pinyin and Wade-Giles (and Korean romanisations) write one sound with different
# letters: Zhou/Chou, Cao/Tsao, Xie/Hsieh, Guo/Kuo, Deng/Teng, Bo/Po. The fold maps each
# pair to one letter; aspiration, which Wade-Giles marks and Pinyin spells, is dropped.
_SINITIC_FOLDS: tuple[tuple[str, str], ...] = (
    ("hs", "x"),
    ("tz", "z"),
    ("ts", "z"),
    ("zh", "j"),
    ("ch", "j"),
    ("q", "j"),
    ("c", "z"),
    ("p", "b"),
    ("t", "d"),
    ("k", "g"),
    ("w", "v"),
    ("y", "i"),
)
_FINAL_H = re.compile(r"(?<=[aeiou])h(?![aeiou])")


@lru_cache(maxsize=65536)
def sinitic_key(word: str) -> str:
    """The key of a Chinese or Korean name word, the same in Pinyin and Wade-Giles
    ("Zhou" and "Chou", "Wenbin" and "Wen-pin")."""
    letters = ascii_fold(word)
    if not letters:
        return ""
    for old, new in _SINITIC_FOLDS:
        letters = letters.replace(old, new)
    return _skeleton(_FINAL_H.sub("", letters))


def _skeleton(letters: str) -> str:
    """First letter (any vowel as "a") and the consonants, doubled letters collapsed."""
    collapsed = _collapse_doubles(letters)
    # Names starting with a vowel differ mostly in that vowel (Ebrahim/Ibrahim, Omar/Umar).
    head = "a" if collapsed[0] in _VOWELS else collapsed[0]
    skeleton = head + "".join(ch for ch in collapsed[1:] if ch not in _VOWELS)
    skeleton = _collapse_doubles(skeleton)
    if len(skeleton) < 2:
        # Very short names ("Li", "Lu") would collide without their vowels.
        return head + collapsed[1:]
    return skeleton


_DOUBLED = re.compile(r"(.)\1+")


def _collapse_doubles(letters: str) -> str:
    return _DOUBLED.sub(r"\1", letters)
