#!/usr/bin/env python3
"""Load benchmark of the scoring API: sustained POST /predict with attributes.

Starts the server (``python -m prospect_model.server``, uvicorn, one worker by
default) on 127.0.0.1, waits for ``/health``, then sends ``POST /predict`` with
an ``attributes`` body at a fixed rate (open loop: request i is due at
start + i / rate, whatever the answers) for the given duration from one client
process on 127.0.0.1 (asyncio + httpx, keep-alive connections), and prints
plain lines: requests sent, answered 200, errors, requests/s achieved, latency
p50 / p90 / p99 / max in milliseconds (from the moment a request was due, so a
client or server falling behind shows up as latency), and the load average.
Target (issue #14): p99 under 20 ms at 200 requests/s on 2 cores. Numbers are
measured, never asserted. On a shared machine run it under
``flock /tmp/bench.lock`` and publish the load average beside the numbers.

    .venv/bin/python scripts/benchmark_serve.py --model-dir artifacts --rate 200 --duration 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
log = logging.getLogger("benchmark_serve")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sample_attributes(model_dir: Path) -> dict[str, Any]:
    """A plausible attributes body for the model's contract (counts, a list, a boolean, a category)."""
    directory = model_dir / "current" if (model_dir / "current").is_dir() else model_dir
    metadata = json.loads((directory / "metadata.json").read_text(encoding="utf-8"))
    attributes: dict[str, Any] = {}
    for entry in metadata["feature_contract"]:
        kind = entry.get("feature_kind") or "numeric"
        if entry.get("serving_transform") == "length":
            attributes[entry["name"]] = [f"value-{i}" for i in range(3)]
        elif kind == "boolean":
            attributes[entry["name"]] = True
        elif kind == "categorical":
            attributes[entry["name"]] = "direct"
        else:
            attributes[entry["name"]] = 3
    return attributes


def wait_for_health(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"error: the server exited with {process.returncode} before answering")
        try:
            if httpx.get(url + "/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"error: the server did not answer /health within {timeout:g} s")


async def load(url: str, body: dict[str, Any], rate: float, duration: float, connections: int) -> dict[str, Any]:
    """Open-loop load: request i due at start + i / rate; latency measured from the due time."""
    total = int(rate * duration)
    latencies = np.full(total, np.nan)
    statuses: list[int] = []
    errors: dict[str, int] = {}
    payload = json.dumps(body).encode()
    headers = {"content-type": "application/json"}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=httpx.Timeout(5.0)) as client:
        for _ in range(20):  # warm-up: connections, first-call costs
            await client.post("/predict", content=payload, headers=headers)
        start = time.perf_counter()

        async def one(i: int) -> None:
            due = start + i / rate
            try:
                response = await client.post("/predict", content=payload, headers=headers)
                latencies[i] = time.perf_counter() - due
                statuses.append(response.status_code)
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1

        tasks = []
        for i in range(total):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
    ok = sum(1 for s in statuses if s == 200)
    done = latencies[~np.isnan(latencies)] * 1000.0
    return {
        "sent": total, "ok": ok, "errors": len(statuses) - ok + sum(errors.values()), "error_kinds": errors,
        "rps": ok / elapsed, "elapsed": elapsed,
        **{f"p{q}": float(np.percentile(done, q)) if len(done) else float("nan") for q in (50, 90, 99)},
        "max": float(done.max()) if len(done) else float("nan"),
    }


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, default=REPO_ROOT / "artifacts",
                        help="folder of model.joblib and metadata.json (train/fit.py's output; default: artifacts)")
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second to sustain (default: 200)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (default: 30)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default: 1)")
    parser.add_argument("--connections", type=int, default=16, help="client keep-alive connections (default: 16)")
    parser.add_argument("--python", default=sys.executable, help="Python that runs the server (default: this one)")
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    args = build_parser().parse_args(argv)
    if args.rate <= 0 or args.duration <= 0 or args.workers < 1 or args.connections < 1:
        print("error: --rate, --duration, --workers and --connections must be positive", file=sys.stderr)
        return 2
    try:
        body = {"attributes": sample_attributes(args.model_dir)}
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: cannot read the model's metadata in {args.model_dir}: {exc}", file=sys.stderr)
        return 2
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT / "train"),
                                                                       os.environ.get("PYTHONPATH")]))}
    command = [args.python, "-m", "prospect_model.server", "--host", "127.0.0.1", "--port", str(port),
               "--model-dir", str(args.model_dir), "--workers", str(args.workers)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_health(url, process)
        before = os.getloadavg()
        result = asyncio.run(load(url, body, args.rate, args.duration, args.connections))
        after = os.getloadavg()
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    print(f"target rate {args.rate:g} req/s for {args.duration:g} s, {args.workers} worker(s), cpus {os.cpu_count()}")
    print(f"sent {result['sent']}  ok {result['ok']}  errors {result['errors']} {result['error_kinds'] or ''}")
    print(f"achieved {result['rps']:.1f} req/s over {result['elapsed']:.1f} s")
    print(f"latency ms  p50 {result['p50']:.2f}  p90 {result['p90']:.2f}  p99 {result['p99']:.2f}  "
          f"max {result['max']:.2f}")
    print(f"load average before {before[0]:.2f} {before[1]:.2f} {before[2]:.2f}, "
          f"after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
