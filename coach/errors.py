"""The coach's errors: one `CoachError` base, and the error codes for content problems.

Every error the coach raises on purpose derives from CoachError, so an entry point can catch
"a problem the user can fix" apart from a bug, and each message says what is wrong, where and how
to fix it. Content problems (playbook, drills) carry codes: a message template and a fix hint,
so every report says what is wrong, where (file:line) and what to do. Codes are stable: docs and
tests refer to them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from coach.settings import PROJECT_ROOT

# code -> (message template, how to fix)
CODES: dict[str, tuple[str, str]] = {
    "E001": ("cannot read file: {detail}", "Check that the file exists and is UTF-8 text."),
    "E002": (
        "YAML syntax error: {detail}",
        "Fix the YAML syntax at this line (indentation, quotes, a ':' inside an unquoted string).",
    ),
    "E003": (
        "duplicate key '{key}' (first defined at line {first})",
        "Remove or rename one of the two keys; YAML would silently keep only the last one.",
    ),

    "E004": (
        "the file is {size}; a drill file may be at most {limit}, so it is not loaded",
        "Shorten it: a drill is a few KB (the longest shipped one is 24 KB). Remove pasted material "
        "(transcripts, whole documents) or split it into two drills.",
    ),
    "E005": (
        "'{name}' ends in '{suffix}'; drill files end in '.yml', so the coach does not load it",
        "Rename the file to {stem}.yml.",
    ),
    "E010": ("{detail}", "See the schema in {schema}."),
    "E011": ("missing required field '{field}'", "Add '{field}:' here (see the schema in {schema})."),
    "E012": ("unknown field '{field}'", "Remove it or fix its spelling; allowed fields are: {allowed}."),
    "E013": ("'{field}' must be {expected}, got {got}", "Change the value to {expected}."),
    "E014": (
        "'{field}' has {count} items; it needs {bounds}",
        "Add or remove items so that there are {bounds}.",
    ),
    "E015": (
        "'{field}' is too long ({length} characters, at most {limit})",
        "Shorten it: the coach is read on a phone screen.",
    ),
    "E016": ("'{field}' value '{value}' is not allowed", "Use one of: {allowed}."),
    "E017": (
        "'{field}' value '{value}' does not match the pattern {pattern}",
        "Use lower-case letters, digits and '_' only.",
    ),
    "E018": ("'{field}' must not be empty", "Write the text, or remove the field if it is optional."),
    "E019": ("'{field}' is {value}; it must be {bounds}", "Use a value {bounds}."),
    "E101": (
        "playbook entry id '{id}' does not match the file name '{stem}'",
        "Rename the file to {id}.yml or set 'id: {stem}'.",
    ),
    "E102": (
        "intent '{intent}' is covered by two playbook files: {other}",
        "Keep one entry per objection intent.",
    ),
    "E103": (
        "no playbook entry for objection intent '{intent}'",
        "Add data/playbook/<id>.yml with 'intent: {intent}'.",
    ),
    "E104": (
        "duplicate branch id '{id}' among siblings",
        "Give each branch of the same parent a distinct id.",
    ),
    "E105": ("source file '{cited}' is not one of the seed documents", "Cite one of: {allowed}."),
    "E106": (
        "playbook folder {folder} has no .yml files",
        "Point COACH_PLAYBOOK_DIR at the folder that holds the playbook.",
    ),
    "E107": (
        "unknown move '{move}' in '{field}'",
        "Use a generic move from data/moves/moves.yml: {generic}.",
    ),
    "E108": (
        "case '{case}' both recommends and discourages '{move}'",
        "Keep '{move}' in one list: the drills credit what a case recommends and may penalise what it "
        "discourages.",
    ),
    # Drills (data/drills/*.yml, docs/drills.md)
    "E201": (
        "drill id '{id}' does not match the file name '{stem}'",
        "Rename the file to {id}.yml or set 'id: {stem}'.",
    ),
    "E202": (
        "unknown move '{move}' in {field}",
        "Use a generic move ({generic}) or a key move defined under 'key_moves:' ({keys}).",
    ),
    "E203": (
        "{field} has no '{lang}' text, but 'languages' lists {lang}",
        "Add '{lang}:' here, or remove {lang} from 'languages'.",
    ),
    "E204": (
        "rubric 'required' weights add up to {total}, not 100",
        "Change the weights so that they add up to 100: the score is out of 100.",
    ),
    "E205": ("objection '{objection}' is not one the coach knows", "Use one of: {allowed}."),
    "E206": (
        "'objections' lists {listed}, but the stages raise {staged}",
        "List the objection of each stage, in stage order.",
    ),
    "E207": (
        "hidden truth branch '{branch}' is not in the playbook",
        "Use a branch path from data/playbook, e.g. price.higher.margin.",
    ),
    "E208": (
        "key move '{move}' has the name of a generic move",
        "Rename it: generic moves ({generic}) are detected already.",
    ),
    "E209": (
        "key move '{move}': spaCy pattern {index} is invalid: {detail}",
        "Fix the token pattern; see https://spacy.io/usage/rule-based-matching (keys such as LOWER, "
        "TEXT, REGEX, IN, OP).",
    ),
    "E212": (
        "{stage}: case '{case}' is not in the playbook",
        "Use a branch path from data/playbook, e.g. price.higher.margin (the objection id, then the branch "
        "ids).",
    ),
    "E213": (
        "'rubric.forbidden' penalises '{move}', but {stage} trains case '{case}', whose strategy "
        "recommends it",
        "Remove '{move}' from 'forbidden' (list it under 'required' to credit it), or name the case the "
        "stage really trains: the playbook is the reference.",
    ),
    "E214": (
        "'effects' make '{move}' lower trust or push or cool the customer, but {stage} trains case '{case}', "
        "whose strategy recommends it",
        "Remove the effect for '{move}', or give it a non-negative trust and the mood 'opens'.",
    ),
    "E215": (
        "'red_lines' lists '{move}', but {stage} trains case '{case}', whose strategy recommends it",
        "Remove '{move}' from 'red_lines': a red line is a move no case of the playbook recommends.",
    ),
    "E216": (
        "drill id '{id}' is already used by {other}",
        "Give this drill an id no other drill uses: {suggestion}",
    ),
    "E211": (
        "drill folder {folder} has no .yml files",
        "Point COACH_DRILLS_DIR at the folder that holds the drills, or add a drill (docs/drills.md).",
    ),
}


@dataclass(frozen=True)
class Problem:
    """One content problem, located in a file."""

    code: str
    file: Path
    line: Optional[int]
    message: str
    fix: str

    @classmethod
    def make(cls, code: str, file: Path, line: Optional[int], **values: object) -> Problem:
        template, fix = CODES[code]
        return cls(code, Path(file), line, template.format(**values), fix.format(**values))

    def location(self) -> str:
        path = self.file
        try:
            path = path.resolve().relative_to(PROJECT_ROOT)
        except ValueError:
            pass
        return f"{path}:{self.line}" if self.line else str(path)

    def __str__(self) -> str:
        return f"{self.location()}: [{self.code}] {self.message}\n    fix: {self.fix}"


class CoachError(Exception):
    """Base of the coach's own errors: something the user or operator can fix, said in the message."""


class ContentError(CoachError):
    """Raised when content files are invalid; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} in content files:"
        super().__init__("\n".join([header, *map(str, self.problems)]))


class InboundError(CoachError):
    """A request a channel will not run: the HTTP status and a message saying how to fix the request."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class ResultsStoreError(CoachError, RuntimeError):
    """The results database cannot be used (not SQLite, corrupt, unreachable, unreadable, too new).

    Also a RuntimeError, as it always was: callers that catch RuntimeError keep working.
    """
