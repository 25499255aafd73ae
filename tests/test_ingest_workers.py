"""`--workers N` prepares documents in worker processes; what is stored must not depend
on how many there were."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import read_sqlite

from docstore.cli import cli
from docstore.signals import Interrupted, terminate_as_interrupt

CORPUS = Path(__file__).resolve().parent / "corpus"
TABLES = {
    "documents": "uid, source, url, title, published_at, body, extractor_version",
    "passages": "document_id, seq, kind, text, char_start, char_end",
    "entities": "id, key, name, type, country, description",
    "entity_aliases": "entity_id, alias, normalized, source",
    "mentions": "entity_id, document_id, passage_id, char_start, char_end, label, method",
    "statements": "document_id, subject_id, predicate, object_id, object_text, polarity,"
    " modality, speaker_id, char_start, char_end",
}


@pytest.mark.slow
def test_workers_store_the_same_as_one_process(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(CORPUS / "articles", folder / "articles")
    shutil.copytree(CORPUS / "raw", folder / "raw")
    contents = {}
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        result = CliRunner().invoke(
            cli, ["ingest", str(folder), "--workers", str(workers), "--db", str(db)]
        )
        assert result.exit_code == 0, result.output
        contents[workers] = {
            table: read_sqlite(db, f"SELECT {columns} FROM {table} ORDER BY 1, 2, 3")
            for table, columns in TABLES.items()
        }
    assert contents[1]["documents"], "nothing was stored"
    assert contents[1]["mentions"] and contents[1]["statements"]
    for table in TABLES:
        assert contents[2][table] == contents[1][table], table


def test_sigterm_ends_a_forked_worker_instead_of_raising_in_it() -> None:
    """The pool stops its workers with SIGTERM; a worker forked while ingest turns SIGTERM
    into an exception must still die of it, not unwind into the parent's code."""
    with terminate_as_interrupt():
        ready_r, ready_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest, whatever happens
            try:
                os.close(ready_r)
                os.write(ready_w, b"x")
                time.sleep(30)
            finally:
                os._exit(3)
        os.close(ready_w)
        assert os.read(ready_r, 1) == b"x"
        os.close(ready_r)
        os.kill(pid, signal.SIGTERM)
        _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM


def test_sigterm_in_the_ingesting_process_is_an_interrupt() -> None:
    with terminate_as_interrupt(), pytest.raises(Interrupted):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler runs at the next bytecode; never reached
