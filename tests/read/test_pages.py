"""Saved web pages are recognised by their content, not by how they begin: a page saved by each
major browser ("save as", in each of its formats) gives the text of the page itself, and a
text that is not a page is never taken for one."""

from __future__ import annotations

import plistlib
import quopri

import pytest

from msresearch.read.corpus import read_document_text
from msresearch.read.pages import is_html

ITEMS = ["一、强化就业创业工作", "1.开展技能培训提升，培训农民工3万人次。",
         "2.推动就业创业，新增城镇就业5万人。", "二、提升教育质量", "3.新建幼儿园20所。",
         "4.改造农村薄弱学校30所。"]
EXPECTED = "\n".join(ITEMS) + "\n"
URL = "http://www.example.gov.cn/art/2020/3/1/art_1_100.html"
BODY = ("<body><nav>网站首页 &gt; 信息公开</nav><div class=\"content\">"
        + "".join(f"<p>{item}</p>" for item in ITEMS)
        + "</div><footer>版权所有</footer><script>var n = \"访问次数\";</script></body>")
HEAD = ("<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">"
        "<title>关于做好民生工作的通知</title><style>p {color: red}</style></head>")


def _motw(url: str = URL) -> str:
    """The mark of the web Chromium and Internet Explorer write into a saved page."""
    return f"<!-- saved from url=({len(url):04d}){url} -->"


def chrome_complete() -> bytes:
    """Chrome and Edge, "Webpage, Complete" / "HTML only": the doctype, then the mark."""
    return (f"<!DOCTYPE html>\n{_motw()}\n<html lang=\"zh-CN\">{HEAD}{BODY}</html>").encode()


def chrome_no_doctype() -> bytes:
    """Chrome on a page without a doctype: the mark comes first."""
    return (f"{_motw()}\n<html>{HEAD}{BODY}</html>").encode()


def internet_explorer() -> bytes:
    """Internet Explorer and the old Edge: CRLF, the mark first, a legacy doctype, GBK."""
    page = (f"{_motw()}\r\n<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">\r\n"
            f"<HTML><HEAD><META http-equiv=Content-Type content=\"text/html; charset=gb2312\">"
            f"</HEAD>{BODY.replace('<body>', '<BODY>')}</HTML>")
    return page.encode("gb18030")


def conditional_comments() -> bytes:
    """A page whose template opens with IE conditional comments around its html tag."""
    return ("<!--[if lt IE 9]><html class=\"ie\"><![endif]-->\n<!--[if !IE]><!--><html>"
            f"<!--<![endif]-->{HEAD}{BODY}</html>").encode()


def firefox_xhtml() -> bytes:
    """Firefox, "Web Page, complete", of an XHTML page: the XML prolog kept, and a BOM."""
    return ("\ufeff<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html PUBLIC "
            "\"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
            "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
            f"<html xmlns=\"http://www.w3.org/1999/xhtml\">{HEAD}{BODY}</html>").encode()


def firefox_one_line() -> bytes:
    """Firefox of a page that is one line, white space and a comment before it."""
    return (f"\n\n  <!-- 页面开始 --><html>{HEAD}{BODY}</html>").encode()


def safari_web_archive() -> bytes:
    """Safari's default, "Web Archive": a binary property list holding the page's bytes."""
    page = f"<!DOCTYPE html><html>{HEAD}{BODY}</html>".encode()
    archive = {"WebMainResource": {"WebResourceData": page, "WebResourceFrameName": "",
                                   "WebResourceMIMEType": "text/html",
                                   "WebResourceTextEncodingName": "UTF-8",
                                   "WebResourceURL": URL},
               "WebSubresources": [{"WebResourceData": b"p {color: red}",
                                    "WebResourceMIMEType": "text/css",
                                    "WebResourceURL": URL + ".css"}]}
    return plistlib.dumps(archive, fmt=plistlib.FMT_BINARY)


def chrome_single_file() -> bytes:
    """Chrome and Edge, "Webpage, Single File": MHTML, the page quoted-printable."""
    page = f"<!DOCTYPE html><html>{HEAD}{BODY}</html>".encode()
    boundary = "----MultipartBoundary--8Nf2gqJ2gW1Xk2h0m6Xz0x5wWc1Z3yJt2cYzQ0nW3M----"
    parts = [
        "From: <Saved by Blink>",
        f"Snapshot-Content-Location: {URL}",
        "Subject: =?utf-8?Q?=E5=85=B3=E4=BA=8E?=",
        "Date: Sun, 1 Mar 2020 10:00:00 +0800",
        "MIME-Version: 1.0",
        "Content-Type: multipart/related;",
        '\ttype="text/html";',
        f'\tboundary="{boundary}"',
        "", "",
        f"--{boundary}",
        "Content-Type: text/html",
        "Content-ID: <frame-0@mhtml.blink>",
        "Content-Transfer-Encoding: quoted-printable",
        f"Content-Location: {URL}",
        "",
        quopri.encodestring(page).decode("ascii"),
        f"--{boundary}",
        "Content-Type: text/css",
        "Content-Transfer-Encoding: quoted-printable",
        f"Content-Location: {URL}.css",
        "",
        "p {color: red}",
        f"--{boundary}--",
        "",
    ]
    return "\r\n".join(parts).encode("ascii")


SAVED = [chrome_complete, chrome_no_doctype, internet_explorer, conditional_comments,
         firefox_xhtml, firefox_one_line, safari_web_archive, chrome_single_file]


@pytest.mark.parametrize("saved", SAVED, ids=lambda f: f.__name__)
def test_a_page_saved_by_any_browser_gives_the_text_of_the_page(saved):
    text, _ = read_document_text(saved(), "page")
    assert text == EXPECTED


@pytest.mark.parametrize("text", [
    "关于做好民生工作的通知\n一、强化就业<创业>工作\n",
    "<2020年>民生工作要点\n1.新建学校。\n",
    "  \n一、甲 <b> 乙\n",
    "1 < 2 and 3 > 2\n",
    "&nbsp;的文字\n",
    "<!-- 只有注释 -->",
])
def test_a_text_whose_first_content_is_not_a_tag_is_text(text):
    assert not is_html(text)


@pytest.mark.parametrize("text", ["<p>一、甲</p>", "\ufeff <div>甲</div>", "<?xml version='1.0'?><html>",
                                  "<!DOCTYPE html>" + "<!--" + "注" * 100_000 + "-->\n<html>"])
def test_a_page_is_recognised_whatever_precedes_its_first_tag(text):
    assert is_html(text)
