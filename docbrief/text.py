"""Text cleaning shared by every extractor and writer.

``sanitize_text`` is the single gate between extracted text and any output:
control characters (form feeds from PDFs, stray NULs), Unicode noncharacters
such as U+FFFE/U+FFFF and lone surrogates never reach a file.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_whitespace", "sanitize_text", "sanitize_tree"]

# C0 controls other than tab/newline/carriage return, DEL and the C1 block.
_CONTROL = "\x00-\x08\x0e-\x1f\x7f-\x9f"
# Vertical tab and form feed separate words in extracted text: keep them as spaces.
_SPACE_LIKE = re.compile("[\x0b\x0c]")
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff"
_SURROGATES = "\ud800-\udfff"
_DROP = re.compile(f"[{_CONTROL}{_NONCHARACTERS}{_SURROGATES}]")
# U+nFFFE and U+nFFFF in the supplementary planes are noncharacters too.
_PLANE_NONCHARACTERS = re.compile("[\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff"
                                  "\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]")
_WHITESPACE = re.compile(r"\s+")


def sanitize_text(text: str) -> str:
    """Return ``text`` without characters that must never reach an output file.

    Tabs and newlines survive; form feeds and vertical tabs become spaces;
    other control characters, noncharacters and unpaired surrogates are removed.
    The result is NFC-normalised so equal text compares equal.
    """
    text = _SPACE_LIKE.sub(" ", text)
    text = _DROP.sub("", text)
    text = _PLANE_NONCHARACTERS.sub("", text)
    return unicodedata.normalize("NFC", text)


def normalize_whitespace(text: str) -> str:
    """Sanitise ``text`` and collapse every run of whitespace (NBSP included) to one space."""
    return _WHITESPACE.sub(" ", sanitize_text(text)).strip()


def sanitize_tree(value: object) -> object:
    """Apply :func:`sanitize_text` to every string inside nested dicts and lists (JSON data)."""
    if isinstance(value, str):
        return sanitize_text(value)
    if isinstance(value, dict):
        return {sanitize_text(str(key)): sanitize_tree(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [sanitize_tree(item) for item in value]
    return value
