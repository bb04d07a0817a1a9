"""Shared fixtures. Model and gazetteer load once per session (a few seconds); stores are
fresh SQLite files in a temporary folder for every test, or fresh PostgreSQL databases.

Modules marked ``pytestmark = pytest.mark.backends`` run each test that uses ``tb``, ``db`` or
``backend`` twice: on SQLite and on PostgreSQL (a throwaway cluster started once per session,
see tollbook.store.pgcluster). Without a PostgreSQL server the second run skips saying why, or
fails when TOLLBOOK_REQUIRE_POSTGRES=1 (CI)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(os.environ.get("TOLLBOOK_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


@pytest.fixture(scope="session")
def examples():
    from tollbook.evaluate.examples import examples_dir

    return examples_dir()


@pytest.fixture(scope="session")
def extractor(examples):
    from tollbook.extract import Extractor
    from tollbook.extract.gazetteer import Gazetteer

    return Extractor(gazetteer=Gazetteer.default(user_files=[examples / "gazetteer.csv"]))


BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("backends"):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster for the session; skipped, saying why, without a server (a
    failure when TOLLBOOK_REQUIRE_POSTGRES=1, as in CI)."""
    from tollbook.errors import StoreError
    from tollbook.store.pgcluster import Cluster

    try:
        cluster = Cluster().start()
    except StoreError as exc:
        reason = f"{exc} (make postgres installs it)"
        if os.environ.get("TOLLBOOK_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    yield cluster
    cluster.stop()


@pytest.fixture()
def backend(request) -> str:
    """The database the test's store is on: "sqlite", or "postgresql" in modules marked ``backends``."""
    return getattr(request, "param", "sqlite")


@pytest.fixture()
def db(backend, tmp_path, request):
    """Where a new store goes: a SQLite file path, or the URL of a new PostgreSQL database."""
    if backend == "sqlite":
        yield str(tmp_path / "t.db")
        return
    cluster = request.getfixturevalue("postgres")
    url = cluster.create_database()
    yield url
    cluster.drop_database(url.rsplit("/", 1)[1])  # a new database is 8 MB: hundreds would fill the disk


@pytest.fixture()
def tb(db, extractor):
    """A Tollbook over a new store (SQLite, or PostgreSQL too in modules marked ``backends``),
    sharing the session's extractor."""
    import tollbook
    from tollbook.api import Tollbook
    from tollbook.store import Store

    book = Tollbook(Store.open(db), settings=tollbook.api.Settings.load(db=db), extractor=extractor)
    yield book
    book.close()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"development data not found at {SHARED_DATA} (set TOLLBOOK_SHARED_DATA); "
                    "these tests measure tollbook on real gold data that is not part of the repository")
    return SHARED_DATA


@pytest.fixture()
def nlp(extractor):
    return extractor.nlp


CHROMIUM = os.environ.get("TOLLBOOK_CHROMIUM", "/usr/bin/chromium")
# Debian's Chromium, headless, with nothing that reaches for the network on its own (the machines
# these tests run on have none, and a page test must not depend on it).
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright; skipped, saying why, without it (a failure when
    TOLLBOOK_REQUIRE_BROWSER=1, as in CI)."""
    if not Path(CHROMIUM).exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium, or set TOLLBOOK_CHROMIUM)"
        if os.environ.get("TOLLBOOK_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()

