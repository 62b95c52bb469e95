"""The citizen form's multipart parser agrees with Werkzeug's on every body; browsers' take its fast path.

Bodies are written the way browsers serialize a form (the WHATWG rules: CRLF
line breaks, ``"`` CR LF in names and filenames as %22 %0D %0A), then also
mangled — preamble, padding, bare LF, truncation, junk — and both parsers
must return the same fields and files, or fail the same way.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from feedback_helpers import get_message, receipt, submit
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser

from sunshine.feedback import db
from sunshine.feedback.formdata import FAST_MAX_BYTES, CitizenFormDataParser, split_form_data
from sunshine.feedback.models import Attachment

BOUNDARY_CHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=?"
boundaries = st.text(BOUNDARY_CHARS, min_size=1, max_size=70)
names = st.text(max_size=12)
values = st.text(max_size=40)
files = st.tuples(
    names, names, st.sampled_from([None, "image/png", "application/octet-stream"]), st.binary(max_size=60)
)


def _escape(name: str) -> str:
    return name.replace("\n", "%0A").replace("\r", "%0D").replace('"', "%22")


def browser_body(boundary: str, fields: list[tuple[str, str]], uploads: list[tuple[Any, ...]]) -> bytes:
    """A form-data body exactly as Chromium and Firefox write one."""
    out = []
    for name, value in fields:
        value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{_escape(name)}"\r\n\r\n'.encode())
        out.append(value.encode() + b"\r\n")
    for name, filename, content_type, content in uploads:
        disposition = f'form-data; name="{_escape(name)}"; filename="{_escape(filename)}"'
        head = f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
        if content_type:
            head += f"Content-Type: {content_type}\r\n"
        out.append(head.encode() + b"\r\n" + content + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out)


def parse(parser_class: type[FormDataParser], body: bytes, boundary: str, **limits: Any) -> Any:
    """What a view would see: fields, files (name, filename, type, bytes), or the exception raised."""
    # In memory: Werkzeug leaves its temporary file open when it gives up on a malformed body.
    parser = parser_class(stream_factory=lambda **_: io.BytesIO(), **limits)
    try:
        _, form, uploaded = parser.parse(
            io.BytesIO(body), "multipart/form-data", len(body), {"boundary": boundary}
        )
    except RequestEntityTooLarge as exc:
        return type(exc)
    return (
        list(form.items(multi=True)),
        [(k, f.filename, f.content_type, f.name, f.read()) for k, f in uploaded.items(multi=True)],
    )


@settings(max_examples=300, deadline=None)
@given(boundaries, st.lists(st.tuples(names, values), max_size=6), st.lists(files, max_size=2))
def test_agrees_with_werkzeug_on_browser_bodies(boundary: str, fields: list[Any], uploads: list[Any]) -> None:
    body = browser_body(boundary, fields, uploads)
    assert parse(CitizenFormDataParser, body, boundary) == parse(FormDataParser, body, boundary)


MANGLE = st.sampled_from(
    [
        lambda b, d: b"preamble\r\n" + b,
        lambda b, d: b.replace(d + b"\r\n", d + b"  \r\n", 1),
        lambda b, d: b.replace(b"\r\n", b"\n"),
        lambda b, d: b.replace(b"\r\n", b"\r"),
        lambda b, d: b[: len(b) // 2],
        lambda b, d: b[:-4],
        lambda b, d: b + b"epilogue",
        lambda b, d: b.replace(d + b"--", d, 1),
        lambda b, d: b.replace(b"Content-Disposition", b"Content-Disposition ", 1),
        lambda b, d: b.replace(b"Content-Disposition: ", b"Content-Disposition:\r\n ", 1),
        lambda b, d: b.replace(b"form-data; ", b"form-data;", 1),
        lambda b, d: b.replace(b'name="', b'NAME="', 1),
        lambda b, d: b.replace(b"\r\n\r\n", b"\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n", 1),
        lambda b, d: b.replace(b"\r\n\r\n", b"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n", 1),
        lambda b, d: b.replace(b"\r\n\r\n", b"\r\n\xff\xfe: x\r\n\r\n", 1),
        lambda b, d: b.replace(b'"\r\n', b'\\""\r\n', 1),
        lambda b, d: b.replace(d + b"\r\n", d + b"\r\n" + d + b"\r\n", 1),
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    boundaries,
    st.lists(st.tuples(names, values), min_size=1, max_size=4),
    st.lists(files, max_size=1),
    st.lists(MANGLE, min_size=1, max_size=3),
)
def test_agrees_with_werkzeug_on_mangled_bodies(
    boundary: str, fields: list[Any], uploads: list[Any], mangles: list[Any]
) -> None:
    body = browser_body(boundary, fields, uploads)
    for mangle in mangles:
        body = mangle(body, f"--{boundary}".encode())
    assert parse(CitizenFormDataParser, body, boundary) == parse(FormDataParser, body, boundary)


def test_browser_bodies_take_the_fast_path_and_odd_ones_do_not() -> None:
    boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
    fields = [("csrf_token", "abc.def"), ("title", "营业执照"), ("body", "第一行\n第二行")]
    body = browser_body(boundary, fields, [("attachment", "", "application/octet-stream", b"")])
    parts = split_form_data(body, boundary.encode())
    assert parts is not None
    assert [(name, filename) for name, filename, _, _ in parts] == [
        ("csrf_token", None),
        ("title", None),
        ("body", None),
        ("attachment", ""),
    ]
    assert parts[2][3] == "第一行\r\n第二行".encode()
    assert split_form_data(b"preamble\r\n" + body, boundary.encode()) is None
    assert split_form_data(body.replace(b"\r\n", b"\n"), boundary.encode()) is None
    assert split_form_data(browser_body(boundary, [('a"b', "x")], []), boundary.encode()) is None


def test_limits_hold_on_the_fast_path() -> None:
    boundary = "b0undary"
    body = browser_body(boundary, [(f"f{i}", "x") for i in range(5)], [])
    assert len(body) < FAST_MAX_BYTES
    assert parse(CitizenFormDataParser, body, boundary, max_form_parts=4) is RequestEntityTooLarge
    assert parse(CitizenFormDataParser, body, boundary, max_form_memory_size=10) == parse(
        FormDataParser, body, boundary, max_form_memory_size=10
    )


def test_a_real_attachment_still_arrives_through_werkzeug(
    feedback_app: Flask, feedback_client: FlaskClient
) -> None:
    """Over FAST_MAX_BYTES the body goes to Werkzeug's streaming parser; the file arrives whole."""
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 400
    assert len(png) > FAST_MAX_BYTES
    number, _ = receipt(
        feedback_client, submit(feedback_client, "投诉", attachment=(io.BytesIO(png), "现场.png"))
    )
    with db.session_scope(feedback_app) as session:
        attachment = session.scalar(select(Attachment))
        assert attachment.message.number == number and attachment.size == len(png)
        assert attachment.original_name == "现场.png"
        assert (Path(feedback_app.instance_path) / "attachments" / attachment.stored_name).read_bytes() == png


@pytest.mark.parametrize("field", ["title", "body"])
def test_text_round_trips_through_the_form(
    feedback_app: Flask, feedback_client: FlaskClient, field: str
) -> None:
    """Line breaks, quotes, backslashes and CJK typed by a citizen reach the message unchanged."""
    text = '第一行 "引号" ‘单引号’\r\n第二行 --边界-- \\ %22'
    number, _ = receipt(feedback_client, submit(feedback_client, "建议", **{field: text}))
    assert getattr(get_message(feedback_app, number), field) == text
