"""A short run of the load script (bench/load.py) is part of the suite: 10 clients for 5 s on
the test graph, with the runaway queries; no error, every runaway stopped for the right reason.
No timing is asserted: the figures of the long runs are in the README's "Reliability"."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parents[2]


def test_a_short_load_run_has_no_error_and_stops_every_runaway(tmp_path):
    store = ox.Store(str(tmp_path / "store"))
    store.load(path=str(REPO / "tests" / "server" / "fixtures" / "graph.trig"),
               format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    out = tmp_path / "load.json"
    run = subprocess.run(
        [sys.executable, str(REPO / "bench" / "load.py"), "--store", str(tmp_path / "store"),
         "--clients", "10", "--duration", "5", "--runaway", "--timeout", "3",
         "--worker-memory", "256", "--json", str(out)],
        capture_output=True, text=True, timeout=300, cwd=REPO)
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads(out.read_text())
    assert result["problems"] == []
    table = result["latency"]
    assert set(table) == {"all", "simple query", "example queries", "/lookup",
                          "resource page (HTML)", "resource (Turtle)", "/stats"}
    assert all(row["requests"] > 0 and row["errors"] == 0 and row["5xx"] == 0
               for row in table.values())
    assert result["examples_left_out"] == {}
    stopped = {r["name"]: r for r in result["runaways"]}
    assert set(stopped) == {"cartesian product", "deep property path", "growing result"}
    assert all(r["status"] == 503 for r in result["runaways"])
    assert "time limit" in stopped["cartesian product"]["message"]
    assert "time limit" in stopped["deep property path"]["message"]
    assert "memory limit" in stopped["growing result"]["message"]
    during = result["simple_during_runaways"]
    assert during["requests"] > 0 and during["errors"] == 0
    assert result["memory"]["samples"] > 0 and result["memory"]["server_max_mb"] > 0
    assert result["log"]["tracebacks"] == 0
