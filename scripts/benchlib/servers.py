"""The servers a benchmark drives: the coach and the bare-Rasa ceiling, trained and started here.

The ceiling is a bare Rasa assistant (same config.yml pipeline and policies, same NLU data,
static responses only) run by stock Rasa; its throughput is what the coach is compared with.
"""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import yaml

from benchlib.load import LevelResult, Summary, first_branch_payloads, report_level, rounds_for, run_level

ROOT = Path(__file__).resolve().parent.parent.parent
BENCH_DIR = ROOT / "build" / "bench"
PY = ROOT / ".venv" / "bin" / "python"
RASA = ROOT / ".venv" / "bin" / "rasa"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the process's peak resident memory so far."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Process:
    def __init__(self, name: str, argv: List[str], env: Dict[str, str], log: Path) -> None:
        self.name, self.log = name, log
        self.handle = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log.open("w"),
                                       stderr=subprocess.STDOUT, start_new_session=True)

    def cpu_s(self) -> float:
        """User + system CPU seconds used so far (not wall time: robust to other load on the machine)."""
        fields = Path(f"/proc/{self.handle.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def check(self) -> None:
        if self.handle.poll() is not None:
            tail = self.log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{self.name} exited with {self.handle.returncode}; "
                               f"end of {self.log}:\n{tail}")

    def stop(self) -> None:
        if self.handle.poll() is None:
            os.killpg(self.handle.pid, signal.SIGTERM)
            try:
                self.handle.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.handle.pid, signal.SIGKILL)
                self.handle.wait()


def _wait_first_answer(url: str, processes: List[Process], limit_s: float = 300) -> None:
    deadline = time.time() + limit_s
    body = json.dumps({"sender": "bench-startup", "message": "老板说你们的价格太高"}).encode()
    while time.time() < deadline:
        for process in processes:
            process.check()
        try:
            request = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=body,
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as response:
                if json.loads(response.read()):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} within {limit_s:.0f}s; see the logs in {BENCH_DIR}")


@dataclass
class Setup:
    name: str
    model: Path
    with_actions: bool
    levels: List[Summary] = field(default_factory=list)
    memory_mb: Dict[str, float] = field(default_factory=dict)
    startup_s: float = float("nan")
    train_s: Optional[float] = None
    model_mb: float = float("nan")


def start_setup(setup: Setup, speedups: str = "all") -> Tuple[str, List[Process]]:
    """Start its servers on free ports with fresh stores; (url, processes). Records start-up time."""
    work = BENCH_DIR / setup.name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    rasa_port, action_port = free_port(), free_port()
    endpoints = work / "endpoints.yml"
    stores = {"tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(work / "tracker.db")}}
    if setup.with_actions:
        stores["action_endpoint"] = {"url": f"http://127.0.0.1:{action_port}/webhook"}
    endpoints.write_text(yaml.safe_dump(stores), encoding="utf-8")
    env = {**os.environ, "COACH_RESULTS_DB": str(work / "results.db"), "SANIC_HOST": "127.0.0.1",
           "COACH_RASA_SPEEDUPS": speedups}
    processes: List[Process] = []
    start = time.perf_counter()
    if setup.with_actions:
        processes.append(Process("action server", [str(PY), "-m", "actions", "--port", str(action_port)],
                                 env, work / "actions.log"))
    credentials = ROOT / "credentials.yml"
    if not setup.with_actions:  # the ceiling is stock Rasa: its own REST channel, none of our code in front
        credentials = work / "credentials.yml"
        credentials.write_text("rest:\n", encoding="utf-8")
    processes.append(Process("rasa", [str(RASA), "run", "--interface", "127.0.0.1",
                                      "--model", str(setup.model), "--port", str(rasa_port),
                                      "--endpoints", str(endpoints), "--credentials", str(credentials)],
                             env, work / "rasa.log"))
    url = f"http://127.0.0.1:{rasa_port}"
    try:
        _wait_first_answer(url, processes)
    except BaseException:
        for process in processes:
            process.stop()
        raise
    setup.startup_s = time.perf_counter() - start
    print(f"[bench] {setup.name}: first answer {setup.startup_s:.1f}s after start", flush=True)
    return url, processes


def combine(runs: List[LevelResult]) -> Summary:
    """Repeated runs of one level: latencies pooled, throughput the median run's."""
    pooled = LevelResult(runs[0].reps, sum(r.messages for r in runs), sum(r.errors for r in runs), 0.0,
                         [x for r in runs for x in r.latencies_ms],
                         [e for r in runs for e in r.error_samples])
    summary = pooled.summary()
    summary["msgs_per_s"] = round(statistics.median(r.messages / r.seconds for r in runs), 1)
    summary["seconds"] = round(sum(r.seconds for r in runs), 2)
    return summary


Running = List[Tuple[Setup, str, List[Process]]]  # each setup with its URL and processes


def _one_level(running: Running, reps: int, repeats: int, branches: Dict[str, str]) -> None:
    """`repeats` runs of one level on every setup, alternating; each setup's figures go to its `levels`."""
    runs: Dict[str, List[LevelResult]] = {setup.name: [] for setup, _, _ in running}
    cpu: Dict[str, Dict[str, float]] = {setup.name: {} for setup, _, _ in running}
    for repeat in range(repeats):
        for setup, url, processes in running:
            before = {p.name: p.cpu_s() for p in processes}
            tag = f"{setup.name}-{reps}-{repeat}"
            runs[setup.name].append(asyncio.run(run_level(url, reps, rounds_for(reps), tag, branches)))
            for p in processes:
                used = cpu[setup.name]
                used[p.name] = used.get(p.name, 0.0) + p.cpu_s() - before[p.name]
    for setup, _, _ in running:
        summary = combine(runs[setup.name])
        messages = sum(r.messages for r in runs[setup.name])
        summary["cpu_ms_per_msg"] = {name: round(1000 * seconds / messages, 1)
                                     for name, seconds in cpu[setup.name].items()}
        setup.levels.append(summary)
        report_level(setup.name, summary)


def run_interleaved(setups: List[Setup], levels: Sequence[int], repeats: int, speedups: str = "all") -> None:
    """Both setups up at once; each level runs coach, bare, coach, bare... so that any other load on
    the machine hits both alike (the ratio is the figure that matters)."""
    running: Running = []
    try:
        for setup in setups:
            running.append((setup, *start_setup(setup, speedups)))
        branches = first_branch_payloads()
        for setup, url, _ in running:  # first-use costs (lazy imports, caches) are start-up, not load
            asyncio.run(run_level(url, 1, 1, f"{setup.name}-warm", branches))
        for reps in levels:
            _one_level(running, reps, repeats, branches)
        for setup, _, processes in running:
            for process in processes:
                process.check()
                setup.memory_mb[process.name] = peak_rss_mb(process.handle.pid)
    finally:
        for _, _, processes in running:
            for process in reversed(processes):
                process.stop()


def write_bare_project(target: Path) -> None:
    """Same intents, entities and pipeline as the coach; each intent answered by one static response."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    intents = [i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]]
    entities = [e if isinstance(e, str) else next(iter(e)) for e in domain.get("entities", [])]
    bare = {"version": "3.1", "intents": intents, "entities": entities,
            "responses": {f"utter_{i}": [{"text": f"static answer for {i}"}]
                          for i in intents + ["nlu_fallback"]},
            "session_config": {"session_expiration_time": 60, "carry_over_slots_to_new_session": True}}
    bare["responses"]["utter_default"] = [{"text": "static fallback"}]
    rules = {"version": "3.1", "rules": [{"rule": f"answer {i}",
                                          "steps": [{"intent": i}, {"action": f"utter_{i}"}]}
                                          for i in intents + ["nlu_fallback"]]}
    target.mkdir(parents=True, exist_ok=True)
    (target / "domain.yml").write_text(yaml.safe_dump(bare, allow_unicode=True), encoding="utf-8")
    (target / "rules.yml").write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")


def train(name: str, domain: Path, data: List[Path]) -> Tuple[float, Path]:
    """Train into build/bench/models/<name>.tar.gz; (seconds, model path)."""
    out = BENCH_DIR / "models"
    out.mkdir(parents=True, exist_ok=True)
    log = BENCH_DIR / f"train-{name}.log"
    print(f"[bench] training {name} (about 1-2 minutes; log {log.relative_to(ROOT)})", flush=True)
    start = time.perf_counter()
    with log.open("w") as handle:
        code = subprocess.call([str(RASA), "train", "--config", "config.yml", "--domain", str(domain),
                                "--data", *map(str, data), "--out", str(out), "--fixed-model-name", name,
                                "--force"],
                               cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
    if code != 0:
        raise RuntimeError(f"training {name} failed; end of {log}:\n{log.read_text()[-2000:]}")
    seconds = time.perf_counter() - start
    print(f"[bench] trained {name} in {seconds:.0f}s", flush=True)
    return seconds, out / f"{name}.tar.gz"
