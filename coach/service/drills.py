"""Role-play drills as the coach runs them: list, start, each rep message (a reply or a command),
stop, finish, progress.

Plain Python over plain inputs (rep id, language, text, entity values, NLU moves, the session);
each call returns the replies to send and what becomes of the session. The Rasa actions
(actions/drills.py) only translate between this and the tracker. The drill library, the results
store, the playbook, the assignments and the rep's team are passed in as providers, called on every
use: the default ones follow $COACH_DRILLS_DIR and $COACH_RESULTS_DB, and tests pass fakes.
"""
from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Protocol, Sequence, TypeVar, Union

from coach.content.drills import Drill
from coach.content.library import default_library
from coach.content.playbook import Playbook, default_playbook
from coach.drill import engine
from coach.drill.picker import pick
from coach.drill.scoring import score
from coach.drill.session import DrillSession
from coach.i18n import localize
from coach.moves.matcher import detect_moves, prepare_all
from coach.practice.assignments import Assignment, default_assignments, team_of
from coach.practice.next_drill import Suggestion, suggest_next
from coach.replies import drills as replies
from coach.replies.base import Reply
from coach.replies.objections import language_set, plain
from coach.results.store import DrillResult, ProgressRow, default_store
from coach.service import control
from coach.service.control import RepMessage

logger = logging.getLogger(__name__)
MAX_QUOTED = 1000  # characters of a rep reply kept in the session and transcript
T = TypeVar("T")


class Drills(Protocol):
    """What the service needs of a drill library (coach.content.library.DrillLibrary)."""

    def get(self, drill_id: str) -> Optional[Drill]: ...

    def all(self) -> List[Drill]: ...


class Results(Protocol):
    """What the service needs of a results store (coach.results.store.ResultsStore)."""

    def add(self, result: DrillResult) -> bool: ...

    def progress(self, rep_id: Optional[str] = None) -> List[ProgressRow]: ...

    def results(self, rep_id: Optional[str] = None) -> List[DrillResult]: ...


class Assignments(Protocol):
    """What the service needs of the assignments (coach.practice.assignments.AssignmentStore)."""

    def for_rep(self, rep_id: str, team: str) -> List[Assignment]: ...


@dataclass
class Outcome:
    """The replies to send, in order, and the session afterwards."""

    replies: List[Reply] = field(default_factory=list)
    session: Optional[DrillSession] = None
    kept: bool = False  # True: the session was left as it was (nothing to store in the slot)
    over: bool = False  # reply(): the drill is over, or there is none; the form may close
    text: Optional[str] = None  # reply(): the rep's reply as counted, when it was a turn
    pending: Optional[str] = None  # turn(): the confirmation now asked (control.STOP, "start:<id>")


class DrillService:
    """Every drill use case; holds providers only, so one instance serves a whole process."""

    def __init__(self, library: Callable[[], Drills] = default_library,
                 store: Callable[[], Results] = default_store,
                 playbook: Callable[[], Playbook] = default_playbook,
                 clock: Callable[[], float] = time.time, rng: Optional[random.Random] = None,
                 assignments: Callable[[], Assignments] = default_assignments,
                 team: Callable[[str], str] = team_of) -> None:
        self._library = library
        self._store = store
        self._playbook = playbook
        self._clock = clock
        self._rng = rng  # None: drills are picked and phrased at random
        self._assignments = assignments
        self._team = team  # rep id -> their team ("" when unknown), from the people table

    # --- reading -------------------------------------------------------------------------------

    def drill_for(self, session: Optional[DrillSession]) -> Optional[Drill]:
        """The session's drill; None when its file was removed or broke meanwhile."""
        return self._library().get(session.drill_id) if session else None

    def progress_rows(self, rep_id: str) -> List[ProgressRow]:
        try:
            return self._store().progress(rep_id)
        except Exception:  # a broken results file must not stop the drill itself
            logger.exception("results store unavailable")
            return []

    def _guarded(self, what: str, read: Callable[[], T], fallback: T) -> T:
        """A read for the next-drill suggestion: a broken store must not stop the drill itself."""
        try:
            return read()
        except Exception:
            logger.exception("%s unavailable for the next-drill suggestion", what)
            return fallback

    def suggestion(self, rep_id: str, exclude: Optional[str] = None) -> Optional[Suggestion]:
        """The rep's next drill and why (coach.practice.next_drill): overdue assignment, due review,
        open assignment, then the weakest objection."""
        none: tuple[List[DrillResult], List[Assignment]] = ([], [])
        results = self._guarded("results store", lambda: self._store().results(rep_id), none[0])
        team = self._guarded("people table", lambda: self._team(rep_id), "")
        assigned = self._guarded("assignments", lambda: self._assignments().for_rep(rep_id, team), none[1])
        return suggest_next(rep_id, team, results, assigned, self._library().all(), self._clock(),
                            exclude=exclude)

    def suggest(self, rep_id: str, exclude: Optional[str] = None) -> Optional[Drill]:
        """The rep's next drill (see suggestion())."""
        found = self.suggestion(rep_id, exclude)
        return found.drill if found else None

    # --- the actions' work ---------------------------------------------------------------------

    def list_drills(self, lang: str) -> Outcome:
        return Outcome([replies.drill_menu(self._library().all(), self._playbook(), lang)])

    def progress(self, rep_id: str, lang: str) -> Outcome:
        """The rep's own figures per objection and what to do next."""
        rows = self.progress_rows(rep_id)
        found = self.suggestion(rep_id)
        return Outcome([replies.progress(rows, self._playbook(), lang, found.drill if found else None,
                                         found.reason if found else None)])

    def start(self, rep_id: str, lang: str, text: str, drill_id: object,
              running: Optional[DrillSession]) -> Outcome:
        """A drill by id (a button, `drill_id` the entity's raw value) or named in `text`.

        Nothing to start: a running drill goes on. A new drill ends the running one, scored first.
        """
        choice = self._choose(lang, text, drill_id)
        running_drill = self.drill_for(running) if running and running.running else None
        if isinstance(choice, Reply):
            if running and running_drill:
                return Outcome([choice, plain("drill_in_progress", lang)], running, kept=True)
            return Outcome([choice])
        sent = [self._scorecard(rep_id, lang, running_drill, engine.stop(running))] \
            if running and running_drill else []
        seed = self._rng.randrange(1 << 30) if self._rng else None
        session, opening = engine.start(choice, lang, seed=seed)
        sent += [replies.intro(choice, lang), replies.customer_line(choice, session, opening, "opening")]
        return Outcome(sent, session)

    def _choose(self, lang: str, text: str, drill_id: object) -> Union[Drill, Reply]:
        """The drill to start, or the menu that says why there is none."""
        library, playbook = self._library(), self._playbook()
        # A "/start_drill..." payload never picks by its words: without a valid id (broken JSON, a
        # forged entity) it is an unknown drill.
        if drill_id is not None or text.startswith("/"):
            drill = library.get(drill_id) if isinstance(drill_id, str) else None  # only known ids pass
            return drill or replies.drill_menu(library.all(), playbook, lang, "drill_unknown")
        drill, named = pick(text, library.all(), playbook, self._rng)
        if drill is not None:
            return drill
        if not named:
            return replies.drill_menu([], playbook, lang)
        objection = playbook.for_intent(named[0])
        title = localize(objection.title, lang) if objection else named[0]
        return replies.drill_menu(library.all(), playbook, lang, "drill_none_for", objection=title)

    def turn(self, rep_id: str, lang: str, session: Optional[DrillSession], message: RepMessage,
             pending: Optional[str] = None) -> Outcome:
        """One rep message while a drill runs: a reply to the customer, unless it is a real command.

        Stop and "start another drill" ask once (`pending` is what was asked last); "go on" resumes
        at the same turn. Any other message is a reply and drops the question.
        """
        drill = self.drill_for(session)
        if session is None or drill is None or not session.running:
            return self.reply(lang, session, message.text, message.moves)
        kind = control.command(message, pending)
        if kind == control.STOP:
            # Confirmed (asked already, or the confirm button naming this drill): the form ends and
            # its end scores the drill. A page that asked the rep itself may send that button's payload.
            if pending == control.STOP or message.drill_id == session.drill_id:
                return Outcome([], engine.stop(session), over=True)
            return Outcome([replies.confirm_stop(drill, session, lang)], session, kept=True,
                           pending=control.STOP)
        if kind == control.START:
            return self._another(rep_id, lang, drill, session, message, pending)
        if kind in (control.GO_ON, control.LANGUAGE):
            return self._go_on(lang, drill, session, switched=kind == control.LANGUAGE)
        return self.reply(lang, session, message.text, message.moves)

    def _another(self, rep_id: str, lang: str, drill: Drill, session: DrillSession, message: RepMessage,
                 pending: Optional[str]) -> Outcome:
        """Another drill asked for mid-drill: ask first; its button (the same drill) confirms."""
        choice = self._choose(lang, message.text, message.drill_id)
        if isinstance(choice, Reply):  # nothing to start: the drill goes on
            return Outcome([choice, plain("drill_in_progress", lang)], session, kept=True)
        wanted = control.START_PREFIX + choice.id
        if pending != wanted:
            return Outcome([replies.confirm_start(drill, session, choice, lang)], session, kept=True,
                           pending=wanted)
        return self.start(rep_id, lang, message.text, choice.id, session)

    def _go_on(self, lang: str, drill: Drill, session: DrillSession, switched: bool = False) -> Outcome:
        """The drill goes on at the same turn (after "go on", or a language button): the last line again,
        in the language the rep now uses, so that the page and the customer switch together."""
        state = session.turns[-1].state if session.turns else "opening"
        line = session.last_line or ""
        if switched:
            said_in, session.lang = session.lang, engine.drill_lang(drill, lang)
            line = session.last_line = engine.resay(drill, line, said_in, session.lang)
        return Outcome([language_set(lang) if switched else replies.going_on(lang),
                        replies.customer_line(drill, session, line, state)],
                       session, kept=not switched)

    def reply(self, lang: str, session: Optional[DrillSession], text: str,
              nlu_moves: Sequence[str]) -> Outcome:
        """One rep message during a drill: moves found, the customer moved, feedback and the answer."""
        if session is None:
            return Outcome(kept=True, over=True)
        drill = self.drill_for(session)
        if drill is None:
            return Outcome([replies.drill_gone(session.drill_id, lang)], engine.stop(session), over=True)
        text = text.strip()
        if text.startswith("/"):  # a button (progress, a branch...) pressed mid-drill is not a reply
            return Outcome([plain("drill_in_progress", lang)], session, kept=True)
        text = text[:MAX_QUOTED]
        session.lang = engine.drill_lang(drill, lang)  # a rep who switches language mid-drill is followed
        prepare_all(self._library().all())  # cached per drill version: a no-op unless files changed
        result = engine.step(drill, session, text, detect_moves(drill, text, nlu_moves))
        sent = [] if drill.exam else [replies.feedback(drill, result, text, lang)]
        if result.customer:
            sent.append(replies.customer_line(drill, session, result.customer, result.state))
        return Outcome(sent, session, over=bool(result.ended), text=text)

    def stop(self, rep_id: str, lang: str, session: Optional[DrillSession]) -> Outcome:
        """'stop': the running drill ends with a scorecard; with none running, say so."""
        drill = self.drill_for(session)
        if session is None or drill is None or session.ended == "stopped":
            return Outcome([replies.not_running(self._library().all(), self._playbook(), lang)])
        return Outcome([self._scorecard(rep_id, lang, drill, engine.stop(session))])

    def finish(self, rep_id: str, lang: str, session: Optional[DrillSession]) -> Outcome:
        """A drill that ended by itself (goal, turns, walk-away): its scorecard, stored once."""
        drill = self.drill_for(session)
        if session is None or drill is None or session.running:
            return Outcome()
        return Outcome([self._scorecard(rep_id, lang, drill, session)])

    # --- scoring and storing -------------------------------------------------------------------

    @staticmethod
    def _transcript(drill: Drill, session: DrillSession, lang: str) -> List[dict]:
        """The transcript to store, each rep line with its moves, penalties and feedback; the plain
        lines if that fails (a drill edited mid-session), so that the score is stored all the same."""
        try:
            return replies.stored_transcript(drill, session, lang)
        except Exception:
            logger.exception("could not rebuild the turns of drill session %s", session.id)
            return session.transcript_json()

    def _scorecard(self, rep_id: str, lang: str, drill: Drill, session: DrillSession) -> Reply:
        """Score, store (exactly once: the session id is the result's key) and build the scorecard.

        An attempt without a single reply is discarded: a 0 would only be noise in the rep's figures.
        """
        if not session.turns:
            return replies.not_scored(drill, lang)
        card = score(drill, session)
        result = DrillResult(
            result_id=session.id, rep_id=rep_id, drill_id=drill.id, objection=drill.objections[0],
            difficulty=drill.difficulty, score=card.score, passed=card.passed, outcome=card.outcome,
            truth_uncovered=card.truth_uncovered, moves=card.moves,
            transcript=self._transcript(drill, session, lang),
            started_at=session.started_at, finished_at=self._clock())
        saved = True
        try:
            self._store().add(result)
        except Exception:  # the rep still gets the scorecard, told it was not kept
            logger.exception("could not store drill result %s", session.id)
            saved = False
        found = self.suggestion(rep_id, exclude=drill.id)
        return replies.scorecard(drill, card, session, lang, found.drill if found else None, saved=saved,
                                 reason=found.reason if found else None)
