"""Rich product descriptions: Markdown rendered by markdown-it, and all HTML cleaned by nh3 (ammonia).

Only formatting tags survive (paragraphs, lists, emphasis, headings, tables, links); scripts, styles,
event handlers and ``javascript:`` links are removed, and links get ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "s", "ul", "ol", "li", "h2", "h3", "h4", "blockquote",
                "a", "table", "thead", "tbody", "tr", "th", "td", "span", "small", "sup", "sub", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan"}, "th": {"colspan"}}

_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


def sanitize_html(html: str) -> str:
    """Keep the formatting, drop anything that could run or restyle the page."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer")


def render_description(text: str, *, fmt: str = "html") -> str:
    """Safe HTML from a description written as HTML or Markdown."""
    if fmt == "markdown":
        return sanitize_html(_markdown.render(text))
    return sanitize_html(text)


def plain_text(html: str) -> str:
    """The words of a description, for the search index."""
    return nh3.clean(html, tags=set())
