"""Helpers shared by the benchmark and check scripts in this folder: where the
binary is, free ports, logging, running commands, waiting for a server.

The scripts are run as `python3 tests/bench/<script>.py`, so this folder is on
their import path.
"""

import subprocess
import socket
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PEDIGREE = ROOT / "target/release/pedigree"


def logger(tag):
    """A function printing `[tag] message` to standard error, unbuffered."""

    def log(message):
        print(f"[{tag}] {message}", file=sys.stderr, flush=True)

    return log


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(command, log, **kwargs):
    """Runs a command (logged first), failing on a non-zero exit; returns its output."""
    command = [str(c) for c in command]
    log(" ".join(command))
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def wait_http(url, process, timeout=1800, any_status=False):
    """Waits until `url` answers 200 (any HTTP answer with `any_status`); returns the
    seconds it took. Fails if `process` exits first."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except urllib.error.HTTPError:
            if any_status:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(url)
