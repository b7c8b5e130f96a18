"""The one tokenizer used everywhere (coding, keyness, notebooks): jieba with the project's
user dictionary of policy terms, the codebook's terms, and a stopword list.

Known jieba traps handled here: its dictionary cache goes to the system temp folder unless
told otherwise (it goes to ``build/jieba``); user words with a low frequency are split again
(every project term gets a high frequency); ``cut`` and ``posseg`` segment differently (only
``cut`` is used); HMM discovery of new words is off, so the output depends only on the
dictionaries; its logger prints to stderr (silenced); old setuptools' ``pkg_resources``
warning on import is filtered.

jieba cuts a text block by block: it splits the text at every character outside its word
pattern (``jieba.re_han_default``: punctuation, spaces, line ends) and cuts each block on its
own, so a text's words are its blocks' words in order. ``words`` keeps each block's words in
a bounded memo: an item and its sentences share their blocks, so the sentences reuse the
item's words, and phrases that documents repeat are cut once per build — the same words as
one ``cut`` of the whole text, byte for byte (``tests/test_coding.py`` checks it).
"""

from __future__ import annotations

import hashlib
import logging
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from msresearch import config

HMM = False
TERM_FREQ = 100000  # high enough that jieba keeps project terms whole
USER_DICT = "resources/userdict.txt"
STOPWORDS = "resources/stopwords.txt"
WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]")
MEMO_BLOCKS = 200_000  # blocks kept per dictionary (tens of MB at most); then it starts again


@dataclass(frozen=True)
class TokenizerInfo:
    """What a build records so that its tokens can be reproduced."""

    jieba_version: str
    user_dict_sha256: str
    extra_terms_sha256: str
    hmm: bool


def _resource(name: str) -> str:
    return files("msresearch").joinpath(name).read_text(encoding="utf-8")


@cache
def stopwords() -> frozenset[str]:
    """The stopword list shipped in the package (function words and generic policy verbs)."""
    return frozenset(w.strip() for w in _resource(STOPWORDS).splitlines() if w.strip())


def _import_jieba():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*pkg_resources.*")
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        import jieba
    jieba.setLogLevel(logging.WARNING)
    return jieba


@cache
def _tokenizer(extra_terms: tuple[str, ...]):
    jieba = _import_jieba()
    config.JIEBA_CACHE.mkdir(parents=True, exist_ok=True)
    tk = jieba.Tokenizer()
    tk.tmp_dir = str(config.JIEBA_CACHE)
    tk.initialize()
    for line in _resource(USER_DICT).splitlines():
        if line.strip():
            word, freq, *tag = line.split()
            tk.add_word(word, int(freq), tag[0] if tag else None)
    for term in extra_terms:
        tk.add_word(term, TERM_FREQ)
    return tk


def term_key(extra_terms: Iterable[str] = ()) -> tuple[str, ...]:
    """The extra terms as ``words`` takes them: distinct and sorted (compute it once)."""
    return tuple(sorted(set(extra_terms)))


@cache
def _block_cutter(key: tuple[str, ...]):
    tk = _tokenizer(key)
    split = _import_jieba().re_han_default.split
    memo: dict[str, list[str]] = {}

    def cut(text: str) -> list[str]:
        out: list[str] = []
        for block in split(text):
            if not block:
                continue
            got = memo.get(block)
            if got is None:
                if len(memo) >= MEMO_BLOCKS:
                    memo.clear()
                got = memo[block] = [w for w in tk.cut(block, HMM=HMM) if WORD.search(w)]
            out += got
        return out

    return cut


def words(text: str, key: tuple[str, ...] = ()) -> list[str]:
    """Words of a text, in order, punctuation and spaces dropped; ``key`` is ``term_key`` of
    the extra terms. What ``tokenize`` returns, for callers that tokenise many texts."""
    return _block_cutter(key)(text)


def tokenize(text: str, extra_terms: Iterable[str] = (), drop_stopwords: bool = False) -> list[str]:
    """Words of a text, in order; punctuation and spaces dropped.

    ``extra_terms`` (the codebook's terms) are added to the dictionary so that they come out
    whole; the same terms always give the same tokens.
    """
    words_ = words(text, term_key(extra_terms))
    if drop_stopwords:
        stop = stopwords()
        words_ = [w for w in words_ if w not in stop]
    return words_


def tokenize_with_offsets(text: str, extra_terms: Iterable[str] = ()) -> list[tuple[str, int]]:
    """Like ``tokenize``, with each word's character offset in ``text``."""
    tk = _tokenizer(tuple(sorted(set(extra_terms))))
    out, pos = [], 0
    for word in tk.cut(text, HMM=HMM):
        if WORD.search(word):
            out.append((word, pos))
        pos += len(word)
    return out


def info(extra_terms: Iterable[str] = ()) -> TokenizerInfo:
    """jieba's version, the dictionaries' hashes and the HMM flag, for the build record."""
    jieba = _import_jieba()
    terms = "\n".join(sorted(set(extra_terms)))
    return TokenizerInfo(
        jieba_version=jieba.__version__,
        user_dict_sha256=hashlib.sha256(_resource(USER_DICT).encode("utf-8")).hexdigest(),
        extra_terms_sha256=hashlib.sha256(terms.encode("utf-8")).hexdigest(),
        hmm=HMM,
    )
