"""`python -m coach.people.cli`: the first trainer, invites, new codes, revoking, the list, the key."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from coach.people import PeopleStore, cli
from coach.people.cli import main, sign_in_link
from coach.people.tokens import SigningKey
from coach.settings import PROJECT_ROOT

CODE = re.compile(r"Sign-in code \(shown only now\): (\S+)")


def _run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_make_trainer_prints_the_code_once_the_link_and_that_only_a_hash_is_kept(tmp_path):
    db = tmp_path / "fresh" / "results.db"  # a fresh clone: no .state/ yet
    argv = ["--db", str(db), "trainer", "--name", "Li Na", "--team", "east"]
    done = subprocess.run([sys.executable, "-m", "coach.people.cli", *argv], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "RASA_PORT": "5010"})
    assert done.returncode == 0, done.stderr
    code = CODE.search(done.stdout).group(1)
    assert f"http://127.0.0.1:5010/webhooks/coach/#code={code}" in done.stdout
    assert "Only a hash of the code is kept" in done.stdout
    with PeopleStore(db) as store:
        trainer = store.sign_in(code)
    assert (trainer.name, trainer.role, trainer.team) == ("Li Na", "trainer", "east")


def test_the_link_follows_the_host_and_port(monkeypatch):
    monkeypatch.delenv("RASA_PORT", raising=False)
    monkeypatch.delenv("COACH_HOST", raising=False)
    monkeypatch.delenv("COACH_ALLOWED_HOSTS", raising=False)
    assert sign_in_link("rep-abc234.x") == "http://127.0.0.1:5005/webhooks/coach/#code=rep-abc234.x"
    monkeypatch.setenv("COACH_HOST", "coach.example")
    monkeypatch.setenv("RASA_PORT", "8080")
    assert sign_in_link("c") == "http://coach.example:8080/webhooks/coach/#code=c"
    monkeypatch.setenv("COACH_HOST", "::1")
    assert sign_in_link("c").startswith("http://[::1]:8080/")
    monkeypatch.setenv("COACH_HOST", "0.0.0.0")
    assert "0.0.0.0" not in sign_in_link("c")  # every interface: the machine's name, which a phone can use
    monkeypatch.setenv("COACH_ALLOWED_HOSTS", "coach.shop.lan, 10.0.0.5")
    assert sign_in_link("c").startswith("http://coach.shop.lan:8080/")  # the name the coach answers to


def test_invite_new_code_revoke_and_list(tmp_path, capsys):
    db = str(tmp_path / "results.db")
    status, out, _ = _run(capsys, "--db", db, "invite", "--name", "王伟", "--team", "华东")
    code = CODE.search(out).group(1)
    person_id = code.split(".")[0]
    assert status == 0 and person_id.startswith("rep-")
    status, out, _ = _run(capsys, "--db", db, "new-code", person_id)
    new = CODE.search(out).group(1)
    assert status == 0 and new != code and "no longer work" in out
    status, out, _ = _run(capsys, "--db", db, "list")
    assert status == 0 and re.search(rf"{person_id}\s+rep\s+华东\s+王伟\s+\S+ \S+\s+active", out)
    assert _run(capsys, "--db", db, "revoke", person_id)[0] == 0
    status, out, _ = _run(capsys, "--db", db, "revoke", person_id)
    assert status == 1 and "already revoked" in out
    assert "revoked 20" in _run(capsys, "--db", db, "list", "--role", "rep")[1]
    assert _run(capsys, "--db", db, "list", "--role", "trainer")[1].startswith("Nobody yet")
    with PeopleStore(db) as store:
        assert store.sign_in(new) is None and store.sign_in(code) is None


@pytest.mark.parametrize("argv, status, words", [
    (["invite", "--name", ""], 2, "Enter a name"),
    (["invite", "--name", "x" * 41], 2, "at most 40"),
    (["trainer", "--name", "Li", "--team", "a\nb"], 2, "control character"),
    (["new-code", "rep-abc234"], 1, "No person has the id 'rep-abc234'"),
    (["revoke", "rep-abc234"], 1, "No person has the id 'rep-abc234'"),
])
def test_mistakes_get_a_clear_error_and_exit_status(tmp_path, capsys, argv, status, words):
    db = str(tmp_path / "results.db")
    _run(capsys, "--db", db, "invite", "--name", "someone")  # the database exists
    got, out, err = _run(capsys, "--db", db, *argv)
    assert got == status and words in err and err.startswith("error: ")


def test_a_missing_database_is_not_created_by_list_or_revoke(tmp_path, capsys):
    db = tmp_path / "typo.db"
    for argv in (["list"], ["revoke", "rep-abc234"], ["new-code", "rep-abc234"]):
        status, _, err = _run(capsys, "--db", str(db), *argv)
        assert status == 2 and "no results database" in err and not db.exists()


def test_a_bad_database_url_is_a_clear_error(capsys):
    status, _, err = _run(capsys, "--db", "mysql://u:pw@host/db", "list")
    assert status == 2 and "postgresql://" in err and "pw" not in err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["invite"])
    assert exc.value.code == 2 and "--name" in capsys.readouterr().err


def test_rotate_key_replaces_the_key_file(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("COACH_CHAT_SECRET", raising=False)
    path = tmp_path / "chat_secret"
    monkeypatch.setattr(cli, "SECRET_FILE", path)
    key = SigningKey(path)
    old = key.current()
    status, out, _ = _run(capsys, "rotate-key")
    assert status == 0 and str(path) in out and key.current() != old
    monkeypatch.setenv("COACH_CHAT_SECRET", "from-env")
    status, _, err = _run(capsys, "rotate-key")
    assert status == 2 and "COACH_CHAT_SECRET is set" in err
