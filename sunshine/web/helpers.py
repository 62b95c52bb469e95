"""What templates need besides the records: wording of time limits, feedback links, form links."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import current_app

from ..content.model import Site
from ..store import get_content
from .care import file_url

#: The feedback kinds offered as links, with their button text.
FEEDBACK_KINDS: tuple[tuple[str, str], ...] = (
    ("咨询", "我要咨询"),
    ("投诉", "我要投诉"),
    ("评价", "我要评价"),
)


def working_days(days: int | None) -> str:
    """A time limit as citizens read it: 0 is 即办 (on the spot), no legal limit is 无法定时限."""
    if days is None:
        return "无法定时限"
    if days == 0:
        return "即办"
    return f"{days} 个工作日"


def form_url(path: str) -> str:
    """Public URL of a file under content/forms/ (the contract writes it as forms/<name>).

    A county center's forms are published under its prefix (``/luochuan/forms/…``).
    """
    return file_url(get_content().url_prefix + "/" + path.lstrip("/"))


def feedback_base(site: Site) -> str | None:
    """Where feedback forms live: this server in server mode, the configured server, or nowhere."""
    if current_app.config.get("FEEDBACK_ENABLED") and not current_app.config.get("STATIC_BUILD"):
        return ""
    if site.feedback.server_url:
        return site.feedback.server_url.rstrip("/")
    return None


def page_feedback_base() -> str | None:
    """:func:`feedback_base` for the center of the current page.

    A county center's pages offer only a server the county names itself: this
    server's feedback records the root center's items, windows and departments.
    """
    content = get_content()
    if content.city is not None and not content.site.feedback.server_url:
        return None
    return feedback_base(content.site)


def feedback_links(item_id: str | None = None) -> list[tuple[str, str]]:
    """(label, URL) of 我要咨询/投诉/评价, about one item when given; empty when there is no server."""
    base = page_feedback_base()
    if base is None:
        return []
    suffix = f"&item={item_id}" if item_id else ""
    return [(label, f"{base}/feedback/new?kind={kind}{suffix}") for kind, label in FEEDBACK_KINDS]


def report_error_url(page_url: str) -> str | None:
    """纠错: where a citizen reports a mistake on the page at ``page_url``.

    The suggestion form of the feedback server, with the page's address filled
    in; without a server, an e-mail to the center with the address in it;
    without either, nothing (the page shows the phone instead).
    """
    site = get_content().site
    base = page_feedback_base()
    if base is not None:
        return f"{base}/feedback/new?" + urlencode({"kind": "建议", "page": page_url})
    if site.email:
        subject, body = "网站纠错", f"页面地址：{page_url}\n错误内容：\n"
        return f"mailto:{site.email}?subject={quote(subject)}&body={quote(body)}"
    return None
