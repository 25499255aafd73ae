"""What docstore's web pages read, on SQLite and PostgreSQL: entity, document, search and
statement data, and the SVG charts drawn from them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import ARTICLES, BACKENDS, SEED, _postgres_database
from sqlalchemy import Connection, text

from docstore.db import READ_ONLY_OPTION, DatabaseError
from docstore.store import Store
from docstore.web import charts, reads


@pytest.fixture(scope="module", params=BACKENDS)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """One database per backend for the whole module: the pages only read."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([str(tmp_path_factory.mktemp("web") / "web.db")])
    else:
        urls = _postgres_database()
    s = Store(next(urls))
    report = s.ingest(
        [
            SEED,
            ARTICLES / "13_wikinews_tsikhanouskaya_rally_minsk.txt",
            ARTICLES / "12_kremlin_talks_with_lukashenko_oil_integration.txt",
        ]
    )
    assert report.failed == 0
    yield s
    s.close()
    next(urls, None)  # drops the PostgreSQL database


def reading(store: Store) -> Connection:
    """A connection that only reads (on SQLite a plain BEGIN: it never waits for a lock)."""
    return store.engine.connect().execution_options(**{READ_ONLY_OPTION: True})


def _id(store: Store, key: str) -> int:
    with reading(store) as conn:
        return int(
            conn.execute(text("SELECT id FROM entities WHERE key = :k"), {"k": key}).scalar_one()
        )


def test_entity_page_of_belarus(store: Store) -> None:
    belarus = _id(store, "country:by")
    with reading(store) as conn:
        page = reads.entity_page(conn, belarus)
        mentions = conn.execute(
            text("SELECT COUNT(*) FROM mentions WHERE entity_id = :id"), {"id": belarus}
        ).scalar_one()
    assert page.entity["name"] == "Belarus" and page.entity["type"] == "country"
    assert "Belarusian" in page.aliases
    # Three documents from 2016 and 2020: drawn per month, every month in between present.
    assert page.timeline_unit == "month"
    labels = [p.label for p in page.timeline]
    assert labels[0] == "2016-04" and labels == sorted(labels)
    assert len(labels) > 12 and "2018-01" in labels
    assert sum(p.mentions for p in page.timeline) == mentions
    assert sum(p.documents for p in page.timeline) == 3
    names = [r["name"] for r in page.mentioned_with]
    assert "United States" in names and "Belarus" not in names
    passages = [r["passages"] for r in page.mentioned_with]
    assert passages == sorted(passages, reverse=True)
    assert page.comention_documents == 3
    assert page.statements
    for s in page.statements:
        assert belarus in (s["subject_id"], s["object_id"], s["speaker_id"])
    assert len(page.documents) == 3
    with reading(store) as conn, pytest.raises(reads.NotFound):
        reads.entity_page(conn, 10**9)


def test_entity_timeline_per_week_for_a_short_span(store: Store) -> None:
    carpenter = _id(store, "person:michael-carpenter")
    with reading(store) as conn:
        page = reads.entity_page(conn, carpenter)
    assert page.timeline_unit == "week"
    assert [p.label for p in page.timeline] == ["2016-W14"]


def test_document_page_rebuilds_the_text_with_every_mention(store: Store) -> None:
    with reading(store) as conn:
        doc_id = conn.execute(
            text("SELECT id FROM documents WHERE title LIKE 'No strategic%'")
        ).scalar_one()
        body = conn.execute(
            text("SELECT body FROM documents WHERE id = :id"), {"id": doc_id}
        ).scalar_one()
        stored = conn.execute(
            text("SELECT COUNT(*) FROM mentions WHERE document_id = :id"), {"id": doc_id}
        ).scalar_one()
        page = reads.document_page(conn, doc_id)
    kinds = [p.kind for p in page.passages]
    assert kinds[:2] == ["title", "dateline"] and "list_item" in kinds
    for passage in page.passages:
        joined = "".join(s.text for s in passage.spans)
        assert joined in body
    shown = {id(s.mention) for p in page.passages for s in p.spans if s.mention}
    assert len(shown) == stored  # the seed's mentions do not overlap: all are drawn
    linked = [s for p in page.passages for s in p.spans if s.mention]
    assert all(s.text == body[s.mention["char_start"] : s.mention["char_end"]] for s in linked)
    marked = {sid for p in page.passages for s in p.spans for sid in s.statements}
    assert marked == {s["statement_id"] for s in page.statements}
    assert page.entities[0]["name"] == "Belarus"


def test_search_page_filters_and_pages(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    belarus = _id(store, "country:by")
    with reading(store) as conn:
        plain = reads.search_page(conn, reads.SearchFilters(q="Belarus"))
        assert plain.hits and not plain.more
        assert any("[Belarus]" in h["snippet"] for h in plain.hits)
        years = {h["published_at"][:4] for h in plain.hits}
        assert years == {"2016", "2020"}
        only_2016 = reads.search_page(
            conn, reads.SearchFilters(q="Belarus", since="2016-01-01", until="2016-12-31")
        )
        assert {h["published_at"][:4] for h in only_2016.hits} == {"2016"}
        later = reads.search_page(conn, reads.SearchFilters(q="Belarus", since="2017"))
        assert {h["published_at"][:4] for h in later.hits} == {"2020"}
        people = reads.search_page(conn, reads.SearchFilters(q="Belarus", type="person"))
        assert 0 < len(people.hits) < len(plain.hits)
        visits = reads.search_page(conn, reads.SearchFilters(q="Belarus", predicate="visit"))
        assert visits.hits and all(h["title"].startswith("No strategic") for h in visits.hits)
        by_entity = reads.search_page(conn, reads.SearchFilters(q="Minsk", entity_id=belarus))
        assert by_entity.hits
        nobody = reads.search_page(conn, reads.SearchFilters(q="Belarus", entity_id=10**9))
        assert nobody.hits == []
        # Paging: the second page starts where the first stopped.
        monkeypatch.setattr(reads, "PAGE_SIZE", 3)
        first = reads.search_page(conn, reads.SearchFilters(q="Belarus"))
        assert first.more and len(first.hits) == 3
        second = reads.search_page(conn, reads.SearchFilters(q="Belarus", page=2))
        assert second.hits == plain.hits[3:6]
        with pytest.raises(DatabaseError, match="nothing to search for"):
            reads.search_page(conn, reads.SearchFilters(q="( )"))


def test_statement_filters(store: Store) -> None:
    with reading(store) as conn:
        everything, _ = reads.statements_page(conn, reads.StatementFilters())
        assert everything
        dates = [s["date"] for s in everything]
        assert dates == sorted(dates, reverse=True)
        visits, _ = reads.statements_page(conn, reads.StatementFilters(predicate="visit"))
        assert visits and {s["predicate"] for s in visits} == {"visit"}
        plover = conn.execute(
            text("SELECT plover_event FROM predicates WHERE name = 'visit'")
        ).scalar_one()
        category, _ = reads.statements_page(conn, reads.StatementFilters(plover=plover))
        assert {s["statement_id"] for s in visits} <= {s["statement_id"] for s in category}
        negative, _ = reads.statements_page(conn, reads.StatementFilters(polarity="negative"))
        assert negative and {s["polarity"] for s in negative} == {"negative"}
        old, _ = reads.statements_page(conn, reads.StatementFilters(until="2016"))
        assert old and {s["date"][:4] for s in old} == {"2016"}
        carpenter = _id(store, "person:michael-carpenter")
        his, _ = reads.statements_page(conn, reads.StatementFilters(subject_id=carpenter))
        assert his and {s["subject"] for s in his} == {"Michael Carpenter"}
        choices = reads.choices(conn)
        assert "country" in choices["types"] and "visit" in choices["predicates"]
        assert plover in choices["plover"]


def test_highlight_parts() -> None:
    assert reads.highlight_parts("a [b] c [d]") == [
        ("a ", False),
        ("b", True),
        (" c ", False),
        ("d", True),
    ]
    assert reads.highlight_parts("no match") == [("no match", False)]
    assert reads.highlight_parts("cut [off") == [("cut ", False), ("off", True)]


def test_charts_draw_one_bar_per_value_and_escape_labels() -> None:
    bars = [charts.Bar("2016-01", 3), charts.Bar("2016-02", 0), charts.Bar("<b>", 7)]
    svg = charts.timeline_svg(bars, title="Mentions & more")
    assert svg.startswith("<svg") and svg.count('class="ds-bar"') == 3
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "Mentions &amp; more" in svg
    ranked = charts.ranked_bars_svg(
        [charts.Bar("NATO", 4, "/-/docstore/entity/2"), charts.Bar("x" * 40, 1)], title="t"
    )
    assert ranked.count('class="ds-bar"') == 2 and 'href="/-/docstore/entity/2"' in ranked
    assert "…" in ranked  # long names are shortened
    assert "ds-empty" in charts.timeline_svg([], title="t")
    assert "ds-empty" in charts.ranked_bars_svg([], title="t")
