#!/usr/bin/env python3
"""Load benchmark: simulated reps through the REST channel, against the coach and a bare-Rasa ceiling.

Each simulated rep has its own sender id and runs a realistic script: an objection, a branch
choice, then a drill of five turns (stopped if it has not ended by then). The same messages go
to a bare Rasa assistant (same config.yml pipeline and policies, same NLU data, static
responses only): its throughput is the ceiling the coach is compared with.

  bench.py run    [--levels 1,10,50] [--out docs/performance.md] [--skip-train] [--speedups all]   (make bench)
  bench.py fixes  the coach with each coach/server/patches.py patch added in turn (before/after table)
  bench.py store  tracker store retrieve/save times of a recorded conversation, stock rasa vs patched
  bench.py load   --url http://127.0.0.1:5005 [--levels 1,10,50] [--json out.json]
                  drive servers that are already running (make scale-test uses this)
  bench.py smoke  --url ...   two reps, one script each; exits 1 on any error (make test)

Figures only; nothing here asserts on speed.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import aiohttp
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "build" / "bench"
PY = ROOT / ".venv" / "bin" / "python"
RASA = ROOT / ".venv" / "bin" / "rasa"
TIMEOUT_S = 60  # per message: far above any healthy answer, so a timeout is an error, not slowness

OBJECTIONS = [  # one sender per script; rep i takes objection i mod 9 (three scripts)
    ("老板说你们的价格太高", "price"), ("老闆說你們公司政策太死板", "policy"),
    ("the owner wants to be our exclusive distributor", "exclusivity"), ("客户说最近市场不景气", "bad_market"),
    ("他要我們先鋪貨賣完再付款", "consignment"), ("the boss says he has no money right now", "no_money"),
    ("老板跟现在的厂家关系很好", "supplier_relationship"), ("客戶說跟別的廠家簽了合同", "existing_contract"),
    ("we sold your product there before and it failed", "past_failure"),
]
DRILLS = [  # (drill id, five rep replies); even reps take the zh drill, odd reps the en one
    ("price_margin", ["理解，进货价格谁都要算清楚。您是跟哪家、哪个规格比的？", "您主要是担心顾客不接受，还是担心利润不够？",
                      "我们的品牌有广告支持，顾客认得。", "您估计一个月能卖多少？咱们一起算一笔总利润的账。",
                      "这样，先进两件试一个月，我下周二带推广方案来跟您对账。"]),
    ("exclusivity_volume", ["I understand, you want to protect what you build here.",
                            "What worries you most about having other dealers?",
                            "Before we talk exclusivity, what monthly volume could you guarantee us?",
                            "We also support our partners with training and promotions.",
                            "Let's agree you'll send me a firm monthly figure by Friday, and I'll take it to head office."]),
]
STOP = "退出"


def _first_branch_payloads() -> Dict[str, str]:
    """objection id -> its first branch button payload, from the playbook (same load for both setups)."""
    from coach.content.playbook import default_playbook
    from coach.replies.objections import branch_payload

    return {o.id: branch_payload(o.branches[0].path) for o in default_playbook().objections.values()}


def rep_script(rep: int, branches: Dict[str, str]) -> List[str]:
    text, objection = OBJECTIONS[rep % len(OBJECTIONS)]
    drill, replies = DRILLS[rep % len(DRILLS)]
    start = "/start_drill" + json.dumps({"drill_id": drill})
    return [text, branches[objection], start, *replies]


# --- the load driver -----------------------------------------------------------------------------

@dataclass
class LevelResult:
    reps: int
    messages: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: List[float] = field(default_factory=list)
    error_samples: List[str] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        rank = max(1, -(-len(ordered) * p // 100))  # nearest-rank
        return ordered[int(rank) - 1]

    def summary(self) -> dict:
        return {"reps": self.reps, "messages": self.messages, "errors": self.errors,
                "p50_ms": round(self.percentile(50), 1), "p95_ms": round(self.percentile(95), 1),
                "p99_ms": round(self.percentile(99), 1),
                "msgs_per_s": round(self.messages / self.seconds, 1) if self.seconds else 0.0,
                "seconds": round(self.seconds, 2), "error_samples": self.error_samples[:5]}


async def _send(session: aiohttp.ClientSession, url: str, sender: str, message: str, result: LevelResult) -> list:
    start = time.perf_counter()
    replies: list = []
    problem = None
    try:
        async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}) as resp:
            body = await resp.text()
            if resp.status != 200:
                problem = f"HTTP {resp.status}: {body[:120]}"
            else:
                replies = json.loads(body)
                if not replies:
                    problem = "empty reply"
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        problem = f"{type(exc).__name__}: {exc}"
    result.latencies_ms.append((time.perf_counter() - start) * 1000)
    result.messages += 1
    if problem:
        result.errors += 1
        result.error_samples.append(f"{sender} {message[:30]!r}: {problem}")
    return replies


def _drill_over(replies: list) -> bool:
    return any((r.get("custom") or {}).get("type") in ("scorecard", "drill_end") for r in replies)


async def _rep(session: aiohttp.ClientSession, url: str, rep: int, rounds: int, tag: str,
               branches: Dict[str, str], result: LevelResult) -> None:
    for round_ in range(rounds):
        sender = f"bench-{tag}-r{rep}-{round_}"
        script = rep_script(rep, branches)
        over = False
        for i, message in enumerate(script):
            if i > 2 and over:
                break  # the drill ended early (goal reached): the rep moves on
            over = _drill_over(await _send(session, url, sender, message, result))
        if not over:
            await _send(session, url, sender, STOP, result)


async def run_level(url: str, reps: int, rounds: int, tag: str, branches: Dict[str, str]) -> LevelResult:
    result = LevelResult(reps)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        start = time.perf_counter()
        await asyncio.gather(*(_rep(session, url, rep, rounds, tag, branches, result) for rep in range(reps)))
        result.seconds = time.perf_counter() - start
    return result


def rounds_for(reps: int) -> int:
    """Enough messages per level for stable percentiles (~50-450) without a long run."""
    return max(1, min(6, 60 // reps))


def report_level(tag: str, summary: dict) -> None:
    cpu = f"  CPU ms/msg {summary['cpu_ms_per_msg']}" if "cpu_ms_per_msg" in summary else ""
    print(f"[bench] {tag}: {summary['reps']:>3} reps  {summary['messages']:>4} msgs  errors {summary['errors']}  "
          f"p50 {summary['p50_ms']} ms  p95 {summary['p95_ms']} ms  p99 {summary['p99_ms']} ms  "
          f"{summary['msgs_per_s']} msg/s{cpu}", flush=True)
    for sample in summary["error_samples"]:
        print(f"[bench]   error: {sample}", flush=True)


def drive(url: str, levels: Sequence[int], tag: str, warmup: bool = True) -> List[dict]:
    branches = _first_branch_payloads()
    if warmup:  # first-use costs (lazy imports, caches) are start-up, not load
        asyncio.run(run_level(url, 1, 1, f"{tag}-warm", branches))
    out = []
    for reps in levels:
        summary = asyncio.run(run_level(url, reps, rounds_for(reps), f"{tag}-{reps}", branches)).summary()
        report_level(tag, summary)
        out.append(summary)
    return out


# --- servers -------------------------------------------------------------------------------------

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
        self.handle = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                                       start_new_session=True)

    def cpu_s(self) -> float:
        """User + system CPU seconds used so far (not wall time: robust to other load on the machine)."""
        fields = Path(f"/proc/{self.handle.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def check(self) -> None:
        if self.handle.poll() is not None:
            tail = self.log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{self.name} exited with {self.handle.returncode}; end of {self.log}:\n{tail}")

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
    import urllib.request

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
    levels: List[dict] = field(default_factory=list)
    memory_mb: Dict[str, float] = field(default_factory=dict)
    startup_s: float = float("nan")
    train_s: Optional[float] = None
    model_mb: float = float("nan")


def start_setup(setup: Setup, speedups: str = "all") -> tuple:
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
    processes.append(Process("rasa", [str(RASA), "run", "--model", str(setup.model), "--port", str(rasa_port),
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


def combine(runs: List[LevelResult]) -> dict:
    """Repeated runs of one level: latencies pooled, throughput the median run's."""
    pooled = LevelResult(runs[0].reps, sum(r.messages for r in runs), sum(r.errors for r in runs), 0.0,
                         [x for r in runs for x in r.latencies_ms], [e for r in runs for e in r.error_samples])
    summary = pooled.summary()
    summary["msgs_per_s"] = round(statistics.median(r.messages / r.seconds for r in runs), 1)
    summary["seconds"] = round(sum(r.seconds for r in runs), 2)
    return summary


def run_interleaved(setups: List[Setup], levels: Sequence[int], repeats: int, speedups: str = "all") -> None:
    """Both setups up at once; each level runs coach, bare, coach, bare... so that any other load on
    the machine hits both alike (the ratio is the figure that matters)."""
    running = []
    try:
        for setup in setups:
            running.append((setup, *start_setup(setup, speedups)))
        branches = _first_branch_payloads()
        for setup, url, _ in running:  # first-use costs (lazy imports, caches) are start-up, not load
            asyncio.run(run_level(url, 1, 1, f"{setup.name}-warm", branches))
        for reps in levels:
            runs: Dict[str, List[LevelResult]] = {setup.name: [] for setup in setups}
            cpu: Dict[str, Dict[str, float]] = {setup.name: {} for setup in setups}
            for repeat in range(repeats):
                for setup, url, processes in running:
                    before = {p.name: p.cpu_s() for p in processes}
                    runs[setup.name].append(asyncio.run(
                        run_level(url, reps, rounds_for(reps), f"{setup.name}-{reps}-{repeat}", branches)))
                    for p in processes:
                        cpu[setup.name][p.name] = cpu[setup.name].get(p.name, 0.0) + p.cpu_s() - before[p.name]
            for setup in setups:
                summary = combine(runs[setup.name])
                messages = sum(r.messages for r in runs[setup.name])
                summary["cpu_ms_per_msg"] = {name: round(1000 * seconds / messages, 1)
                                             for name, seconds in cpu[setup.name].items()}
                setup.levels.append(summary)
                report_level(setup.name, summary)
        for setup, _, processes in running:
            for process in processes:
                process.check()
                setup.memory_mb[process.name] = peak_rss_mb(process.handle.pid)
    finally:
        for _, _, processes in running:
            for process in reversed(processes):
                process.stop()


# --- the bare assistant ----------------------------------------------------------------------------

def write_bare_project(target: Path) -> None:
    """Same intents, entities and pipeline as the coach; each intent answered by one static response."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    intents = [i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]]
    entities = [e if isinstance(e, str) else next(iter(e)) for e in domain.get("entities", [])]
    bare = {"version": "3.1", "intents": intents, "entities": entities,
            "responses": {f"utter_{i}": [{"text": f"static answer for {i}"}] for i in intents + ["nlu_fallback"]},
            "session_config": {"session_expiration_time": 60, "carry_over_slots_to_new_session": True}}
    bare["responses"]["utter_default"] = [{"text": "static fallback"}]
    rules = {"version": "3.1", "rules": [{"rule": f"answer {i}", "steps": [{"intent": i}, {"action": f"utter_{i}"}]}
                                          for i in intents + ["nlu_fallback"]]}
    target.mkdir(parents=True, exist_ok=True)
    (target / "domain.yml").write_text(yaml.safe_dump(bare, allow_unicode=True), encoding="utf-8")
    (target / "rules.yml").write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")


def train(name: str, domain: Path, data: List[Path]) -> tuple:
    """Train into build/bench/models/<name>.tar.gz; (seconds, model path)."""
    out = BENCH_DIR / "models"
    out.mkdir(parents=True, exist_ok=True)
    log = BENCH_DIR / f"train-{name}.log"
    print(f"[bench] training {name} (about 1-2 minutes; log {log.relative_to(ROOT)})", flush=True)
    start = time.perf_counter()
    with log.open("w") as handle:
        code = subprocess.call([str(RASA), "train", "--config", "config.yml", "--domain", str(domain),
                                "--data", *map(str, data), "--out", str(out), "--fixed-model-name", name, "--force"],
                               cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
    if code != 0:
        raise RuntimeError(f"training {name} failed; end of {log}:\n{log.read_text()[-2000:]}")
    seconds = time.perf_counter() - start
    print(f"[bench] trained {name} in {seconds:.0f}s", flush=True)
    return seconds, out / f"{name}.tar.gz"


# --- the report ------------------------------------------------------------------------------------

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


def _cpu(level: dict) -> str:
    cpu = level.get("cpu_ms_per_msg", {})
    return " + ".join(f"{cpu[name]:.1f}" for name in ("rasa", "action server") if name in cpu) or "–"


def _level(setup: Setup, reps: int) -> dict:
    return next((x for x in setup.levels if x["reps"] == reps), {})


def render(coach: Setup, bare: Setup, levels: Sequence[int], command: str, repeats: int = 2) -> str:
    rows = []
    for reps in levels:
        c, b = _level(coach, reps), _level(bare, reps)
        rows.append((f"{reps} rep{'s' if reps > 1 else ''}: latency p50 / p95 / p99 (ms)",
                     f"{c['p50_ms']:.0f} / {c['p95_ms']:.0f} / {c['p99_ms']:.0f}",
                     f"{b['p50_ms']:.0f} / {b['p95_ms']:.0f} / {b['p99_ms']:.0f}"))
        ratio = c["msgs_per_s"] / b["msgs_per_s"] if b.get("msgs_per_s") else float("nan")
        rows.append((f"{reps} rep{'s' if reps > 1 else ''}: messages/s (coach ÷ ceiling)",
                     f"{c['msgs_per_s']:.1f} ({ratio:.2f}×)", f"{b['msgs_per_s']:.1f}"))
        rows.append((f"{reps} rep{'s' if reps > 1 else ''}: CPU ms per message, Rasa + action server",
                     _cpu(c), _cpu(b)))
        rows.append((f"{reps} rep{'s' if reps > 1 else ''}: errors / messages",
                     f"{c['errors']} / {c['messages']}", f"{b['errors']} / {b['messages']}"))
    for name in ("rasa", "action server"):
        rows.append((f"peak memory, {name} (MB)", _fmt(coach.memory_mb.get(name)), _fmt(bare.memory_mb.get(name))))
    rows.append(("start-up to first answer (s)", _fmt(coach.startup_s, digits=1), _fmt(bare.startup_s, digits=1)))
    rows.append(("training time (s)", _fmt(coach.train_s), _fmt(bare.train_s)))
    rows.append(("model size (MB)", _fmt(coach.model_mb, digits=1), _fmt(bare.model_mb, digits=1)))
    table = ["| measure | coach | bare Rasa (ceiling) |", "|---|---|---|"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
    one, ten, fifty = (_level(coach, n) for n in (1, 10, 50))
    ratio10 = (ten.get("msgs_per_s", 0) / _level(bare, 10)["msgs_per_s"]) if _level(bare, 10) else float("nan")
    checks = [
        ("single-rep p95 under 120 ms", one.get("p95_ms"), one and one["p95_ms"] < 120),
        ("throughput at 10 reps ≥ 0.8× the ceiling", f"{ratio10:.2f}×", ratio10 >= 0.8),
        ("zero errors at 50 reps", fifty.get("errors"), fifty and fifty["errors"] == 0),
    ]
    script = " → ".join(["objection", "branch button", "start drill", "5 drill replies", "stop if still running"])
    return "\n".join([
        f"Measured {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on {machine()}; Python "
        f"{platform.python_version()} for the driver, rasa 3.6.21, SQLite tracker and results stores.",
        "",
        f"Command: `{command}` (scripts/bench.py). Each simulated rep has its own sender id and runs: {script}; "
        "one REST request at a time per rep, all reps at once. Messages per run: 1 rep × 6 scripts, "
        "10 reps × 6, 50 reps × 1; both setups run side by side and each level alternates coach and ceiling, "
        f"{repeats} runs each (latencies pooled over the runs, messages/s the median run). The ceiling is the same config.yml (pipeline and policies) and NLU data "
        "in an assistant whose only actions are static responses, run by stock Rasa (its own REST channel, "
        "none of the coach's code in front, same SQLite tracker store), driven by the same messages. "
        "CPU ms/msg is the server process's CPU time per message: other load on the machine moves it far "
        "less than messages/s.",
        "",
        *table,
        "",
        "Targets: " + "; ".join(f"{name}: {value} {'✅' if ok else '❌'}" for name, value, ok in checks) + ".",
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


def cmd_run(args: argparse.Namespace) -> int:
    levels = [int(x) for x in args.levels.split(",")]
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    write_bare_project(BENCH_DIR / "bare")
    coach = Setup("coach", ROOT / "models" / "coach.tar.gz", with_actions=True)
    bare = Setup("bare", BENCH_DIR / "models" / "bare.tar.gz", with_actions=False)
    if not args.skip_train:
        coach.train_s, coach.model = train("coach", ROOT / "domain.yml",
                                           [ROOT / "data" / "nlu", ROOT / "data" / "rules.yml", ROOT / "data" / "stories.yml"])
        bare.train_s, bare.model = train("bare", BENCH_DIR / "bare" / "domain.yml",
                                         [ROOT / "data" / "nlu", BENCH_DIR / "bare" / "rules.yml"])
    for setup in (coach, bare):
        if not setup.model.is_file():
            print(f"error: no model at {setup.model}; run without --skip-train", file=sys.stderr)
            return 1
        setup.model_mb = setup.model.stat().st_size / 1024 ** 2
    run_interleaved([coach, bare], levels, args.repeats, args.speedups)
    command = ("make bench" if args.levels == "1,10,50" and args.speedups == "all" and not args.skip_train
               else "python scripts/bench.py " + " ".join(sys.argv[1:]))
    report = render(coach, bare, levels, command, args.repeats)
    (BENCH_DIR / "figures.json").write_text(json.dumps({"coach": asdict(coach), "bare": asdict(bare)}, default=str,
                                                       indent=1), encoding="utf-8")
    splice(Path(args.out), report)
    print(report)
    print(f"[bench] wrote {args.out}")
    return 0


def cmd_fixes(args: argparse.Namespace) -> int:
    """Before/after of each speed fix: stage k runs the coach with the first k patches (models as built by make)."""
    from coach.server.patches import PATCHES

    names = list(PATCHES)
    stages = ["none"] + [",".join(names[:k]) for k in range(1, len(names) + 1)]
    rows = []
    for spec in stages:
        print(f"[bench] fixes: COACH_RASA_SPEEDUPS={spec}", flush=True)
        coach = Setup("coach", ROOT / "models" / "coach.tar.gz", with_actions=True)
        bare = Setup("bare", BENCH_DIR / "models" / "bare.tar.gz", with_actions=False)
        if not bare.model.is_file():
            print("error: no bare model: run `make bench` first (it trains build/bench/models/bare.tar.gz)", file=sys.stderr)
            return 1
        run_interleaved([coach, bare], [1, 10], args.repeats, spec)
        one, ten, ceiling = _level(coach, 1), _level(coach, 10), _level(bare, 10)
        added = "none (stock rasa)" if spec == "none" else f"+ `{spec.split(',')[-1]}`"
        rows.append(f"| {added} | {one['p95_ms']:.0f} | {ten['msgs_per_s']:.1f} | {ten['msgs_per_s'] / ceiling['msgs_per_s']:.2f}× "
                    f"| {ten['cpu_ms_per_msg'].get('rasa', float('nan')):.1f} | {ceiling['cpu_ms_per_msg'].get('rasa', float('nan')):.1f} |")
    block = "\n".join([
        f"Measured {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} with `python scripts/bench.py {' '.join(sys.argv[1:])}`: "
        "the coach with "
        "the patches of `coach/server/patches.py` added one at a time (`COACH_RASA_SPEEDUPS`), each stage against "
        f"the stock-Rasa ceiling started beside it; 1 and 10 reps, {args.repeats} run(s) each.",
        "",
        "| patches | 1 rep p95 (ms) | 10 reps msg/s | ÷ ceiling | Rasa CPU ms/msg | ceiling CPU ms/msg |",
        "|---|---|---|---|---|---|", *rows])
    splice(Path(args.out), block, marker="fixes")
    print(block)
    return 0


def cmd_store(args: argparse.Namespace) -> int:
    """Tracker store retrieve/save of the longest benchmark conversation, stock rasa vs rasa_speedups."""
    import sqlite3

    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    from coach.server import patches as rasa_speedups

    source = BENCH_DIR / "coach" / "tracker.db"
    if not source.is_file():
        print(f"error: {source} is missing: run `make bench` first (it records the conversations)", file=sys.stderr)
        return 1
    with sqlite3.connect(source) as db:
        sender = db.execute("SELECT sender_id FROM events GROUP BY sender_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    domain = Domain.load(str(ROOT / "domain.yml"))
    rows = []
    for label in ("stock rasa", "with rasa_speedups"):
        if label != "stock rasa":
            rasa_speedups.install()
        scratch = BENCH_DIR / f"store-{len(rows)}.db"
        for leftover in BENCH_DIR.glob(f"{scratch.name}*"):
            leftover.unlink()
        reader = SQLTrackerStore(domain, dialect="sqlite", db=str(source))
        writer = SQLTrackerStore(domain, dialect="sqlite", db=str(scratch))

        async def measure() -> tuple:
            tracker = await reader.retrieve(sender)
            start = time.perf_counter()
            for _ in range(args.rounds):
                await reader.retrieve(sender)
            retrieve_ms = (time.perf_counter() - start) * 1000 / args.rounds
            events, saving = list(tracker.events), 0.0
            for i in range(args.rounds):  # one message's worth of new events (the last 11) onto a stored tracker
                head = DialogueStateTracker.from_events(f"s{i}", events[:-11], domain.slots)
                await writer.save(head)
                full = DialogueStateTracker.from_events(f"s{i}", events, domain.slots)
                start = time.perf_counter()
                await writer.save(full)
                saving += time.perf_counter() - start
            return len(events), retrieve_ms, saving * 1000 / args.rounds

        count, retrieve_ms, save_ms = asyncio.run(measure())
        rows.append(f"| {label} | {count} | {retrieve_ms:.2f} | {save_ms:.2f} |")
    print(f"SQLite tracker store, conversation {sender!r} from {source.relative_to(ROOT)}, {args.rounds} rounds:")
    print("\n".join(["| | events | retrieve (ms) | save 11 new events (ms) |", "|---|---|---|---|", *rows]))
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    summaries = drive(args.url.rstrip("/"), [int(x) for x in args.levels.split(",")], args.tag)
    if args.json:
        Path(args.json).write_text(json.dumps(summaries, indent=1), encoding="utf-8")
    return 0


def cmd_smoke(args: argparse.Namespace) -> int:
    """Two reps, one script each: checks the driver and the figures work, not how fast anything is."""
    summary = asyncio.run(run_level(args.url.rstrip("/"), 2, 1, "smoke", _first_branch_payloads())).summary()
    print(json.dumps(summary, ensure_ascii=False))
    return 1 if summary["errors"] or summary["messages"] < 8 else 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="train, start the coach and the bare ceiling, load both, write the report")
    run.add_argument("--levels", default="1,10,50")
    run.add_argument("--out", default=str(ROOT / "docs" / "performance.md"))
    run.add_argument("--skip-train", action="store_true", help="reuse models/coach.tar.gz and build/bench/models/bare.tar.gz")
    run.add_argument("--repeats", type=int, default=2, help="runs per level and setup, interleaved")
    run.add_argument("--speedups", default="all",
                     help="coach/server/patches.py patches for the coach: all, none, or names joined by commas")
    fixes = sub.add_parser("fixes", help="the coach with each rasa_speedups patch added in turn, against the ceiling")
    fixes.add_argument("--out", default=str(ROOT / "docs" / "performance.md"))
    fixes.add_argument("--repeats", type=int, default=1)
    store = sub.add_parser("store", help="tracker store retrieve/save times, stock rasa vs rasa_speedups")
    store.add_argument("--rounds", type=int, default=100)
    load = sub.add_parser("load", help="drive servers that are already running")
    load.add_argument("--url", required=True)
    load.add_argument("--levels", "--reps", dest="levels", default="1,10,50")
    load.add_argument("--json")
    load.add_argument("--tag", default="load", help="sender id prefix (keeps runs apart)")
    smoke = sub.add_parser("smoke", help="tiny run that checks the benchmark works (used by make test)")
    smoke.add_argument("--url", required=True)
    args = parser.parse_args(argv)
    try:
        return {"run": cmd_run, "load": cmd_load, "smoke": cmd_smoke, "fixes": cmd_fixes, "store": cmd_store}[args.command](args)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
