from __future__ import annotations

from docstore.extract.normalize import normalize, slug


def test_casefold_apostrophes_possessive_whitespace_diacritics() -> None:
    assert normalize("Lukashenka’s") == normalize("LUKASHENKA's") == "lukashenka"
    assert normalize("Belarus’") == "belarus"
    assert normalize("  Michael \n Carpenter ") == "michael carpenter"
    assert normalize("Kwaśniewski") == "kwasniewski"
    assert normalize("Grybauskaitė") == "grybauskaite"
    assert normalize("O’Brien") == "o'brien"


def test_slug() -> None:
    assert slug("Michael Carpenter") == "michael-carpenter"
    assert slug("Jean-Yves Le Drian") == "jean-yves-le-drian"
    assert slug("O’Brien’s") == "obrien"
