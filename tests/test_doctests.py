"""The examples in the docstrings of analytics.core, analytics.domain and analytics.figures run and hold."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil

import pytest

import analytics.core
import analytics.domain
import analytics.figures

MODULES = sorted(
    info.name
    for package in (analytics.core, analytics.domain, analytics.figures)
    for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}.")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} do not hold"
    if ">>> " in inspect.getsource(module):
        assert result.attempted > 0, f"the examples of {name} were not found"
