"""What migrations call to create, replace and drop saved views (see views.definitions).

Each call names the version of each view (the revision whose file holds it), so that
replaying an old migration builds what it built then. `view_catalog` is kept in step: a
view created or replaced gets its file's question and description, a dropped one loses
its row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from docstore.views.definitions import load

_CATALOG = sa.table(
    "view_catalog", sa.column("name"), sa.column("question"), sa.column("description")
)


def create_views(**versions: str) -> None:
    """Create each view `name=revision` from its file and describe it in view_catalog."""
    bind = op.get_bind()
    for name, revision in versions.items():
        view = load(name, revision)
        op.execute(f"CREATE VIEW {name} AS\n{view.sql(bind.dialect.name)}")
        values = {"question": view.question, "description": view.description}
        updated = bind.execute(
            sa.update(_CATALOG).where(_CATALOG.c.name == name).values(**values)
        ).rowcount
        if not updated:
            bind.execute(sa.insert(_CATALOG).values(name=name, **values))


def drop_views(*names: str, uncatalog: bool = False) -> None:
    """Drop views (in the order given); `uncatalog` also removes their view_catalog rows,
    for a view that goes away rather than one about to be created again."""
    for name in names:
        op.execute(f"DROP VIEW IF EXISTS {name}")
        if uncatalog:
            op.get_bind().execute(sa.delete(_CATALOG).where(_CATALOG.c.name == name))


def replace_views(**versions: str) -> None:
    """Drop each named view and create it again at the given version."""
    drop_views(*versions)
    create_views(**versions)
