"""What members type is made safe: hostile payloads render as text, the small Markdown subset survives,
mentions are linked only in running text, and the plain text of a post is its words.

The rendered HTML is checked by parsing it, not by looking for substrings: only the allowed tags, no event
handler attributes, and every link to http, https, mailto or a relative address."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discussions import markup

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "a", "strong", "em", "code", "pre", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "rel", "class"}, "ol": {"start"}}
# nh3 keeps its default generic attributes, lang and title, on any tag: escaped text, inert.
GENERIC_ATTRIBUTES = {"lang", "title"}
SAFE_SCHEMES = {"http", "https", "mailto", ""}


class Inventory(HTMLParser):
    """Every tag and attribute of a fragment, as a browser's parser would meet them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.hrefs, self.comments = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.append((tag, name, value))
            if name in {"href", "src", "action", "formaction", "xlink:href"}:
                self.hrefs.append(value or "")

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.comments.append(data)

    def handle_decl(self, decl):
        self.comments.append(decl)


def inventory(fragment):
    parser = Inventory()
    parser.feed(fragment)
    parser.close()
    return parser


def scheme_of(href):
    # Browsers drop tabs, new lines and leading spaces or control characters before reading a scheme.
    cleaned = "".join(ch for ch in href if ch not in "\t\n\r").strip().lstrip("\x00\x01\x02\x03\x04\x05 ")
    return urlsplit(cleaned).scheme.lower()


def assert_safe(fragment):
    found = inventory(fragment)
    assert set(found.tags) <= ALLOWED_TAGS, found.tags
    for tag, name, value in found.attributes:
        assert not name.startswith("on"), (tag, name, value)
        assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | GENERIC_ATTRIBUTES, (tag, name, value)
        if name == "class":
            assert value == "mention"
        if name == "rel":
            assert value == "nofollow noopener ugc"
    for href in found.hrefs:
        assert scheme_of(href) in SAFE_SCHEMES, href
    assert not found.comments
    lowered = fragment.lower()
    for word in ("<script", "<iframe", "<svg", "<img", "<style", "<math", "<object", "<embed", "<form", "<!--"):
        assert word not in lowered


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](java\tscript:alert(1))",
    "[clic](java%0Ascript:alert(1))",
    "[clic](&#106;avascript:alert(1))",
    "[clic](&#x6A;&#x61;&#x76;&#x61;script:alert(1))",
    "[clic](<javascript:alert(1)>)",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[clic](vbscript:msgbox(1))",
    "[clic]( javascript:alert(1))",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    '<a href="javascript:alert(1)">clic</a>',
    '<a href="https://ok.example" onclick="alert(1)">clic</a>',
    '<a href="x" title="a"onmouseover="alert(1)">clic</a>',
    '[clic](https://ok.example "titre" onmouseover="alert(1)")',
    '[clic](https://ok.example "titre\\" onmouseover=\\"alert(1)")',
    "[clic](https://ok.example\"onmouseover=\"alert(1))",
    "![image](https://evil.example/x.png)",
    '![x](x" onerror="alert(1))',
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    "<!-- <script>alert(1)</script> -->",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "> > > <script>alert(1)</script>\n> > `<img src=x onerror=alert(1)>`",
    "```html\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    "`</code><script>alert(1)</script>`",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<object data=javascript:alert(1)></object><embed src=javascript:alert(1)>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "[a]: javascript:alert(1)\n\n[clic][a]",
    "<<script>script>alert(1)<</script>/script>",
    "\x00<script>alert(1)</script>",
    "@<script>alert(1)</script>",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_a_hostile_payload_renders_as_harmless_text(payload):
    assert_safe(markup.render(payload))


@pytest.mark.parametrize("payload", HOSTILE)
def test_a_hostile_payload_stays_harmless_with_mentions_linked(payload):
    assert_safe(markup.render(f"@bob {payload} @bob", {"bob": "/membres/1/"}))


def test_raw_html_is_shown_as_text_not_dropped():
    """A member who writes about HTML sees what they wrote."""
    rendered = markup.render("Mettez <b>ceci</b> dans le modèle.")
    assert "&lt;b&gt;ceci&lt;/b&gt;" in rendered
    assert markup.plain_text(rendered) == "Mettez <b>ceci</b> dans le modèle."


def test_the_small_markdown_subset_survives():
    rendered = markup.render(
        "**gras** et *italique* et `code`\n\n- un\n- deux\n\n3. trois\n4. quatre\n\n> cité\n\n```\nbloc\n```\n\n"
        "[le site](https://club.example/page) <https://club.example/auto> [écrire](mailto:a@club.example) "
        "[relatif](/discussions/)"
    )
    found = inventory(rendered)
    assert {"strong", "em", "code", "ul", "ol", "li", "blockquote", "pre", "a", "p"} <= set(found.tags)
    assert ("ol", "start", "3") in found.attributes
    assert found.hrefs == ["https://club.example/page", "https://club.example/auto", "mailto:a@club.example",
                           "/discussions/"]
    rels = [value for tag, name, value in found.attributes if name == "rel"]
    assert rels == ["nofollow noopener ugc"] * 4
    assert_safe(rendered)


def test_a_line_break_in_a_paragraph_is_kept():
    assert "<br" in markup.render("ligne un\nligne deux")


def test_headings_tables_and_images_are_not_part_of_the_subset():
    rendered = markup.render("# Titre\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert set(inventory(rendered).tags) <= {"p", "br"}
    image = inventory(markup.render("![img](https://x.example/i.png)"))
    assert "img" not in image.tags  # at most a link to the picture
    assert image.hrefs in ([], ["https://x.example/i.png"])


def test_mentions_are_linked_in_running_text_only():
    links = {"bob": "/membres/7/"}
    rendered = markup.render("Salut @bob, vois `@bob` et [@bob](https://x.example) et\n\n    @bob\n", links)
    found = inventory(rendered)
    mentions = [value for tag, name, value in found.attributes if name == "class"]
    assert mentions == ["mention"]
    assert rendered.count('href="/membres/7/"') == 1
    assert "<code>@bob</code>" in rendered


def test_only_resolved_handles_are_linked_and_case_does_not_matter():
    rendered = markup.render("@Bob et @alice", {"bob": "/membres/7/"})
    assert '<a class="mention" href="/membres/7/">@Bob</a>' in rendered
    assert "@alice" in rendered and rendered.count("<a") == 1


def test_mentioned_handles_are_read_once_in_order_and_not_from_addresses():
    assert markup.mentioned_handles("@Zoe @anne.marie @zoe. jean@example.com a/@b (@c) .@d") == [
        "zoe",
        "anne.marie",
        "c",
    ]
    assert markup.mentioned_handles("") == []
    assert markup.mentioned_handles(None) == []


def test_a_mention_link_cannot_carry_markup():
    rendered = markup.render("@bob", {"bob": '/x/"><script>alert(1)</script>'})
    assert_safe(rendered)


def test_plain_text_and_excerpt_give_the_words():
    rendered = markup.render("**Bonjour** à tous,\n\n- un *point*\n- deux\n\n> une citation & plus")
    text = markup.plain_text(rendered)
    assert "<" not in text.replace("&", "")
    assert "Bonjour à tous," in text and "un point" in text and "une citation & plus" in text
    assert markup.excerpt(rendered) == "Bonjour à tous, un point deux une citation & plus"
    long = markup.render(" ".join(["mot"] * 200))
    short = markup.excerpt(long, length=40)
    assert len(short) <= 40 and short.endswith("…") and "  " not in short


def test_plain_text_of_a_hostile_payload_is_its_words():
    text = markup.plain_text(markup.render("<script>alert(1)</script>"))
    assert text == "<script>alert(1)</script>"  # text, for an e-mail's text part or an autoescaped template


def test_a_quote_starts_a_reply_with_the_quoted_text_and_its_author():
    start = markup.quote("Première ligne\n\nSeconde *ligne*", "Jean [Dupont]")
    assert start.startswith("> **Jean \\[Dupont\\]** :\n>\n> Première ligne\n>\n> Seconde *ligne*")
    rendered = markup.render(start + "Ma réponse")
    found = inventory(rendered)
    assert "blockquote" in found.tags and "strong" in found.tags
    assert "Jean [Dupont]" in markup.plain_text(rendered)
    assert "Ma réponse" in markup.plain_text(rendered)


def test_a_quoted_hostile_name_stays_text():
    rendered = markup.render(markup.quote("texte", "<img src=x onerror=alert(1)>") + "ok")
    assert_safe(rendered)


MARKUP_PIECES = st.sampled_from(
    ["<", ">", "&", "#", "\"", "'", "`", "```", "*", "_", "[", "]", "(", ")", "!", "\n", "\t", " ", "@bob",
     "javascript:", "data:", "vbscript:", "http://x.example", "mailto:", "on", "onerror=", "=", "<script>",
     "<img src=x ", "<a href=", "</a>", "<svg", "<!--", "-->", "&#106;", "&#x6A;", "\\", "> ", "- ", "1. ",
     "    ", "<https://", "<javascript:", "alert(1)", "style", "%0A", "\x00", "é"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(MARKUP_PIECES, st.text(max_size=6)), max_size=40).map("".join))
def test_any_text_renders_to_the_allowed_tags_only(text):
    assert_safe(markup.render(text, {"bob": "/membres/1/"}))
