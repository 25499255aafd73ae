"""The `docstore` command line: thin wrappers that parse options, call Store, print."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from docstore import __version__
from docstore.db import DatabaseError
from docstore.readers import DEFAULT_MAX_BYTES, FORMATS, ReadOptions

F = TypeVar("F", bound=Callable[..., Any])
MODEL_ENV = "DOCSTORE_MODEL"


# -- shared options ----------------------------------------------------------------------


def db_option(fn: F) -> F:
    return click.option(
        "--db",
        "db",
        metavar="PATH_OR_URL",
        envvar="DOCSTORE_DB",
        help="SQLite file or SQLAlchemy URL (postgresql+psycopg://...). "
        "Default: $DOCSTORE_DB, else ./docstore.db.",
    )(fn)


def model_option(fn: F) -> F:
    return click.option(
        "--model",
        metavar="NAME",
        envvar=MODEL_ENV,
        help="An installed spaCy pipeline (e.g. en_core_web_sm) to add behind the gazetteer. "
        "Default: $DOCSTORE_MODEL, else none.",
    )(fn)


def json_option(fn: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(fn)


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def open_store(db: str | None, upgrade: bool = True) -> Any:
    from docstore.store import Store

    return Store(db, upgrade=upgrade, notify=echo_err)


class DocstoreGroup(click.Group):
    """Turns expected failures into one line on stderr and a non-zero exit, no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from sqlalchemy.exc import OperationalError, SQLAlchemyError

        try:
            return super().invoke(ctx)
        except DatabaseError as exc:
            raise click.ClickException(str(exc)) from None
        except OperationalError as exc:
            raise click.ClickException(f"database error: {exc.orig}") from None
        except SQLAlchemyError as exc:
            raise click.ClickException(f"database error: {exc}") from None


@click.group(cls=DocstoreGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docstore")
def cli() -> None:
    """docstore: turn news and analysis articles into a queryable SQL database.

    Articles go in (text, HTML, CSV/JSON exports); passages, entities, mentions and
    statements come out in a normalized schema you query with SQL.

    Example:

        docstore ingest seeds/ --db news.db
    """


# -- ingest --------------------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Read every file as this format instead of detecting it.",
)
@click.option("--title-field", metavar="NAME", help="CSV/JSON field holding the title.")
@click.option("--text-field", metavar="NAME", help="CSV/JSON field holding the text.")
@click.option("--date-field", metavar="NAME", help="CSV/JSON field holding the date.")
@click.option("--url-field", metavar="NAME", help="CSV/JSON field holding the URL.")
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Refuse files larger than this.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes for reading and extraction (one writer).",
)
@click.option("--fail-fast", is_flag=True, help="Stop at the first failure.")
@click.option(
    "--allow-duplicates",
    is_flag=True,
    help="Store an article even when one with the same URL, or title and date, exists.",
)
@model_option
@json_option
def ingest(
    paths: tuple[str, ...],
    db: str | None,
    fmt: str | None,
    title_field: str | None,
    text_field: str | None,
    date_field: str | None,
    url_field: str | None,
    max_bytes: int,
    workers: int,
    fail_fast: bool,
    allow_duplicates: bool,
    model: str | None,
    as_json: bool,
) -> None:
    """Ingest article files and folders (recursively) into the database.

    Each document is one transaction: a bad file is reported and skipped, the rest are
    stored. The same content twice is stored once. Exit status is 1 when any file failed.

    Example:

        docstore ingest seeds/000_96980ad8853fa758.txt --db docstore.db
    """
    from docstore.store import IngestOptions, Outcome

    options = IngestOptions(
        read=ReadOptions(
            format=fmt,
            max_bytes=max_bytes,
            title_field=title_field,
            text_field=text_field,
            date_field=date_field,
            url_field=url_field,
        ),
        model=model,
        workers=workers,
        fail_fast=fail_fast,
        allow_duplicates=allow_duplicates,
    )
    store = open_store(db)

    def show(outcome: Outcome) -> None:
        if outcome.status == "failed":
            echo_err(f"error: {outcome.message}")
        elif outcome.status == "duplicate":
            echo_err(f"duplicate: {outcome.source}: {outcome.message}")

    with _progress(paths) as bar:
        try:
            report = store.ingest(paths, options, on_outcome=show, on_file=bar)
        except KeyboardInterrupt:
            echo_err("interrupted: documents stored so far are complete; rerun to finish")
            sys.exit(130)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "run_id": report.run_id,
                    "files": report.files_seen,
                    "added": report.added,
                    "skipped": report.skipped,
                    "failed": report.failed,
                    "documents": [o.__dict__ for o in report.outcomes],
                },
                indent=2,
            )
        )
    else:
        click.echo(f"{store.location}: {report.summary()}")
    store.close()
    sys.exit(1 if report.failed else 0)


class _progress:
    """A progress bar over files on a terminal with many files; silent otherwise."""

    def __init__(self, paths: tuple[str, ...]) -> None:
        self.paths = paths
        self.bar: Any = None

    def __enter__(self) -> Callable[[Path], None]:
        if sys.stderr.isatty() and not os.environ.get("CI"):
            count = _count_files(self.paths)
            if count >= 20:
                self.bar = click.progressbar(length=count, label="ingesting", file=sys.stderr)
                self.bar.__enter__()
        return self.advance

    def advance(self, _path: Path) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _count_files(paths: tuple[str, ...]) -> int:
    from docstore.ingest import discover

    return len(discover(paths, ReadOptions()).files)


# -- extract -------------------------------------------------------------------------------


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Input format.")
@model_option
@json_option
def extract(file: str, fmt: str | None, model: str | None, as_json: bool) -> None:
    """Show what ingesting FILE would store, without writing anything.

    Prints passages, entity mentions with offsets and labels, entities and statements.

    Example:

        docstore extract seeds/000_96980ad8853fa758.txt --json
    """
    from docstore.report import extraction_dict, render_extraction

    docs = _extract_file(Path(file), ReadOptions(format=fmt), model)
    if as_json:
        payload = [extraction_dict(laid, extraction) for laid, extraction in docs]
        click.echo(
            json.dumps(payload[0] if len(payload) == 1 else payload, indent=2, ensure_ascii=False)
        )
    else:
        for laid, extraction in docs:
            click.echo(render_extraction(laid, extraction))


def _extract_file(path: Path, options: ReadOptions, model: str | None) -> list[Any]:
    from docstore.article import layout
    from docstore.extract import get_extractor
    from docstore.extract.types import DocumentInput
    from docstore.readers import read_file
    from docstore.readers.errors import ReaderError

    out = []
    for item in read_file(path, options):
        if isinstance(item, ReaderError):
            raise click.ClickException(str(item))
        laid = layout(item)
        extraction = get_extractor(model).extract(
            DocumentInput(laid.body, laid.passages, item.published_at)
        )
        out.append((laid, extraction))
    return out


# -- reextract -----------------------------------------------------------------------------


@cli.command()
@db_option
@click.option(
    "--outdated/--all",
    "outdated",
    default=True,
    show_default=True,
    help="Only documents extracted by another extractor version, or every document.",
)
@model_option
def reextract(db: str | None, outdated: bool, model: str | None) -> None:
    """Recompute mentions and statements of stored documents from their stored text.

    Document ids and passages stay; each document is one transaction.

    Example:

        docstore reextract --all --db docstore.db
    """
    store = open_store(db)
    count = store.reextract(outdated_only=outdated, model=model)
    click.echo(f"{store.location}: re-extracted {count} document(s)")


# -- db ------------------------------------------------------------------------------------


@cli.group()
def db() -> None:
    """Schema migrations (Alembic): upgrade, downgrade, current, history.

    Example:

        docstore db upgrade --db docstore.db
    """


@db.command("upgrade")
@click.argument("revision", default="head")
@db_option
def db_upgrade(revision: str, db: str | None) -> None:
    """Upgrade the schema to REVISION (default: head).

    Example:

        docstore db upgrade --db docstore.db
    """
    from docstore import migrate

    store = open_store(db, upgrade=False)
    migrate.upgrade(store.engine, revision)
    _print_current(store)


@db.command("downgrade")
@click.argument("revision")
@db_option
def db_downgrade(revision: str, db: str | None) -> None:
    """Downgrade the schema to REVISION ("base" removes every table).

    Example:

        docstore db downgrade base --db scratch.db
    """
    from docstore import migrate

    store = open_store(db, upgrade=False)
    migrate.downgrade(store.engine, revision)
    _print_current(store)


@db.command("current")
@db_option
def db_current(db: str | None) -> None:
    """Print the database's schema revision and the code's head revision.

    Example:

        docstore db current --db docstore.db
    """
    store = open_store(db, upgrade=False)
    _print_current(store)


def _print_current(store: Any) -> None:
    from docstore import migrate

    with store.engine.connect() as conn:
        current = migrate.current_revision(conn)
    head = migrate.head_revision()
    state = "up to date" if current == head else f"head is {head}"
    click.echo(f"{store.location}: revision {current or 'none (empty)'} ({state})")


@db.command("history")
def db_history() -> None:
    """List the schema revisions, newest first.

    Example:

        docstore db history
    """
    from docstore import migrate

    for revision, down, message in migrate.history():
        click.echo(f"{down or 'base'} -> {revision}  {message}")


def main() -> None:  # pragma: no cover - console entry point
    cli()
