"""Train the prospect-scoring model: ``python train/fit.py --help``.

Thin wrapper around :func:`prospect_model.cli.main`; run from anywhere (this
file's folder, ``train/``, is on ``sys.path`` when it is run as a script).
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from prospect_model.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
