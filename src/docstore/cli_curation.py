"""Curation commands: `entity merge|split|rename|retype|reject|link`, `alias`, `statement`,
`document delete` and `judgements`. Thin: parse options, call Store, print one line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from docstore.cli import db_option, echo_err, open_existing
from docstore.terms import ENTITY_TYPES, POLARITIES

F = TypeVar("F", bound=Callable[..., Any])


class EntityGroup(click.Group):
    """`docstore entity NAME` shows an entity; `docstore entity VERB ...` curates one."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


def judged_options(fn: F) -> F:
    fn = click.option("--note", metavar="TEXT", help="Why: kept with the judgement.")(fn)
    fn = click.option(
        "--author", metavar="NAME", help="Who judges. Default: the operating-system user."
    )(fn)
    return db_option(fn)


def _report(effect: Any, what: str) -> None:
    docs = f"; {effect.documents} document(s) re-extracted" if effect.documents else ""
    click.echo(f"judgement {effect.judgement_id}: {what}{docs}")


# -- entity ------------------------------------------------------------------------------


@click.group(cls=EntityGroup, invoke_without_command=False)
def entity() -> None:
    """Show an entity, or correct one: merge, split, rename, retype, reject, link.

    Entities are named by key (person:alexander-lukashenko), id or an unambiguous name or
    alias. Corrections are judgements: recorded with author and time, applied to stored
    documents at once and to every document written later; `docstore judgements undo`
    takes one back.

    Example:

        docstore entity Lukashenka --db docstore.db
    """


@entity.command("merge")
@click.argument("keep")
@click.argument("others", nargs=-1, required=True, metavar="OTHER...")
@judged_options
def entity_merge(
    keep: str, others: tuple[str, ...], db: str | None, author: str | None, note: str | None
) -> None:
    """Merge entities into KEEP: their mentions, statements and names become KEEP's.

    Later articles that name a merged entity resolve to KEEP too.

    Example:

        docstore entity merge person:alexander-lukashenko person:lukashenka --db docstore.db
    """
    effect = open_existing(db).merge_entities(keep, list(others), author=author, note=note)
    _report(effect, f"{', '.join(others)} merged into {keep}")


@entity.command("split")
@click.argument("name", metavar="ENTITY")
@click.option("--alias", required=True, metavar="NAME", help="The surface form that splits off.")
@judged_options
def entity_split(
    name: str, alias: str, db: str | None, author: str | None, note: str | None
) -> None:
    """Make the mentions of ENTITY that read NAME a new entity of the same type.

    Example:

        docstore entity split person:michael-carpenter --alias "Carpenter" --db docstore.db
    """
    effect = open_existing(db).split_entity(name, alias, author=author, note=note)
    _report(effect, f"mentions of {name} reading {alias!r} split off")


@entity.command("rename")
@click.argument("name", metavar="ENTITY")
@click.argument("new_name", metavar="NAME")
@judged_options
def entity_rename(
    name: str, new_name: str, db: str | None, author: str | None, note: str | None
) -> None:
    """Give ENTITY the display name NAME (its key stays; NAME becomes an alias).

    Example:

        docstore entity rename person:alexander-lukashenko "Alexander Lukashenka" --db docstore.db
    """
    effect = open_existing(db).rename_entity(name, new_name, author=author, note=note)
    _report(effect, f"{name} renamed {new_name!r}")


@entity.command("retype")
@click.argument("name", metavar="ENTITY")
@click.argument("type_", metavar="TYPE", type=click.Choice(ENTITY_TYPES))
@judged_options
def entity_retype(
    name: str, type_: str, db: str | None, author: str | None, note: str | None
) -> None:
    """Set ENTITY's type (person, organization, country, place, event, other).

    Example:

        docstore entity retype "Normandy format" event --db docstore.db
    """
    effect = open_existing(db).retype_entity(name, type_, author=author, note=note)
    _report(effect, f"{name} is now a {type_}")


@entity.command("reject")
@click.argument("name", metavar="ENTITY")
@judged_options
def entity_reject(name: str, db: str | None, author: str | None, note: str | None) -> None:
    """Not an entity: its mentions and statements leave the database, now and later.

    Example:

        docstore entity reject "Press Statements" --db docstore.db
    """
    effect = open_existing(db).reject_entity(name, author=author, note=note)
    _report(effect, f"{name} rejected")


@entity.command("link")
@click.argument("name", metavar="ENTITY")
@click.option("--wikidata", required=True, metavar="QID", help="Wikidata item id, e.g. Q184.")
@judged_options
def entity_link(
    name: str, wikidata: str, db: str | None, author: str | None, note: str | None
) -> None:
    """Link ENTITY to its Wikidata item.

    Example:

        docstore entity link Belarus --wikidata Q184 --db docstore.db
    """
    effect = open_existing(db).link_entity(name, wikidata, author=author, note=note)
    _report(effect, f"{name} linked to {wikidata}")


# -- alias -------------------------------------------------------------------------------


@click.group()
def alias() -> None:
    """Add or remove an entity's names; judged aliases apply to every later article.

    Example:

        docstore alias add Lukashenka "Bats'ka" --db docstore.db
    """


@alias.command("add")
@click.argument("name", metavar="ENTITY")
@click.argument("alias_", metavar="NAME")
@judged_options
def alias_add(name: str, alias_: str, db: str | None, author: str | None, note: str | None) -> None:
    """Add NAME as an alias of ENTITY: mentions reading NAME resolve to ENTITY.

    Example:

        docstore alias add Lukashenka "Bats'ka" --db docstore.db
    """
    effect = open_existing(db).add_alias(name, alias_, author=author, note=note)
    _report(effect, f"{alias_!r} is an alias of {name}")


@alias.command("remove")
@click.argument("name", metavar="ENTITY")
@click.argument("alias_", metavar="NAME")
@judged_options
def alias_remove(
    name: str, alias_: str, db: str | None, author: str | None, note: str | None
) -> None:
    """NAME does not stand for ENTITY: the alias goes, and so do its mentions by NAME.

    Example:

        docstore alias remove "Belarus" "White Russia" --db docstore.db
    """
    effect = open_existing(db).remove_alias(name, alias_, author=author, note=note)
    _report(effect, f"{alias_!r} is no longer an alias of {name}")


# -- statement ---------------------------------------------------------------------------


@click.group()
def statement() -> None:
    """Reject, verify or correct an extracted statement (by its id in statement_facts).

    Example:

        docstore statement reject 42 --note "quoted, not asserted" --db docstore.db
    """


@statement.command("reject")
@click.argument("statement_id", metavar="ID", type=int)
@judged_options
def statement_reject(
    statement_id: int, db: str | None, author: str | None, note: str | None
) -> None:
    """Mark statement ID false: status 'rejected', out of the views, also after reextract.

    Example:

        docstore statement reject 42 --db docstore.db
    """
    effect = open_existing(db).reject_statement(statement_id, author=author, note=note)
    _report(effect, f"statement {statement_id} rejected")


@statement.command("verify")
@click.argument("statement_id", metavar="ID", type=int)
@judged_options
def statement_verify(
    statement_id: int, db: str | None, author: str | None, note: str | None
) -> None:
    """Mark statement ID checked: status 'verified', also after reextract.

    Example:

        docstore statement verify 42 --db docstore.db
    """
    effect = open_existing(db).verify_statement(statement_id, author=author, note=note)
    _report(effect, f"statement {statement_id} verified")


@statement.command("edit")
@click.argument("statement_id", metavar="ID", type=int)
@click.option("--predicate", metavar="P", help="A predicate name (see the predicates table).")
@click.option("--object", "object_", metavar="ENTITY", help="The entity it is about.")
@click.option("--polarity", type=click.Choice(POLARITIES), help="positive or negative.")
@judged_options
def statement_edit(
    statement_id: int,
    predicate: str | None,
    object_: str | None,
    polarity: str | None,
    db: str | None,
    author: str | None,
    note: str | None,
) -> None:
    """Correct statement ID's predicate, object or polarity; its quote stays as evidence.

    Example:

        docstore statement edit 42 --predicate meet --object Belarus --polarity negative
    """
    effect = open_existing(db).edit_statement(
        statement_id,
        predicate=predicate,
        object_=object_,
        polarity=polarity,
        author=author,
        note=note,
    )
    _report(effect, f"statement {statement_id} edited")


# -- document ----------------------------------------------------------------------------


@click.group()
def document() -> None:
    """Remove a document (by id or uid) and everything extracted from it.

    Example:

        docstore document delete 12 --yes --db docstore.db
    """


@document.command("delete")
@click.argument("ref", metavar="ID|UID")
@click.option("--yes", is_flag=True, help="Do not ask (needed when not on a terminal).")
@judged_options
def document_delete(
    ref: str, yes: bool, db: str | None, author: str | None, note: str | None
) -> None:
    """Delete a document, its passages, mentions and statements; ingest skips it later.

    Ingest-run records stay. Asks for confirmation on a terminal; needs --yes otherwise.

    Example:

        docstore document delete 12 --yes --db docstore.db
    """
    store = open_existing(db)
    doc_id, uid, title = store.find_document(ref)
    if not yes:
        if not sys.stdin.isatty():
            raise click.ClickException(
                f"document delete {ref}: not on a terminal; add --yes to delete {title!r}"
            )
        click.confirm(
            f"Delete document {doc_id} ({title!r}) and all extracted from it?", abort=True
        )
    effect = store.delete_document(uid, author=author, note=note)
    _report(effect, f"document {doc_id} ({title}) deleted")


# -- judgements --------------------------------------------------------------------------


@click.group()
def judgements() -> None:
    """List, undo, export and import analysts' judgements.

    Example:

        docstore judgements list --author alice --db docstore.db
    """


@judgements.command("list")
@click.option("--author", metavar="NAME", help="Only this author's judgements.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@db_option
def judgements_list(author: str | None, as_json: bool, db: str | None) -> None:
    """List judgements, oldest first: id, time, author, kind, target, state.

    Example:

        docstore judgements list --author alice --db docstore.db
    """
    from docstore.output import write_table

    rows = open_existing(db).list_judgements(author=author)
    if as_json:
        click.echo(json.dumps([{"id": j.id, **j.as_dict()} for j in rows], indent=2))
        return
    columns = ["id", "created_at", "author", "kind", "target", "name", "state", "note"]
    table = [
        (
            j.id,
            j.created_at[:19],
            j.author,
            j.kind,
            j.target,
            j.target_name or "",
            "active" if j.active else f"undone {j.undone_at[:19] if j.undone_at else ''}",
            j.note or "",
        )
        for j in rows
    ]
    write_table(sys.stdout, columns, table)


@judgements.command("undo")
@click.argument("judgement_id", metavar="ID", type=int)
@click.option("--author", metavar="NAME", help="Who undoes. Default: the operating-system user.")
@db_option
def judgements_undo(judgement_id: int, author: str | None, db: str | None) -> None:
    """Undo judgement ID: the data as if it had never been made (it stays in the log).

    Example:

        docstore judgements undo 7 --db docstore.db
    """
    effect = open_existing(db).undo_judgement(judgement_id, author=author)
    _report(effect, "undone")


@judgements.command("export")
@click.argument("path", metavar="FILE.jsonl", type=click.Path(dir_okay=False, writable=True))
@db_option
def judgements_export(path: str, db: str | None) -> None:
    """Write every judgement (undone ones too) to FILE.jsonl, one JSON object a line.

    Example:

        docstore judgements export alice.jsonl --db docstore.db
    """
    count = open_existing(db).export_judgements(path)
    echo_err(f"{count} judgement(s) written to {path}")


@judgements.command("import")
@click.argument("path", metavar="FILE.jsonl", type=click.Path(exists=True, dir_okay=False))
@db_option
def judgements_import(path: str, db: str | None) -> None:
    """Apply the judgements of FILE.jsonl here; importing twice changes nothing.

    Conflicts (the same fact judged differently, or revived what this database undid) are
    reported on stderr; the newest judgement wins.

    Example:

        docstore judgements import alice.jsonl --db docstore.db
    """
    report = open_existing(db).import_judgements(path)
    for conflict in report.conflicts:
        echo_err(f"conflict: {conflict}")
    click.echo(
        f"{report.added} added, {report.undone} undone, {report.unchanged} already known,"
        f" {len(report.conflicts)} conflict(s)"
    )
