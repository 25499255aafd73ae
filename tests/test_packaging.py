"""The wheel ships every package of src/docstore: pyproject.toml lists packages by hand
(the migrations folder is mapped into the package), so a new subpackage must be added."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_is_listed_in_pyproject() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = re.search(r"^packages = \[(.*?)\]", text, re.S | re.M)
    assert block, "no packages list in pyproject.toml"
    listed = set(re.findall(r'"([\w.]+)"', block.group(1)))
    src = ROOT / "src"
    found = {".".join(init.parent.relative_to(src).parts) for init in src.rglob("__init__.py")}
    assert found - listed == set(), "add these to [tool.setuptools] packages"
