"""The trainer's desk and the rep's own lists over HTTP, under the web chat's /webhooks/coach/ prefix.

`desk_routes` is given two checks by the web channel (coach/server/channels/web.py): `person`
returns the signed-in Person of a request (InboundError 401 without a valid token) and `trainer`
the same for trainers only (403 for a rep); both refuse another site's Origin (403). Every handler
but the page's calls one of them first. Stores are read in a worker thread (asyncio.to_thread):
a slow database must not hold up the reps' messages, which share this event loop. What is read
and written is desk_data.py's and desk_plans.py's; the inputs are checked by desk_input.py.
"""
from __future__ import annotations

import asyncio
import inspect
from typing import Any, Callable, List, Optional

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from coach.errors import InboundError
from coach.practice.assignments import MAX_TITLE
from coach.results.csv_export import BOM
from coach.server.channels import desk_data, desk_input, desk_plans
from coach.server.channels.base import Route
from coach.server.channels.desk_data import Sources
from coach.server.channels.headers import SECURITY_HEADERS
from coach.server.channels.inbound import json_body
from coach.service import dry_run
from coach.settings import WEB_DIR

Authorize = Callable[[Request], Any]
NO_STORE = {"Cache-Control": "no-store"}


def chat_page(request: Request) -> str:
    """The chat page's address, for a sign-in link: what comes before trainer/ or desk in this URL."""
    path = request.path
    cut = path.find("/trainer/")
    return f"{request.scheme}://{request.host}{path[:cut + 1] if cut >= 0 else '/'}"


def lang_of(request: Request) -> str:
    return desk_input.language(request.args.get("lang"))


class Desk:
    """The desk's handlers; `sources` None means the real stores (desk_data.default_sources)."""

    def __init__(self, person: Authorize, trainer: Authorize, sources: Optional[Sources] = None) -> None:
        self._person, self._trainer, self._sources = person, trainer, sources

    @property
    def src(self) -> Sources:
        if self._sources is None:
            self._sources = desk_data.default_sources()
        return self._sources

    @staticmethod
    async def _who(check: Authorize, request: Request) -> Any:
        found = await asyncio.to_thread(check, request)  # it reads the people store
        return await found if inspect.isawaitable(found) else found

    async def _json(self, work: Callable[..., Any], *args: Any) -> HTTPResponse:
        return response.json(await asyncio.to_thread(work, self.src, *args), headers=NO_STORE)

    @staticmethod
    async def desk_page(request: Request) -> HTTPResponse:
        return await response.file(WEB_DIR / "desk.html", headers=SECURITY_HEADERS, mime_type="text/html")

    async def team(self, request: Request) -> HTTPResponse:
        await self._who(self._trainer, request)
        return await self._json(desk_data.team, lang_of(request))

    async def reps(self, request: Request) -> HTTPResponse:
        await self._who(self._trainer, request)
        return await self._json(desk_data.reps)

    async def invite(self, request: Request) -> HTTPResponse:
        trainer = await self._who(self._trainer, request)
        body = json_body(request, '{"name": "王芳", "team": "华东"}')
        name = desk_input.text_field(body, "name", desk_input.MAX_NAME)
        team = desk_input.text_field(body, "team", desk_input.MAX_NAME, required=False)
        return await self._json(desk_data.invite, name, team, trainer, chat_page(request))

    async def revoke(self, request: Request, rep_id: str) -> HTTPResponse:
        await self._who(self._trainer, request)
        return await self._json(desk_data.revoke, desk_input.id_text(rep_id, "rep id"))

    async def new_code(self, request: Request, rep_id: str) -> HTTPResponse:
        await self._who(self._trainer, request)
        return await self._json(desk_data.new_code, desk_input.id_text(rep_id, "rep id"), chat_page(request))

    async def rep(self, request: Request, rep_id: str) -> HTTPResponse:
        await self._who(self._trainer, request)
        return await self._json(desk_data.rep_detail, desk_input.id_text(rep_id, "rep id"), lang_of(request))

    async def attempt(self, request: Request, result_id: str) -> HTTPResponse:
        await self._who(self._trainer, request)
        return await self._json(desk_data.attempt, desk_input.id_text(result_id, "attempt id"),
                                lang_of(request))

    async def drills(self, request: Request) -> HTTPResponse:
        await self._who(self._trainer, request)
        return await self._json(desk_data.drills, lang_of(request))

    async def drill_choices(self, request: Request) -> HTTPResponse:
        await self._who(self._trainer, request)
        lang = lang_of(request)
        return await self._json(lambda src: {"drills": desk_data.drill_choices(src, lang)})

    async def assignments(self, request: Request) -> HTTPResponse:
        await self._who(self._trainer, request)
        return await self._json(desk_plans.listing)

    async def assign(self, request: Request) -> HTTPResponse:
        trainer = await self._who(self._trainer, request)
        body = json_body(request, '{"title": "...", "drill_ids": ["price_margin"], "due_at": "2026-12-31", '
                                  '"rep_id": "..."}')
        title = desk_input.text_field(body, "title", MAX_TITLE)
        ids, due = desk_input.drill_ids(body), desk_input.due_at(body.get("due_at"))
        return await self._json(desk_plans.create, title, ids, due, desk_input.target(body), trainer)

    async def unassign(self, request: Request, assignment_id: str) -> HTTPResponse:
        await self._who(self._trainer, request)
        return await self._json(desk_plans.remove, desk_input.id_text(assignment_id, "assignment id"))

    async def export(self, request: Request, name: str) -> HTTPResponse:
        await self._who(self._trainer, request)
        table = name[:-4] if name.endswith(".csv") else ""
        if table not in desk_plans.TABLES:
            raise InboundError(404, f"No table {name!r}; export one of "
                                    f"{', '.join(t + '.csv' for t in desk_plans.TABLES)}.")
        rep = request.args.get("rep")
        text = await asyncio.to_thread(desk_plans.export, self.src, table,
                                       desk_input.id_text(rep, "rep id") if rep is not None else None,
                                       lang_of(request))
        return response.text(BOM + text, content_type="text/csv; charset=utf-8", headers={
            **NO_STORE, "Content-Disposition": f'attachment; filename="coach-{table}.csv"'})

    async def try_drill(self, request: Request) -> HTTPResponse:
        await self._who(self._trainer, request)
        body = json_body(request, '{"drill_id": "price_margin", "lang": "zh-Hans", "lines": ["..."]}')
        drill_id = desk_input.id_text(body.get("drill_id"), "drill_id")
        lang, lines = desk_input.language(body.get("lang")), desk_input.lines(body)
        drill = await asyncio.to_thread(lambda: self.src.library().get(drill_id))
        if drill is None:
            raise InboundError(404, f"No drill has the id {drill_id!r}; choose one from the list.")
        # The first call trains the generic move model (a few seconds): a worker thread, not the loop.
        return response.json(await asyncio.to_thread(dry_run.replay, drill, lines, lang), headers=NO_STORE)

    async def my_assignments(self, request: Request) -> HTTPResponse:
        me = await self._who(self._person, request)
        return await self._json(desk_plans.mine, me, lang_of(request))

    def routes(self) -> List[Route]:
        get, post = ("GET",), ("POST",)
        return [Route("/desk", get, self.desk_page), Route("/trainer/team", get, self.team),
                Route("/trainer/reps", get, self.reps), Route("/trainer/reps", post, self.invite),
                Route("/trainer/reps/<rep_id>/revoke", post, self.revoke),
                Route("/trainer/reps/<rep_id>/code", post, self.new_code),
                Route("/trainer/reps/<rep_id>", get, self.rep),
                Route("/trainer/attempts/<result_id>", get, self.attempt),
                Route("/trainer/drills", get, self.drills),
                Route("/trainer/choices", get, self.drill_choices),
                Route("/trainer/assignments", get, self.assignments),
                Route("/trainer/assignments", post, self.assign),
                Route("/trainer/assignments/<assignment_id>/remove", post, self.unassign),
                Route("/trainer/export/<name>", get, self.export),
                Route("/trainer/try", post, self.try_drill),
                Route("/me/assignments", get, self.my_assignments)]


def desk_routes(person: Authorize, trainer: Authorize, sources: Optional[Sources] = None) -> List[Route]:
    """The desk's routes; each handler calls `person` or `trainer` before anything else."""
    return Desk(person, trainer, sources).routes()
