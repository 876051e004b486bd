from pathlib import Path

import pytest

from tests.crash.forker import ForkServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def forks(tmp_path_factory):
    """The crash tests' fork server: a fresh child process per round without a new interpreter each time."""
    server = ForkServer(ROOT, tmp_path_factory.mktemp("forker"))
    yield server
    server.close()
