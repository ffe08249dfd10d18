"""The benchmark's report: the table in docs/performance.md, spliced between its markers."""
from __future__ import annotations

import datetime as dt
import os
import platform
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from benchlib.load import Summary
from benchlib.servers import Setup


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.machine())
    mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
    return f"{os.cpu_count()} cores ({cpu}), {mem_kb / 1024 ** 2:.0f} GiB RAM, Linux {platform.release()}"


def _fmt(value: Optional[float], unit: str = "", digits: int = 0) -> str:
    if value is None or value != value:
        return "–"
    return f"{value:.{digits}f}{unit}"


def _cpu(level: Summary) -> str:
    cpu = level.get("cpu_ms_per_msg", {})
    return " + ".join(f"{cpu[name]:.1f}" for name in ("rasa", "action server") if name in cpu) or "–"


def level(setup: Setup, reps: int) -> Summary:
    """The setup's figures for `reps` reps; {} if that level was not run."""
    return next((x for x in setup.levels if x["reps"] == reps), {})


Row = Tuple[str, str, str]  # measure, coach, ceiling


def _latencies(level: Summary) -> str:
    return f"{level['p50_ms']:.0f} / {level['p95_ms']:.0f} / {level['p99_ms']:.0f}"


def _level_rows(coach: Setup, bare: Setup, reps: int) -> List[Row]:
    c, b = level(coach, reps), level(bare, reps)
    label = f"{reps} rep{'s' if reps > 1 else ''}"
    ratio = c["msgs_per_s"] / b["msgs_per_s"] if b.get("msgs_per_s") else float("nan")
    return [
        (f"{label}: latency p50 / p95 / p99 (ms)", _latencies(c), _latencies(b)),
        (f"{label}: messages/s (coach ÷ ceiling)", f"{c['msgs_per_s']:.1f} ({ratio:.2f}×)",
         f"{b['msgs_per_s']:.1f}"),
        (f"{label}: CPU ms per message, Rasa + action server", _cpu(c), _cpu(b)),
        (f"{label}: errors / messages", f"{c['errors']} / {c['messages']}",
         f"{b['errors']} / {b['messages']}"),
    ]


def _setup_rows(coach: Setup, bare: Setup) -> List[Row]:
    rows = [(f"peak memory, {name} (MB)", _fmt(coach.memory_mb.get(name)), _fmt(bare.memory_mb.get(name)))
            for name in ("rasa", "action server")]
    return rows + [
        ("start-up to first answer (s)", _fmt(coach.startup_s, digits=1), _fmt(bare.startup_s, digits=1)),
        ("training time (s)", _fmt(coach.train_s), _fmt(bare.train_s)),
        ("model size (MB)", _fmt(coach.model_mb, digits=1), _fmt(bare.model_mb, digits=1)),
    ]


def _targets(coach: Setup, bare: Setup) -> str:
    one, ten, fifty = (level(coach, n) for n in (1, 10, 50))
    ratio10 = (ten.get("msgs_per_s", 0) / level(bare, 10)["msgs_per_s"]) if level(bare, 10) else float("nan")
    checks = [
        ("single-rep p95 under 120 ms", one.get("p95_ms"), one and one["p95_ms"] < 120),
        ("throughput at 10 reps ≥ 0.8× the ceiling", f"{ratio10:.2f}×", ratio10 >= 0.8),
        ("zero errors at 50 reps", fifty.get("errors"), fifty and fifty["errors"] == 0),
    ]
    return "Targets: " + "; ".join(f"{name}: {value} {'✅' if ok else '❌'}"
                                   for name, value, ok in checks) + "."


def _method(command: str, repeats: int) -> str:
    script = " → ".join(["objection", "branch button", "start drill", "5 drill replies",
                         "stop if still running"])
    return (
        f"Command: `{command}` (scripts/bench.py). "
        f"Each simulated rep has its own sender id and runs: {script}; "
        "one REST request at a time per rep, all reps at once. Messages per run: 1 rep × 6 scripts, "
        "10 reps × 6, 50 reps × 1; both setups run side by side and each level alternates coach and ceiling, "
        f"{repeats} runs each (latencies pooled over the runs, messages/s the median run). "
        "The ceiling is the same config.yml (pipeline and policies) and NLU data "
        "in an assistant whose only actions are static responses, run by stock Rasa (its own REST channel, "
        "none of the coach's code in front, same SQLite tracker store), driven by the same messages. "
        "CPU ms/msg is the server process's CPU time per message: other load on the machine moves it far "
        "less than messages/s.")


def render(coach: Setup, bare: Setup, levels: Sequence[int], command: str, repeats: int = 2) -> str:
    rows = [row for reps in levels for row in _level_rows(coach, bare, reps)] + _setup_rows(coach, bare)
    table = ["| measure | coach | bare Rasa (ceiling) |", "|---|---|---|"]
    table += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join([
        f"Measured {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on {machine()}; Python "
        f"{platform.python_version()} for the driver, rasa 3.6.21, SQLite tracker and results stores.",
        "",
        _method(command, repeats),
        "",
        *table,
        "",
        _targets(coach, bare),
    ])


def splice(path: Path, block: str, marker: str = "bench") -> None:
    """Replace the generated block in path, keeping the hand-written text around it."""
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Performance\n\n{start}\n{end}\n"
    if start not in text:
        text += f"\n{start}\n{end}\n"
    head, rest = text.split(start, 1)
    tail = rest.split(end, 1)[1]
    path.write_text(f"{head}{start}\n{block}\n{end}{tail}", encoding="utf-8")
