"""The case ledger (办件台账) and its electronic supervision (电子监察).

"外网受理，内网办理，全程监督，外网反馈": every case (办件) of every item is
reported as events — from the center's own window pages or from a
department's approval system — in the format of the public contract
CASE-EXCHANGE.md.  The ledger stores them as they came, derives each case's
state (due day, pauses, steps, closing, on time), and computes the signals of
supervision (预警, 黄牌, 红牌) for any moment.

Modules: :mod:`.models` (tables and the contract's words), :mod:`.items`
(what the ledger reads of the content), :mod:`.events` (one line checked),
:mod:`.store` (imports), :mod:`.clock` and :mod:`.state` (the clock),
:mod:`.signals`, :mod:`.queries` (reads for pages), :mod:`.tokens`,
:mod:`.api` (``POST /api/cases/events``), :mod:`.cli` (``build.py cases``)
and :mod:`.demo` (a year of demo cases).
"""

from __future__ import annotations

from decimal import Decimal

from flask import Flask

from sunshine.content import Content


def init_app(app: Flask) -> None:
    """Server mode (after the feedback server): the events API, and the portal's 按时办结率."""
    from sunshine.web.city import register_on_time_rates

    from . import api

    api.init_app(app)

    def on_time_rates(city: Content) -> dict[str, Decimal | float | None]:
        from sunshine.feedback import db

        from .queries import figures

        with db.get_engine(app).connect() as conn:
            return {center: f.on_time_rate for center, f in figures(conn, "center").items()}

    register_on_time_rates(app, on_time_rates)
