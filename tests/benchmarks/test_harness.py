"""`make bench` keeps working: the harness runs end to end on the small demo data (SQLite,
a few requests a page). Benchmarks are not timed tests: nothing here checks a figure."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_bench_harness_runs_on_small_data(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "BENCH_DATABASE_URL")
    }
    env["CACHE_URL"] = "locmem://"
    out = tmp_path / "RESULTS.md"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--scale",
            "demo",
            "--requests",
            "2",
            "--workers",
            "1",
            "--database-url",
            f"sqlite:///{tmp_path / 'bench.sqlite3'}",
            "--out",
            str(out),
            "--label",
            "ci",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    text = out.read_text()
    assert "## ci" in text and "Machine:" in text
    for page in ("member home", "check-in POST", "city visit coverage", "allowance summary"):
        line = next(line for line in text.splitlines() if line.startswith(f"| {page}"))
        assert "errors" not in line and "(500" not in line, line
