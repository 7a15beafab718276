"""Street addresses: "Jl. Margonda Raya No. 100 RT 03/05", "gg mawar rt 2 rw 7".

"jalan" is also the everyday word for road ("jalan di depan rumah rusak"), so the
full word only starts an address when a name follows (capitalised, or not a common
word); the abbreviations (jl, jln, gg) always do. Works on folded text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlu.text import words

_MARKER = re.compile(
    r"\b(jl|jln|jl\.|jln\.|jalan|gg|gg\.|gang|komplek|kompleks|komp\.?|perum|perumahan|dusun|dsn)\b\.?\s*",
    re.IGNORECASE,
)
_ABBREVIATED = {"jl", "jln", "gg", "komp", "perum", "dsn"}
_NAME_WORD = re.compile(r"[A-Za-z0-9'][\w'-]*")
_NUMBER = re.compile(r"\s*,?\s*(?:no|nomor|nmr|no\.)\.?\s*(\d+[a-zA-Z]?(?:/\d+)?)", re.IGNORECASE)
_RT_RW = re.compile(
    r"\brt\.?\s*(\d{1,3})(?:\s*(?:/|\\|,|-)?\s*(?:rw\.?\s*)?(\d{1,3}))?|\brw\.?\s*(\d{1,3})",
    re.IGNORECASE,
)
# Words that end a street name or show that "jalan" meant "road".
_STOP = frozenset(
    words(
        """
        di ke dari yang yg sudah udah sdh sejak rusak berlubang bolong dekat depan samping
        belakang sebelah no nomor nmr rt rw kel kelurahan kec kecamatan kab kabupaten kota desa
        dan atau tapi tidak gak ga belum banyak sangat sekali parah mohon tolong sering selalu
        ini itu tersebut ada hancur amblas rusaknya macet gelap banjir becek licin tergenang
        menuju ke arah kami saya warga kampung kampungnya near
        """
    )
)
_COMMON_AFTER_JALAN = frozenset(
    words(
        """
        rusak berlubang utama desa kampung kabupaten provinsi nasional tol setapak kaki
        lingkungan umum menuju ke di depan dekat yang yg sudah masih tanah cor aspal baru lama
        sempit licin becek gelap poros ini itu
        """
    )
)


@dataclass(frozen=True, slots=True)
class AddressHit:
    """A street address at the folded span ``[start, end)`` and its parts."""

    value: str
    start: int
    end: int
    street: str | None
    number: str | None
    rt: str | None
    rw: str | None


def find_addresses(text: str) -> list[AddressHit]:
    """Street addresses with optional house number and RT/RW, in text order."""
    hits: list[AddressHit] = []
    used_rt: set[int] = set()
    for marker in _MARKER.finditer(text):
        street = _street(text, marker)
        if street is None:
            continue
        name, end = street
        number, end = _number(text, end)
        rt_match = _RT_RW.match(text, _skip_separators(text, end))
        rt = rw = None
        if rt_match:
            used_rt.add(rt_match.start())
            rt, rw, end = *_rt_rw(rt_match), rt_match.end()
        hits.append(_hit(name, number, rt, rw, marker.start(), end))
    for rt_match in _RT_RW.finditer(text):
        if rt_match.start() not in used_rt and not _inside(hits, rt_match.start()):
            rt, rw = _rt_rw(rt_match)
            hits.append(_hit(None, None, rt, rw, rt_match.start(), rt_match.end()))
    return sorted(hits, key=lambda h: h.start)


def _street(text: str, marker: re.Match[str]) -> tuple[str, int] | None:
    kind = marker.group(1).lower().rstrip(".")
    words: list[str] = []
    end = marker.end()
    position = marker.end()
    while len(words) < 5:
        word = _NAME_WORD.match(text, position)
        if not word or word.group().lower() in _STOP:
            break
        words.append(word.group())
        end = word.end()
        gap = re.match(r"[ \t]+", text[end:])
        if not gap:
            break
        position = end + gap.end()
    if not words:
        return None
    first = words[0]
    if kind not in _ABBREVIATED and not _looks_like_name(first, text):
        return None
    prefix = "Jalan" if kind.startswith("jl") or kind == "jalan" else kind.capitalize()
    prefix = {"Gg": "Gang", "Komp": "Komplek", "Perum": "Perumahan", "Dsn": "Dusun"}.get(prefix, prefix)
    return f"{prefix} {' '.join(w.capitalize() for w in words)}", end


def _looks_like_name(word: str, text: str) -> bool:
    if word.lower() in _COMMON_AFTER_JALAN:
        return False
    shouting = text.upper() == text
    return word[:1].isdigit() or (word[:1].isupper() and not shouting)


def _number(text: str, end: int) -> tuple[str | None, int]:
    match = _NUMBER.match(text, end)
    return (match.group(1).upper(), match.end()) if match else (None, end)


def _skip_separators(text: str, end: int) -> int:
    gap = re.match(r"[\s,]*", text[end:])
    return end + (gap.end() if gap else 0)


def _rt_rw(match: re.Match[str]) -> tuple[str | None, str | None]:
    rt, rw, lone_rw = match.group(1), match.group(2), match.group(3)
    return _pad(rt), _pad(rw or lone_rw)


def _pad(number: str | None) -> str | None:
    return number.zfill(3) if number else None


def _inside(hits: list[AddressHit], position: int) -> bool:
    return any(h.start <= position < h.end for h in hits)


def _hit(
    street: str | None, number: str | None, rt: str | None, rw: str | None, start: int, end: int
) -> AddressHit:
    parts = [street] if street else []
    if number:
        parts.append(f"No. {number}")
    if rt or rw:
        parts.append("/".join(p for p in (f"RT {rt}" if rt else "", f"RW {rw}" if rw else "") if p))
    return AddressHit(", ".join(parts), start, end, street, number, rt, rw)
