"""Editing drills while the coach runs (real servers over REST): a broken save does not cut off a
rep in the middle of that drill, and a 5 MB file saved under load is refused without stalling
anyone. The timing under that load is measured by scripts/bench_drill_load.py, not here."""
from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path

from coach.content.drills import drill_files
from coach.results.store import ResultsStore
from coach.settings import PROJECT_ROOT
from tests.conftest import in_threads, line_of_text, load_script, payload, post

bench = load_script("bench_drill_load")  # its big_drill(): a valid drill behind `size` bytes of comments

EXAMPLE = (PROJECT_ROOT / "data" / "drills" / "price_margin.yml").read_text(encoding="utf-8")
REPLIES = ["理解您的顾虑，您是跟哪家比的？", "您主要担心的是利润，还是卖不动？", "您一个月大概能卖多少盒？",
           "咱们一起算一笔总利润的账。"]


def _kinds(messages: list) -> list:
    return [(m.get("custom") or {}).get("type") for m in messages if m.get("custom")]


def _wait_for(condition, what: str) -> None:
    """Poll until the running coach has noticed the edit (a liveness bound, not a timing assertion)."""
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, f"the coach never {what}"
        time.sleep(0.2)


def _log(servers) -> str:
    return Path(servers.log).read_text(encoding="utf-8", errors="replace")


def _started(servers, sender: str, drill_id: str) -> list:
    return post(servers.port, sender, f'/start_drill{{"drill_id": "{drill_id}"}}')


def test_a_broken_save_does_not_cut_off_a_rep_mid_drill(servers):
    path, sender = servers.drills_dir / "price_live.yml", "live-broken-save"
    path.write_text(EXAMPLE.replace("id: price_margin", "id: price_live"), encoding="utf-8")
    tries = itertools.count()
    try:
        _wait_for(lambda: "drill_intro" in _kinds(_started(servers, f"{sender}-{next(tries)}", "price_live")),
                  "loaded the new drill")
        assert payload(_started(servers, sender, "price_live"), "drill_intro")["drill_id"] == "price_live"
        assert payload(post(servers.port, sender, REPLIES[0]), "customer_line")["turn"] == 1
        broken = path.read_text(encoding="utf-8").replace("max_turns: 6", "max_turns: [6")
        path.write_text(broken, encoding="utf-8")
        # The error is logged with file:line and the fix; the last good version stays live. Both
        # processes watch the folder (the Rasa process for the desk and the page's state), each
        # logging in its own time: wait for the action server's line, the one reps depend on.
        where = f"price_live.yml:{line_of_text(broken, 'max_turns: [6')}: [E002] YAML syntax error"
        kept = "drill price_live.yml not reloaded (stale); reps keep the last good version"
        _wait_for(lambda: where in _log(servers) and kept in _log(servers), "reported the broken save")
        answer = post(servers.port, sender, REPLIES[1])
        assert payload(answer, "customer_line")["turn"] == 2 and "drill_end" not in _kinds(answer)
        assert payload(post(servers.port, sender, "退出"), "drill_confirm")["ask"] == "stop"
        card = payload(post(servers.port, sender, "/stop_drill"), "scorecard")
        assert card["drill_id"] == "price_live" and card["outcome"] == "stopped"
        [result] = ResultsStore(servers.results_db).results(sender)
        assert result.drill_id == "price_live" and len(result.moves) == 2
    finally:  # other tests share these servers: "练习价格异议" must not pick this drill
        path.unlink()
        time.sleep(1.5)


def _save_slowly(path: Path, data: bytes, done: threading.Event) -> None:
    """Write in pieces, as a slow editor or a network share does, so the coach sees it grow."""
    with path.open("wb") as fh:
        for start in range(0, len(data), 256 * 1024):
            fh.write(data[start:start + 256 * 1024])
            fh.flush()
            time.sleep(0.05)
    done.set()


def test_a_5_mb_file_saved_under_load_is_refused_and_every_rep_is_answered(servers):
    path = servers.drills_dir / "huge.yml"
    drills = [p.stem for p in drill_files(PROJECT_ROOT / "data" / "drills")][:10]
    saved, data = threading.Event(), bench.big_drill(5 * 2**20, "huge")

    def rep(n: int) -> None:
        sender = f"live-load-{n}"
        assert payload(_started(servers, sender, drills[n]), "drill_intro")["drill_id"] == drills[n]
        if n == 0:
            threading.Thread(target=_save_slowly, args=(path, data, saved)).start()
        for text in REPLIES:
            kinds = _kinds(post(servers.port, sender, text))
            assert "customer_line" in kinds or "scorecard" in kinds, (drills[n], text, kinds)
            assert "drill_end" not in kinds, (drills[n], text, kinds)
            if "scorecard" in kinds:
                break
        post(servers.port, sender, "/stop_drill")
        post(servers.port, sender, "/stop_drill")

    try:
        assert in_threads(rep, 10) == []
        assert saved.wait(60)
        _wait_for(lambda: "huge.yml: [E004] the file is 5.0 MB; a drill file may be at most 256 KB"
                  in _log(servers), "reported the file as too large")
        assert "drill_intro" not in _kinds(_started(servers, "live-load-huge", "huge"))
        # the other drills keep working
        assert payload(_started(servers, "live-load-after", "price_margin"), "drill_intro")
        assert payload(post(servers.port, "live-load-after", REPLIES[0]), "customer_line")["turn"] == 1
        post(servers.port, "live-load-after", "/stop_drill")
        post(servers.port, "live-load-after", "/stop_drill")
    finally:
        path.unlink(missing_ok=True)
        time.sleep(1.5)
