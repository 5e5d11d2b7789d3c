"""Text helpers shared by the importer, the search and the forms."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str | None) -> str:
    """Lower case, accents removed, punctuation turned into single spaces.

    The same function normalises what is indexed and what is searched, so that
    « Électricité » and « electricite » meet.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", without_marks.lower().replace("œ", "oe").replace("æ", "ae")).strip()


def search_words(query: str | None) -> list[str]:
    """Distinct folded words of a query, in order, at most ten."""
    seen: list[str] = []
    for word in fold(query).split():
        if word not in seen:
            seen.append(word)
    return seen[:10]
