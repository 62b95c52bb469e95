"""What templates need besides the records: wording of time limits, feedback links, form links."""

from __future__ import annotations

from flask import current_app

from ..content.model import Site
from ..store import get_content

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
    """Public URL of a file under content/forms/ (the contract writes it as forms/<name>)."""
    return "/" + path.lstrip("/")


def feedback_base(site: Site) -> str | None:
    """Where feedback forms live: this server in server mode, the configured server, or nowhere."""
    if current_app.config.get("FEEDBACK_ENABLED") and not current_app.config.get("STATIC_BUILD"):
        return ""
    if site.feedback.server_url:
        return site.feedback.server_url.rstrip("/")
    return None


def feedback_links(item_id: str | None = None) -> list[tuple[str, str]]:
    """(label, URL) of 我要咨询/投诉/评价, about one item when given; empty when there is no server.

    A county center's pages offer only a server the county names itself: this
    server's feedback records the root center's items, windows and departments.
    """
    content = get_content()
    if content.city is not None and not content.site.feedback.server_url:
        return []
    base = feedback_base(content.site)
    if base is None:
        return []
    suffix = f"&item={item_id}" if item_id else ""
    return [(label, f"{base}/feedback/new?kind={kind}{suffix}") for kind, label in FEEDBACK_KINDS]
