"""Test support: shared drivers (provider servers, the emulator's admin API, the CLI runner,
fake clouds for the examples) and the one factory of valid inputs. Imported as `tests.support`
by the tests and by `bench/`."""
