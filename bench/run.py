"""`make bench`: run every benchmark script in this folder in turn; stop at a failure.

The scripts share one cache folder for the run (BENCH_CACHE), so the million generated
responses are made once per database (bench/dataset.py); it is removed at the end.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
        environment = {**os.environ, "BENCH_CACHE": cache}
        for script in sorted(HERE.glob("bench_*.py")):
            print(f"\n== {script.name} ==", flush=True)
            result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, env=environment)
            if result.returncode != 0:
                print(f"{script.name} failed (exit {result.returncode})", file=sys.stderr)
                return result.returncode
    print(f"\nall benchmarks in {(time.monotonic() - started) / 60:.0f} minutes (machine shared?)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
