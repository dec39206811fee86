"""SQLite and PostgreSQL rank alike: the same candidates, in the same order, for every query.

The suite's database (PostgreSQL in CI) indexes the evaluation articles here; a subprocess
does the same on the other engine, in a database of its own (a temporary SQLite file when the
suite runs on PostgreSQL; the suite's PostgreSQL server when it runs on SQLite and one is
named by ``HUIAI_AGREEMENT_POSTGRES_URL``). A subprocess, not a second alias: each engine gets
its own connection settings, migrations and search backend, exactly as a site on it would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from django.db import connection
from django.db.models import Count

import pytest

from search import ranking
from search.models import SearchPosting
from tests.factories.library import library_index

from .engine_ranking import rankings
from .evaluation import load_articles

REPO_DIR = Path(__file__).resolve().parents[2]


def other_engine_url(tmp_path: Path) -> str | None:
    if connection.vendor == "postgresql":
        return f"sqlite:///{tmp_path / 'agreement.sqlite3'}"
    return os.environ.get("HUIAI_AGREEMENT_POSTGRES_URL") or None


# Below the evaluation set's commonest words' page counts: they are read bounded, best rows first
# (the path every common word takes on a big site), as the rare words are read whole.
MAX_POSTINGS = 8


def run_elsewhere(url: str, output: Path) -> dict[str, list[str]]:
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "huiai.settings.test",
        "MAX_POSTINGS": str(MAX_POSTINGS),
    }
    completed = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.search.engine_ranking", str(output)],
        cwd=REPO_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(output.read_text())


@pytest.mark.django_db
def test_sqlite_and_postgresql_give_the_same_candidates_in_the_same_order(tmp_path, monkeypatch):
    url = other_engine_url(tmp_path)
    if url is None:
        pytest.skip("the suite runs on SQLite and no PostgreSQL database is named for the comparison")
    if url.startswith("postgres"):
        url = url.rsplit("/", 1)[0] + f"/huiai_agreement_{uuid.uuid4().hex[:8]}"
        _create_database(url)
    try:
        elsewhere = run_elsewhere(url, tmp_path / "rankings.json")
    finally:
        if url.startswith("postgres"):
            _drop_database(url)
    load_articles(library_index())
    monkeypatch.setattr(ranking, "MAX_POSTINGS", MAX_POSTINGS)
    common = SearchPosting.objects.values("term").annotate(pages=Count("pk")).filter(pages__gt=MAX_POSTINGS)
    assert common.count() > 20  # the bounded path is taken, not only the rare words' one
    here = rankings()
    assert set(here) == set(elsewhere)
    assert sum(bool(candidates) for candidates in here.values()) > len(here) * 0.9  # a real comparison
    differing = {query: (here[query][:10], elsewhere[query][:10]) for query in here if here[query] != elsewhere[query]}
    assert not differing, f"{len(differing)} of {len(here)} queries rank differently: {differing}"


def _admin(url: str):
    import psycopg

    return psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True)


def _create_database(url: str) -> None:
    with _admin(url) as admin:
        admin.execute(f'CREATE DATABASE "{url.rsplit("/", 1)[1]}"')


def _drop_database(url: str) -> None:
    with _admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
