"""Saved web pages: recognised by their content, whatever a browser put before the first tag,
unwrapped from the single-file formats browsers save (MHTML, Safari's web archive), and
reduced to their visible text."""

from __future__ import annotations

from html.parser import HTMLParser

HTML_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form",
             "iframe", "button", "select", "input", "template")
CHUNK = 1 << 16  # how much of a text the tokenizer reads at a time while deciding


class _Decided(Exception):
    """Raised by ``_FirstContent`` to stop the tokenizer once it has seen enough."""


class _FirstContent(HTMLParser):
    """Python's HTML tokenizer, stopped at the first thing that is content: a tag, or text
    that is not white space. What comes before it — comments (a browser's ``<!-- saved from
    url=… -->`` mark, conditional comments ``<!--[if IE]>``), declarations (the doctype,
    ``<![if !IE]>``) and processing instructions (an XML prolog) — is passed over."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tag: str | None = None

    def _content(self, tag: str | None) -> None:
        self.tag = tag
        raise _Decided

    def handle_starttag(self, tag, attrs):
        self._content(tag)

    def handle_startendtag(self, tag, attrs):
        self._content(tag)

    def handle_endtag(self, tag):
        self._content(tag)

    def handle_data(self, data):
        if data.strip():
            self._content(None)

    def handle_entityref(self, name):
        self._content(None)

    def handle_charref(self, name):
        self._content(None)


def is_html(text: str) -> bool:
    """Whether a decoded file is an HTML page rather than plain text: the first content the
    HTML tokenizer meets, past a byte-order mark, white space, comments, declarations and
    processing instructions, is a tag. Read by the tokenizer, not by a prefix: a page that a
    browser saved with a mark before its doctype, an XHTML page with an XML prolog and a
    page on one line are pages; a text whose first word is not a tag is text."""
    parser = _FirstContent()
    text = text.lstrip("\ufeff")
    try:
        for start in range(0, len(text), CHUNK):
            parser.feed(text[start:start + CHUNK])
        parser.close()
    except _Decided:
        return parser.tag is not None
    return False  # nothing but comments and declarations


def html_to_text(text: str) -> str:
    """Visible text of an HTML page: scripts, navigation, headers and footers dropped.

    Block elements become line breaks so that numbered items stay on lines of their own.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup.find_all(HTML_DROP):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for row in soup.find_all("tr"):  # a table row becomes one tab-separated line
        cells = [cell.get_text("", strip=True) for cell in row.find_all(["td", "th"])]
        row.replace_with("\t".join(cells))
    body = soup.body or soup
    lines = [line.strip(" \r\n\xa0") for line in body.get_text("\n").split("\n")]
    return "\n".join(line for line in lines if line.strip()) + "\n"


WEB_ARCHIVE = b"bplist00"  # Safari's "Web Archive": a binary property list
MHTML_HEADERS = (b"from:", b"mime-version:", b"content-type:", b"subject:", b"date:",
                 b"snapshot-content-location:", b"content-location:", b"x-mht")


def unwrap(data: bytes) -> tuple[bytes, str | None, str | None]:
    """The page inside a single-file save: (its bytes, the encoding the file declares for
    them or None, the format's name or None). Safari's web archive (its main resource) and
    MHTML, as Chrome, Edge and Internet Explorer save "a web page, single file" (its first
    text/html part, transfer encoding undone); any other file is given back as it is."""
    if data.startswith(WEB_ARCHIVE):
        return _web_archive(data)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(MHTML_HEADERS) and b"multipart/related" in head:
        return _mhtml(data)
    return data, None, None


def _web_archive(data: bytes) -> tuple[bytes, str | None, str | None]:
    import plistlib

    try:
        archive = plistlib.loads(data)
        main = archive["WebMainResource"]
        page = main["WebResourceData"]
    except (plistlib.InvalidFileException, KeyError, TypeError, ValueError, IndexError):
        return data, None, None  # not a web archive after all: decoded as it is (and refused)
    if not isinstance(page, bytes):
        return data, None, None
    encoding = main.get("WebResourceTextEncodingName")
    return page, encoding if isinstance(encoding, str) else None, "web archive"


def _mhtml(data: bytes) -> tuple[bytes, str | None, str | None]:
    from email import message_from_bytes, policy

    message = message_from_bytes(data, policy=policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            page = part.get_payload(decode=True)
            if isinstance(page, bytes):
                return page, part.get_content_charset(), "MHTML"
    return data, None, None
