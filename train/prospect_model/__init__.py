"""Training step of the prospect-scoring project (see ``train/fit.py``).

Modules, one job each:

* :mod:`.profiles` - find the dbt project/profile and resolve the active target;
* :mod:`.readers` - the table-reader interface and registry by target type
  (:mod:`.duckdb_reader` implements DuckDB);
* :mod:`.dataset` - feature definition + training table -> numpy arrays;
* :mod:`.splitting` - visitor (group) and row splits;
* :mod:`.modeling` - fit, evaluate, prior baseline;
* :mod:`.plots` / :mod:`.report` / :mod:`.metadata` - outputs rendered in memory;
* :mod:`.artifacts` - atomic writes;
* :mod:`.pipeline` - one run; :mod:`.cli` - the command line;
* :mod:`.errors` - :class:`TrainingError` and exit codes.
"""

from .errors import EXIT_BAD_INPUT, EXIT_INTERNAL_ERROR, EXIT_OK, TrainingError

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERNAL_ERROR", "EXIT_OK", "TrainingError"]
