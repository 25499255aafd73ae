"""Curation in the browser (`docstore serve --curate`): merge, retype and reject entities,
reject and verify statements, through the same Store verbs as the CLI.

Writes are off unless the server was started with --curate. Then a login token is printed
at start-up; opening the login link with it (and a name) sets Datasette's signed actor
cookie, and the name becomes the author of every judgement. Datasette checks the CSRF
token of every POST made with cookies; a POST without cookies has no actor and is refused.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from datasette.utils.asgi import Response

from docstore.curation.actions import JudgementEffect
from docstore.db import DatabaseError
from docstore.store import Store

PERMISSION = "docstore-curate"


@dataclass
class Curation:
    """A writable Store and the token that logs people in."""

    store: Store
    token: str

    @classmethod
    def start(cls, store: Store) -> Curation:
        return cls(store, secrets.token_urlsafe(24))

    def login_path(self, prefix: str) -> str:
        return f"{prefix}/login?" + urlencode({"token": self.token})

    def token_matches(self, given: str) -> bool:
        return secrets.compare_digest(given.encode(), self.token.encode())


def actor_name(request: Any) -> str | None:
    actor = getattr(request, "actor", None) or request.scope.get("actor")
    name = actor.get("id") if isinstance(actor, dict) else None
    return str(name) if name else None


def entity_verb(
    store: Store, entity_id: int, action: str, form: dict[str, str], author: str
) -> tuple[JudgementEffect, str]:
    """Run one entity judgement; the effect and a sentence saying what was done."""
    ref = str(entity_id)
    note = form.get("note") or None
    if action == "merge":
        other = form.get("other", "").strip()
        if not other:
            raise DatabaseError("name the entity to merge into this one (name, key or id)")
        effect = store.merge_entities(ref, [other], author=author, note=note)
        return effect, f"merged {other!r} into this entity"
    if action == "retype":
        type_ = form.get("type", "")
        effect = store.retype_entity(ref, type_, author=author, note=note)
        return effect, f"type set to {type_}"
    if action == "reject":
        effect = store.reject_entity(ref, author=author, note=note)
        return effect, "rejected: its mentions and statements are gone"
    raise DatabaseError(f"unknown entity action {action!r}")


def statement_verb(
    store: Store, statement_id: int, action: str, form: dict[str, str], author: str
) -> tuple[JudgementEffect, str]:
    note = form.get("note") or None
    if action == "reject":
        return store.reject_statement(statement_id, author=author, note=note), "rejected"
    if action == "verify":
        return store.verify_statement(statement_id, author=author, note=note), "verified"
    raise DatabaseError(f"unknown statement action {action!r}")


def login_response(datasette: Any, name: str, to: str) -> Response:
    """Redirect to `to` with Datasette's signed actor cookie for `name`."""
    response = Response.redirect(to)
    response.set_cookie("ds_actor", datasette.sign({"a": {"id": name}}, "actor"))
    return response
