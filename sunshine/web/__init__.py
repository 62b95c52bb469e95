"""The public disclosure pages: one blueprint, the same for the static build and the server."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template

bp = Blueprint("web", __name__)


@bp.route("/")
def home() -> str:
    return render_template("home/index.html")


def init_app(app: Flask) -> None:
    """Register the public pages."""
    app.register_blueprint(bp)
