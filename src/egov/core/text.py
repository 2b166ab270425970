"""Vietnamese text: stored in NFC, searched without accents."""

import unicodedata


def normalize_text(value: str | None) -> str:
    """Return ``value`` in Unicode NFC with surrounding blanks removed.

    Text pasted from Word or typed with old VNI/TCVN input methods often arrives decomposed
    (NFD); stored NFC it compares, sorts and searches the same everywhere.
    """
    if not value:
        return ""
    return unicodedata.normalize("NFC", value).strip()


def fold(value: str | None) -> str:
    """Accent- and case-insensitive form: "Cấp Giấy phép Đắk" -> "cap giay phep dak".

    Used for search columns so that the same query works on SQLite and PostgreSQL without
    database extensions (``unaccent`` is not available everywhere).
    """
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
