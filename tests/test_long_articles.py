"""Articles longer than spaCy takes in one call are extracted in pieces, offsets intact."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import query_db as query

from docstore import extract, pieces
from docstore.article import Article, Block, layout
from docstore.extract.types import DocumentInput
from docstore.store import Store

PARAGRAPH = (
    "The delegation from Belarus travelled to Warsaw and then on to Vilnius for talks. "
    "Officials in Minsk said the visit went well."
)


def long_article(path: Path, paragraphs: int) -> Path:
    lines = ["A long report on regional talks"]
    lines += [f"{i}. {PARAGRAPH}" if i % 7 else PARAGRAPH * 30 for i in range(paragraphs)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def small_spacy(monkeypatch: pytest.MonkeyPatch) -> None:
    """spaCy's limit and the piece size made small, so that a short test text is 'long'."""
    nlp = extract.get_extractor().nlp
    monkeypatch.setattr(nlp, "max_length", 3000)
    monkeypatch.setattr(pieces, "PIECE_CHARS", 1800)


def test_pieces_cover_the_body_within_the_limit() -> None:
    laid = layout(
        Article("Title", [Block(PARAGRAPH * 40), Block(PARAGRAPH), Block(PARAGRAPH * 3)], "x")
    )
    doc = DocumentInput(laid.body, laid.passages)
    groups = list(pieces.pieces(doc, 1000))
    parts = [p for _, group in groups for p in group]
    assert all(group[-1].char_end - start <= 1000 for start, group in groups[:-1])
    assert groups[-1][1][-1].char_end - groups[-1][0] <= 1500
    assert all(len(group) >= 2 for _, group in groups)
    assert all(laid.body[p.char_start : p.char_end] == p.text for p in parts)
    # Every character of every passage is in exactly one part, in order.
    assert "".join(p.text for p in parts) == "".join(p.text for p in laid.passages)
    assert {p.seq for p in parts} == {p.seq for p in laid.passages}


def test_long_article_is_stored_with_exact_offsets(
    tmp_path: Path, db_url: str, small_spacy: None
) -> None:
    path = long_article(tmp_path / "long.txt", 60)
    size = len(path.read_text())
    assert size > 3 * 3000  # over the (lowered) spaCy limit several times

    with Store(db_url) as store:
        report = store.ingest([path])

    assert report.added == 1, report.errors
    rows = query(
        db_url,
        "SELECT m.text, substr(d.body, m.char_start + 1, m.char_end - m.char_start), "
        "m.char_end, p.char_start, p.char_end "
        "FROM mentions m JOIN documents d ON d.id = m.document_id "
        "JOIN passages p ON p.id = m.passage_id",
    )
    assert all(text == sliced for text, sliced, *_ in rows)
    assert all(ps <= end <= pe for _, _, end, ps, pe in rows)
    # Mentions come from every part of the article, the last piece included.
    assert max(end for _, _, end, *_ in rows) > size - 200
    minsk = query(db_url, "SELECT count(*) FROM mentions WHERE text = 'Minsk'")[0][0]
    assert minsk == PARAGRAPH.count("Minsk") * (60 + 29 * 9)


def test_without_pieces_spacy_refuses(small_spacy: None) -> None:
    """The check above is meaningful: the same text in one call is over spaCy's limit."""
    text = PARAGRAPH * 40
    laid = layout(Article("Title", [Block(text)], "x"))
    with pytest.raises(ValueError, match="max_length"):
        extract.get_extractor().extract(DocumentInput(laid.body, laid.passages))
