"""Black-box tests of the Mixpanel Data Pipelines emulator.

A package, so that its conftest does not shadow tests/conftest.py as the module `conftest`.
"""
