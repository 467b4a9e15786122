"""Fixtures of the store's tests."""

from __future__ import annotations

import os
import shutil

import pytest


@pytest.fixture(scope="module")
def session():
    """A Spark session in local mode, one per test module (it takes seconds to start): skipped without pyspark or
    Java, except under CI (.ci/run installs requirements-spark.txt), where it fails instead."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        reason = "pyspark is not installed (pip install -r requirements-spark.txt)"
        pytest.fail(reason) if os.environ.get("CI") else pytest.skip(reason)
    if not shutil.which("java"):
        pytest.fail("java is not installed") if os.environ.get("CI") else pytest.skip("java is not installed")
    from analytics.store import spark

    running = spark.session()
    yield running
    running.stop()
