"""Checks for `make scale-test` (scripts/scale_test.sh starts the cluster; this talks to it).

  consistency  one rep's drill alternating between the two Rasa replicas, the shared results row
               seen by both action servers, concurrent messages of that rep at both replicas
               (the Redis lock), and nginx spreading requests over both replicas
  compare      the benchmark figures: two replicas behind nginx vs one replica

Every check prints `[scale]   ok ...` or `[scale]   FAIL ...`; the exit status is 1 if any failed.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DRILL = "price_margin"
START = f'/start_drill{{"drill_id": "{DRILL}"}}'
# Plausible rep replies that keep the drill going (acknowledge/probe/value, no closing step yet).
DRILL_REPLIES = ["理解，进货价格谁都要算清楚。您是跟哪家、哪个规格比的？",
                 "您主要是担心顾客不接受，还是担心利润不够？",
                 "您估计一个月能卖多少？咱们一起算一笔总利润的账。"]
STOP = "退出"
STOP_CONFIRM = "/stop_drill"  # a stop asks once; its "end and score" button sends this
# Fired at once, half at each replica, all for the same rep: only the lock store keeps them in turn.
CONCURRENT = ["老板说你们太贵了", "店主想做我们的独家代理", "老板说市场不景气，过段时间再来",
              "老板说要先铺货，卖了再结账", "老板说没钱进新货", "老板说跟现在的厂家关系很好"]
TIMEOUT_S = 90  # a message waiting for the lock behind five others still answers well within this


def say(text: str) -> None:
    print(f"[scale] {text}", flush=True)


class Checks:
    def __init__(self) -> None:
        self.failed: List[str] = []

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        if ok:
            say(f"  ok    {what}")
        else:
            self.failed.append(what)
            say(f"  FAIL  {what}" + (f"\n[scale]         {detail}" if detail else ""))
        return ok


def post_json(url: str, body: dict, timeout: float = TIMEOUT_S, headers: Optional[dict] = None) -> Any:
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def rest(port: int, sender: str, message: str) -> list:
    """One message through a Rasa replica's REST channel; the bot's messages."""
    return post_json(f"http://127.0.0.1:{port}/webhooks/rest/webhook", {"sender": sender, "message": message})


def customs(replies: list, kind: str) -> List[dict]:
    return [r["custom"] for r in replies
            if isinstance(r.get("custom"), dict) and r["custom"].get("type") == kind]


def kinds(replies: list) -> List[str]:
    return [(r.get("custom") or {}).get("type", "text") for r in replies]


def action_progress(port: int, sender: str) -> List[dict]:
    """Ask one action server directly (not through nginx) for the rep's progress rows."""
    call = {"next_action": "action_progress", "sender_id": sender, "version": "3.6.21", "domain": {},
            "tracker": {"sender_id": sender, "slots": {"language": "zh"}, "events": [],
                        "latest_message": {"text": "我的成绩",
                                           "intent": {"name": "my_progress", "confidence": 1.0}}}}
    from coach.server.action_secret import HEADER, actions_secret

    # The same secret as the replicas (scale_test.sh exports COACH_ACTIONS_SECRET to every process).
    answer = post_json(f"http://127.0.0.1:{port}/webhook", call, headers={HEADER: actions_secret()})
    found = [r["custom"] for r in answer.get("responses", [])
             if (r.get("custom") or {}).get("type") == "progress"]
    return found[0]["rows"] if found else []


def drill_across_replicas(checks: Checks, replicas: Sequence[int], sender: str) -> Optional[dict]:
    """Objection, drill start, replies and stop, each message to the other replica; the scorecard."""
    port = lambda i: replicas[i % len(replicas)]  # noqa: E731 - alternate on every message
    step = 0
    card = customs(rest(port(step), sender, "老板说你们价格太高了"), "objection_card")
    checks.check(bool(card) and card[0].get("objection") == "price",
                 f"objection card from replica :{port(step)}", f"got {card}")
    step += 1
    start = rest(port(step), sender, START)
    intro, lines = customs(start, "drill_intro"), customs(start, "customer_line")
    started = bool(intro) and intro[0]["drill_id"] == DRILL and bool(lines) and lines[0]["turn"] == 0
    if not checks.check(started,
                        f"drill {DRILL} started on replica :{port(step)} (intro + opening line, turn 0)",
                        f"got {kinds(start)}: {start[:2]}"):
        return None
    turns = [lines[0]["turn"]]
    for text in DRILL_REPLIES:
        step += 1
        answer = rest(port(step), sender, text)
        line, feedback = customs(answer, "customer_line"), customs(answer, "drill_feedback")
        ok = (len(line) == 1 and line[0]["drill_id"] == DRILL and line[0]["turn"] > turns[-1]
              and len(feedback) == 1 and feedback[0]["drill_id"] == DRILL
              and feedback[0]["turn"] == line[0]["turn"] and not customs(answer, "scorecard"))
        turn = line[0]["turn"] if line else "?"
        checks.check(ok, f"reply {step - 1} on replica :{port(step)}: customer line of {DRILL}, turn "
                         f"{turn} (after {turns[-1]}), feedback for the same turn",
                     f"got {kinds(answer)}: {answer}")
        if line:
            turns.append(line[0]["turn"])
    checks.check(turns == sorted(set(turns)) and len(turns) == len(DRILL_REPLIES) + 1,
                 f"turn numbers strictly increase across replicas: {turns}")
    step += 1
    asked = rest(port(step), sender, STOP)
    checks.check(bool(customs(asked, "drill_confirm")), f"'{STOP}' on replica :{port(step)}: asked once",
                 f"got {kinds(asked)}")
    step += 1
    answer = rest(port(step), sender, STOP_CONFIRM)
    cards = customs(answer, "scorecard")
    checks.check(len(cards) == 1 and cards[0]["drill_id"] == DRILL and cards[0]["outcome"] == "stopped"
                 and cards[0]["turns"] == len(DRILL_REPLIES),
                 f"'{STOP}' on replica :{port(step)}: one scorecard for {DRILL}, outcome stopped, "
                 f"{len(DRILL_REPLIES)} turns scored", f"got {kinds(answer)}: {cards}")
    return cards[0] if cards else None


def shared_results(checks: Checks, results_url: str, actions: Sequence[int], sender: str, card: dict) -> None:
    from coach.results.store import ResultsStore

    with ResultsStore(results_url) as store:
        rows = store.results(sender)
    checks.check(len(rows) == 1 and rows[0].result_id == card["result_id"] and rows[0].drill_id == DRILL
                 and rows[0].score == card["score"] and rows[0].outcome == "stopped",
                 f"exactly one results row for the rep in PostgreSQL ({store.path}), matching the scorecard",
                 f"rows: {[(r.result_id, r.drill_id, r.score, r.outcome) for r in rows]}, "
                 f"card {card.get('result_id')}")
    for port in actions:
        rows = action_progress(port, sender)
        checks.check([(r["objection"], r["attempts"]) for r in rows] == [("objection_price", 1)],
                     f"action server :{port} sees that result (action_progress: objection_price, 1 attempt)",
                     f"rows: {rows}")


def concurrent_messages(checks: Checks, replicas: Sequence[int], sender: str) -> int:
    """All CONCURRENT messages at once, alternating replicas; returns how many were sent."""
    answers: Dict[int, Any] = {}
    barrier = threading.Barrier(len(CONCURRENT))

    def send(i: int) -> None:
        barrier.wait()
        try:
            answers[i] = rest(replicas[i % len(replicas)], sender, CONCURRENT[i])
        except Exception as exc:  # noqa: BLE001 - reported as a failed check below
            answers[i] = exc

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(CONCURRENT))]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - started
    bad = {i: a for i, a in answers.items() if isinstance(a, Exception) or not customs(a, "objection_card")}
    checks.check(len(answers) == len(CONCURRENT) and not bad,
                 f"{len(CONCURRENT)} concurrent messages of the same rep at both replicas: "
                 f"every one answered with an objection card ({took:.1f} s in all)", f"failed: {bad}")
    return len(CONCURRENT)


def pg_rows(url: str, sql: str, params: tuple = (), fetch: bool = True) -> list:
    """Run one statement on its own autocommit connection; the rows if `fetch` (tests/scale uses it too)."""
    import psycopg2

    conn = psycopg2.connect(url)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if fetch else []
    finally:
        conn.close()


def tracker_consistent(checks: Checks, tracker_url: str, sender: str, sent: List[str]) -> None:
    """The rep's events in the PostgreSQL tracker store: each message once, turns never interleaved."""
    events = pg_rows(tracker_url, "SELECT type_name, action_name, data FROM events WHERE sender_id = %s "
                                  "ORDER BY id", (sender,))
    texts = [json.loads(data).get("text") for kind, _, data in events if kind == "user"]
    checks.check(Counter(texts) == Counter(sent),
                 f"tracker store holds each of the rep's {len(sent)} messages exactly once "
                 f"({len(events)} events)",
                 f"missing: {list((Counter(sent) - Counter(texts)).elements())}, "
                 f"extra: {list((Counter(texts) - Counter(sent)).elements())}")
    # Locked turns: after a user event, the bot finishes (action_listen) before the next user event.
    interleaved, open_turn = 0, False
    for kind, action, _ in events:
        if kind == "user":
            interleaved += open_turn
            open_turn = True
        elif kind == "action" and action == "action_listen":
            open_turn = False
    checks.check(interleaved == 0 and not open_turn,
                 "no two turns of the rep interleave in the tracker "
                 "(each user message ends in action_listen)",
                 f"{interleaved} user messages arrived while another turn was still open")


def page_retry_once(checks: Checks, lb_port: int, tracker_url: str, results_url: str) -> None:
    """The chat page through nginx: a retried message id is answered once, by the replica that ran it.

    The rep is invited in the shared results database, which the Rasa replicas read people from."""
    from coach.people import PeopleStore

    base = f"http://127.0.0.1:{lb_port}/webhooks/coach"
    with PeopleStore(results_url) as people:
        _, code = people.invite(f"scale-page-{uuid.uuid4().hex[:8]}", created_by="scale-check")
    login = post_json(f"{base}/login", {"code": code})
    headers = {"Authorization": f"Bearer {login['token']}"}
    body = {"message": "老板说你们价格太高了", "id": f"retry-{uuid.uuid4().hex[:8]}"}
    answers = [post_json(f"{base}/message", body, headers=headers) for _ in range(3)]
    [(stored,)] = pg_rows(tracker_url, "SELECT count(*) FROM events "
                                       "WHERE sender_id = %s AND type_name = 'user'", (login["sender"],))
    checks.check(answers[0] == answers[1] == answers[2] and stored == 1,
                 "chat page through nginx: a message id sent 3 times is run once and answered 3 times alike "
                 "(nginx routes the page's requests by rep)", f"{stored} user events stored")


def redis_used(checks: Checks, redis_port: int) -> None:
    import redis

    stats = redis.Redis(host="127.0.0.1", port=redis_port, socket_timeout=5).info("commandstats")
    sets, dels = stats.get("cmdstat_set", {}).get("calls", 0), stats.get("cmdstat_del", {}).get("calls", 0)
    checks.check(sets > 0 and dels > 0,
                 f"Redis lock store in use: {sets} SET / {dels} DEL calls on :{redis_port}")


def nginx_spread(checks: Checks, lb_port: int, replicas: Sequence[int], log: Path, action_log: Path,
                 actions: Sequence[int]) -> None:
    """A few new reps through the Rasa load balancer: nginx must use both replicas and both action servers."""
    before = len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0
    for i in range(6):
        replies = rest(lb_port, f"scale-lb-{uuid.uuid4().hex[:8]}-{i}", "老板说你们价格太高了")
        if not customs(replies, "objection_card"):
            checks.check(False, f"answer through nginx :{lb_port}", f"got {replies}")
            return
    lines = log.read_text(encoding="utf-8").splitlines()[before:]
    used = Counter(line.rsplit("upstream=", 1)[-1].strip() for line in lines if "upstream=" in line)
    wanted = {f"127.0.0.1:{p}" for p in replicas}
    checks.check(set(used) == wanted,
                 f"nginx :{lb_port} spreads new reps over both Rasa replicas: {dict(used)}", f"see {log}")
    action_lines = action_log.read_text(encoding="utf-8").splitlines()
    used_actions = Counter(line.rsplit("upstream=", 1)[-1].strip()
                           for line in action_lines if "upstream=" in line)
    checks.check({f"127.0.0.1:{p}" for p in actions} <= set(used_actions),
                 f"the action load balancer used both action servers: {dict(used_actions)}",
                 f"see {action_log}")


def cmd_consistency(args: argparse.Namespace) -> int:
    replicas = [int(p) for p in args.rasa.split(",")]
    actions = [int(p) for p in args.actions.split(",")]
    sender = f"scale-rep-{uuid.uuid4().hex[:10]}"
    checks = Checks()
    say(f"consistency check: rep {sender}, replicas {replicas}, action servers {actions}")
    try:
        card = drill_across_replicas(checks, replicas, sender)
        if card is not None:
            shared_results(checks, args.results_db, actions, sender, card)
        sent = ["老板说你们价格太高了", START, *DRILL_REPLIES, STOP, STOP_CONFIRM]
        concurrent_messages(checks, replicas, sender)
        tracker_consistent(checks, args.tracker_db, sender, sent + CONCURRENT)
        redis_used(checks, args.redis_port)
        page_retry_once(checks, args.lb, args.tracker_db, args.results_db)
        nginx_spread(checks, args.lb, replicas, Path(args.nginx_log), Path(args.nginx_action_log), actions)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        checks.check(False, "talking to the cluster",
                     f"{type(exc).__name__}: {exc} (see the logs in build/scale/logs/)")
    if checks.failed:
        say(f"consistency check FAILED: {len(checks.failed)} check(s): " + "; ".join(checks.failed))
        return 1
    say("consistency check passed")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Side by side: msgs/s and p95 per load level, and whether any request failed."""
    two = {row["reps"]: row for row in json.loads(Path(args.two).read_text(encoding="utf-8"))}
    one = {row["reps"]: row for row in json.loads(Path(args.one).read_text(encoding="utf-8"))}
    say(f"{'reps':>5}  {'2 replicas+nginx msg/s':>22}  {'p95 ms':>8}  {'1 replica msg/s':>16}  "
        f"{'p95 ms':>8}  {'ratio':>6}")
    errors = 0
    for reps in sorted(set(two) | set(one)):
        a, b = two.get(reps, {}), one.get(reps, {})
        ratio = (a.get("msgs_per_s") or 0) / b["msgs_per_s"] if b.get("msgs_per_s") else float("nan")
        say(f"{reps:>5}  {a.get('msgs_per_s', '-'):>22}  {a.get('p95_ms', '-'):>8}  "
            f"{b.get('msgs_per_s', '-'):>16}  {b.get('p95_ms', '-'):>8}  {ratio:>6.2f}")
        errors += a.get("errors", 0) + b.get("errors", 0)
    if errors:
        say(f"benchmark FAILED: {errors} request(s) failed (error samples in the JSON files)")
        return 1
    if args.doc:
        _write_doc(Path(args.doc), two, one)
    return 0


def _write_doc(path: Path, two: dict, one: dict) -> None:
    """The comparison as the `scale` block of docs/performance.md (splice keeps the rest)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from benchlib.report import machine, splice

    rows = [f"| {reps} | {one[reps]['msgs_per_s']:.1f} | {one[reps]['p95_ms']:.0f} | "
            f"{two[reps]['msgs_per_s']:.1f} | {two[reps]['p95_ms']:.0f} | "
            f"{two[reps]['msgs_per_s'] / one[reps]['msgs_per_s']:.2f}× | "
            f"{one[reps]['errors'] + two[reps]['errors']} |" for reps in sorted(set(two) & set(one))]
    splice(path, "\n".join([
        f"Measured {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')} by `make scale-test` on {machine()}: "
        "PostgreSQL tracker and results stores, Redis lock store (coach/server/lock_store.py), "
        "two action servers behind nginx; the "
        "same simulated reps as `make bench` (`scripts/bench.py load`), "
        "first through nginx to both Rasa replicas, "
        "then to one replica directly. Everything, the load driver included, shares the same 2 cores.",
        "",
        "| reps | 1 replica msg/s | p95 ms | 2 replicas (nginx) msg/s | p95 ms | 2 ÷ 1 | errors |",
        "|---|---|---|---|---|---|---|", *rows]), marker="scale")
    say(f"  wrote the table to {path}")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("consistency", help="the drill/lock/shared-results checks")
    c.add_argument("--rasa", required=True, help="the Rasa replicas' ports, comma-separated")
    c.add_argument("--actions", required=True, help="the action servers' ports, comma-separated")
    c.add_argument("--lb", type=int, required=True, help="nginx port in front of the Rasa replicas")
    c.add_argument("--results-db", default=os.environ.get("SCALE_RESULTS_DB"),
                   help="postgresql:// URL of the results database (default: $SCALE_RESULTS_DB)")
    c.add_argument("--tracker-db", default=os.environ.get("SCALE_TRACKER_DB"),
                   help="postgresql:// URL of the tracker store database (default: $SCALE_TRACKER_DB)")
    c.add_argument("--redis-port", type=int, required=True)
    c.add_argument("--nginx-log", required=True, help="nginx access log of the Rasa load balancer")
    c.add_argument("--nginx-action-log", required=True, help="nginx access log of the action load balancer")
    c.set_defaults(run=cmd_consistency)
    cmp_ = sub.add_parser("compare", help="two-replica vs one-replica benchmark figures")
    cmp_.add_argument("two", help="bench.py --json output, two replicas through nginx")
    cmp_.add_argument("one", help="bench.py --json output, one replica directly")
    cmp_.add_argument("--doc", help="also write the table into this markdown file's scale block")
    cmp_.set_defaults(run=cmd_compare)
    args = parser.parse_args(argv)
    if args.command == "consistency" and not (args.results_db and args.tracker_db):
        parser.error("consistency needs --results-db and --tracker-db "
                     "(or SCALE_RESULTS_DB and SCALE_TRACKER_DB)")
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
