"""What members type, made safe: a small Markdown subset rendered and sanitised on the server.

Members write paragraphs, lists, links, **bold**, *emphasis*, `code`, code blocks and `>` quotes. Raw
HTML is never interpreted: markdown-it runs with `html=False`, so `<script>` stays text, and nh3 (the
Rust `ammonia` sanitiser) then keeps only the tags and link schemes below, as a second wall. Only the
sanitised `Post.html` is ever marked safe in a template; e-mails and search use the plain text.

`@handle` mentions become links to the member's profile, but only for the handles the caller resolves
(members who may read the post), and never inside code or links.
"""

import html
import re

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "a", "strong", "em", "code", "pre", "blockquote"}
# "*": the attributes every tag may carry (ammonia's default: lang and title); none here.
ALLOWED_ATTRIBUTES = {"*": set(), "a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = (
    MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False, "breaks": True})
    .enable(["list", "emphasis", "backticks", "fence", "code", "blockquote", "link", "autolink", "newline", "escape"])
)

# An @ that does not follow a word character, a dot or a slash (so "jean@example.com" is no mention).
MENTION = re.compile(r"(?<![\w@/.])@([a-z0-9](?:[a-z0-9._-]{0,58}[a-z0-9])?)", re.IGNORECASE)
_TAG = re.compile(r"(<[^>]*>)")


def sanitise(fragment):
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener ugc",
        strip_comments=True,
    )


def mentioned_handles(source):
    """The handles `@`-named in a text, lower-cased, in order of appearance, each once."""
    seen = []
    for match in MENTION.finditer(source or ""):
        handle = match.group(1).lower()
        if handle not in seen:
            seen.append(handle)
    return seen


def _link_mentions(fragment, links):
    """Replace `@handle` in the text of sanitised HTML (outside tags, code and links) by the given links."""
    if not links:
        return fragment
    out, shelter = [], 0  # inside <a>, <code> or <pre>: leave the text alone
    for part in _TAG.split(fragment):
        if part.startswith("<"):
            name = part[1:].split(">")[0].split()[0].lower() if len(part) > 2 else ""
            if name in {"a", "code", "pre"}:
                shelter += 1
            elif name in {"/a", "/code", "/pre"}:
                shelter = max(shelter - 1, 0)
            out.append(part)
        elif shelter:
            out.append(part)
        else:

            def replace(match):
                url = links.get(match.group(1).lower())
                if url is None:
                    return match.group(0)
                return f'<a class="mention" href="{html.escape(url)}">@{html.escape(match.group(1))}</a>'

            out.append(MENTION.sub(replace, part))
    return "".join(out)


def render(source, mention_links=None):
    """Sanitised HTML of a post's text. `mention_links` maps a lower-case handle to its profile address."""
    rendered = sanitise(_markdown.render(source or ""))
    return _link_mentions(rendered, mention_links or {})


def plain_text(fragment):
    """The words of sanitised HTML, without markup: for search documents, e-mails and summaries."""
    text = nh3.clean(re.sub(r"</(p|li|pre|blockquote)>|<br\s*/?>", "\n", fragment or ""), tags=set())
    return re.sub(r"\n{3,}", "\n\n", html.unescape(text)).strip()


def excerpt(fragment, length=240):
    text = " ".join(plain_text(fragment).split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def quote(source, author_name):
    """The start of a reply that quotes another post: its text as a `>` block, with who wrote it."""
    lines = (source or "").strip().splitlines() or [""]
    quoted = "\n".join("> " + line if line.strip() else ">" for line in lines)
    return f"> **{escape_markdown(author_name)}** :\n>\n{quoted}\n\n"


def escape_markdown(text):
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~])", r"\\\1", text or "")
