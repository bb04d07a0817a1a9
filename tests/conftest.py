"""Shared fixtures. Model and gazetteer load once per session (a few seconds); stores are
fresh SQLite files in a temporary folder for every test."""

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


@pytest.fixture()
def tb(tmp_path, extractor):
    """A Tollbook over a new SQLite file, sharing the session's extractor."""
    import tollbook
    from tollbook.api import Tollbook
    from tollbook.store import Store

    book = Tollbook(Store.open(tmp_path / "t.db"), settings=tollbook.api.Settings.load(db=str(tmp_path / "t.db")),
                    extractor=extractor)
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
