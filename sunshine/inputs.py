"""One input policy for every route: hostile values are refused before any view, or database, sees them.

Two kinds of value broke the server when it was attacked from outside: a
number too large for the database (SQLite's 64-bit integers, PostgreSQL's
32-bit ``integer``), and a NUL character, which PostgreSQL refuses in text.
Neither can be a citizen's or an official's honest input, so neither is let
through, whatever route it is sent to:

* **Integers in the address** (``<int:…>``) are ASCII digits no larger than
  :data:`MAX_INT`; anything else does not match the route (404).  Integers in
  the query string are read with :func:`int_arg`, which answers 400 for a
  value that is not an integer in the range the view asks for.
* **Control characters** (Unicode category Cc: U+0000–U+001F, U+007F–U+009F)
  in the path, the query string, a form field, an uploaded file's name or a
  JSON body are refused with a clear message and status 400 by one
  ``before_request`` hook, installed first so that it runs before sign-in,
  CSRF, rate limits or any view.  Tab, CR and LF are whitespace, not
  refused, in a query, a form field or a JSON string (a multi-line answer is
  normal text, a pasted search may hold a tab); a path may hold none.

The hook and the converter belong to the app, not to a blueprint: a route
added later by any part of the project is covered without a line of its own.
A view whose form should be shown again on such a refusal registers a
renderer with :func:`on_refusal`; it is given the form as typed, minus the
refused characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, HTTPException, abort
from werkzeug.routing import IntegerConverter, Map

#: The largest integer any address or query parameter may carry: PostgreSQL's ``integer``.
MAX_INT = 2**31 - 1
#: Refused anywhere in a path.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: Refused in queries, form fields and JSON strings, where tab, CR and LF are ordinary whitespace.
TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: JSON integers beyond a signed 64-bit column are refused outright.
JSON_INT_LIMIT = 2**63

MESSAGE_ADDRESS = "网址中含有无法识别的字符（控制字符），请检查网址后重试。"
MESSAGE_FORM = (
    "您填写的内容中含有无法识别的字符（控制字符），已将其删除；其余内容没有丢失，请检查后再次提交。"
)
MESSAGE_FIELD = "此处含有无法识别的字符（已删除），请检查后再次提交"
MESSAGE_FILE = "附件的文件名中含有无法识别的字符，请将文件改名后重新选择"

_RENDERERS = "sunshine.inputs.renderers"


class SafeIntegerConverter(IntegerConverter):
    """``<int:…>`` for the whole app: ASCII digits only, 0 … :data:`MAX_INT` unless the rule says otherwise.

    Werkzeug's own converter takes any Unicode digit and any size, so an
    address such as ``/admin/attachments/99999999999999999999`` reached the
    database and failed there.
    """

    regex = r"[0-9]{1,32}"

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = 0,
        max: int | None = MAX_INT,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    @property
    def signed_regex(self) -> str:
        return f"-?{self.regex}"


@dataclass
class Refusal:
    """A request refused by the policy: what to say, and what was typed with the bad characters taken out."""

    message: str
    #: The posted form, each value without its refused characters (empty when nothing was posted).
    form: MultiDict[str, str] = field(default_factory=MultiDict)
    #: Each form field that held refused characters (its name, as posted) → what to say beside it.
    fields: dict[str, str] = field(default_factory=dict)


class RefusedInput(BadRequest):
    """Raised by the policy hook; answered by the refusal renderer of the endpoint, or a generic page."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


Renderer = Callable[[Refusal], ResponseReturnValue]


def on_refusal(app: Flask, endpoint: str, renderer: Renderer) -> None:
    """Show ``endpoint``'s own form again (status 400) when the policy refuses a post to it."""
    app.extensions.setdefault(_RENDERERS, {})[endpoint] = renderer


def int_arg(name: str, default: int, *, minimum: int = 0, maximum: int = MAX_INT) -> int:
    """The query parameter ``name`` as an integer in [minimum, maximum]; absent or empty → ``default``.

    Anything else (not an integer, out of range) is answered with 400: the
    value can only come from an edited address, and a clear refusal is better
    than a database error or a silently different page.
    """
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"-?[0-9]{1,12}", raw) or not minimum <= int(raw) <= maximum:
        abort(400, description=f"参数 {name} 须为 {minimum} 至 {maximum} 之间的整数。")
    return int(raw)


def client_address() -> str | None:
    """The client's address as it may be recorded (audit log, sessions): no control characters, ≤ 64.

    Behind a proxy it is read from ``X-Forwarded-For`` (``PROXY_COUNT``), a
    header anyone can write when the server is reached without that proxy.
    """
    address = request.remote_addr
    return (CONTROL.sub("", address)[:64] or None) if address else None


def clean(value: str) -> str:
    """``value`` without the characters a form field may not hold."""
    return TEXT_CONTROL.sub("", value)


def _bad_form_fields(form: MultiDict[str, str]) -> list[str]:
    return [
        key for key, value in form.items(multi=True) if TEXT_CONTROL.search(key) or TEXT_CONTROL.search(value)
    ]


def _bad_json(value: Any) -> bool:
    """Whether a parsed JSON document holds a control character or an integer no column can store."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if TEXT_CONTROL.search(item):
                return True
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int):
            if not -JSON_INT_LIMIT <= item < JSON_INT_LIMIT:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def check_request() -> None:
    """The policy: raise :class:`RefusedInput` for a request carrying a value no route may receive."""
    if CONTROL.search(request.path) or any(
        TEXT_CONTROL.search(key) or TEXT_CONTROL.search(value)
        for key, value in request.args.items(multi=True)
    ):
        raise RefusedInput(Refusal(MESSAGE_ADDRESS))
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        fields = {clean(name): MESSAGE_FIELD for name in _bad_form_fields(request.form)}
        for name, upload in request.files.items(multi=True):
            if CONTROL.search(upload.filename or ""):
                fields[clean(name)] = MESSAGE_FILE
        if fields:
            kept: MultiDict[str, str] = MultiDict(
                (clean(key), clean(value)) for key, value in request.form.items(multi=True)
            )
            raise RefusedInput(Refusal(MESSAGE_FORM, kept, fields))
    elif request.is_json:
        document = request.get_json(silent=True)
        if document is not None and _bad_json(document):
            raise RefusedInput(Refusal("请求中含有控制字符或超出范围的整数。"))


def wants_json() -> bool:
    """Whether the refusal should be JSON: an ``/api/`` address, a JSON body, or a client asking for it."""
    if request.path.startswith("/api/") or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _refused(exc: RefusedInput) -> ResponseReturnValue:
    renderer = current_app.extensions.get(_RENDERERS, {}).get(request.endpoint)
    if renderer is not None and exc.refusal.form:
        # The policy runs before sign-in checks, so a renderer makes the view's own checks (signed in?
        # allowed to see this record?) and may refuse: the plain refusal below is the answer then.
        try:
            return renderer(exc.refusal)
        except HTTPException:
            pass
    if wants_json():
        return jsonify({"error": exc.refusal.message}), 400
    return render_template("errors/400.html", message=exc.refusal.message), 400


def _bad_request(exc: BadRequest) -> ResponseReturnValue:
    """Any other 400 (a malformed body, :func:`int_arg`): the same page, with Werkzeug's or our reason."""
    description = exc.description if exc.description != BadRequest.description else None
    message = description or "请求无法处理，请检查网址或返回上一页重试。"
    if wants_json():
        return jsonify({"error": message}), 400
    return render_template("errors/400.html", message=message), 400


def init_app(app: Flask) -> None:
    """Install the converter and the hook; call before any blueprint registers a route."""
    app.url_map.converters["int"] = SafeIntegerConverter
    # First of all hooks: sign-in, CSRF and rate limits must not read a refused value either.
    app.before_request_funcs.setdefault(None, []).insert(0, check_request)
    app.register_error_handler(RefusedInput, _refused)
    app.register_error_handler(BadRequest, _bad_request)
