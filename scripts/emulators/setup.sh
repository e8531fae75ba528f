#!/usr/bin/env bash
# Creates the virtual environments of the warehouse checks, from PyPI only, idempotently:
#
#   .venv-snowflake  requirements.txt + requirements-snowflake.txt   what a Snowflake user installs
#   .venv-bigquery   requirements.txt + requirements-bigquery.txt    what a BigQuery user installs
#   .venv-fakesnow   requirements-emulators-snowflake.txt            the Snowflake emulator (fakesnow)
#   .venv-crucible   requirements-emulators-bigquery.txt             the BigQuery emulator (crucible)
#   .venv-signals    requirements-signals.txt                        the Snowplow Signals SDK (serving tests)
#   .venv-spark      requirements.txt + requirements-spark.txt       what a Spark user installs (local Spark too)
#   .venv-databricks requirements-databricks.txt                     what a Databricks user installs
#
# The emulators get their own environments because they pin their own duckdb and
# sqlglot; Databricks its own because databricks-sql-connector pins pandas < 2.3. Each environment carries a stamp (hash of its requirement files and of the
# Python version) and is rebuilt only when that changes. Usage:
#
#   scripts/emulators/setup.sh [snowflake|bigquery|fakesnow|crucible|signals|spark|databricks ...]   (default: all seven)
#
# Environment: PYTHON (default python3), WAREHOUSE_VENV_DIR (default: the repository root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV_DIR="${WAREHOUSE_VENV_DIR:-$ROOT}"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

requirements_of() {
    case "$1" in
        snowflake) echo "requirements.txt requirements-snowflake.txt" ;;
        bigquery)  echo "requirements.txt requirements-bigquery.txt" ;;
        fakesnow)  echo "requirements-emulators-snowflake.txt" ;;
        crucible)  echo "requirements-emulators-bigquery.txt" ;;
        signals)   echo "requirements-signals.txt" ;;
        spark)     echo "requirements.txt requirements-spark.txt" ;;
        databricks) echo "requirements-databricks.txt" ;;
        *) echo "setup.sh: unknown environment '$1' (snowflake, bigquery, fakesnow, crucible, signals, spark, databricks)" >&2; return 2 ;;
    esac
}

stamp_of() {  # the wanted stamp: Python version + hash of the requirement files
    local files
    files="$(requirements_of "$1")"
    {
        "$PYTHON" -c 'import sys; print(sys.version)'
        (cd "$ROOT" && cat $files)
    } | sha256sum | cut -d' ' -f1
}

setup_one() {
    local name="$1" dir="$VENV_DIR/.venv-$1" files wanted args=() f
    files="$(requirements_of "$name")"
    wanted="$(stamp_of "$name")"
    if [ -x "$dir/bin/python" ] && [ "$(cat "$dir/.requirements.sha256" 2>/dev/null)" = "$wanted" ]; then
        echo "setup.sh: .venv-$name is up to date"
        return 0
    fi
    echo "setup.sh: creating .venv-$name from $files"
    rm -rf "$dir"
    "$PYTHON" -m venv "$dir"
    for f in $files; do args+=(-r "$ROOT/$f"); done
    "$dir/bin/python" -m pip install --quiet "${args[@]}"
    echo "$wanted" > "$dir/.requirements.sha256"
    echo "setup.sh: .venv-$name ready"
}

main() {
    local names=("$@") name pids=() logs=() status=0 i start
    [ ${#names[@]} -gt 0 ] || names=(snowflake bigquery fakesnow crucible signals spark databricks)
    for name in "${names[@]}"; do requirements_of "$name" >/dev/null; done
    mkdir -p "$VENV_DIR"
    start=$SECONDS
    # The installs are independent: run them side by side, each with its own log.
    for name in "${names[@]}"; do
        logs+=("$(mktemp)")
        setup_one "$name" >"${logs[-1]}" 2>&1 &
        pids+=($!)
    done
    for i in "${!pids[@]}"; do
        if ! wait "${pids[$i]}"; then
            status=1
            echo "setup.sh: FAILED to set up .venv-${names[$i]}:" >&2
            grep -v "^WARNING: Location '.*' is ignored" "${logs[$i]}" | tail -n 40 >&2
        else
            grep -v "^WARNING: Location '.*' is ignored" "${logs[$i]}" || true
        fi
        rm -f "${logs[$i]}"
    done
    [ $status -eq 0 ] && echo "setup.sh: warehouse environments ready in $((SECONDS - start))s"
    return $status
}

# One setup at a time (make test and the test fixture may both call it).
if command -v flock >/dev/null 2>&1 && [ -z "${_WAREHOUSE_SETUP_LOCKED:-}" ]; then
    mkdir -p "$VENV_DIR"
    export _WAREHOUSE_SETUP_LOCKED=1
    exec flock "$VENV_DIR/.venv-setup.lock" bash "$0" "$@"
fi
main "$@"
