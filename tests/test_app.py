"""The app factory: configuration that every subsystem relies on."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, request


def _remote_addr(app: Flask, headers: dict[str, str]) -> str:
    @app.get("/_whoami")
    def whoami() -> str:
        return request.remote_addr or ""

    return app.test_client().get("/_whoami", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.1"}).text


def test_forwarded_address_is_ignored_without_a_trusted_proxy(make_app: Callable[..., Flask]) -> None:
    assert _remote_addr(make_app(), {"X-Forwarded-For": "203.0.113.9"}) == "10.0.0.1"


def test_behind_one_proxy_the_citizens_address_is_used(make_app: Callable[..., Flask]) -> None:
    app = make_app(PROXY_COUNT=1)
    assert _remote_addr(app, {"X-Forwarded-For": "203.0.113.9"}) == "203.0.113.9"


def test_config_comes_from_sunshine_environment_variables(make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SUNSHINE_PROXY_COUNT", "2")
    assert make_app().config["PROXY_COUNT"] == 2
