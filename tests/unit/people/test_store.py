"""The people store: invite, sign in, new codes, revoking, token versions, on the results database."""
from __future__ import annotations

import re
import sqlite3

import pytest

from coach import cache
from coach.errors import ResultsStoreError
from coach.people import ROLES, PeopleStore, Person, PersonNotFound, default_people
from coach.people.codes import parse_code
from coach.results.store import DrillResult, ResultsStore
from tests.conftest import HTML_NAME, SQL_NAMES


@pytest.fixture
def store(tmp_path):
    with PeopleStore(tmp_path / "results.db") as people:
        yield people


def test_an_invited_rep_signs_in_with_their_code_only(store):
    person, code = store.invite("  王小明 ", team="华东")
    assert person == Person(person.person_id, "王小明", "rep", "华东", person.created_at, "cli", None)
    assert person.active and person.person_id.startswith("rep-") and parse_code(code)[0] == person.person_id
    assert store.sign_in(code) == person == store.get(person.person_id)
    other, other_code = store.invite("王小明")  # the same name is another person
    assert other.person_id != person.person_id and store.sign_in(other_code) == other
    wrong = code[:-1] + ("a" if code[-1] != "a" else "b")
    assert store.sign_in(wrong) is None
    assert store.verify(wrong).reason == "wrong code"


def test_an_unknown_person_is_refused_like_a_wrong_code(store):
    verdict = store.verify("rep-abc234.abcdefghjkmnpqrstu")
    assert verdict.person is None and verdict.reason == "unknown person"
    with pytest.raises(ValueError, match="not a sign-in code"):
        store.sign_in("coach-local")


def test_only_the_hash_is_stored(store, tmp_path):
    person, code = store.invite("Anna")
    with sqlite3.connect(tmp_path / "results.db") as db:
        [(stored,)] = db.execute("SELECT secret_hash FROM people WHERE person_id = ?", (person.person_id,))
    assert stored.startswith("$argon2id$") and parse_code(code)[1] not in stored


def test_trainers_and_who_created_whom(store):
    trainer, code = store.invite("Li Na", role="trainer", team="east")
    rep, _ = store.invite("Wang Wei", team="east", created_by=trainer.person_id)
    assert trainer.role == "trainer" and trainer.person_id.startswith("trn-")
    assert store.sign_in(code) == trainer
    assert store.get(rep.person_id).created_by == trainer.person_id
    assert ROLES == ("rep", "trainer")


def test_a_new_code_ends_the_old_one_and_every_token(store):
    person, old = store.invite("Anna")
    assert store.token_version(person.person_id) == 1
    new = store.new_code(person.person_id)
    assert new != old and store.sign_in(old) is None and store.sign_in(new) == person
    assert store.token_version(person.person_id) == 2
    assert store.current(person.person_id, 1) is None and store.current(person.person_id, 2) == person
    with pytest.raises(PersonNotFound, match="rep-abc234"):
        store.new_code("rep-abc234")


def test_revoking_ends_sign_in_and_tokens_at_once(store):
    person, code = store.invite("Anna")
    assert store.current(person.person_id, 1) == person
    assert store.revoke(person.person_id) is True
    assert store.revoke(person.person_id) is False and store.revoke("rep-abc234") is False
    assert store.sign_in(code) is None and store.verify(code).reason == "revoked"
    assert store.token_version(person.person_id) is None and store.current(person.person_id, 2) is None
    revoked = store.get(person.person_id)
    assert revoked is not None and not revoked.active and revoked.revoked_at is not None
    again = store.new_code(person.person_id)  # a trainer lets them back in, with a new code only
    assert store.sign_in(again).active and store.sign_in(code) is None


def test_people_are_listed_by_team_then_name(store):
    for name, team, role in [("Zoe", "b", "rep"), ("Amy", "b", "rep"), ("Bob", "", "rep"),
                             ("Cai", "a", "trainer")]:
        store.invite(name, role=role, team=team)
    listed = [(p.team, p.name) for p in store.people()]
    assert listed == [("", "Bob"), ("a", "Cai"), ("b", "Amy"), ("b", "Zoe")]
    assert [p.name for p in store.people("trainer")] == ["Cai"]


@pytest.mark.parametrize("name, team, words", [
    ("", "", "Enter a name"), ("   ", "", "Enter a name"), ("x" * 41, "", "at most 40"),
    ("Anna", "t" * 41, "team has 41"), ("An\x00na", "", "U+0000"), ("An\u200bna", "", "U+200B"),
    ("Anna", "east\nwest", "U+000A"), ("👩\u200d💼 Ana", "", "U+200D"), (None, "", "text"),
    ("Anna", 7, "team must be text"),
])
def test_bad_names_and_teams_are_refused_with_the_fix(store, name, team, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        store.invite(name, team=team)
    assert store.people() == []


def test_a_bad_role_is_refused(store):
    with pytest.raises(ValueError, match="rep, trainer"):
        store.invite("Anna", role="admin")


@pytest.mark.parametrize("name", SQL_NAMES + [HTML_NAME, "Ana 😀 李"])
def test_hostile_and_odd_names_are_stored_as_data(store, name):
    person, code = store.invite(name, team=name[:40])
    assert store.sign_in(code).name == person.name
    assert [p.person_id for p in store.people()] == [person.person_id]
    if name in SQL_NAMES + [HTML_NAME]:
        assert person.name == name and person.team == name  # verbatim: only ever a bound parameter


@pytest.mark.parametrize("name, kept", [("  spaced   out  \n", "spaced out"), ("ＡＢＣ　Ｌｅｅ", "ABC Lee")])
def test_names_are_trimmed_and_normalised(store, name, kept):
    assert store.invite(name)[0].name == kept


def test_people_share_the_results_database(tmp_path):
    path = tmp_path / "results.db"
    with PeopleStore(path) as people:
        person, _ = people.invite("Anna")
    result = DrillResult("r1", person.person_id, "price_margin", "objection_price", 1, 80, True, "goal", True,
                         [["acknowledge"]], [], 1.0, 2.0)
    with ResultsStore(path) as results:
        results.add(result)
    with PeopleStore(path) as people:
        assert people.get(person.person_id) == person


def test_a_closed_store_says_so(tmp_path):
    people = PeopleStore(tmp_path / "results.db")
    people.close()
    with pytest.raises(ResultsStoreError, match="closed"):
        people.people()


def test_the_default_store_follows_the_results_database(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_RESULTS_DB", str(tmp_path / "one.db"))
    first = default_people()
    assert default_people() is first and first.path == tmp_path / "one.db"
    monkeypatch.setenv("COACH_RESULTS_DB", str(tmp_path / "two.db"))
    second = default_people()
    assert second.path == tmp_path / "two.db" and first.closed
    cache.reset_all()
    assert second.closed and default_people() is not second
    cache.reset_all()
