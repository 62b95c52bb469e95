"""Online consultation, complaints and evaluation (server mode). Being written: see issue 4."""

from flask import Flask


def init_app(app: Flask) -> None:
    raise NotImplementedError("feedback server mode is being written (issue 4)")
