"""Amounts of đồng in figures and in Vietnamese words, as receipts and invoices write them.

Receipts (biên lai) and invoices read every group of three digits after the first in full,
zero hundreds included — 1.050.000 is “Một triệu không trăm năm mươi nghìn đồng” — so that no
word can be slipped in. Libraries such as num2words read numbers the spoken way (“một triệu năm
mươi nghìn”), hence this short module.
"""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu")


def figures(amount: int) -> str:
    """50000 → “50.000”."""
    return f"{int(amount):,}".replace(",", ".")


def _three(number: int, full: bool) -> list[str]:
    """Words of 0–999; ``full`` reads the zero hundreds and “linh” (a group after the first)."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(DIGITS[units])
    return words


def _below_billion(number: int, lead: bool) -> list[str]:
    groups = [number // 10**6 % 1000, number // 1000 % 1000, number % 1000]
    words: list[str] = []
    for index, group in enumerate(groups):
        if not group:
            continue
        words += _three(group, full=bool(words) or not lead)
        if GROUPS[2 - index]:
            words.append(GROUPS[2 - index])
    return words


def _words(number: int, lead: bool = True) -> list[str]:
    if number >= 10**9:
        high, low = divmod(number, 10**9)
        words = [*_words(high, lead), "tỷ"]
        return words + _below_billion(low, lead=False) if low else words
    return _below_billion(number, lead)


def in_words(amount: int, currency: str = "đồng") -> str:
    """50000 → “Năm mươi nghìn đồng”; 0 → “Không đồng”."""
    amount = int(amount)
    if amount < 0:
        raise ValueError("An amount of money in words is never negative.")
    words = _words(amount) if amount else [DIGITS[0]]
    text = " ".join([*words, currency]).strip()
    return text[0].upper() + text[1:]
