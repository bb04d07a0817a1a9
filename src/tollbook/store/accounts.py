"""Editor accounts, API tokens and login sessions.

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106); tokens and session ids are
random (``secrets``) and only their SHA-256 digests are stored, so a copy of the database does
not let anyone edit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select

from tollbook.errors import ReviewError
from tollbook.store import schema as s

SESSION_DAYS = 7
_hasher = PasswordHasher()
# verified against when the name is unknown, so a wrong name costs as long as a wrong password
_DUMMY = _hasher.hash("not a password of anyone")
NAME = re.compile(r"^[\w.@-]{1,80}$")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def add_editor(conn, name: str, password: str) -> None:
    if not NAME.match(name or ""):
        raise ReviewError(f"editor name {name!r}: use 1-80 letters, digits, '.', '@', '_' or '-'")
    if len(password or "") < 8:
        raise ReviewError("a password needs at least 8 characters")
    if conn.execute(select(s.editors.c.name).where(s.editors.c.name == name)).scalar():
        raise ReviewError(f"editor {name!r} exists already")
    conn.execute(insert(s.editors).values(name=name, password_hash=_hasher.hash(password), created_at=_now()))


def check_password(conn, name: str, password: str) -> bool:
    stored = conn.execute(select(s.editors.c.password_hash).where(s.editors.c.name == name)).scalar()
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def editors(conn) -> list[str]:
    return list(conn.execute(select(s.editors.c.name).order_by(s.editors.c.name)).scalars())


def create_token(conn, editor: str, label: str) -> str:
    if not conn.execute(select(s.editors.c.name).where(s.editors.c.name == editor)).scalar():
        raise ReviewError(f"no editor {editor!r} (add one with `tollbook editor add NAME`)")
    token = "tb_" + secrets.token_urlsafe(32)
    conn.execute(insert(s.api_tokens).values(sha256=_digest(token), editor=editor, label=label or "",
                                             created_at=_now()))
    return token


def token_editor(conn, token: str) -> str | None:
    if not token:
        return None
    return conn.execute(select(s.api_tokens.c.editor).where(s.api_tokens.c.sha256 == _digest(token))).scalar()


def start_session(conn, editor: str) -> tuple[str, str]:
    """A new session for ``editor``: (session id for the cookie, CSRF token for its forms)."""
    sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    conn.execute(delete(s.sessions).where(s.sessions.c.expires_at < _now()))
    conn.execute(insert(s.sessions).values(sha256=_digest(sid), editor=editor, csrf=csrf,
                                           expires_at=_now() + dt.timedelta(days=SESSION_DAYS)))
    return sid, csrf


def session(conn, sid: str) -> tuple[str, str] | None:
    """(editor, csrf) of a live session, or None."""
    if not sid:
        return None
    row = conn.execute(select(s.sessions.c.editor, s.sessions.c.csrf, s.sessions.c.expires_at)
                       .where(s.sessions.c.sha256 == _digest(sid))).first()
    if row is None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)
    return (row.editor, row.csrf) if expires > _now() else None


def end_session(conn, sid: str) -> None:
    conn.execute(delete(s.sessions).where(s.sessions.c.sha256 == _digest(sid or "")))
