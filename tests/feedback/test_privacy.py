"""Publication cannot leak: personal data, generated in every form people write it, never survives scrub().

Property tests (hypothesis) generate a record's personal data — names, mobile
and landline numbers, e-mail addresses, ID numbers, street addresses — write
each into a message body the way people do (spaces, dashes, full-width
digits, Chinese numerals, with or without the area code or +86) and check
that none of it is left after :func:`sunshine.privacy.scrub`.  The same then
end to end: a citizen's message sent through the form, answered and made
public, read back from the live page and from a static build.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from feedback_helpers import act, add_staff, login, receipt, soup, submit
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sunshine.feedback import db
from sunshine.pipeline import build_site
from sunshine.privacy import REDACTED, PersonalData, fold, mask_name, scrub

# -- what people type -----------------------------------------------------------------------------

SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "欧阳", "司马", "诸葛")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
#: Words around the personal data.  No digit, no Chinese numeral, no Latin letter and none of the
#: characters names and addresses are made of, so whatever is found after scrubbing came from the data.
FILLER = (
    "您好", "请", "联系", "我", "白天", "找", "电话", "谢谢", "关于", "办理", "营业执照", "的问题",
    "麻烦", "尽快", "回复", "手机", "邮箱", "身份证", "住在", "，", "。", "：", "；", " ", "\n",
)  # fmt: skip
STREETS = ("人民路", "解放街", "幸福小区", "延河湾", "宝塔山路", "枣园巷")
CITIES = ("延安市宝塔区", "洛川县", "延川县永坪镇", "西安市雁塔区")

FULL_WIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}
CHINESE = {
    "0": "〇零",
    "1": "一幺",
    "2": "二",
    "3": "三",
    "4": "四",
    "5": "五",
    "6": "六",
    "7": "七",
    "8": "八",
    "9": "九",
}
SEPARATORS = ("", "", "", " ", "-", "　", "－", ".", "  ")


def digit_strings(first: str, length: int) -> st.SearchStrategy[str]:
    return st.builds(lambda rest: first + rest, st.text("0123456789", min_size=length, max_size=length))


mobiles = st.builds(
    lambda a, rest: "1" + a + rest, st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9)
)
area_codes = st.one_of(
    st.builds(lambda d: "0" + d, st.text("123456789", min_size=2, max_size=2)),
    st.builds(lambda d: "0" + d, st.text("123456789", min_size=3, max_size=3)),
)
local_numbers = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("23456789"),
    st.text("0123456789", min_size=6, max_size=7),
)


@st.composite
def written(draw: st.DrawFn, digits: str) -> str:
    """``digits`` as a person writes them: a style for the number, any separators between the digits."""
    style = draw(st.sampled_from(("ascii", "full", "chinese", "mixed")))
    out = []
    for index, digit in enumerate(digits):
        chosen = style if style != "mixed" else draw(st.sampled_from(("ascii", "full", "chinese")))
        if chosen == "full":
            out.append(FULL_WIDTH[digit])
        elif chosen == "chinese":
            out.append(draw(st.sampled_from(CHINESE[digit])))
        else:
            out.append(digit)
        if index < len(digits) - 1:
            out.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(out)


@st.composite
def phones(draw: st.DrawFn) -> tuple[str, str, str]:
    """(as typed in the form, the digits that identify the person, as written in the message)."""
    kind = draw(st.sampled_from(("mobile", "mobile86", "landline", "local")))
    if kind.startswith("mobile"):
        core = draw(mobiles)
        typed = ("+86 " if kind == "mobile86" else "") + core
        text = draw(st.sampled_from(("+86 ", "86-", ""))) + draw(written(core))
        return typed, core, text
    local = draw(local_numbers)
    area = draw(area_codes) if kind == "landline" else ""
    typed = f"{area}-{local}" if area else local
    # The citizen gave the number with its area code and writes it without one, or the other way round.
    text = draw(st.sampled_from((local, area + local))) if area else local
    return typed, local, draw(written(text))


names = st.builds(
    lambda surname, given: surname + given, st.sampled_from(SURNAMES), st.text(GIVEN, min_size=1, max_size=2)
)


@st.composite
def spaced(draw: st.DrawFn, text: str) -> str:
    """Text with spaces (ASCII, full-width, several) put between some of its characters."""
    gaps = [draw(st.sampled_from(("", "", "", " ", "　", "  "))) for _ in text[1:]]
    return text[0] + "".join(g + c for g, c in zip(gaps, text[1:], strict=True))


@st.composite
def emails(draw: st.DrawFn) -> tuple[str, str]:
    local = draw(st.from_regex(r"[a-z][a-z0-9._]{2,12}[a-z0-9]", fullmatch=True))
    domain = draw(st.sampled_from(("163.com", "qq.com", "example.gov.cn", "mail.yanan.cn")))
    email = f"{local}@{domain}"
    shown = draw(st.sampled_from((email, email.upper(), email.replace("@", "＠"), email.replace("@", " @ "))))
    if draw(st.booleans()):
        shown = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in shown)  # full width
    return email, shown


@st.composite
def id_numbers(draw: st.DrawFn) -> tuple[str, str]:
    digits = draw(st.text("0123456789", min_size=17, max_size=17))
    number = digits + draw(st.sampled_from("0123456789X"))
    groups = (number[:6], number[6:14], number[14:])
    separator = draw(st.sampled_from(("", " ", "-", "　")))
    shown = separator.join(groups)
    if draw(st.booleans()):
        shown = "".join(FULL_WIDTH.get(c, c) for c in shown)
    return number, shown.replace("X", draw(st.sampled_from("Xx")))


@st.composite
def addresses(draw: st.DrawFn) -> tuple[str, str]:
    number = str(draw(st.integers(1, 999)))
    address = f"{draw(st.sampled_from(CITIES))}{draw(st.sampled_from(STREETS))}{number}号"
    shown = draw(spaced(address))
    if draw(st.booleans()):
        shown = "".join(FULL_WIDTH.get(c, c) for c in shown)
    return address, shown


@st.composite
def bodies(draw: st.DrawFn, pieces: list[str]) -> str:
    """The pieces in a random order between filler words; each piece set apart by punctuation."""
    order = draw(st.permutations(pieces))
    out = []
    for piece in order:
        out.append("".join(draw(st.lists(st.sampled_from(FILLER), max_size=4))))
        out.append(
            draw(st.sampled_from(("，", "：", "。", " ", "\n", "（")))
            + piece
            + draw(st.sampled_from(("，", "。", "）", " ", "\n")))
        )
    out.append("".join(draw(st.lists(st.sampled_from(FILLER), max_size=4))))
    return "".join(out)


# -- what must not survive ----------------------------------------------------------------------


def digits_of(text: str) -> str:
    return "".join(c for c in fold(text) if c.isdigit())


def squeezed(text: str) -> str:
    """Folded, lower case, without spaces and dots: the text with every way of spacing it undone."""
    return re.sub(r"[\s.]", "", fold(text)).lower()


def assert_no_digits_of(result: str, digits: str) -> None:
    """No seven digits in a row of ``digits`` are in ``result`` (with its separators taken out)."""
    left = digits_of(result)
    for start in range(max(1, len(digits) - 6)):
        assert digits[start : start + 7] not in left, (digits, result)


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.data())
def test_a_records_own_data_never_survives_in_any_form(data: st.DataObject) -> None:
    name = data.draw(names, "name")
    typed_phone, phone_digits, phone_text = data.draw(phones(), "phone")
    email, email_text = data.draw(emails(), "email")
    id_number, id_text = data.draw(id_numbers(), "id")
    address, address_text = data.draw(addresses(), "address")
    name_text = data.draw(spaced(name), "name as written")
    body = data.draw(bodies([name_text, phone_text, email_text, id_text, address_text]), "body")
    private = PersonalData.of(
        names=[name], phones=[typed_phone], emails=[email], id_numbers=[id_number], addresses=[address]
    )

    result = scrub(body, private)

    assert squeezed(name) not in squeezed(result)
    assert mask_name(name) in result
    assert_no_digits_of(result, phone_digits)
    assert squeezed(email) not in squeezed(result) and "@" not in fold(result)
    assert_no_digits_of(result, id_number[:17])
    assert squeezed(address) not in squeezed(result)
    # What is left is the filler and the masks: nothing of the data's own characters.
    assert not re.search(r"[0-9A-Za-z]", fold(result).replace(REDACTED, "")), result


@PROPERTY
@given(st.data())
def test_data_shaped_like_personal_data_is_removed_without_being_told(data: st.DataObject) -> None:
    """Someone else's number in a reply, a number typed only in the body: the shapes alone remove it."""
    mobile = data.draw(mobiles, "mobile")
    area, local = data.draw(area_codes, "area"), data.draw(local_numbers, "local")
    id_number, id_text = data.draw(id_numbers(), "id")
    _, email_text = data.draw(emails(), "email")
    grouped = data.draw(st.sampled_from((" ", "-", "")), "mobile separator")
    pieces = [
        data.draw(st.sampled_from(("", "+86 ", "86-")), "prefix")
        + grouped.join((mobile[:3], mobile[3:7], mobile[7:])),
        data.draw(
            st.sampled_from((f"{area}-{local}", f"({area}){local}", f"{area} {local}", f"{area}{local}"))
        ),
        data.draw(st.sampled_from((local, f"{local[:-4]} {local[-4:]}", f"{local[:-4]}-{local[-4:]}"))),
        id_text,
        email_text,
    ]
    pieces = [
        data.draw(st.sampled_from((p, "".join(FULL_WIDTH.get(c, c) for c in p))), "width") for p in pieces
    ]
    body = data.draw(bodies(pieces), "body")

    result = scrub(body)

    assert_no_digits_of(result, mobile)
    assert_no_digits_of(result, local)
    assert_no_digits_of(result, id_number[:17])
    assert "@" not in fold(result)


@PROPERTY
@given(
    st.lists(st.sampled_from(FILLER), max_size=12),
    st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
    st.integers(1, 9999),
    st.integers(1, 99999),
)
def test_what_is_not_personal_stays(words: list[str], day: dt.date, sequence: int, amount: int) -> None:
    """Message numbers, dates with separators, amounts and window numbers are not personal data."""
    kept = (
        "".join(words)
        + f"编号 TS-{day:%Y%m%d}-{sequence:04d}，{day.isoformat()} 答复，"
        + f"{day.year}年{day.month}月{day.day}日，"
        + f"收费 {amount} 元，窗口 A12，第 3 号"
    )
    assert scrub(kept) == kept


def test_the_issue_example_and_each_form_of_one_phone() -> None:
    private = PersonalData.of(names=["王小明"], phones=["8821 5678"])
    assert scrub("我是王小明，白天打 8821 5678 找我。", private) == "我是王**，白天打 *** 找我。"
    for written_as in (
        "88215678",
        "8821-5678",
        "８８２１５６７８",
        "八八二一五六七八",
        "8 8 2 1 5 6 7 8",
        "(8821)5678",
    ):
        assert "8821" not in digits_of(scrub(f"电话{written_as}。", private)), written_as
    landline = PersonalData.of(phones=["0911-8821 5678"])
    for written_as in ("0911 88215678", "88215678", "(0911) 8821-5678", "零九一一八八二一五六七八"):
        assert digits_of(scrub(f"电话{written_as}。", landline)) == "", written_as


def test_a_one_character_name_is_not_masked_everywhere() -> None:
    assert scrub("王先生说王府井很远", PersonalData.of(names=["王"])) == "王先生说王府井很远"


# -- end to end: the form, the staff's answer, the public page, the static build ------------------------


BODY = "我是王小明，白天打 8821 5678 找我，或打 八八二一－五六七八，邮件 wxm@example.cn。"
REPLY = "王 小明 您好：已按您留的电话 ８８２１５６７８ 联系。如有疑问请拨 0911-8821 5678 或 139 0000 1111。"


def published(app: Flask) -> str:
    """A 咨询 sent through the form with phone 8821 5678, answered and made public; its number."""
    citizen = app.test_client()
    number, _ = receipt(
        citizen,
        submit(
            citizen, "咨询", name="王小明", phone="8821 5678", title="办证咨询（电话8821-5678）", body=BODY
        ),
    )
    add_staff(app, "admin", "管理员")
    staff = app.test_client()
    assert login(staff, "admin").status_code == 303
    for action, fields in (
        ("accept", {}),
        ("draft_reply", {"reply": REPLY}),
        ("publish_reply", {}),
        ("set_public", {"public": "y"}),
    ):
        act(staff, number, action, **fields)
    return number


def assert_nothing_personal(html: str) -> None:
    page = soup(html)
    text = page.get_text(" ")
    assert "王小明" not in squeezed(text) and "wxm@" not in text
    assert "88215678" not in digits_of(text) and "13900001111" not in digits_of(text)


def test_the_live_page_and_the_static_build_publish_nothing_personal(
    make_feedback_app: Callable[..., Flask], db_url: str | None, mini_content: Path, tmp_path: Path
) -> None:
    app = make_feedback_app(DATABASE_URL=db_url)
    number = published(app)
    live = app.test_client().get(f"/feedback/replies/{number}/")
    assert live.status_code == 200
    html = live.get_data(as_text=True)
    assert_nothing_personal(html)
    page = soup(html)
    assert "王**" in page.select_one(".reply-meta").get_text() and "已按您留的电话" in html
    assert_nothing_personal(app.test_client().get("/feedback/replies/").get_data(as_text=True))

    url = db.get_engine(app).url.render_as_string(hide_password=False)
    out = tmp_path / "site"
    build_site(mini_content, out, feedback_db=url)
    detail = out / "feedback" / "replies" / number / "index.html"
    assert detail.is_file()
    for built in (out / "feedback").rglob("*.html"):
        assert_nothing_personal(built.read_text(encoding="utf-8"))
    # The static page shows exactly what the live one does.
    main = soup(detail.read_bytes()).select_one("main")
    assert main is not None and main.get_text() == page.select_one("main").get_text()
