"""Event descriptions: Markdown written by organizers, rendered as safe HTML.

Markdown first (it lets raw HTML through), then nh3 keeps only a small set of tags and
attributes: no script, style, iframe, image, event handler or javascript: link survives.
"""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
MAX_SOURCE_CHARS = 50_000


def render_markdown(text: str) -> SafeString:
    """The description as HTML that is safe to put in a page."""
    html = markdown_lib.markdown((text or "")[:MAX_SOURCE_CHARS], extensions=["sane_lists", "tables"])
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow ugc",
        clean_content_tags={"script", "style"},
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitized by nh3 just above
