"""Train the prospect-scoring model: ``python train/fit.py --help`` (or ``prospect-train``).

Thin wrapper around :func:`prospect_model.cli.main`. Run as a script, Python puts
this file's folder (``train/``) first on the module path, so the package is found
whether or not it is installed (``make install`` installs it). Ctrl-C at any
point, imports included, prints one line and exits with status 130.
"""

from __future__ import annotations

import sys


def run() -> int:
    """Import the command line and run it."""
    try:
        from prospect_model.cli import main
    except KeyboardInterrupt:
        print("error: interrupted; existing output files were left unchanged", file=sys.stderr)
        return 130
    return main()


if __name__ == "__main__":
    sys.exit(run())
