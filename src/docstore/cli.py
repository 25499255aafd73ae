"""The `docstore` command line: thin wrappers that parse options, call Store, print."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from docstore import __version__
from docstore.errors import DatabaseError
from docstore.readers import DEFAULT_MAX_BYTES, FORMATS, ReadOptions
from docstore.terms import ENTITY_TYPES

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
    """``--model NAME`` and ``--no-model``, folded into the one ``model`` argument
    (``"none"`` for the rules-only path)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, no_model: bool, model: str | None, **kwargs: Any) -> Any:
        from docstore.extract.version import NO_MODEL  # imports SQLAlchemy: not at start-up

        if no_model and model:
            raise click.UsageError("--model and --no-model exclude each other")
        return fn(*args, model=NO_MODEL if no_model else model, **kwargs)

    wrapper = click.option(
        "--no-model",
        is_flag=True,
        help="Rules only: the gazetteer and name rules without a statistical NER "
        "(faster, finds fewer unknown names).",
    )(wrapper)
    return cast(
        F,
        click.option(
            "--model",
            metavar="NAME",
            envvar=MODEL_ENV,
            help="The NER behind the gazetteer: an installed spaCy pipeline (e.g. "
            "en_core_web_sm) or a path. Default: $DOCSTORE_MODEL, else the NER shipped "
            "with docstore; 'none' is --no-model.",
        )(wrapper),
    )


def json_option(fn: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(fn)


def _output_options(fn: F) -> F:
    for flag, value, text in reversed(
        [
            ("--table", "table", "Aligned columns (the default on a terminal)."),
            ("--csv", "csv", "CSV (the default when piped)."),
            ("--tsv", "tsv", "Tab-separated values."),
            ("--json", "json", "A JSON array of objects."),
            ("--nl", "nl", "Newline-delimited JSON, one object per line."),
        ]
    ):
        fn = click.option(flag, "fmt", flag_value=value, help=text)(fn)
    return click.option(
        "--max-width",
        type=click.IntRange(min=0),
        default=60,
        show_default=True,
        help="Cut table cells to this many characters (0: show them whole).",
    )(fn)


def _emit(
    fmt: str,
    columns: list[str],
    rows: list[tuple[Any, ...]],
    max_width: int,
    table_columns: list[str] | None = None,
) -> None:
    """Rows of a listing in the chosen format; the table shows `table_columns` only."""
    from docstore.output import emit

    if fmt == "table" and table_columns:
        keep = [columns.index(c) for c in table_columns]
        columns, rows = table_columns, [tuple(r[i] for i in keep) for r in rows]
    with _text_stdout() as out:
        emit(fmt, columns, rows, out, max_width)


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def open_store(db: str | None, upgrade: bool = True) -> Any:
    from docstore.store import Store

    return Store(db, upgrade=upgrade, notify=echo_err)


class DocstoreGroup(click.Group):
    """Turns expected failures into one line on stderr and a non-zero exit, no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from docstore.readers.errors import ReaderError

        argv = [*getattr(ctx, "_protected_args", []), *ctx.args]
        try:
            return super().invoke(ctx)
        except (DatabaseError, ReaderError) as exc:
            raise click.ClickException(_one_line(str(exc))) from None
        except Exception as exc:
            # SQLAlchemy is imported only by commands that open a database (start-up).
            sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
            if sqlalchemy_exc is None or not isinstance(exc, sqlalchemy_exc.SQLAlchemyError):
                raise
            # The database's own reason, never the SQL statement SQLAlchemy appends.
            reason = _one_line(str(getattr(exc, "orig", None) or exc))
            where = _database_named(argv)
            raise click.ClickException(f"{where}: database error: {reason}") from None


def _one_line(message: str) -> str:
    return " ".join(message.strip().split("\n", 1)[0].split()) or "unknown error"


def _database_named(argv: list[str]) -> str:
    """The database the failing command was given (its --db), else the default one."""
    from docstore.db import describe, resolve_url

    given = None
    for i, arg in enumerate(argv):
        if arg == "--db" and i + 1 < len(argv):
            given = argv[i + 1]
        elif arg.startswith("--db="):
            given = arg[len("--db=") :]
    try:
        return describe(resolve_url(given))
    except DatabaseError:
        return str(given)


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
    help="Read every file (and standard input) as this format instead of detecting it.",
)
@click.option("--title-field", metavar="NAME", help="CSV/JSON field holding the title.")
@click.option("--text-field", metavar="NAME", help="CSV/JSON field holding the text.")
@click.option("--date-field", metavar="NAME", help="CSV/JSON field holding the date.")
@click.option("--url-field", metavar="NAME", help="CSV/JSON field holding the URL.")
@click.option(
    "--no-standfirst",
    "no_standfirst",
    is_flag=True,
    help="HTML: leave out the lead a page also gives as its description "
    "(kept otherwise as a passage of kind 'standfirst').",
)
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
    no_standfirst: bool,
    max_bytes: int,
    workers: int,
    fail_fast: bool,
    allow_duplicates: bool,
    model: str | None,
    as_json: bool,
) -> None:
    """Ingest article files and folders (recursively) into the database.

    A PATH of - reads one document from standard input (see --format); an http(s) URL
    fetches that web page (HTML only, within --max-bytes) and stores it with its URL.
    Each document is one transaction: a bad file is reported and skipped, the rest are
    stored. The same content twice is stored once. Exit status is 1 when any file failed.

    Example:

        docstore ingest seeds/000_96980ad8853fa758.txt --db docstore.db

        curl -s https://example.org/news/1 | docstore ingest - --format html
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
            standfirst=not no_standfirst,
        ),
        model=model,
        workers=workers,
        fail_fast=fail_fast,
        allow_duplicates=allow_duplicates,
        keep_outcomes=as_json,
    )
    store = open_store(db)

    progress = _progress(paths)

    def show(outcome: Outcome) -> None:
        progress.document()
        if outcome.status == "failed":
            echo_err(f"error: {outcome.message}")
        elif outcome.status == "duplicate":
            echo_err(f"duplicate: {outcome.source}: {outcome.message}")

    with progress:
        try:
            report = store.ingest(paths, options, on_outcome=show, on_file=progress.advance)
        except KeyboardInterrupt as exc:
            from docstore.store import Interrupted

            echo_err("interrupted: documents stored so far are complete; rerun to finish")
            sys.exit(143 if isinstance(exc, Interrupted) else 130)
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
    """A progress bar over files on a terminal with many files (documents stored, documents
    per second and the time left); silent when stderr is not a terminal."""

    def __init__(self, paths: tuple[str, ...]) -> None:
        self.paths = paths
        self.bar: Any = None
        self.documents = 0
        self.started = 0.0

    def __enter__(self) -> Callable[[Path], None]:
        """Returns `advance`, to call with each file as it is read."""
        import time

        if sys.stderr.isatty() and not os.environ.get("CI"):
            count = _count_files(self.paths)
            if count >= 20:
                self.started = time.monotonic()
                self.bar = click.progressbar(
                    length=count,
                    label="ingesting",
                    file=sys.stderr,
                    show_eta=True,
                    item_show_func=self._rate,
                )
                self.bar.__enter__()
        return self.advance

    def _rate(self, _item: object) -> str:
        import time

        seconds = max(time.monotonic() - self.started, 1e-6)
        return f"{self.documents} docs, {self.documents / seconds:.1f} docs/s"

    def advance(self, _path: Path) -> None:
        if self.bar is not None:
            self.bar.update(1, _path)

    def document(self) -> None:
        self.documents += 1

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
    from docstore.extracted import extract_file  # what Store.extract runs, without the database

    docs = extract_file(Path(file), ReadOptions(format=fmt), model)
    if as_json:
        payload = [doc.as_dict() for doc in docs]
        click.echo(
            json.dumps(payload[0] if len(payload) == 1 else payload, indent=2, ensure_ascii=False)
        )
    else:
        for doc in docs:
            click.echo(doc.render())


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

    def show(_doc_id: int, error: str | None) -> None:
        if error:
            echo_err(f"error: {error}")

    try:
        report = store.reextract(outdated_only=outdated, model=model, on_document=show)
    except KeyboardInterrupt:
        echo_err("interrupted: documents re-extracted so far are complete; rerun to finish")
        sys.exit(130)
    click.echo(
        f"{store.location}: re-extracted {len(report.done)} document(s) "
        f"with extractor {report.version}, {len(report.failed)} failed"
    )
    store.close()
    sys.exit(1 if report.failed else 0)


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
    store = open_store(db, upgrade=False)
    store.upgrade(revision)
    _print_current(store)


@db.command("downgrade")
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Do it without asking (needed when not on a terminal).")
@db_option
def db_downgrade(revision: str, yes: bool, db: str | None) -> None:
    """Downgrade the schema to REVISION ("base" removes every table).

    A downgrade drops what later revisions added, and "base" every document: it says how
    many documents would be lost and asks on a terminal; elsewhere it needs --yes.

    Example:

        docstore db downgrade base --db scratch.db --yes
    """
    from docstore import migrate

    store = open_store(db, upgrade=False)
    current, lost = migrate.downgrade_loss(store.engine, revision)
    if current is None:
        raise click.ClickException(f"{store.location}: no docstore schema to downgrade")
    what = (
        f"deletes every table and all {lost} document(s)"
        if revision == "base"
        else f"drops what the revisions after {revision} added (documents are kept)"
    )
    warning = f"{store.location}: downgrading from revision {current} to {revision} {what}"
    if not yes:
        if not (sys.stdin.isatty() and sys.stderr.isatty()):
            raise click.ClickException(f"{warning}; pass --yes to confirm")
        if not click.confirm(f"{warning}. Continue?", default=False, err=True):
            raise click.ClickException("downgrade cancelled; nothing changed")
    store.downgrade(revision)
    _print_current(store)


@db.command("current")
@db_option
def db_current(db: str | None) -> None:
    """Print the database's schema revision and the code's head revision.

    Example:

        docstore db current --db docstore.db
    """
    store = open_existing(db, read_only=True, any_schema=True)
    _print_current(store)


def _print_current(store: Any) -> None:
    current, head = store.current(), store.head()
    state = "up to date" if current == head else f"head is {head}"
    click.echo(f"{store.location}: revision {current or 'none (empty)'} ({state})")


@db.command("history")
def db_history() -> None:
    """List the schema revisions, newest first.

    Example:

        docstore db history
    """
    from docstore.store import Store

    for rev in Store.history():
        click.echo(f"{rev.down_revision or 'base'} -> {rev.revision}  {rev.message}")


# -- views, query, export, search, entities --------------------------------------------


def open_existing(db: str | None, *, read_only: bool = False, any_schema: bool = False) -> Any:
    """A Store on a database that must already exist (upgraded when behind the code).

    `read_only`: a Store that cannot write, for the reading commands: reading never
    creates, upgrades or switches the journal of a database. With `any_schema` (query,
    export, db current) it also reads another program's database, or an older or newer
    docstore's, as it is; otherwise those are refused in one line.
    """
    from docstore.db import is_sqlite, resolve_url
    from docstore.store import Store

    url = resolve_url(db)
    if is_sqlite(url) and url.database and not Path(url.database).exists():
        raise click.ClickException(
            f"{url.database}: no such database file (create it with: docstore ingest FILE --db"
            f" {url.database})"
        )
    if not read_only:
        return open_store(db)
    return Store(url, readonly=True, check_schema=not any_schema)


@contextmanager
def _text_stdout() -> Iterator[Any]:
    """stdout as UTF-8 text with newlines written as given (CSV needs CRLF untouched)."""
    import io

    sys.stdout.flush()
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
    try:
        yield out
    finally:
        out.flush()
        out.detach()  # leave stdout itself open


@cli.command()
@click.argument("name", required=False)
@_output_options
@db_option
def views(name: str | None, fmt: str | None, max_width: int, db: str | None) -> None:
    """List the saved views with the question each answers; with NAME, describe one.

    A view's description gives its columns and an example query to adapt.

    Example:

        docstore views entity_documents --db docstore.db
    """
    store = open_existing(db, read_only=True)
    if name is None:
        views = store.views()
        if fmt:
            columns = ["name", "question", "description"]
            rows = [(v.name, v.question, v.description) for v in views]
            _emit(fmt, columns, rows, max_width, ["name", "question"])
            return
        width = max((len(v.name) for v in views), default=0)
        for view in views:
            click.echo(f"{view.name.ljust(width)}  {view.question}")
        return
    info = store.view(name)
    if fmt == "json":  # one view: one object
        click.echo(json.dumps(info.__dict__, indent=2, ensure_ascii=False))
        return
    if fmt:
        fields = list(info.__dict__)
        values = tuple(
            ", ".join(v) if isinstance(v, list) and fmt != "json" and fmt != "nl" else v
            for v in info.__dict__.values()
        )
        _emit(fmt, fields, [values], max_width)
        return
    click.echo(f"{info.name}: {info.question}\n\n{info.description}\n")
    click.echo("Columns: " + ", ".join(info.columns) + "\n")
    example = info.example.replace("\n", "\n    ")
    click.echo(f"Example:\n\n    {example}")
    if ":id" in info.example:
        click.echo(
            '\n    (run with: docstore query "..." -p id ENTITY_ID; '
            "find ids with: docstore entities)"
        )


def allow_superuser_option(fn: F) -> F:
    return click.option(
        "--allow-superuser",
        is_flag=True,
        help="On PostgreSQL, run the SQL as a superuser login when the docstore_reader role "
        "is not available (otherwise refused).",
    )(fn)


def _params(pairs: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """-p NAME VALUE pairs; whole numbers are passed as integers (ids compare as numbers)."""
    params: dict[str, Any] = {}
    for key, value in pairs:
        number = int(value) if value.lstrip("-").isdigit() and len(value) < 30 else None
        # Beyond 64 bits no database takes it as an integer: it stays text.
        fits = number is not None and -(2**63) <= number < 2**63
        params[key.lstrip(":")] = number if fits else value
    return params


@cli.command()
@click.argument("sql", metavar="SQL")
@click.option(
    "-p",
    "--param",
    "params",
    nargs=2,
    multiple=True,
    metavar="NAME VALUE",
    help="Bind :NAME in the SQL to VALUE (repeatable).",
)
@_output_options
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="Cancel the query after this many seconds (0: no limit).",
)
@allow_superuser_option
@db_option
def query(
    sql: str,
    params: tuple[tuple[str, str], ...],
    fmt: str | None,
    max_width: int,
    timeout: float,
    allow_superuser: bool,
    db: str | None,
) -> None:
    """Run one read-only SQL statement and print its rows.

    The connection itself is read-only: writes, DDL, ATTACH and writing pragmas are
    refused, as is more than one statement. SQL "-" reads the statement from stdin.

    Example:

        docstore query "SELECT name, mentions FROM entity_overview WHERE type = :t" -p t person
    """
    from docstore.output import emit

    if sql == "-":
        sql = sys.stdin.read()
    store = open_existing(db, read_only=True, any_schema=True)
    fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
    with (
        store.stream(
            sql, _params(params), timeout=timeout or None, allow_superuser=allow_superuser
        ) as result,
        _text_stdout() as out,
    ):
        emit(fmt, result.columns, result.rows, out, max_width)


@cli.command()
@click.argument("name", required=False)
@click.option("--sql", metavar="SQL", help="Export the rows of this read-only query instead.")
@click.option(
    "--all",
    "all_dir",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Write every view and table to DIR, one file each.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Write to FILE instead of stdout.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "tsv", "jsonl", "json"]),
    help="Output format. Default: from FILE's extension (a mismatch is refused), else csv.",
)
@click.option("--no-header", is_flag=True, help="Leave out the header row (CSV/TSV).")
@click.option("--bom", is_flag=True, help="Start with a UTF-8 byte order mark (for Excel).")
@click.option(
    "--excel-safe",
    is_flag=True,
    help="Prefix ' to text cells starting with = + - @ so spreadsheets do not run them.",
)
@click.option(
    "-p",
    "--param",
    "params",
    nargs=2,
    multiple=True,
    metavar="NAME VALUE",
    help="Bind :NAME in --sql to VALUE (repeatable).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=None,
    help="Cancel after this many seconds (0: no limit). Default: 30 for --sql, none otherwise.",
)
@allow_superuser_option
@db_option
def export(
    name: str | None,
    sql: str | None,
    all_dir: str | None,
    output: str | None,
    fmt: str | None,
    no_header: bool,
    bom: bool,
    excel_safe: bool,
    params: tuple[tuple[str, str], ...],
    timeout: float | None,
    allow_superuser: bool,
    db: str | None,
) -> None:
    """Export a table or view (or a query's rows) as CSV, TSV or JSON Lines, streaming.

    CSV is RFC 4180 in UTF-8 with a header row. Rows written and the file are reported
    on stderr. Memory use stays flat however many rows there are.

    Example:

        docstore export entity_overview -o entities.csv --db docstore.db
    """
    from docstore.export import ExportOptions, format_for
    from docstore.query import DEFAULT_TIMEOUT

    if sum(x is not None for x in (name, sql, all_dir)) != 1:
        raise click.UsageError("give exactly one of NAME, --sql SQL or --all DIR")
    options = ExportOptions(
        format=format_for(output, fmt), header=not no_header, bom=bom, excel_safe=excel_safe
    )
    if timeout is None:  # user SQL gets query's limit; whole tables take as long as they take
        timeout = DEFAULT_TIMEOUT if sql is not None else 0
    limits: dict[str, Any] = {"timeout": timeout or None, "allow_superuser": allow_superuser}
    store = open_existing(db, read_only=True, any_schema=True)
    if all_dir is not None:
        _export_all(store, Path(all_dir), options, limits)
        return
    what = {"name": name, "sql": sql, "options": options, "params": _params(params), **limits}
    if output:
        count = store.export(to=output, **what)
        echo_err(f"{count} row(s) written to {output}")
    else:
        with _text_stdout() as out:
            count = store.export(to=out, **what)
        echo_err(f"{count} row(s) written to stdout")


def _export_all(store: Any, folder: Path, options: Any, limits: dict[str, Any]) -> None:
    from docstore.export import EXTENSIONS

    folder.mkdir(parents=True, exist_ok=True)
    for name in store.exportable():
        path = folder / f"{name}.{EXTENSIONS[options.format]}"
        count = store.export(name, to=path, options=options, **limits)
        echo_err(f"{count} row(s) written to {path}")


@cli.command()
@click.argument("text")
@click.option("--entity", metavar="NAME", help="Only documents that mention this entity.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Most hits shown."
)
@_output_options
@db_option
def search(
    text: str, entity: str | None, limit: int, fmt: str | None, max_width: int, db: str | None
) -> None:
    """Full-text search over passages, best matches first, with highlighted snippets.

    Every word must occur (in any form: "visits" finds "visited"); put a phrase in double
    quotes. Matches are shown in [brackets].

    Example:

        docstore search "military attachés" --entity Belarus --db docstore.db
    """
    from docstore.search import Hit

    store = open_existing(db, read_only=True)
    hits = store.search(text, entity=entity, limit=limit)
    if fmt:
        columns = list(Hit.__dataclass_fields__)
        rows = [tuple(h.as_dict().values()) for h in hits]
        shown = ["document_id", "seq", "title", "snippet"]
        _emit(fmt, columns, rows, max_width, shown)
        return
    if not hits:
        echo_err(f"no passage matches {text!r}")
        return
    for hit in hits:
        date = f" ({hit.published_at[:10]})" if hit.published_at else ""
        click.echo(f"{hit.title}{date}  [document {hit.document_id}, passage {hit.seq}]")
        click.echo(f"    {hit.snippet}\n")


@cli.command()
@click.option("--type", "type_", type=click.Choice(ENTITY_TYPES), help="Only this type.")
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True, help="0: all.")
@_output_options
@db_option
def entities(
    type_: str | None, limit: int, fmt: str | None, max_width: int, db: str | None
) -> None:
    """List entities, most mentioned first, with their mention and document counts.

    Example:

        docstore entities --type person --limit 20 --db docstore.db
    """
    store = open_existing(db, read_only=True)
    rows = store.entities(type=type_, limit=limit or None)
    shown = ["entity_id", "name", "type", "country", "mentions", "documents", "first_seen"]
    _emit(fmt or "table", rows.columns, rows.tuples(), max_width, shown)


@click.command("show")
@click.argument("name")
@click.option(
    "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Rows per list."
)
@db_option
@json_option
def entity_show(name: str, limit: int, db: str | None, as_json: bool) -> None:
    """Show one entity: aliases, counts, its documents and who is mentioned with it.

    NAME is matched against entity names, keys (country:by) and every known alias,
    ignoring case, accents and possessives. `docstore entity NAME` is the same.

    Example:

        docstore entity show Lukashenka --db docstore.db
    """
    store = open_existing(db, read_only=True)
    profile = store.entity(name, limit=limit)
    others = [i for i in store.find_entities(name) if i != profile["entity_id"]]
    if others:
        echo_err(f"{name!r} also matches entity id(s) {', '.join(map(str, others))}")
    if as_json:
        click.echo(json.dumps(profile, indent=2, ensure_ascii=False))
        return
    p = profile
    where = f", {p['country']}" if p["country"] else ""
    click.echo(f"{p['name']}  ({p['type']}{where}; {p['key']}; id {p['entity_id']})")
    click.echo(f"aliases: {', '.join(p['aliases']) or '-'}")
    click.echo(
        f"{p['mentions']} mention(s) in {p['documents']} document(s), "
        f"first {p['first_seen'] or '-'}, last {p['last_seen'] or '-'}; "
        f"statements: {p['statements_as_subject']} as subject, "
        f"{p['statements_as_object']} as object"
    )
    click.echo("\ndocuments:")
    for d in p["top_documents"]:
        click.echo(f"  {d['mentions']:>4}  {(d['published_at'] or '')[:10]:10}  {d['title']}")
    click.echo("\nmentioned with:")
    for o in p["mentioned_with"]:
        click.echo(f"  {o['passages']:>4}  {o['name']} ({o['type']})")


@db.command("rebuild-fts")
@db_option
def db_rebuild_fts(db: str | None) -> None:
    """Rebuild the full-text index of passages from the passages table.

    Triggers keep it up to date; rebuild after editing passages with triggers disabled or
    restoring a copy. On PostgreSQL this recomputes the search column and reindexes it.

    Example:

        docstore db rebuild-fts --db docstore.db
    """
    store = open_existing(db)
    message = store.rebuild_fts()
    click.echo(f"{store.location}: {message}")


@db.command("rebuild-dates")
@db_option
def db_rebuild_dates(db: str | None) -> None:
    """Recompute every entity's first and last seen (entity_dates) from the mentions.

    docstore keeps them up to date as it stores and re-extracts documents; rebuild after
    changing mentions or document dates with your own SQL.

    Example:

        docstore db rebuild-dates --db docstore.db
    """
    store = open_existing(db)
    count = store.rebuild_dates()
    click.echo(f"{store.location}: first and last seen recomputed for {count} entities")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(min=1, max=65535),
    default=8001,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--sql-time-limit",
    type=click.IntRange(min=1),
    default=3000,
    show_default=True,
    metavar="MS",
    help="Stop a query in the SQL box after this many milliseconds.",
)
@click.option(
    "--curate",
    is_flag=True,
    help="Allow curation (merge, retype, reject; statement reject/verify) by people who log"
    " in with the token printed at start-up.",
)
@db_option
def serve(host: str, port: int, sql_time_limit: int, curate: bool, db: str | None) -> None:
    """Browse the database in a web browser: Datasette with docstore's pages.

    Entity pages (timeline, co-mentioned entities, statements, documents), documents with
    their mentions highlighted, full-text search with filters and a statement explorer,
    beside Datasette's tables, saved views and read-only SQL box. Nothing is written
    unless --curate is given; then a login link with a token is printed, and judgements made
    in the browser are recorded under the name given at login.
    Needs the web extra: pip install 'docstore[web]'. On PostgreSQL, docstore's pages and
    its read-only SQL page only (Datasette serves SQLite files).

    Example:

        docstore serve --db docstore.db --port 8001
    """
    from docstore.db import resolve_url
    from docstore.web.app import ServeOptions, check_database, check_datasette
    from docstore.web.app import serve as run_server

    check_datasette()
    check_database(resolve_url(db))
    store = open_existing(db)  # upgrades a database behind the code before serving it
    store.close()
    options = ServeOptions(host, port, sql_time_limit, curate)
    run_server(store.url, options, announce=echo_err)


def _add_curation_commands() -> None:
    from docstore import cli_curation

    cli_curation.entity.add_command(entity_show)
    for group in (
        cli_curation.entity,
        cli_curation.alias,
        cli_curation.statement,
        cli_curation.document,
        cli_curation.judgements,
    ):
        cli.add_command(group)


_add_curation_commands()


def main() -> None:  # pragma: no cover - console entry point
    import gc

    try:
        cli()
    finally:
        # Leave the extraction pipeline's millions of objects to the operating system: a
        # collection at exit took seconds, and an interrupted ingest must end within one.
        gc.freeze()
