"""A throwaway PostgreSQL cluster: ``initdb`` and ``pg_ctl`` in a temporary folder, on a free
port of 127.0.0.1 and a unix socket in that folder, stopped and deleted at the end.

For the tests (tests/conftest.py) and the benchmarks, which run the store on PostgreSQL without
touching any server of the machine. PostgreSQL refuses to run as root: as root, the cluster's
files belong to, and its server runs as, an unprivileged user (``nobody`` unless told otherwise).
Not for keeping data: fsync is off.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tollbook.errors import StoreError

SUPERUSER = "tollbook"  # the cluster's superuser, trusted from this machine only


def find_bin() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: $TOLLBOOK_PG_BIN, then the PATH, then Debian's
    /usr/lib/postgresql/<version>/bin (the newest)."""
    if os.environ.get("TOLLBOOK_PG_BIN"):
        folder = Path(os.environ["TOLLBOOK_PG_BIN"])
        return folder if (folder / "pg_ctl").exists() else None
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: [int(x) if x.isdigit() else 0 for x in Path(p).parts[-3].split(".")])
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """``with Cluster() as pg: url = pg.create_database("x")``."""

    def __init__(self, *, run_as: str = "nobody", bin_dir: Path | None = None) -> None:
        self.bin = bin_dir or find_bin()
        if self.bin is None:
            raise StoreError("no PostgreSQL server found (install Debian's postgresql, or set TOLLBOOK_PG_BIN "
                             "to the folder of initdb and pg_ctl)")
        self.run_as = run_as if os.geteuid() == 0 else None
        if self.run_as:
            try:
                pwd.getpwnam(self.run_as)
            except KeyError:
                raise StoreError(f"PostgreSQL does not run as root, and there is no user {self.run_as!r} to run it "
                                 "as") from None
        self.folder: Path | None = None
        self.port = 0
        self._n = 0

    # -- the server --------------------------------------------------------------------------------

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        kwargs = {}
        if self.run_as:
            user = pwd.getpwnam(self.run_as)
            kwargs = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, cwd=self.folder,
                              env={**os.environ, "LC_ALL": "C.UTF-8"}, check=False, **kwargs)
        if done.returncode != 0:
            raise StoreError(f"{Path(args[0]).name} failed: {(done.stderr or done.stdout).strip()[-500:]}")
        return done

    def start(self) -> Cluster:
        # not under pytest's tmp_path: its folders are private to the user running the tests
        self.folder = Path(tempfile.mkdtemp(prefix="tollbook-pg-"))
        try:
            self._start()
        except BaseException:
            self._remove()
            raise
        return self

    def _start(self) -> None:
        assert self.folder is not None
        if self.run_as:
            user = pwd.getpwnam(self.run_as)
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        data = self.folder / "data"
        self._run(str(self.bin / "initdb"), "-D", str(data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync", "--no-instructions")
        log = self.folder / "server.log"
        for attempt in range(3):  # a free port may be taken by another process before the server binds it
            self.port = _free_port()
            options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
            try:
                self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", options,
                          "start")
                return
            except StoreError as exc:
                if attempt == 2:
                    tail = log.read_text()[-500:] if log.exists() else ""
                    raise StoreError(f"PostgreSQL did not start: {tail or exc}") from None
                time.sleep(0.5)

    def stop(self) -> None:
        if self.folder is None:
            return
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        except (StoreError, subprocess.TimeoutExpired):
            pass
        self._remove()

    def _remove(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- databases ---------------------------------------------------------------------------------

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        """One statement outside a transaction (CREATE DATABASE cannot run in one)."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self, name: str | None = None, *, template: str | None = None) -> str:
        """A new empty database (or a copy of ``template``, which nobody may be connected to); its URL."""
        if name is None:
            self._n += 1
            name = f"t{self._n}"
        self.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
