"""One input policy for every route: hostile values get a clear 4xx, never a 5xx, on SQLite and PostgreSQL.

The walking test reads the application's URL map, so a route added by any
part of the project — the case ledger, online applications — is walked too
without a line here.  It learns each route's query and form parameters by
recording which names the view looks up (a recording ``MultiDict`` as the
request's parameter storage), then sends every hostile value to every path
argument and every parameter, as an anonymous visitor and as a signed-in
administrator.
"""

from __future__ import annotations

import io
import re
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from feedback_helpers import PASSWORD, add_staff, csrf_of, form_values, login, receipt, soup, submit
from flask import Blueprint, Flask, jsonify, request
from flask.testing import FlaskClient
from werkzeug.datastructures import ImmutableMultiDict

from sunshine import inputs
from sunshine.feedback import db
from sunshine.feedback.models import Attachment
from sunshine.store import get_content
from sunshine.web.urls import public_pages

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

#: Sent to every path argument and every parameter of every route.
HOSTILE = (
    "\x00",
    "TS-20260101-0001\x00",
    "\x1b[2J",
    "\x7f\x85",
    "99999999999999999999",
    "2147483648",
    "-1",
    "9" * 5000,
    "x" * 5000,
    "'\";--<script>%00",
    "１２３",
    "",
)

#: Plausible values for parameters the views read, so a hostile value in one field goes as deep as it can.
#: Stands for the visitor's current CSRF token in a form to be posted.
CURRENT = object()

PLAUSIBLE = {
    "name": "张三",
    "phone": "13800138000",
    "title": "标题",
    "body": "内容",
    "kind": "咨询",
    "username": "admin",
    "password": PASSWORD,
    "satisfied": "1",
    "note": "请尽快办理",
    "page": "1",
}


# -- learning which parameters a view reads ------------------------------------------------------

_looked_up: set[str] = set()


class RecordingMultiDict(ImmutableMultiDict):  # type: ignore[type-arg]
    """The request's args, form and files, noting every name a view looks up."""

    def __getitem__(self, key: Any) -> Any:
        _looked_up.add(key)
        return super().__getitem__(key)

    def get(self, key: Any, default: Any = None, type: Any = None) -> Any:
        _looked_up.add(key)
        return super().get(key, default, type)

    def getlist(self, key: Any, type: Any = None) -> Any:
        _looked_up.add(key)
        return super().getlist(key, type)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            _looked_up.add(key)
        return super().__contains__(key)


@dataclass
class Visitor:
    """A test client as a citizen (who has sent a message) or as a signed-in administrator.

    Walking the routes signs the citizen in (the sign-in form, posted with
    plausible values) and the administrator out (the logout route): before
    each request each is put back in their role, with their session's CSRF token.
    """

    role: str
    client: FlaskClient
    csrf: str = ""
    raw_csrf: str | None = None

    def restore(self) -> None:
        with self.client.session_transaction() as session:
            signed_in = "staff_session" in session
            if signed_in and self.role != "staff":
                session.pop("staff_session")
        if self.role == "staff" and not signed_in:
            assert login(self.client, "admin").status_code == 303
        with self.client.session_transaction() as session:
            raw = session.get("csrf_token")
        if raw is None or raw != self.raw_csrf:
            self.csrf = csrf_of(self.client, "/admin/login")
            with self.client.session_transaction() as session:
                self.raw_csrf = session.get("csrf_token")


@dataclass
class Walk:
    app: Flask
    visitors: list[Visitor]
    samples: dict[str, dict[str, str]]
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    #: (role, method, endpoint) → the parameters given hostile values.
    walked: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)

    @staticmethod
    def url(rule: Any, args: dict[str, str]) -> str:
        """The rule's path with each argument put in, percent-encoded as a browser would send it."""
        return PLACEHOLDER.sub(lambda m: urllib.parse.quote(args[m.group(1)], safe=""), rule.rule)

    def send(
        self, visitor: Visitor, method: str, url: str, data: dict[str, Any] | None = None, **options: Any
    ) -> set[str]:
        """One request with the visitor's CSRF token (unless that is under test); any 5xx is a failure.

        Returns the parameter names the view looked up.
        """
        visitor.restore()
        if data is not None:
            data = {**data}
            if data.get("csrf_token") == CURRENT:
                data["csrf_token"] = visitor.csrf
            options["data"] = data
        if "json" in options:
            options["headers"] = {"X-CSRFToken": visitor.csrf}
        _looked_up.clear()
        response = visitor.client.open(url, method=method, **options)
        self.requests += 1
        if response.status_code >= 500:
            sent = {k: (v[:40] if isinstance(v, str) else v) for k, v in (data or {}).items()}
            self.failures.append(f"{visitor.role} {method} {url[:120]} {sent} → {response.status_code}")
        response.close()
        return set(_looked_up)

    def baseline(self, visitor: Visitor, rule: Any, url: str) -> dict[str, Any]:
        """What a browser would post to this route: its page's form, plausible values, a valid CSRF token."""
        data: dict[str, Any] = {}
        if "GET" in rule.methods:
            page = soup(visitor.client.get(url).data)
            if page.select_one("form[method=post]") is not None:
                data.update(form_values(page, "form[method=post]"))
        data.update(PLAUSIBLE)
        data.update(self.samples["__form__"])
        data["csrf_token"] = CURRENT
        return data

    def walk_route(self, rule: Any) -> None:
        in_path = PLACEHOLDER.findall(rule.rule)
        samples = {**self.samples["__args__"], **self.samples.get(rule.endpoint, {})}
        args = {name: samples.get(name, "x") for name in in_path}
        url = self.url(rule, args)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for visitor in self.visitors:
                base = self.baseline(visitor, rule, url) if method == "POST" else None
                names = self.send(visitor, method, url, base)
                for name in in_path:
                    for value in HOSTILE:
                        self.send(visitor, method, self.url(rule, {**args, name: value}), base)
                done: set[str] = set()
                # A hostile value may lead a view to read names it did not read before: walk those too.
                while names - done:
                    name = min(names - done)
                    done.add(name)
                    for value in HOSTILE:
                        if base is not None:
                            names |= self.send(visitor, method, url, {**base, name: value})
                        else:
                            names |= self.send(
                                visitor, method, f"{url}?{urllib.parse.urlencode({name: value})}"
                            )
                    if base is not None:
                        upload = (io.BytesIO(PNG), "照片\x00.png")
                        self.send(
                            visitor, method, url, {**base, name: upload}, content_type="multipart/form-data"
                        )
                if base is not None:
                    self.send(visitor, method, url, json={"text": "\x00", "n": 10**30})
                self.walked[(visitor.role, method, rule.endpoint)] = done


#: ``<number>``, ``<int:attachment_id>``, ``<path:filename>``: the argument's name is the group.
PLACEHOLDER = re.compile(r"<(?:[^<>:]+:)?([^<>:]+)>")


@pytest.fixture
def policy_app(make_feedback_app: Callable[..., Flask], db_url: str | None) -> Iterator[Flask]:
    """The server on the parametrized database, with limits out of the way so every value reaches its view."""
    app = make_feedback_app(
        DATABASE_URL=db_url,
        FEEDBACK_SUBMIT_LIMIT="100000 per minute",
        FEEDBACK_TRACK_LIMIT="100000 per minute",
        FEEDBACK_LOGIN_LIMIT="100000 per minute",
        FEEDBACK_LOGIN_FREE_FAILURES=100000,
    )
    app.request_class = type(
        "RecordingRequest", (app.request_class,), {"parameter_storage_class": RecordingMultiDict}
    )
    yield app


def test_every_route_refuses_hostile_values_without_an_error(policy_app: Flask) -> None:
    app = policy_app
    add_staff(app, "admin", "管理员")
    citizen = Visitor("citizen", app.test_client())
    number, code = receipt(
        citizen.client, submit(citizen.client, "投诉", attachment=(io.BytesIO(PNG), "照片.png"))
    )
    staff = Visitor("staff", app.test_client())
    with db.session_scope(app) as session:
        attachment_id = str(session.query(Attachment.id).scalar())
    samples: dict[str, dict[str, str]] = {
        "__args__": {
            "number": number,
            "attachment_id": attachment_id,
            "page": "1",
            "filename": "css/site.css",
        },
        "__form__": {"number": number, "code": code},
    }
    with app.test_request_context():
        for ref in public_pages(get_content()):
            samples.setdefault(ref.endpoint, {k: str(v) for k, v in ref.values.items()})

    walk = Walk(app, [citizen, staff], samples)
    rules = list(app.url_map.iter_rules())
    for rule in rules:
        walk.walk_route(rule)

    assert walk.failures == [], f"{len(walk.failures)} of {walk.requests} requests failed:\n" + "\n".join(
        walk.failures[:30]
    )
    assert {endpoint for _, _, endpoint in walk.walked} == {rule.endpoint for rule in rules}
    # The parameters were found by watching the views: the ones that reach a database among them.
    for (role, method, endpoint), names in {
        ("citizen", "POST", "feedback.new"): {
            "title",
            "body",
            "name",
            "phone",
            "item",
            "staff_badge",
            "rating",
        },
        ("citizen", "POST", "feedback.track"): {"number", "code"},
        ("citizen", "POST", "feedback.status"): {"satisfied", "comment"},
        ("citizen", "POST", "admin.login"): {"username", "password", "next"},
        ("staff", "GET", "admin.messages_list"): {"status", "kind", "department", "page"},
        ("staff", "POST", "admin.message_act"): {"action", "reason", "reply", "department"},
        ("staff", "POST", "supervision.send_urge"): {"note"},
        ("citizen", "GET", "search.api"): {"q", "limit", "department"},
    }.items():
        assert names <= walk.walked[(role, method, endpoint)], (role, method, endpoint)


# -- the reported requests, one by one -----------------------------------------------------------


@pytest.fixture
def app_with_staff(make_feedback_app: Callable[..., Flask], db_url: str | None) -> Flask:
    app = make_feedback_app(DATABASE_URL=db_url)
    add_staff(app, "admin", "管理员")
    return app


def test_the_reported_requests_get_a_clear_answer(app_with_staff: Flask) -> None:
    app = app_with_staff
    staff = app.test_client()
    assert login(staff, "admin").status_code == 303
    anonymous = app.test_client()
    expected = {
        "/admin/?page=99999999999999999999": 400,
        "/admin/?page=0": 400,
        "/admin/?page=abc": 400,
        "/admin/attachments/99999999999999999999": 404,
        "/admin/attachments/2147483648": 404,
        "/admin/attachments/%EF%BC%91": 404,  # a full-width digit is not a number in an address
        "/admin/messages/%00": 400,
        "/admin/?department=%00": 400,
        "/feedback/replies/%00/": 400,
        "/feedback/replies/page/99999999999999999999/": 404,
    }
    for url, status in expected.items():
        response = staff.get(url)
        assert response.status_code == status, url
        if status == 400:
            assert "无法" in response.get_data(as_text=True) or "整数" in response.get_data(as_text=True)
    assert anonymous.get("/feedback/replies/%00/").status_code == 400
    for url, fields in (
        ("/feedback/track", {"number": "TS-20260101-0001\x00", "code": "ABCD"}),
        ("/admin/login", {"username": "admin\x00", "password": "whatever"}),
    ):
        data = {**form_values(soup(anonymous.get(url).data), "form[method=post]"), **fields}
        response = anonymous.post(url, data=data)
        assert response.status_code == 400, url
        page = soup(response.data)
        assert page.title.text.startswith("错误：")
        assert inputs.MESSAGE_FIELD in page.select_one(".error-summary").get_text()


def test_a_citizen_form_with_a_control_character_comes_back_as_typed_minus_that_character(
    app_with_staff: Flask,
) -> None:
    client = app_with_staff.test_client()
    body = "第一行\t缩进\r\n第二行\x00结尾\x1b"
    response = submit(client, "咨询", title="标题\x07", body=body, name="张三")
    assert response.status_code == 400
    page = soup(response.data)
    assert page.title.text.startswith("错误：")
    links = {a["href"]: a.text for a in page.select(".error-summary a")}
    assert links == {"#title": inputs.MESSAGE_FIELD, "#body": inputs.MESSAGE_FIELD}
    assert page.select_one("#title")["value"] == "标题"
    # Tab and line breaks are kept in a multi-line field (an HTML parser reads CRLF as LF).
    assert page.select_one("#body").text.removeprefix("\n") == "第一行\t缩进\n第二行结尾"
    assert page.select_one("#name")["value"] == "张三"
    assert inputs.MESSAGE_FIELD in page.select_one("#body-error").get_text()
    # What came back can be sent as it is.
    again = client.post(
        "/feedback/new", data=form_values(page, "form.feedback-form"), content_type="multipart/form-data"
    )
    assert again.status_code == 303


def test_an_attachment_named_with_a_control_character_is_refused_with_the_form_kept(
    app_with_staff: Flask,
) -> None:
    client = app_with_staff.test_client()
    response = submit(client, "投诉", body="窗口态度差", attachment=(io.BytesIO(PNG), "照片\x00.png"))
    assert response.status_code == 400
    page = soup(response.data)
    assert page.select_one("#attachment-error") is not None
    assert inputs.MESSAGE_FILE in page.select_one("#attachment-error").get_text()
    assert page.select_one("#body").text.strip() == "窗口态度差"


def test_a_staff_reply_with_a_control_character_is_kept(app_with_staff: Flask) -> None:
    app = app_with_staff
    citizen = app.test_client()
    number, _ = receipt(citizen, submit(citizen, "咨询"))
    staff = app.test_client()
    login(staff, "admin")
    page = soup(staff.get(f"/admin/messages/{number}").data)
    token = page.select_one("input[name=csrf_token]")["value"]
    staff.post(f"/admin/messages/{number}/act", data={"csrf_token": token, "action": "accept"})
    reply = "您好：\n请携带身份证\x00原件。"
    response = staff.post(
        f"/admin/messages/{number}/act", data={"csrf_token": token, "action": "draft_reply", "reply": reply}
    )
    assert response.status_code == 400
    page = soup(response.data)
    assert page.title.text.startswith("错误：")
    assert page.select_one(".error-summary a")["href"] == "#reply"
    assert page.select_one("textarea#reply").text.lstrip("\r\n") == "您好：\n请携带身份证原件。"
    assert response.headers["Cache-Control"] == "no-store"


def test_routes_added_later_are_covered_without_code_of_their_own(
    make_feedback_app: Callable[..., Flask],
) -> None:
    """A blueprint registered after the app was made — as the case ledger's will be — gets the same policy."""
    app = make_feedback_app()
    later = Blueprint("later", __name__)
    seen: list[Any] = []

    @later.get("/later/<int:case_id>")
    def by_id(case_id: int) -> Any:
        seen.append(case_id)
        return jsonify(id=case_id)

    @later.post("/api/later/events")
    def events() -> Any:
        seen.append(request.get_json())
        return jsonify(ok=True)

    app.register_blueprint(later)
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # a JSON API authenticates by other means
    client = app.test_client()
    assert client.get("/later/2147483647").json == {"id": 2147483647}
    assert client.get("/later/2147483648").status_code == 404
    assert client.get("/later/99999999999999999999").status_code == 404
    assert client.get("/later/1?q=%00").status_code == 400
    refused = client.post("/api/later/events", json={"events": [{"note": "a\u0000b"}]})
    assert refused.status_code == 400 and "error" in refused.json
    assert client.post("/api/later/events", json={"n": 2**70}).status_code == 400
    assert client.post("/api/later/events", json={"note": "多行\n文本\t可以"}).status_code == 200
    assert seen == [2147483647, {"note": "多行\n文本\t可以"}]
