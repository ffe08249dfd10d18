"""Faults survived, with the real servers: the action server dies mid-drill, the Rasa server is
SIGKILLed mid-drill, and 50 reps talk at once.

The first two start their own processes (they kill them); the crowd test uses the shared servers.
The results store under a SIGKILL is covered in tests/unit/results/test_store.py
(test_results_committed_before_a_sigkill_are_intact).
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Optional

import pytest

from coach.results.store import ResultsStore
from coach.settings import PROJECT_ROOT
from tests.conftest import MODEL, _free_port, payload, post

VENV = PROJECT_ROOT / ".venv" / "bin"
START_PRICE = '/start_drill{"drill_id": "price_margin"}'
REPLIES = ["理解，进货价格谁都要算清楚。您是跟哪家比的？", "您主要是担心顾客不接受，还是担心利润不够？",
           "您估计一个月能卖多少？咱们一起算一笔总利润的账。"]


def _kinds(replies: list) -> List[str]:
    return [(r.get("custom") or {}).get("type") for r in replies]


class Coach:
    """An action server and a Rasa server as separate processes, each killable and restartable."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.rasa_port, self.action_port = _free_port(), _free_port()
        self.endpoints = tmp / "endpoints.yml"
        self.tracker_db = tmp / "tracker.db"
        self.endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{self.action_port}/webhook"\n'
            f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{self.tracker_db}"\n',
            encoding="utf-8")
        self.env = {**os.environ, "COACH_RESULTS_DB": str(tmp / "results.db")}
        self.procs: Dict[str, subprocess.Popen] = {}

    def _start(self, name: str, argv: List[str], ready_url: str, limit_s: int) -> None:
        log = (self.tmp / f"{name}.log").open("a")
        proc = subprocess.Popen(argv, cwd=PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.procs[name] = proc
        deadline = time.time() + limit_s
        while time.time() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"{name} exited:\n{(self.tmp / f'{name}.log').read_text()[-3000:]}")
            try:
                urllib.request.urlopen(ready_url, timeout=2).close()
                return
            except OSError:
                time.sleep(0.5)
        pytest.fail(f"{name} did not start in {limit_s}s:\n{(self.tmp / f'{name}.log').read_text()[-3000:]}")

    def start_actions(self) -> None:
        self._start("actions", [str(VENV / "python"), "-m", "actions", "--port", str(self.action_port)],
                    f"http://127.0.0.1:{self.action_port}/health", 120)

    def start_rasa(self) -> None:
        self._start("rasa", [str(VENV / "rasa"), "run", "--model", str(MODEL), "--interface", "127.0.0.1",
                             "--port", str(self.rasa_port),
                             "--endpoints", str(self.endpoints), "--credentials", "credentials.yml"],
                    f"http://127.0.0.1:{self.rasa_port}/", 240)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs.pop(name)
        os.killpg(proc.pid, sig)
        proc.wait(timeout=60)

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.kill(name, signal.SIGTERM)


@pytest.fixture(scope="module")
def own_coach(tmp_path_factory: pytest.TempPathFactory):
    assert MODEL.is_file(), "no trained model: run `make test` (it trains first)"
    coach = Coach(tmp_path_factory.mktemp("faults"))
    coach.start_actions()
    coach.start_rasa()
    yield coach
    coach.stop_all()


def _customer_turn(replies: list) -> Optional[int]:
    lines = [r["custom"] for r in replies if (r.get("custom") or {}).get("type") == "customer_line"]
    return lines[-1]["turn"] if lines else None


def test_action_server_down_mid_drill_gets_a_clear_message_then_the_drill_goes_on(own_coach: Coach) -> None:
    sender = "fault-actions-down"
    assert "drill_intro" in _kinds(post(own_coach.rasa_port, sender, START_PRICE))
    assert _customer_turn(post(own_coach.rasa_port, sender, REPLIES[0])) == 1

    own_coach.kill("actions")
    replies = post(own_coach.rasa_port, sender, REPLIES[1])
    down = payload(replies, "service_unavailable")
    assert down["retry"] is True
    assert "重启" in replies[0]["text"]  # the rep's language, not silence and not an error dump
    assert all("Traceback" not in (r.get("text") or "") for r in replies)

    assert replies[0]["buttons"][0]["payload"] == REPLIES[1]  # the "send again" button

    own_coach.start_actions()
    replies = post(own_coach.rasa_port, sender, replies[0]["buttons"][0]["payload"])  # the rep taps it
    feedback = payload(replies, "drill_feedback")
    assert feedback["drill_id"] == "price_margin" and feedback["quote"] == REPLIES[1]
    assert _customer_turn(replies) == 2  # the lost attempt did not count as a turn


def test_rasa_sigkilled_mid_drill_keeps_the_drill_and_history(own_coach: Coach) -> None:
    sender = "fault-rasa-kill"
    post(own_coach.rasa_port, sender, START_PRICE)
    for turn, reply in enumerate(REPLIES[:2], 1):
        assert _customer_turn(post(own_coach.rasa_port, sender, reply)) == turn

    own_coach.kill("rasa")  # SIGKILL: no shutdown hook runs
    own_coach.start_rasa()

    replies = post(own_coach.rasa_port, sender, REPLIES[2])
    assert payload(replies, "drill_feedback")["drill_id"] == "price_margin"
    assert _customer_turn(replies) == 3  # same session, next turn
    with sqlite3.connect(own_coach.tracker_db) as db:
        texts = [json.loads(row[0]).get("text") for row in db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (sender,))]
    assert texts == [START_PRICE, *REPLIES]
    post(own_coach.rasa_port, sender, "退出")  # a stop asks once; its button confirms
    card = payload(post(own_coach.rasa_port, sender, "/stop_drill"), "scorecard")
    assert card["turns"] == 3 and card["outcome"] == "stopped"


def test_fifty_reps_at_once_no_lost_or_crossed_replies_and_each_result_stored_once(servers) -> None:
    reps = [f"crowd-{i:02d}" for i in range(50)]

    def one_rep(sender: str) -> dict:
        answers = [post(servers.port, sender, START_PRICE)]
        for turn, reply in enumerate(REPLIES[:2], 1):
            answers.append(post(servers.port, sender, f"{reply}（{sender}/{turn}）"))
        answers.append(post(servers.port, sender, "退出"))  # a stop asks once; its button confirms
        answers.append(post(servers.port, sender, "/stop_drill"))
        return {"answers": answers, "card": payload(answers[-1], "scorecard")}

    with ThreadPoolExecutor(max_workers=50) as pool:
        outcomes = dict(zip(reps, pool.map(one_rep, reps), strict=True))

    for sender, outcome in outcomes.items():
        assert all(outcome["answers"]), f"{sender}: a message got no reply"
        quotes = [m["custom"]["quote"] for answer in outcome["answers"] for m in answer
                  if (m.get("custom") or {}).get("type") == "drill_feedback"]
        expected = [f"{r}（{sender}/{t}）" for t, r in enumerate(REPLIES[:2], 1)]
        assert quotes == expected, f"{sender} got {quotes}"
        assert outcome["card"]["turns"] == 2
    with ResultsStore(servers.results_db) as store:
        stored = [r for r in store.results() if r.rep_id.startswith("crowd-")]
    assert sorted(r.rep_id for r in stored) == reps  # each finished drill exactly once
    assert {r.result_id for r in stored} == {o["card"]["result_id"] for o in outcomes.values()}
    for result in stored:
        rep_lines = [line["text"] for line in result.transcript if line["speaker"] == "rep"]
        assert rep_lines and all(f"（{result.rep_id}/" in line for line in rep_lines)
