"""Helpers for the feedback tests: fill forms like a browser does, create staff, read messages back."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from sunshine.feedback import auth, db
from sunshine.feedback.models import Message

PASSWORD = "correct horse battery"
#: The newest migration: what a fresh database is upgraded to.
SCHEMA_HEAD = "0004"


def soup(html: str | bytes) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def form_values(page: BeautifulSoup, selector: str = "form") -> dict[str, str]:
    """What a browser would send from the form's hidden and pre-filled fields."""
    form = page.select_one(selector)
    assert form is not None, f"no {selector} on the page"
    values: dict[str, str] = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "textarea":
            values[name] = field.text.removeprefix("\r\n").removeprefix("\n")  # as HTML parsing does
        elif field.name == "select":
            chosen = field.select_one("option[selected]")
            values[name] = chosen["value"] if chosen else ""
        elif field.get("type") in ("radio", "checkbox"):
            if field.has_attr("checked"):
                values[name] = field.get("value", "y")
        elif field.get("type") != "file":
            values[name] = field.get("value", "")
    return values


def submit(client: FlaskClient, kind: str = "咨询", query: str = "", **fields: Any) -> Any:
    """Open the form like a citizen, fill ``fields`` and post it; returns the response (not followed)."""
    page = soup(client.get(f"/feedback/new?kind={kind}{query}").data)
    data: dict[str, Any] = form_values(page, "form.feedback-form")
    defaults = {"name": "张三", "phone": "13800138000"}
    if kind != "评价":
        defaults.update(title=f"{kind}标题", body=f"{kind}的具体内容")
    data.update(defaults)
    data.update(fields)
    return client.post("/feedback/new", data=data, content_type="multipart/form-data")


def receipt(client: FlaskClient, response: Any) -> tuple[str, str]:
    """Follow a successful submission to its receipt: (number, 查询码)."""
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    page = soup(client.get(response.headers["Location"]).data)
    return page.select_one(".receipt-number").text, page.select_one(".receipt-code").text


def add_staff(app: Flask, username: str, role: str, department: str | None = None) -> None:
    with app.app_context(), db.session_scope(app) as session:
        auth.add_user(session, username, PASSWORD, role, department)


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> Any:
    page = soup(client.get("/admin/login").data)
    data = form_values(page, "form.login-form")
    data.update(username=username, password=password)
    return client.post("/admin/login", data=data)


def act(client: FlaskClient, number: str, action: str, **fields: str) -> FlaskClient:
    """Post one workflow form from the message page, as a staff member would."""
    page = soup(client.get(f"/admin/messages/{number}").data)
    form = next(
        (f for f in page.select("form.action-form") if f.select_one(f"input[name=action][value={action}]")),
        None,
    )
    assert form is not None, f"no {action} form on the page"
    data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    data.update(fields)
    response = client.post(f"/admin/messages/{number}/act", data=data)
    assert response.status_code == 303
    return client


def get_message(app: Flask, number: str) -> Message:
    from sqlalchemy import select

    with db.session_scope(app) as session:
        message = session.scalar(select(Message).where(Message.number == number))
        assert message is not None
        session.expunge(message)
        return message


def csrf_of(client: FlaskClient, url: str) -> str:
    token = soup(client.get(url).data).select_one("input[name=csrf_token]")
    assert token is not None
    return str(token["value"])
