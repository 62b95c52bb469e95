"""Staff sessions kept on the server, the per-account limit on failed sign-ins, and pages no cache may keep.

On SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.  Time passing is
simulated by moving the stored moments back, never by sleeping.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from feedback_helpers import PASSWORD, add_staff, form_values, login, receipt, soup, submit
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from sunshine.feedback import auth, db
from sunshine.feedback.models import LoginThrottle, StaffSession, User, utcnow

WRONG = "not the password"


#: The first wait, longer than the default second so that a slow machine cannot outlast it mid-test.
BASE = 60
SETTINGS = {
    "FEEDBACK_LOGIN_LIMIT": "1000 per minute",
    "FEEDBACK_LOGIN_DELAY_SECONDS": BASE,
    "FEEDBACK_LOGIN_DELAY_MAX_SECONDS": 100 * BASE,
}


@pytest.fixture
def app(make_feedback_app: Callable[..., Flask], db_url: str | None) -> Flask:
    app = make_feedback_app(DATABASE_URL=db_url, **SETTINGS)
    add_staff(app, "admin", "管理员")
    return app


def signed_in(app: Flask, username: str = "admin") -> FlaskClient:
    client = app.test_client()
    assert login(client, username).status_code == 303
    assert client.get("/admin/").status_code == 200
    return client


def logout(client: FlaskClient) -> None:
    page = soup(client.get("/admin/").data)
    assert client.post("/admin/logout", data=form_values(page, "nav.admin-nav form")).status_code == 303


def copy_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of ``client``'s session cookie."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    other = app.test_client()
    other.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie.value)
    return other


def move_back(app: Flask, seconds: float, *columns: str) -> None:
    """Let ``seconds`` pass for the stored sessions (or throttles): their moments move back."""
    delta = dt.timedelta(seconds=seconds)
    with db.session_scope(app) as session:
        for row in session.scalars(select(StaffSession)):
            for column in columns:
                setattr(row, column, getattr(row, column) - delta)


# -- sessions ------------------------------------------------------------------------------------------


def test_a_cookie_copied_before_logout_opens_nothing_after_it(app: Flask) -> None:
    client = signed_in(app)
    thief = copy_of(app, client)
    assert thief.get("/admin/").status_code == 200  # a copy works while the session lives …
    logout(client)
    for browser in (client, thief):  # … and neither the browser nor the copy is signed in after logout
        response = browser.get("/admin/")
        assert response.status_code == 302 and response.headers["Location"].startswith("/admin/login")
    with db.session_scope(app) as session:
        assert session.scalars(select(StaffSession.revoked_at)).one() is not None


def test_the_cookie_holds_only_a_random_token(app: Flask) -> None:
    client = signed_in(app)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    data = app.session_interface.get_signing_serializer(app).loads(cookie.value)  # type: ignore[attr-defined]
    assert set(data) <= {auth.SESSION_KEY, "csrf_token", "_flashes"}
    token = data[auth.SESSION_KEY]
    assert len(token) >= 40
    with db.session_scope(app) as session:
        row = session.scalars(select(StaffSession)).one()
        user = session.get(User, row.user_id)
        assert user is not None and user.username == "admin"
        # The table holds the token's digest, never the token itself.
        assert row.id != token and len(row.id) == 64 and token not in row.id


def test_a_new_password_and_a_disabled_account_end_every_session(app: Flask) -> None:
    add_staff(app, "temp", "部门办理员", "zwzx")
    office, phone = signed_in(app), signed_in(app)
    with db.session_scope(app) as session:
        auth.set_password(session, "admin", "a brand new password")
    assert office.get("/admin/").status_code == 302 and phone.get("/admin/").status_code == 302
    assert login(office, "admin", "a brand new password").status_code == 303

    temp = signed_in(app, "temp")
    with db.session_scope(app) as session:
        auth.disable_user(session, "temp")
        revoked = session.scalars(
            select(StaffSession.revoked_at).join(User).where(User.username == "temp")
        ).all()
    assert revoked and all(moment is not None for moment in revoked)
    assert temp.get("/admin/").status_code == 302
    assert office.get("/admin/").status_code == 200  # other accounts are untouched


def test_a_session_ends_when_idle_and_at_its_absolute_limit(app: Flask) -> None:
    idle = app.config["FEEDBACK_SESSION_IDLE_SECONDS"]
    client = signed_in(app)
    # A request within the idle time keeps the session alive and is noted.
    move_back(app, idle - 60, "created_at", "last_seen_at")
    assert client.get("/admin/").status_code == 200
    with db.session_scope(app) as session:
        assert utcnow() - session.scalars(select(StaffSession.last_seen_at)).one() < dt.timedelta(seconds=30)
    move_back(app, idle + 1, "last_seen_at")
    assert client.get("/admin/").status_code == 302

    client = signed_in(app)
    # Busy all day: seen a minute ago, but signed in longer ago than the absolute limit.
    move_back(app, app.config["FEEDBACK_SESSION_MAX_SECONDS"] + 1, "created_at", "expires_at")
    assert client.get("/admin/").status_code == 302


def test_signing_in_again_starts_a_new_session_and_drops_ended_ones(app: Flask) -> None:
    client = signed_in(app)
    before = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    logout(client)
    client = signed_in(app)
    after = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert before is not None and after is not None and before.value != after.value
    with db.session_scope(app) as session:
        rows = session.scalars(select(StaffSession)).all()
    assert len(rows) == 1 and rows[0].revoked_at is None


# -- failed sign-ins per account -------------------------------------------------------------------


def attempt(app: Flask, username: str, password: str, address: str) -> tuple[int, str | None]:
    """One sign-in from a fresh browser at ``address``: (status, Retry-After)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    response = login(client, username, password)
    return response.status_code, response.headers.get("Retry-After")


def let_wait_pass(app: Flask) -> None:
    with db.session_scope(app) as session:
        session.execute(update(LoginThrottle).values(blocked_until=utcnow()))


def under_attack(app: Flask, username: str) -> None:
    """Guesses at ``username`` from many addresses, kept up until the wait is at its cap."""
    for i in range(5):
        attempt(app, username, WRONG, f"198.51.100.{i}")
    with db.session_scope(app) as session:
        session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == auth.throttle_key(username))
            .values(failures=20, blocked_until=utcnow() + dt.timedelta(seconds=300))
        )


def test_the_wait_between_failures_doubles_up_to_its_cap() -> None:
    waits = [auth.login_delay(failures, 3, 1, 300) for failures in range(1, 16)]
    assert waits == [0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]
    assert auth.login_delay(10**6, 3, 1, 300) == 300


def test_fifteen_addresses_guessing_one_account_are_slowed_down(
    make_feedback_app: Callable[..., Flask], db_url: str | None
) -> None:
    """Two servers (two apps on one database) and fifteen addresses: the limit is the account's."""
    servers = [make_feedback_app(DATABASE_URL=db_url, **SETTINGS) for _ in range(2)]
    add_staff(servers[0], "admin", "管理员")
    answers = [attempt(servers[i % 2], "admin", WRONG, f"198.51.100.{i}") for i in range(15)]
    assert [status for status, _ in answers] == [400] * 4 + [429] * 11
    assert all(retry is not None and int(retry) >= 1 for _, retry in answers[4:])
    # Within the wait even the right password is refused, and not checked.
    status, _ = attempt(servers[1], "admin", PASSWORD, "203.0.113.7")
    assert status == 429
    page = soup(login(servers[0].test_client(), "admin", WRONG).data)
    assert page.title.text.startswith("错误：") and "秒后再试" in page.select_one(".error-summary").get_text()

    # Each failure after the wait doubles it.
    waits = []
    for _ in range(4):
        let_wait_pass(servers[0])
        assert attempt(servers[1], "admin", WRONG, "198.51.100.99")[0] == 400
        with db.session_scope(servers[0]) as session:
            row = session.scalars(select(LoginThrottle)).one()
            waits.append(round((row.blocked_until - row.last_failure_at).total_seconds()))
    assert waits == [2 * BASE, 4 * BASE, 8 * BASE, 16 * BASE]

    # An attacker cannot lock the official out: after the wait the right password works,
    # and the count starts again.
    let_wait_pass(servers[0])
    assert attempt(servers[0], "admin", PASSWORD, "203.0.113.7")[0] == 303
    with db.session_scope(servers[0]) as session:
        assert session.scalars(select(LoginThrottle)).all() == []
    assert attempt(servers[1], "admin", WRONG, "198.51.100.1")[0] == 400


def test_guesses_from_elsewhere_cannot_keep_an_official_waiting_at_their_own_desk(app: Flask) -> None:
    desk = signed_in(app)  # the official's browser: it has signed in to the account before
    logout(desk)
    assert desk.get_cookie(auth.DEVICE_COOKIE, path="/admin/") is not None
    under_attack(app, "admin")
    assert attempt(app, "admin", PASSWORD, "203.0.113.9")[0] == 429  # any other browser waits
    assert login(desk, "admin").status_code == 303  # the official does not
    logout(desk)

    # The device cookie counts its own failures: a stolen one is slowed down like anyone.
    statuses = [login(desk, "admin", WRONG).status_code for _ in range(6)]
    assert statuses == [400, 400, 400, 400, 429, 429]
    # … and it is worth nothing for another account, or forged.
    add_staff(app, "other", "监察员")
    under_attack(app, "other")
    assert login(desk, "other").status_code == 429
    forged = app.test_client()
    forged.set_cookie(auth.DEVICE_COOKIE, "eyJhY2NvdW50IjoiIn0.forged.signature", path="/admin/")
    assert login(forged, "admin").status_code == 429


def test_an_unknown_account_is_answered_like_a_known_one(app: Flask) -> None:
    known = [attempt(app, "admin", WRONG, "192.0.2.1")[0] for _ in range(6)]
    unknown = [attempt(app, "nobody", WRONG, "192.0.2.1")[0] for _ in range(6)]
    assert known == unknown == [400, 400, 400, 400, 429, 429]
    with db.session_scope(app) as session:
        keys = session.scalars(select(LoginThrottle.key)).all()
    # Counted by a digest of the name: a password typed into the name field is not stored.
    assert sorted(keys) == sorted([auth.throttle_key("admin"), auth.throttle_key("nobody")])


def test_simultaneous_guesses_get_one_check_between_them(
    make_feedback_app: Callable[..., Flask], db_url: str | None
) -> None:
    """Attempts arriving together (other workers) see the one that came first and wait their turn."""
    app = make_feedback_app(DATABASE_URL=db_url, **SETTINGS, FEEDBACK_LOGIN_FREE_FAILURES=0)
    add_staff(app, "admin", "管理员")
    clients = [app.test_client() for _ in range(6)]
    forms = [form_values(soup(c.get("/admin/login").data), "form.login-form") for c in clients]
    statuses: list[int] = []
    start = threading.Barrier(len(clients))

    def guess(client: FlaskClient, form: dict[str, str]) -> None:
        start.wait()
        response = client.post("/admin/login", data={**form, "username": "admin", "password": WRONG})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=guess, args=pair) for pair in zip(clients, forms, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [400] + [429] * 5


# -- caching ---------------------------------------------------------------------------------------


def test_pages_with_personal_data_are_never_stored_and_public_ones_may_be(app: Flask) -> None:
    citizen = app.test_client()
    assert citizen.get("/feedback/new").headers.get("Cache-Control") == "no-store"
    refused = submit(citizen, "咨询", phone="not a phone")
    assert refused.status_code == 400 and refused.headers.get("Cache-Control") == "no-store"
    submitted = submit(citizen, "咨询")
    number, _ = receipt(citizen, submitted)
    for url in (f"/feedback/receipt/{number}", f"/feedback/track/{number}"):
        assert citizen.get(url).headers.get("Cache-Control") == "no-store", url

    staff = signed_in(app)
    for url in (
        "/admin/login",
        "/admin/",
        f"/admin/messages/{number}",
        "/admin/audit",
        "/admin/supervision/",
    ):
        response = staff.get(url)
        assert response.status_code == 200 and response.headers.get("Cache-Control") == "no-store", url
    assert app.test_client().get("/admin/").headers.get("Cache-Control") == "no-store"  # the redirect too

    for url in ("/", "/items/", "/feedback/replies/", "/feedback/stats/", "/feedback/"):
        response = app.test_client().get(url)
        assert response.status_code == 200 and "no-store" not in response.headers.get("Cache-Control", ""), (
            url
        )
