"""Which case of an objection a rep's description of the customer's reason is about.

「他说跟隔壁的XX比的」 → price.comparable, "he's worried about his margin" → price.higher.margin: a small
similarity model per objection (TF-IDF over Chinese character n-grams and English content words)
over each case's label, signal and sample lines, the objection's analysis (each clause under the case
it reads most like) and what the customer says about that case in the drills (hidden truth, reveal
lines). Not a phrase list: a trainer's new case or drill is matched without code changes.
Plain Python: used by actions/objections.py, tested in tests/unit/actions/test_followups.py.
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

from coach.content.library import default_library
from coach.content.playbook import Branch, Objection, Playbook
from coach.errors import CoachError
from coach.i18n import normalize_text
from coach.replies import followups

# The best case must reach MATCH and beat the runner-up by MATCH_MARGIN (set on the examples in
# tests/unit/actions/test_followups.py; generic objection lines score 0 to 0.18).
MATCH = 0.2
MATCH_MARGIN = 0.05


def _documents(objection: Objection) -> list[tuple[str, str]]:
    """(case path, text) for every case: its label, signal and sample lines, in every language, and
    what the customer says in a drill stage about that case (its hidden truth and its reveal lines)."""
    docs: list[tuple[str, str]] = []
    cases = followups.walk(objection.branches)
    for branch in cases:
        # A parent case's lines ask which sub-case it is (「是怕顾客不接受，还是怕利润不够？」): left out.
        for text in (branch.label, branch.signal, *(() if branch.children else branch.lines)):
            docs += [(branch.path, str(value)) for value in text.values() if value]
    paths = {b.path for b in cases}
    try:
        drills = default_library().all()
    except CoachError:  # broken drill files: the playbook alone still matches
        drills = []
    for drill in drills:
        for stage in drill.stages:
            if stage.branch in paths:
                for text in (stage.truth, *stage.lines.get("reveal", ())):
                    docs += [(stage.branch, str(value)) for value in text.values() if value]
    return docs


_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[a-z]+")
_EN_STOP = frozenset("""a an the he she they it is are was were be been his her their our your my me i you we
    him them this that these those to of in on at for with and or but so if then than as by from about
    says said say tells told tell do does did not no just really very too also its it's he's she's
    what which who how when want wants
    another other others different objection objections show try let lets next one some any please more
    can could would should will get got going""".split())


_ZH_FUNCTION = frozenset("他她它说讲的了是我你们这那个吗呢吧啊就都也还在很又怎么什啥该")


def _features(text: str) -> list[str]:
    """Chinese characters, bigrams and trigrams, and English content words (crudely stemmed).

    Function characters (他, 的, 说) and English function words say nothing about which case it is:
    n-grams with them are left out."""
    text = normalize_text(text).lower().replace("xx", " ")
    out: list[str] = []
    for run in _HAN_RUN.findall(text):
        grams = [run[i:i + n] for n in (1, 2, 3) for i in range(len(run) - n + 1)]
        out += [g for g in grams if not _ZH_FUNCTION.intersection(g)]
    for word in _WORD.findall(text):
        if word not in _EN_STOP and len(word) > 2:
            out.append(re.sub(r"(ing|ed|es|s)$", "", word) if len(word) > 4 else word)
    return out


class CaseMatcher:
    """TF-IDF over Chinese character 2-3-grams and English words of each case's texts; a case scores
    its most similar document."""

    def __init__(self, objection: Objection) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        docs = _documents(objection)
        self._paths = [path for path, _ in docs]
        # Words of the objection itself (its title, what the customer says) are in every case alike:
        # "the price is too high" names the objection, not a case.
        common = {f for t in (objection.title, objection.customer_says)
                  for v in t.values() for f in _features(str(v))}
        self._vectorizer = TfidfVectorizer(analyzer=lambda t: [f for f in _features(t) if f not in common],
                                           sublinear_tf=True)
        self._matrix = self._vectorizer.fit_transform([t for _, t in docs])
        # Analysis items ("我们确实比同类贵，他怕顾客不接受") belong to no case in the playbook: each
        # clause of one joins the case whose texts it is closest to, so the rep's words for the same
        # worry find that case too.
        extra = [part.strip() for a in objection.analysis for v in a.values() if v
                 for part in re.split(r"[,，、;；。]|\band\b", str(v)) if part.strip()]
        if extra:
            scores = self._scores_of(extra)
            docs += [(max(s, key=s.__getitem__), text) for s, text in zip(scores, extra, strict=False)]
            self._paths = [path for path, _ in docs]
            self._matrix = self._vectorizer.transform([t for _, t in docs])

    def _scores_of(self, texts: Sequence[str]) -> list[dict[str, float]]:
        similarity = (self._vectorizer.transform(list(texts)) @ self._matrix.T).toarray()
        out = []
        for row in similarity:
            best: dict[str, float] = {}
            for path, value in zip(self._paths, row, strict=False):
                best[path] = max(best.get(path, 0.0), float(value))
            out.append(best)
        return out

    def scores(self, text: str) -> dict[str, float]:
        return self._scores_of([text])[0]

    def match(self, text: str) -> Optional[str]:
        """The case `text` describes, or None when no case stands out."""
        ranked = sorted(self.scores(text).items(), key=lambda item: -item[1])
        if not ranked or ranked[0][1] < MATCH:
            return None
        runner = ranked[1][1] if len(ranked) > 1 else 0.0
        return ranked[0][0] if ranked[0][1] - runner >= MATCH_MARGIN else None


_MATCHERS: dict[tuple[str, int], CaseMatcher] = {}  # (objection id, id of the loaded Objection) -> matcher


def _matcher(objection: Objection) -> CaseMatcher:
    """One matcher per loaded objection (a reloaded playbook gets new ones)."""
    key = (objection.id, id(objection))
    if key not in _MATCHERS:
        if len(_MATCHERS) > 64:
            _MATCHERS.clear()
        _MATCHERS[key] = CaseMatcher(objection)
    return _MATCHERS[key]


def match_case(playbook: Playbook, objection: Objection, text: str) -> Optional[Branch]:
    if not text or text.startswith("/"):
        return None
    path = _matcher(objection).match(text)
    found = playbook.branch(path) if path else None
    return found[1] if found else None
