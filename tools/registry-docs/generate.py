"""Generate the registry docs from the schema and the input models.

Writes docs/reference/<Name>.md for every resource and function of the schema and the Provider,
and the generated sections of docs/_index.md and docs/installation-configuration.md (between
their `registry-docs` marker comments). With --check, writes nothing and exits 1 naming every
stale file. Run it after the SDKs are generated: the examples use the SDKs' enum names.

    .venv/bin/python tools/registry-docs/generate.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from registry_docs.pages import DOCS, GENERATOR, Docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if any generated file is stale")
    parser.add_argument("--docs-dir", type=Path, default=DOCS, help="the folder of the pages (default: docs/)")
    args = parser.parse_args(argv)
    docs = Docs.load(docs=args.docs_dir.resolve())
    if args.check:
        stale = docs.stale()
        for path in stale:
            print(f"stale: {_shown(path)} (run {GENERATOR})", file=sys.stderr)
        return 1 if stale else 0
    for path in docs.write():
        print(f"wrote {_shown(path)}", file=sys.stderr)
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
