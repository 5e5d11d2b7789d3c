"""The folded text that catalogue search looks in.

Title, code, abbreviation, block titles, competencies and job labels, folded (no accents,
lower case). Search matches every query word as a substring of this text; PostgreSQL
serves it from a trigram index, SQLite scans it.
"""

from cqp.core.text import fold


def build_search_text(*, code, title, abbreviation="", block_titles=(), competencies=(), job_labels=()) -> str:
    parts = [code, title, abbreviation, *block_titles, *job_labels, *competencies]
    return " ".join(folded for folded in (fold(p) for p in parts) if folded)


def certification_search_text(certification) -> str:
    """Build from the rows in the database (after an edit on the platform)."""
    blocks = list(certification.blocks.prefetch_related("competencies"))
    return build_search_text(
        code=certification.code,
        title=certification.title,
        abbreviation=certification.abbreviation,
        block_titles=[b.title for b in blocks],
        competencies=[c.text for b in blocks for c in b.competencies.all()],
        job_labels=[r.label for r in certification.rome.all()],
    )
