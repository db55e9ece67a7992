"""The JSON shapes users see (INTERFACES.md), made from the typed records."""

from __future__ import annotations

from typing import Any

from sitroom.models import Article


def article_record(article: Article) -> dict[str, Any]:
    """The article record of ``sitroom articles --format jsonl`` and ``GET /api/articles``."""
    return {
        "id": article.id,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "outlet": article.outlet,
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "language": article.language,
        "text": article.text,
        "sha256": article.sha256,
        "raw_sha256": article.raw_sha256,
        "captured_at": article.captured_at.isoformat(),
        "origin": article.origin,
        "extractor": article.extractor,
    }
