"""The installer's one-folder build (installer/wudu.spec), built with PyInstaller and run as the office PC would
run it: no source tree, no virtual environment. A module, font or migration the spec forgets fails here."""

import shutil

import pytest

from installer import build


@pytest.fixture(scope="module")
def frozen(tmp_path_factory):
    root = tmp_path_factory.mktemp("frozen")
    return build.build(root / "dist", root / "work")


def test_the_frozen_programs_run_from_their_own_folder(frozen, postgres_url):
    assert (frozen / "_internal" / "resources" / "fonts" / "wqy-microhei.ttc").exists()
    assert build.check(frozen, postgres_url) == []


def test_the_checks_catch_a_build_that_lost_its_font(frozen, tmp_path):
    """The check above can fail: a copy of the build without its resources folder does not pass."""
    broken = tmp_path / "wudu"
    shutil.copytree(frozen, broken, symlinks=True)
    shutil.rmtree(broken / "_internal" / "resources")
    failures = build.check(broken)
    assert failures and any("test-page" in f for f in failures)
