#!/usr/bin/env bash
# Creates the virtual environments of the warehouse checks, from PyPI only (uv, else pip), idempotently:
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

# uv (pinned in requirements-dev.txt, so in .venv after `make install`) creates an environment
# in seconds instead of minutes; pip stays the fallback when uv is missing or fails. uv does not
# read pip's configuration, so the settings of `pip config list` (index-url, extra-index-url,
# find-links, constraint, cert; PIP_* variables win, as in pip) are passed to it explicitly;
# unsafe-best-match picks versions across all indexes as pip does. SETUP_NO_UV=1 forces pip.
UV=""
if [ -z "${SETUP_NO_UV:-}" ]; then
    if [ -x "$ROOT/.venv/bin/uv" ]; then UV="$ROOT/.venv/bin/uv"; elif command -v uv >/dev/null 2>&1; then UV="$(command -v uv)"; fi
fi

pip_setting() {  # the value pip uses for a setting (env first, then the config files), or nothing
    "$PYTHON" -m pip config list 2>/dev/null | awk -v key="$1" '
        { k = $0; sub(/=.*/, "", k); sub(/^[^.]*\./, "", k); v = $0; sub(/^[^=]*=/, "", v); gsub(/^'"'"'|'"'"'$/, "", v) }
        k == key && $0 ~ /^:env:/ { env = v } k == key && $0 !~ /^:env:/ { file = v }
        END { if (env != "") print env; else if (file != "") print file }'
}

uv_install() {  # uv_install DIR -r FILE ...: a venv at DIR with the requirements, through uv
    local dir="$1" opts=() url value
    shift
    value="$(pip_setting index-url)"
    [ -z "$value" ] || opts+=(--default-index "$value")
    for url in $(pip_setting extra-index-url); do opts+=(--index "$url"); done
    for url in $(pip_setting find-links); do opts+=(--find-links "$url"); done
    for url in $(pip_setting constraint); do [ ! -f "$url" ] || opts+=(--constraint "$url"); done
    value="$(pip_setting cert)"
    [ -z "$value" ] || export SSL_CERT_FILE="$value"
    UV_PYTHON_DOWNLOADS=never "$UV" venv --quiet --seed --python "$PYTHON" "$dir" &&
        UV_PYTHON_DOWNLOADS=never "$UV" pip install --quiet --python "$dir/bin/python" \
            --index-strategy unsafe-best-match "${opts[@]}" "$@"
}

stamp_of() {  # the wanted stamp: Python version + hash of the requirement files
    local files
    files="$(requirements_of "$1")"
    {
        "$PYTHON" -c 'import sys; print(sys.version)'
        (cd "$ROOT" && cat $files)
    } | sha256sum | cut -d' ' -f1
}

link_project() {  # link_project DIR: the project's package (train/) importable in DIR, and its
    # Signals command: the SDK's pins (pandas<3) keep it out of .venv, so prospect-signals runs here.
    local dir="$1" site
    site="$("$dir/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" || return 1
    echo "$ROOT/train" > "$site/prospect_scoring_project.pth"
    printf '#!/bin/sh\nexec "%s/bin/python" -m prospect_model.signals_export "$@"\n' "$dir" > "$dir/bin/prospect-signals"
    chmod +x "$dir/bin/prospect-signals"
}

setup_one() {
    local name="$1" dir="$VENV_DIR/.venv-$1" files wanted args=() f
    files="$(requirements_of "$name")"
    wanted="$(stamp_of "$name")"
    if [ -x "$dir/bin/python" ] && [ "$(cat "$dir/.requirements.sha256" 2>/dev/null)" = "$wanted" ]; then
        [ "$name" != signals ] || link_project "$dir"
        echo "setup.sh: .venv-$name is up to date"
        return 0
    fi
    echo "setup.sh: creating .venv-$name from $files"
    for f in $files; do args+=(-r "$ROOT/$f"); done
    rm -rf "$dir"
    if [ -n "$UV" ] && uv_install "$dir" "${args[@]}"; then
        echo "setup.sh: .venv-$name installed with uv"
    else
        [ -z "$UV" ] || echo "setup.sh: uv failed for .venv-$name; falling back to pip"
        rm -rf "$dir"
        "$PYTHON" -m venv "$dir"
        "$dir/bin/python" -m pip install --quiet "${args[@]}"
    fi
    [ "$name" != signals ] || link_project "$dir"
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
