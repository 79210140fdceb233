"""Start the `mixpanel` provider plugin on the packages the archive carries.

The launcher (`pulumi-resource-mixpanel`) runs this file as `python3.X -I -S lib/start.py ARGS`
after checking that lib/python3.X exists, so sys.path holds only the standard library here.
"""

import os
import sys

lib = os.path.dirname(os.path.abspath(__file__))
# This version's binary packages, then the ones every version shares, first on the path as
# PYTHONPATH would put them (no carried package is named like a standard module).
sys.path[0:0] = [
    os.path.join(lib, f"python{sys.version_info[0]}.{sys.version_info[1]}"),
    os.path.join(lib, "common"),
]

# The plugin's name in its --help and errors, not this file's.
sys.argv[0] = os.path.join(os.path.dirname(lib), "pulumi-resource-mixpanel")

from pulumi_mixpanel.plugin.__main__ import main  # noqa: E402 (needs the path above)

main()
