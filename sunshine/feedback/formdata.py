"""Citizens' form posts parsed without compiling a regular expression for each request.

The citizen's form is ``multipart/form-data`` because it may carry an
attachment.  Werkzeug's multipart parser compiles two regular expressions
around each request's boundary, and browsers choose a new boundary for every
post, so that compilation was the largest single cost of a submission (about a
quarter of the server's work for one).

A citizen's post is small and regular: a dozen text fields and, usually, an
empty file field, in the exact shape every browser writes (RFC 7578 as the
WHATWG spec serializes it).  :func:`split_form_data` parses such a body by
splitting it on its delimiter.  Anything else — a preamble or epilogue,
padding after a delimiter, bare ``\\n`` line breaks, folded or extra part
headers, escapes or ``%`` in a name, a body over :data:`FAST_MAX_BYTES` (a real
attachment) — is handed to Werkzeug's parser unchanged, so what a view sees
never depends on which parser ran (``tests/feedback/test_formdata.py`` checks
the two agree).
"""

from __future__ import annotations

import io
import re
from typing import IO, Any

from flask import Request
from werkzeug.datastructures import FileStorage, Headers
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser

#: Larger bodies carry an attachment: Werkzeug streams those, and one compile per upload is nothing.
FAST_MAX_BYTES = 64 * 1024

_DISPOSITION = re.compile(r'form-data; name="([^"\\%\r\n]*)"(?:; filename="([^"\\%\r\n]*)")?')

Part = tuple[str, str | None, Headers, bytes]


def split_form_data(body: bytes, boundary: bytes) -> list[Part] | None:
    """The parts of a browser-shaped form-data body as (name, filename or None, headers, bytes).

    ``None`` when the body is not exactly in that shape; the caller then lets
    Werkzeug parse it.
    """
    delimiter = b"--" + boundary
    opening = delimiter + b"\r\n"
    closing = b"\r\n" + delimiter + b"--"
    if not body.startswith(opening):
        return None
    if body.endswith(closing + b"\r\n"):
        inner = body[len(opening) : -len(closing) - 2]
    elif body.endswith(closing):
        inner = body[len(opening) : -len(closing)]
    else:
        return None
    parts: list[Part] = []
    for chunk in inner.split(b"\r\n" + opening):
        if delimiter in chunk:
            return None  # a delimiter in another shape: padding, a bare \n, an early end
        head, blank, content = chunk.partition(b"\r\n\r\n")
        if not blank:
            return None
        part = _part(head, content)
        if part is None:
            return None
        parts.append(part)
    return parts


def _part(head: bytes, content: bytes) -> Part | None:
    headers = Headers()
    for line in head.split(b"\r\n"):
        if b"\r" in line or b"\n" in line or line[:1] in (b" ", b"\t"):
            return None
        try:
            name, colon, value = line.decode().partition(":")
        except UnicodeDecodeError:
            return None
        name, value = name.strip(" \t"), value.strip(" \t")
        if not colon or name.lower() not in ("content-disposition", "content-type") or name in headers:
            return None
        headers.add(name, value)
    match = _DISPOSITION.fullmatch(headers.get("content-disposition", ""))
    if match is None:
        return None
    field, filename = match.groups()
    if filename is None and "content-type" in headers:
        return None  # a text part with its own charset: Werkzeug decides
    return field, filename, headers, content


class CitizenFormDataParser(FormDataParser):
    """Werkzeug's form parser, with :func:`split_form_data` tried first on small multipart bodies."""

    def _parse_multipart(
        self, stream: IO[bytes], mimetype: str, content_length: int | None, options: dict[str, str]
    ) -> tuple[IO[bytes], Any, Any]:
        boundary = options.get("boundary", "").encode("ascii")
        limit = self.max_form_memory_size
        small = content_length is not None and content_length <= FAST_MAX_BYTES
        if not boundary or not small or (limit is not None and content_length > limit):
            return super()._parse_multipart(stream, mimetype, content_length, options)
        body = stream.read()
        parts = split_form_data(body, boundary)
        if parts is None:
            return super()._parse_multipart(io.BytesIO(body), mimetype, content_length, options)
        if self.max_form_parts is not None and len(parts) > self.max_form_parts:
            raise RequestEntityTooLarge()
        fields: list[tuple[str, str]] = []
        files: list[tuple[str, FileStorage]] = []
        for name, filename, headers, content in parts:
            if filename is None:
                fields.append((name, content.decode("utf-8", "replace")))
                continue
            container = self.stream_factory(
                total_content_length=content_length,
                content_type=headers.get("content-type"),
                filename=filename,
            )
            container.write(content)
            container.seek(0)
            files.append((name, FileStorage(container, filename, name, headers=headers)))
        return stream, self.cls(fields), self.cls(files)


class CitizenRequest(Request):
    """Flask's request with :class:`CitizenFormDataParser` (the app's ``request_class`` in server mode)."""

    form_data_parser_class = CitizenFormDataParser
