"""Start and stop the warehouse emulators of the offline checks, and the
environment variables that point the dbt profile (and train/fit.py) at them.

* Snowflake: fakesnow as an HTTP server (``fakesnow -s``, from ``.venv-fakesnow``,
  through fakesnow_server.py, which adds one missing translation), one shared
  in-memory database per server process; the real Snowflake connector talks to it
  through the profile's ``host`` / ``port`` / ``protocol`` (SNOWFLAKE_HOST,
  SNOWFLAKE_PORT, SNOWFLAKE_PROTOCOL).
* BigQuery: crucible (``crucible serve --dialect bigquery``, from ``.venv-crucible``),
  in memory; the real BigQuery client talks to it through the profile's
  ``api_endpoint`` (BIGQUERY_API_ENDPOINT) with ``method: oauth-secrets`` and a
  dummy token.

Both listen on 127.0.0.1 only, on a free port, and run under ``timeout`` so a
forgotten server cannot outlive its test run. By hand (after
``scripts/emulators/setup.sh``)::

    python scripts/emulators/servers.py fakesnow    # prints the variables to export, Ctrl-C stops
    python scripts/emulators/servers.py crucible
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Upper bound of an emulator's life (seconds): the process is ended by `timeout` after it.
MAX_LIFETIME_SECONDS = 3600


def venv_dir(name: str) -> Path:
    """The virtual environment ``.venv-<name>`` made by scripts/emulators/setup.sh."""
    return Path(os.environ.get("WAREHOUSE_VENV_DIR") or ROOT) / f".venv-{name}"


def venv_bin(name: str, program: str) -> Path:
    return venv_dir(name) / "bin" / program


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Emulator:
    """A running emulator process (its own process group)."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    #: The process's own TMPDIR (fakesnow makes a stage folder there on import), removed by stop().
    tmp_dir: Path | None = None
    env: dict[str, str] = field(default_factory=dict)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        """End the process group of this emulator (TERM, then KILL after 10 s) and remove its TMPDIR."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self.tmp_dir is not None:
            shutil.rmtree(self.tmp_dir, ignore_errors=True)

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _start(name: str, command: list[str], log_path: Path, port: int, ready: callable, timeout: float) -> Emulator:
    program = Path(command[0])
    if not program.exists():
        raise RuntimeError(f"{program} not found: run scripts/emulators/setup.sh first")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # A TMPDIR of its own, beside the log: what the emulator leaves there (fakesnow's stage
    # folder, about 9 MB a run) goes with it at stop() instead of piling up in /tmp.
    tmp_dir = Path(tempfile.mkdtemp(prefix=f"{name}-tmp-", dir=log_path.parent))
    log = open(log_path, "wb")  # noqa: SIM115 - the child keeps writing to it
    try:
        process = subprocess.Popen(
            ["timeout", str(MAX_LIFETIME_SECONDS), *command],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, cwd=log_path.parent, env={**os.environ, "TMPDIR": str(tmp_dir)},
        )
    except OSError:
        shutil.rmtree(tmp_dir, ignore_errors=True)
        raise
    finally:
        log.close()
    emulator = Emulator(name, port, process, log_path, tmp_dir)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            emulator.stop()
            raise RuntimeError(f"{name} exited with status {process.returncode}:\n{emulator.log_tail()}")
        if ready(port):
            return emulator
        time.sleep(0.2)
    emulator.stop()
    raise RuntimeError(f"{name} did not answer on port {port} within {timeout:.0f} s:\n{emulator.log_tail()}")


def _port_open(port: int) -> bool:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _crucible_healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_crucible/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def start_fakesnow(log_path: Path, port: int | None = None, timeout: float = 90) -> Emulator:
    """fakesnow as an HTTP server: a fresh, shared in-memory database.

    Started through fakesnow_server.py, which adds fakesnow's missing translation of
    ARRAY_DISTINCT (test-only; see that file).
    """
    port = port or free_port()
    emulator = _start(
        "fakesnow", [str(venv_bin("fakesnow", "python")), str(Path(__file__).with_name("fakesnow_server.py")),
                     "-s", "--host", "127.0.0.1", "-p", str(port)],
        log_path, port, _port_open, timeout,
    )
    emulator.env = snowflake_env(port)
    return emulator


def start_crucible(log_path: Path, port: int | None = None, timeout: float = 90) -> Emulator:
    """crucible speaking the BigQuery REST API, in memory."""
    port = port or free_port()
    emulator = _start(
        "crucible",
        [str(venv_bin("crucible", "crucible")), "serve", "--dialect", "bigquery", "--host", "127.0.0.1",
         "--port", str(port)],
        log_path, port, _crucible_healthy, timeout,
    )
    emulator.env = bigquery_env(f"http://127.0.0.1:{port}")
    return emulator


def snowflake_env(port: int, *, database: str = "prospect_db", schema: str = "prospect_ci") -> dict[str, str]:
    """The profile's SNOWFLAKE_* variables for fakesnow on ``port`` (dummy credentials)."""
    return {
        "SNOWFLAKE_ACCOUNT": "fakesnow",
        "SNOWFLAKE_USER": "fake",
        "SNOWFLAKE_PASSWORD": "snow",
        "SNOWFLAKE_ROLE": "fake_role",
        "SNOWFLAKE_WAREHOUSE": "fake_wh",
        "SNOWFLAKE_DATABASE": database,
        "SNOWFLAKE_SCHEMA": schema,
        "SNOWFLAKE_HOST": "127.0.0.1",
        "SNOWFLAKE_PORT": str(port),
        "SNOWFLAKE_PROTOCOL": "http",
        "SNOWFLAKE_THREADS": "2",
        # Turns on macros/emulator/ (temporary relations become transient tables).
        "DBT_FAKESNOW": "1",
    }


def bigquery_env(endpoint: str, *, project: str = "prospect-ci", dataset: str = "prospect_ci") -> dict[str, str]:
    """The profile's BIGQUERY_* variables for an emulator at ``endpoint`` (dummy token)."""
    return {
        "BIGQUERY_PROJECT": project,
        "BIGQUERY_DATASET": dataset,
        "BIGQUERY_LOCATION": "US",
        "BIGQUERY_METHOD": "oauth-secrets",
        "BIGQUERY_TOKEN": "dummy-token",
        "BIGQUERY_API_ENDPOINT": endpoint,
        "BIGQUERY_JOB_RETRIES": "0",
        "BIGQUERY_THREADS": "2",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run one warehouse emulator in the foreground.")
    parser.add_argument("emulator", choices=("fakesnow", "crucible"))
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--log", type=Path, default=None, help="log file (default: a temporary one)")
    args = parser.parse_args(argv)
    log_path = args.log or Path(os.environ.get("TMPDIR", "/tmp")) / f"{args.emulator}-{os.getpid()}.log"
    start = start_fakesnow if args.emulator == "fakesnow" else start_crucible
    with start(log_path.resolve(), args.port) as emulator:
        print(f"# {emulator.name} on 127.0.0.1:{emulator.port} (log {log_path}); Ctrl-C stops it")
        for key, value in emulator.env.items():
            print(f"export {key}={value}")
        try:
            emulator.process.wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
