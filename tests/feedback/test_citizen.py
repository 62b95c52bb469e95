"""The citizen's side through the test client: the form, its errors, the receipt, tracking, rating."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from feedback_helpers import form_values, get_message, receipt, soup, submit
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from sunshine import DEMO_CONTENT
from sunshine.feedback import db, messages
from sunshine.feedback.models import S_CLOSED, S_NEW, Attachment, Message
from sunshine.store import get_content

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def count_messages(app: Flask) -> int:
    with db.session_scope(app) as session:
        return session.scalar(select(func.count()).select_from(Message)) or 0


def test_form_preselects_item_and_is_novalidate(feedback_client: FlaskClient) -> None:
    page = soup(feedback_client.get("/feedback/new?kind=投诉&item=huji-zhengming").data)
    form = page.select_one("form.feedback-form")
    assert form.has_attr("novalidate")
    assert page.select_one("#item option[selected]")["value"] == "huji-zhengming"
    assert "户籍证明开具" in page.select_one(".about").text
    assert page.select_one("#staff_badge") is not None  # 投诉 may name a staff badge
    assert page.select_one("h1").text == "我要投诉"
    assert not page.select(".error-summary")


def test_report_link_fills_in_the_page_address(feedback_client: FlaskClient) -> None:
    """纠错: the suggestion form opened from a page already names that page; anything else is dropped."""
    page_url = "https://zwfw.test.example.gov.cn/items/canyin-fuwu-xuke/"
    page = soup(feedback_client.get("/feedback/new", query_string={"kind": "建议", "page": page_url}).data)
    assert page.select_one("h1").text == "我要建议"
    assert page.select_one("#title")["value"] == "网站纠错"
    assert page.select_one("#body").text.strip().startswith(f"页面地址：{page_url}")
    for bad in ("javascript:alert(1)", "https://x.example/<script>", "/" + "a" * 400, "not a url"):
        other = soup(feedback_client.get("/feedback/new", query_string={"kind": "建议", "page": bad}).data)
        assert not other.select_one("#title").get("value") and bad not in other.select_one("#body").text


def test_blank_form_is_shared_but_its_tokens_are_each_visitors_own(feedback_app: Flask) -> None:
    """One blank form per preselection is kept; its CSRF token and fill-time stamp are per visitor."""
    first, second = feedback_app.test_client(), feedback_app.test_client()
    url = "/feedback/new?kind=投诉&item=huji-zhengming"
    pages = [soup(first.get(url).data), soup(second.get(url).data)]
    tokens = [form_values(page, "form.feedback-form")["csrf_token"] for page in pages]
    assert tokens[0] != tokens[1]
    for page in pages:
        assert page.select_one("#item option[selected]")["value"] == "huji-zhengming"
        assert (
            len(page.select("input[name=csrf_token]")) == 1
            and page.select_one("input[name=started]")["value"]
        )
    other = soup(first.get("/feedback/new?kind=建议&department=zwzx").data)
    assert other.select_one("h1").text == "我要建议"
    assert other.select_one("#department option[selected]")["value"] == "zwzx"
    assert other.select_one("#item option[selected]")["value"] == ""
    # Each visitor's token works for them and for nobody else.
    data = form_values(pages[1], "form.feedback-form") | {"title": "标题", "body": "内容"}
    data |= {"name": "李四", "phone": "13900139000"}
    assert first.post("/feedback/new", data=data).status_code == 400
    assert second.post("/feedback/new", data=data).status_code == 303


def test_blank_forms_kept_within_their_memory_budget(make_feedback_app: Callable[..., Flask]) -> None:
    """Links to ever more items evict the oldest kept pages; every page is still the right one."""
    app = make_feedback_app(CONTENT_DIR=str(DEMO_CONTENT), FEEDBACK_BLANK_FORMS_BYTES=200_000)
    client = app.test_client()
    cache = app.extensions["sunshine.feedback.blank_forms"]
    with app.app_context():
        items = list(get_content().items)
    for _ in range(2):
        for item in items:
            page = soup(client.get(f"/feedback/new?kind=咨询&item={item}").data)
            assert page.select_one("#item option[selected]")["value"] == item
            assert cache.current.size <= 200_000
    assert 0 < len(cache.current.pages) < len(items)


def test_blank_form_follows_the_content(make_feedback_app: Callable[..., Flask], mini_content: Path) -> None:
    """In preview (content re-read on change) a renamed item shows in the form on the next request."""
    client = make_feedback_app(CONTENT_RELOAD=True).test_client()
    url = "/feedback/new?kind=咨询&item=canyin-fuwu-xuke"
    assert "餐饮服务许可证核发（" in soup(client.get(url).data).select_one("#item option[selected]").text
    path = mini_content / "items/canyin-fuwu-xuke.yaml"
    path.write_text(path.read_text("utf-8").replace("餐饮服务许可证核发", "餐饮服务许可（改名）"), "utf-8")
    assert "餐饮服务许可（改名）" in soup(client.get(url).data).select_one("#item option[selected]").text


def test_errors_are_summarised_linked_and_inline(feedback_client: FlaskClient) -> None:
    response = submit(feedback_client, "咨询", title="", body="", phone="12ab")
    assert response.status_code == 400
    page = soup(response.data)
    assert page.title.text.startswith("错误：")
    summary = page.select_one(".error-summary[role=alert]")
    assert summary.select_one("h2").text == "有以下问题"
    links = {a["href"]: a.text for a in summary.select("a")}
    assert set(links) == {"#title", "#body", "#phone"}
    for href, message in links.items():
        field = page.select_one(href)
        assert field is not None, href
        assert field.get("aria-invalid") == "true"
        inline = page.select_one(f"{href}-error")
        assert message in inline.text
        assert f"{href[1:]}-error" in field["aria-describedby"]
    # What the citizen typed is still there.
    assert page.select_one("#name")["value"] == "张三"
    assert page.select_one("#phone")["value"] == "12ab"


def test_submission_receipt_shows_code_once(feedback_app: Flask, feedback_client: FlaskClient) -> None:
    response = submit(feedback_client, "投诉", query="&item=huji-zhengming", staff_badge="CS-0101")
    number, code = receipt(feedback_client, response)
    assert number.startswith("TS-") and number.endswith("-0001")
    # Refreshing the receipt neither resubmits nor shows the code again.
    again = soup(feedback_client.get(response.headers["Location"]).data)
    assert again.select_one(".receipt-number").text == number
    assert again.select_one(".receipt-code") is None
    assert count_messages(feedback_app) == 1
    message = get_message(feedback_app, number)
    assert message.status == S_NEW and message.kind == "投诉"
    assert (
        message.item_id == "huji-zhengming"
        and message.department_id == "zwzx"
        and message.staff_badge == "CS-0101"
    )
    assert message.due_on is not None and message.due_on > message.created_at.date()
    assert (
        message.code_hash == messages.hash_code(number, code)
        and code.replace("-", "") not in message.code_hash
    )


def test_another_browser_cannot_see_a_receipt(feedback_app: Flask, feedback_client: FlaskClient) -> None:
    response = submit(feedback_client, "建议")
    stranger = feedback_app.test_client()
    assert stranger.get(response.headers["Location"]).status_code == 404


def test_track_with_number_and_code(feedback_app: Flask, feedback_client: FlaskClient) -> None:
    number, code = receipt(feedback_client, submit(feedback_client, "咨询", body="<b>加粗</b>"))
    other = feedback_app.test_client()
    page = soup(other.get("/feedback/track").data)
    data = form_values(page, "main form")
    wrong = other.post("/feedback/track", data={**data, "number": number, "code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 400
    assert soup(wrong.data).select_one(".error-summary a")["href"] == "#number"
    ok = other.post("/feedback/track", data={**data, "number": number.lower(), "code": code.lower()})
    assert ok.status_code == 303
    status = soup(other.get(ok.headers["Location"]).data)
    assert status.select_one(".status-tag").text == S_NEW
    assert [li.select_one(".timeline-action").text for li in status.select(".timeline-entry")] == ["提交"]
    text = status.get_text()
    assert "张三" not in text and "13800138000" not in text  # never shown back


def test_good_evaluation_is_closed_bad_one_needs_an_answer(
    feedback_app: Flask, feedback_client: FlaskClient
) -> None:
    good, _ = receipt(feedback_client, submit(feedback_client, "评价", query="&window=a12", rating="5"))
    bad, _ = receipt(
        feedback_client,
        submit(feedback_client, "评价", query="&item=canyin-fuwu-xuke", rating="1", body="等了两个小时"),
    )
    good_message, bad_message = get_message(feedback_app, good), get_message(feedback_app, bad)
    assert good.startswith("PJ-") and good_message.status == S_CLOSED and good_message.due_on is None
    assert bad_message.status == S_NEW and bad_message.is_bad_rating and bad_message.due_on is not None
    assert bad_message.department_id == "shiyaojian"
    assert bad_message.title == "对餐饮服务许可的评价：非常不满意" or bad_message.title.startswith("对")


def test_evaluation_needs_a_level_and_a_subject(feedback_client: FlaskClient) -> None:
    page = soup(submit(feedback_client, "评价").data)
    assert [a["href"] for a in page.select(".error-summary a")] == ["#rating", "#item"]
    assert page.select_one("fieldset#rating") is not None


def test_unknown_ids_are_refused(feedback_client: FlaskClient) -> None:
    page = soup(submit(feedback_client, "投诉", item="no-such-item", department="nowhere").data)
    assert {a["href"] for a in page.select(".error-summary a")} == {"#item", "#department"}


def test_honeypot_and_fill_time(make_feedback_app: Callable[..., Flask]) -> None:
    app = make_feedback_app(FEEDBACK_MIN_FILL_SECONDS=3600)
    client = app.test_client()
    too_fast = submit(client, "建议")
    assert too_fast.status_code == 400
    assert "提交过快" in soup(too_fast.data).select_one(".error-summary").text
    bot = submit(make_feedback_app().test_client(), "建议", website="http://spam.example")
    assert bot.status_code == 400
    assert count_messages(app) == 0


def test_expired_csrf_token_keeps_the_text(feedback_app: Flask, feedback_client: FlaskClient) -> None:
    response = submit(feedback_client, "咨询", csrf_token="forged", body="我写了很久的内容")
    assert response.status_code == 400
    page = soup(response.data)
    assert "页面已过期" in page.select_one(".error-summary").text
    assert page.select_one("#body").text.strip() == "我写了很久的内容"
    assert count_messages(feedback_app) == 0
    # The re-shown form carries a valid token: posting it again goes through.
    data = form_values(page, "form.feedback-form")
    assert feedback_client.post("/feedback/new", data=data).status_code == 303


def test_rate_limit_keeps_the_text(make_feedback_app: Callable[..., Flask]) -> None:
    app = make_feedback_app(FEEDBACK_SUBMIT_LIMIT="2 per minute")
    client = app.test_client()
    assert submit(client, "建议").status_code == 303
    assert submit(client, "建议").status_code == 303
    third = submit(client, "建议", body="第三条建议")
    assert third.status_code == 429
    assert soup(third.data).select_one("#body").text.strip() == "第三条建议"
    assert count_messages(app) == 2


def test_attachment_checked_by_content(feedback_app: Flask, feedback_client: FlaskClient) -> None:
    fake = submit(feedback_client, "投诉", attachment=(io.BytesIO(b"MZ\x90\x00 not an image"), "photo.png"))
    assert fake.status_code == 400
    assert (
        soup(fake.data).select_one("#attachment-error").text.endswith("附件只能是 JPG、PNG 图片或 PDF 文件")
    )
    feedback_client.application.config["FEEDBACK_ATTACHMENT_MAX_BYTES"] = 1024
    big = submit(feedback_client, "投诉", attachment=(io.BytesIO(b"%PDF-" + b"0" * 2048), "a.pdf"))
    assert big.status_code == 400
    assert soup(big.data).select_one("#attachment-error").text.endswith("附件不能超过 1 KB")
    feedback_client.application.config["FEEDBACK_ATTACHMENT_MAX_BYTES"] = 5 * 1024 * 1024
    number, _ = receipt(
        feedback_client, submit(feedback_client, "投诉", attachment=(io.BytesIO(PNG), "现场.png"))
    )
    with db.session_scope(feedback_app) as session:
        attachment = session.scalar(select(Attachment))
        assert attachment.message.number == number and attachment.mimetype == "image/png"
        stored = feedback_app.instance_path + "/attachments/" + attachment.stored_name
        assert attachment.stored_name != "现场.png" and len(attachment.stored_name) >= 32
    with open(stored, "rb") as f:
        assert f.read() == PNG
    # Not reachable from the public side.
    assert feedback_client.get(f"/admin/attachments/{attachment.id}").status_code == 302


def test_a_failed_store_keeps_the_text_and_stores_nothing(
    feedback_app: Flask, feedback_client: FlaskClient
) -> None:
    """Where the attachment cannot be written (here a file stands where its folder goes) nothing is stored."""
    blocker = Path(feedback_app.instance_path) / "attachments"
    blocker.write_text("not a folder")
    failed = submit(feedback_client, "投诉", body="窗口人员态度差", attachment=(io.BytesIO(PNG), "现场.png"))
    assert failed.status_code == 503
    page = soup(failed.data)
    assert "系统繁忙，您填写的内容没有丢失" in page.select_one(".error-summary").text
    assert page.select_one("#body").text.strip() == "窗口人员态度差"
    assert count_messages(feedback_app) == 0
    blocker.unlink()
    again = form_values(page, "form.feedback-form") | {"attachment": (io.BytesIO(PNG), "现场.png")}
    assert feedback_client.post("/feedback/new", data=again).status_code == 303
    assert count_messages(feedback_app) == 1


def test_user_text_is_escaped(feedback_app: Flask, feedback_client: FlaskClient) -> None:
    number, _code = receipt(
        feedback_client, submit(feedback_client, "咨询", title="<script>alert(1)</script>")
    )
    status = feedback_client.get(f"/feedback/track/{number}")
    html = status.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_security_headers_and_cookie_flags(make_feedback_app: Callable[..., Flask]) -> None:
    client = make_feedback_app().test_client()
    response = client.get("/feedback/new")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"]
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/").headers["Content-Security-Policy"] == csp  # every response, not just feedback
    # Outside testing and debugging, the cookie is Secure and the secret key persists in the instance folder.
    production = make_feedback_app(TESTING=False)
    assert production.config["SESSION_COOKIE_SECURE"] is True
    key_file = production.instance_path + "/secret_key"
    with open(key_file) as f:
        assert f.read().strip() == production.config["SECRET_KEY"]
    assert make_feedback_app(TESTING=False).config["SECRET_KEY"] == production.config["SECRET_KEY"]


def test_rating_a_published_reply(feedback_app: Flask, feedback_client: FlaskClient) -> None:
    from feedback_helpers import add_staff

    from sunshine.feedback.models import User

    number, _ = receipt(feedback_client, submit(feedback_client, "咨询"))
    add_staff(feedback_app, "boss", "管理员")
    with db.session_scope(feedback_app) as session:
        message = session.scalar(select(Message).where(Message.number == number))
        user = session.scalar(select(User).where(User.username == "boss"))
        for action, extra in (
            ("accept", {}),
            ("draft_reply", {"reply": "请带身份证。"}),
            ("publish_reply", {}),
        ):
            messages.act(session, message, user, action, **extra)
    page = soup(feedback_client.get(f"/feedback/track/{number}").data)
    assert page.select_one(".reply-body").text == "请带身份证。"
    data = form_values(page, "form.rate-form")
    missing = feedback_client.post(f"/feedback/track/{number}", data=data)
    assert (
        missing.status_code == 400
        and soup(missing.data).select_one(".error-summary a")["href"] == "#satisfied"
    )
    done = feedback_client.post(
        f"/feedback/track/{number}", data={**data, "satisfied": "0", "comment": "没说清楚"}
    )
    assert done.status_code == 303
    message = get_message(feedback_app, number)
    assert message.citizen_satisfied is False and message.citizen_comment == "没说清楚"
    page = soup(feedback_client.get(f"/feedback/track/{number}").data)
    assert page.select_one("form.rate-form") is None
    assert "群众评价答复" in [e.text for e in page.select(".timeline-action")]
