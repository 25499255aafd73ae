"""Every command explains itself, with an example, and the README's CLI reference is the
`--help` text itself.

Regenerate the README section with: DOCSTORE_UPDATE_README=1 pytest tests/test_cli_help.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from docstore.cli import cli

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- cli-reference:start -->", "<!-- cli-reference:end -->"


def all_commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name in sorted(group.list_commands(click.Context(group))):
        cmd = group.get_command(click.Context(group), name)
        assert cmd is not None
        if isinstance(cmd, click.Group):
            found += all_commands(cmd, prefix + (name,))
        else:
            found.append(prefix + (name,))
    return found


def help_text(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=100, prog_name="docstore")
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p) or "docstore")
def test_command_has_help_with_example(path: tuple[str, ...]) -> None:
    text = help_text(path)
    assert "Example" in text, f"docstore {' '.join(path)} --help lacks an example"
    first_line = text.split("\n\n")[1].strip()
    assert len(first_line) > 10


def reference() -> str:
    parts = []
    for path in all_commands():
        title = " ".join(("docstore",) + path)
        parts.append(f"### `{title}`\n\n```text\n{help_text(path).rstrip()}\n```\n")
    return "\n".join(parts)


def test_readme_cli_reference_matches_help() -> None:
    readme = README.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r"\n(.*?)" + re.escape(END), re.S)
    match = pattern.search(readme)
    assert match, "README.md lacks the CLI reference markers"
    expected = reference()
    if os.environ.get("DOCSTORE_UPDATE_README"):
        README.write_text(
            pattern.sub(lambda _: f"{START}\n{expected}{END}", readme), encoding="utf-8"
        )
        return
    assert match.group(1) == expected, (
        "README CLI reference is out of date:"
        " DOCSTORE_UPDATE_README=1 pytest tests/test_cli_help.py"
    )
