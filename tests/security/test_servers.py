"""The findings against the real servers, started by scripts/run.sh (tests/conftest.py `servers`)."""
from __future__ import annotations

import json
import sqlite3
import stat
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from coach.settings import STATE_DIR
from tests.conftest import payload, post
from tests.security.conftest import action_port, raw_http, read_all
from tests.security.test_action_secret import FORGED

pytestmark = pytest.mark.servers
START = '/start_drill{"drill_id": "price_margin"}'
JSON_HEADERS = {"Content-Type": "application/json"}


def _rest(port: int, body: dict) -> tuple:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                                     data=json.dumps(body).encode(), headers=JSON_HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _listening(port: int) -> set:
    """The local addresses (hex, as /proc/net/tcp* shows them) listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_both_servers_listen_on_loopback_only(servers) -> None:
    assert _listening(servers.port) == {"0100007F"}  # 127.0.0.1, not 0.0.0.0
    assert _listening(action_port(servers.log)) == {"0100007F"}


def test_a_forged_action_call_is_refused_and_stores_nothing(servers) -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{action_port(servers.log)}/webhook",
                                     data=json.dumps(FORGED).encode(), headers=JSON_HEADERS)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 401
    if servers.results_db.exists():  # read-only: opening it must not create it (with this process's umask)
        with sqlite3.connect(f"file:{servers.results_db}?mode=ro", uri=True) as db:
            tables = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "results" in tables:
                assert db.execute("SELECT COUNT(*) FROM results WHERE rep_id = 'forger'").fetchone() == (0,)


def _turns(replies: list, kind: str) -> list:
    return [r["custom"]["turn"] for r in replies if (r.get("custom") or {}).get("type") == kind]


def test_restart_and_back_mid_drill_are_refused_and_the_drill_goes_on(servers) -> None:
    sender = "sec-restart"
    assert _turns(post(servers.port, sender, START), "customer_line") == [0]
    assert _turns(post(servers.port, sender, "理解您的顾虑"), "customer_line") == [1]
    for command in ("/restart", "/back", "/session_start", " /restart "):
        status, body = _rest(servers.port, {"sender": sender, "message": command})
        assert status == 400 and "not a command the coach takes" in body["error"], body
    answer = post(servers.port, sender, "您主要是担心什么？")
    assert _turns(answer, "customer_line") == [2] and _turns(answer, "drill_feedback") == [2]
    post(servers.port, sender, "退出")
    card = payload(post(servers.port, sender, "/stop_drill"), "scorecard")
    assert card["turns"] == 2  # the drill was never thrown away; it is scored and stored
    log = servers.log.read_text()
    assert f"from sender '{sender}' at" in log  # each refusal logged, with the sender
    assert f"no reply to a message from sender '{sender}'" not in log  # no false "action server down"


def test_deeply_nested_json_gets_an_answer_not_a_recursion_error(servers) -> None:
    deep = json.loads("[" * 600 + "]" * 600)
    body = {"sender": "sec-deep", "message": "老板说太贵了", "metadata": {"x": deep}}
    assert _rest(servers.port, body)[0] == 200
    branch = '/choose_branch{"branch": ' + json.dumps(deep) + "}"
    status, body = _rest(servers.port, {"sender": "sec-deep", "message": branch})
    assert status == 400 and "short texts" in body["error"]
    assert "RecursionError" not in servers.log.read_text()


def test_a_huge_body_is_refused_from_its_length_without_being_read(servers) -> None:
    head = (b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 94371840\r\n\r\n")
    answer = raw_http(servers.port, head + b"x" * 1024)  # 1 KB of the 90 MB announced, then wait
    assert answer.startswith(b"HTTP/1.1 413") and b"64 KB" in answer


def test_a_body_that_trickles_in_gets_408_and_the_connection_closes(servers) -> None:
    import socket

    head = (b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 400\r\n\r\n")
    with socket.create_connection(("127.0.0.1", servers.port), timeout=1) as conn:
        conn.sendall(head)
        answer, sent = b"", 0
        while not answer and sent < 400:  # one byte a second would take 400 s
            conn.sendall(b" ")
            sent += 1
            try:
                answer = conn.recv(65536)
            except TimeoutError:
                pass
        conn.settimeout(30)
        answer += read_all(conn)  # returns once the server has closed the connection
    assert sent < 400 and answer.startswith(b"HTTP/1.1 408"), answer[:200]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_state_files_are_owner_only(servers) -> None:
    sender = "sec-files"
    post(servers.port, sender, START)
    post(servers.port, sender, "理解您的顾虑")
    post(servers.port, sender, "退出")
    payload(post(servers.port, sender, "/stop_drill"), "scorecard")  # a stored result
    tracker = servers.results_db.parent / "tracker.db"
    files = [f for db in (tracker, servers.results_db) for f in db.parent.glob(db.name + "*")]
    assert tracker in files and servers.results_db in files and any(f.name.endswith("-wal") for f in files)
    assert {f.name: oct(_mode(f)) for f in files} == {f.name: "0o600" for f in files}
    assert _mode(STATE_DIR) == 0o700 and _mode(STATE_DIR / "actions_secret") == 0o600


def test_up_means_a_message_went_through_rasa_and_the_action_server(servers) -> None:
    assert "Objection Coach is up" in servers.log.read_text()
    with sqlite3.connect(servers.results_db.parent / "tracker.db") as db:
        texts = [json.loads(data).get("text") for (data,) in db.execute(
            "SELECT data FROM events WHERE sender_id = 'coach-selfcheck' AND type_name = 'user'")]
        bots = [json.loads(data) for (data,) in db.execute(
            "SELECT data FROM events WHERE sender_id = 'coach-selfcheck' AND type_name = 'bot'")]
    assert texts[:1] == ["/list_drills"]
    assert any((b.get("data") or {}).get("custom", {}).get("type") == "drill_menu" for b in bots)
