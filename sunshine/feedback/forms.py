"""The citizen's form and the staff forms, validated on the server (the browser is told ``novalidate``).

Messages are written for the person filling the form (GOV.UK style): say what
is wrong and how to fix it, in the same words in the error summary and beside
the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp
from wtforms.widgets import Select, html_params

from .. import inputs
from ..content import Content
from . import security
from .models import KINDS, RATINGS

TITLE_MAX = 100
BODY_MAX = 3000
PHONE_PATTERN = r"^\+?[0-9][0-9\- ]{5,18}[0-9]$"

#: What each kind asks for, shown as the page's lead paragraph.
KIND_HELP: dict[str, str] = {
    "咨询": "询问办事所需材料、流程、时限等问题，工作人员将在规定时限内答复。",
    "投诉": "对窗口工作人员的服务态度、办事效率等问题进行投诉，可指明事项、窗口、部门或工作人员工号。",
    "建议": "对政务服务中心的工作提出意见和建议。",
    "评价": "对您办理的事项或窗口的服务进行评价。选择“不满意”或“非常不满意”的，我们将按投诉处理并回访。",
}


class CachedSelect(Select):
    """WTForms' select whose <option> tags are rendered once and reused.

    The item, window and department lists of a center run to hundreds of
    options; rendering each through WTForms' attribute machinery on every request
    was most of the cost of showing the citizen's form.  An option's HTML depends
    only on its value, label and whether it is selected, so that is the cache key.
    """

    @classmethod
    def render_option(cls, choice: Any, **kwargs: Any) -> Markup:
        if kwargs or choice.render_kw or not isinstance(choice.value, str):
            return super().render_option(choice, **kwargs)
        return _option_html(choice.value, choice.label or choice.value, bool(choice.selected))


@lru_cache(maxsize=8192)
def _option_html(value: str, label: str, selected: bool) -> Markup:
    return Markup(f"<option {html_params(value=value, selected=selected)}>{escape(label)}</option>")


_Choices = list[SelectChoice]
_choices_cache: list[tuple[Content, tuple[_Choices, _Choices, _Choices]]] = []


def _reference_choices(content: Content) -> tuple[_Choices, _Choices, _Choices]:
    """The item, window and department choices, built once per loaded content and shared by every form.

    WTForms only reads a field's choices, so one list serves every request; a
    province's thousands of items then cost nothing per post.
    """
    if _choices_cache and _choices_cache[0][0] is content:
        return _choices_cache[0][1]
    unset = [("", "（不指定）")]
    dept = content.department_of
    choices = (
        options(
            unset
            + [
                (i.id, f"{i.name}（{dept(i).short_name or dept(i).name}）")
                for i in sorted(content.items.values(), key=lambda i: (i.code, i.id))
            ]
        ),
        options(
            unset
            + [
                (w.id, f"{w.number} {w.name}")
                for w in sorted(content.windows.values(), key=lambda w: w.number)
            ]
        ),
        options(unset + [(d.id, d.name) for d in sorted(content.departments.values(), key=lambda d: d.id)]),
    )
    _choices_cache[:] = [(content, choices)]
    return choices


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class Form(FlaskForm):
    """A form of the feedback server: fields and messages only, no CSRF field of its own.

    :class:`flask_wtf.csrf.CSRFProtect` (``security.init_app``) checks the token
    of every POST before any view runs, and templates write it with
    ``csrf_token()``; a second check inside each form only cost a signature
    check and a signing per post.
    """

    class Meta:
        csrf = False


class FeedbackForm(Form):
    """One form for all four kinds; which fields are required depends on ``kind``."""

    kind = HiddenField()
    rating = RadioField(
        "您对这次服务满意吗？",
        choices=options((str(k), v) for k, v in RATINGS.items()),
        validate_choice=False,
    )
    item = SelectField("相关事项", validate_choice=False, widget=CachedSelect())
    window = SelectField("办理窗口", validate_choice=False, widget=CachedSelect())
    department = SelectField("相关部门", validate_choice=False, widget=CachedSelect())
    staff_badge = StringField("工作人员工号", [Optional(), Length(max=32, message="工号不超过 32 个字符")])
    title = StringField("标题")
    body = TextAreaField("内容")
    name = StringField(
        "姓名", [InputRequired("请输入您的姓名"), Length(max=64, message="姓名不超过 64 个字符")]
    )
    phone = StringField(
        "联系电话",
        [
            InputRequired("请输入您的联系电话"),
            Regexp(PHONE_PATTERN, message="请输入正确的联系电话，如 13800138000 或 0571-88888888"),
        ],
    )
    attachment = FileField("附件（可选）")
    #: Honeypot: hidden from people by CSS and from assistive technology by aria-hidden.
    website = StringField("网址（请勿填写）")
    started = HiddenField()

    def __init__(self, content: Content, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.content = content
        self.item.choices, self.window.choices, self.department.choices = _reference_choices(content)
        self.form_problems: list[tuple[str, str]] = []

    @property
    def kind_value(self) -> str:
        return self.kind.data if self.kind.data in KINDS else "咨询"

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        kind = self.kind_value
        self._check_reference(self.item, self.content.items, "请选择列表中的事项")
        self._check_reference(self.window, self.content.windows, "请选择列表中的窗口")
        self._check_reference(self.department, self.content.departments, "请选择列表中的部门")
        if kind == "评价":
            if self.rating.data not in {str(k) for k in RATINGS}:
                self._error(self.rating, "请选择您的满意程度")
            if not self.item.data and not self.window.data:
                self._error(self.item, "请选择您办理的事项或窗口")
            self._check_length(self.body, BODY_MAX, "评价内容")
        else:
            if not (self.title.data or "").strip():
                self._error(self.title, "请输入标题")
            self._check_length(self.title, TITLE_MAX, "标题")
            if not (self.body.data or "").strip():
                self._error(self.body, f"请输入{kind}内容")
            self._check_length(self.body, BODY_MAX, f"{kind}内容")
        self._check_attachment()
        if (self.website.data or "").strip():
            self.form_problems.append(("title", "提交未成功，请检查内容后再次提交"))
        problem = security.fill_time_problem(self.started.data)
        if problem:
            self.form_problems.append(("submit", problem))
        return ok and not self.errors and not self.form_problems

    def _error(self, field: Any, message: str) -> None:
        if not isinstance(field.errors, list):
            field.errors = list(field.errors)
        if message not in field.errors:
            field.errors.append(message)

    def _check_reference(self, field: Any, records: dict[str, Any], message: str) -> None:
        if field.data and field.data not in records:
            self._error(field, message)

    def _check_length(self, field: Any, limit: int, what: str) -> None:
        if len(field.data or "") > limit:
            self._error(field, f"{what}不超过 {limit} 个字，现在是 {len(field.data)} 个字")

    def _check_attachment(self) -> None:
        upload = self.attachment.data
        if upload is None or not getattr(upload, "filename", ""):
            return
        head = upload.stream.read(16)
        upload.stream.seek(0, 2)
        size = upload.stream.tell()
        upload.stream.seek(0)
        limit = int(current_app.config["FEEDBACK_ATTACHMENT_MAX_BYTES"])
        if security.sniff(head) is None:
            self._error(self.attachment, "附件只能是 JPG、PNG 图片或 PDF 文件")
        elif size > limit:
            self._error(self.attachment, f"附件不能超过 {_size(limit)}")
        elif size == 0:
            self._error(self.attachment, "附件是空文件")

    def problems(self) -> list[tuple[str, str]]:
        """(field id, message) in the order the fields appear on the page: the error summary."""
        out = list(self.form_problems[:1])
        for field in self:
            for message in field.errors:
                out.append((field.id, message))
        return out


class TrackForm(Form):
    number = StringField(
        "受理编号", [InputRequired("请输入受理编号"), Length(max=32, message="受理编号不正确")]
    )
    code = StringField("查询码", [InputRequired("请输入查询码"), Length(max=32, message="查询码不正确")])


class RateReplyForm(Form):
    satisfied = RadioField(
        "您对答复满意吗？",
        choices=options([("1", "满意"), ("0", "不满意")]),
        validators=[InputRequired("请选择满意或不满意")],
        validate_choice=False,
    )
    comment = TextAreaField("意见（可选）", [Optional(), Length(max=1000, message="意见不超过 1000 个字")])


class LoginForm(Form):
    username = StringField("用户名", [InputRequired("请输入用户名"), Length(max=64)])
    password = PasswordField("密码", [InputRequired("请输入密码"), Length(max=256)])


class ActionForm(Form):
    """The staff workflow forms all post here; only the fields an action needs are shown."""

    action = HiddenField()
    reason = TextAreaField("理由", [Optional(), Length(max=1000)])
    department = SelectField("转至单位", validate_choice=False)
    reply = TextAreaField("答复内容", [Optional(), Length(max=BODY_MAX)])
    public = BooleanField("在网站公开这条留言和答复（不含姓名、电话）")


def _size(n: int) -> str:
    return f"{n / 1048576:g} MB" if n >= 1048576 else f"{n / 1024:g} KB"


def mark_refused(form: FlaskForm, refusal: inputs.Refusal) -> bool:
    """Put the input policy's message beside each shown field that held refused characters.

    False when none of them is a field the person can see (a hidden field, a
    name the form does not have): the caller then says it at the top instead.
    """
    marked = False
    for name, message in refusal.fields.items():
        f = form._fields.get(name)
        if f is not None and not isinstance(f, HiddenField):
            f.errors = [*f.errors, message]
            marked = True
    return marked


def field_problems(form: FlaskForm) -> list[tuple[str, str]]:
    """(field id, message) of a plain form, for the error summary."""
    return [(field.id, message) for field in form for message in field.errors]
