"""Fetch a paper's PDF and turn it into clean body text split by the catalog's headings.

:func:`download_pdf` fetches the bytes (bounded retries, timeouts, a size limit and a
check that the answer is a PDF, not an error page); :func:`read_local_pdf` reads a PDF
someone downloaded by hand; :func:`extract_paper` is pure: bytes in, :class:`PaperText` out.

Extraction works on the text lines pypdf gives for each page:

1. Unicode NFKC (ligatures ``ﬁ`` ``ﬂ`` become ``fi`` ``fl``), whitespace collapsed.
2. Running headers and footers (lines repeated at the top or bottom of many pages,
   compared with digits normalized), bare page numbers and the arXiv margin stamp dropped.
3. Each catalog heading (``at``, e.g. ``"3.2 Attention"``) located in order, tolerant of
   ``"1. Introduction"``, ``"1\\nIntroduction"`` and case; text before the first heading
   (title, authors, abstract) belongs to the first heading.
4. A ``References``/``Bibliography`` line after the last heading starts the references,
   set apart (with anything after them, e.g. appendices) and never part of the blocks.
5. Lines joined into paragraphs (``"\\n\\n"`` between paragraphs), line-end hyphens
   re-joined (``"represen-" + "tations"``), compounds kept (``"encoder-" + "decoder"``).

Every failure is a :class:`SourceError` whose message names the PDF and the fix.
"""

from __future__ import annotations

import email.utils
import io
import itertools
import math
import re
import time
import unicodedata
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, PdfReadWarning, PyPdfError

from kz2h_assets.sources.models import PaperBlock, PaperText, SourceError

USER_AGENT = "kz2h-assets/0.1 (course ingestion; +https://github.com/karpathy/nn-zero-to-hero)"
PDF_CONTENT_TYPES = frozenset(
    {"application/pdf", "application/x-pdf", "application/octet-stream", "binary/octet-stream"}
)
MAX_RETRY_AFTER = 60.0
"""Longest wait (seconds) a server's Retry-After may impose between attempts."""
MAX_BACKOFF = 30.0
MIN_TEXT_CHARS_PER_PAGE = 200
"""Fewer letters and digits than this per page on average: no text layer (a scan)."""

_ZONE = 3  # lines at the top and at the bottom of a page where running headers/footers live
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$|^[ivxlc]{1,7}$", re.IGNORECASE
)
_ARXIV_STAMP = re.compile(r"^arXiv:\s*[\w./-]+(?:v\d+)?\s*\[[^\]]+\]\s*\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}$")
_FIRST_PAGE_MARGIN = re.compile(
    r"^(?:©|\(c\)\s|copyright\b|published as\b|preprint\b|under review\b|layout sample\b)"
    r"|\b(?:conference|proceedings|journal|workshop|symposium)\b.*\b(?:19|20)\d\d\b"
    r"|\b(?:19|20)\d\d\b.*\b(?:conference|proceedings|journal|workshop|symposium)\b"
    r"|\b(?:CVPR|ICCV|ECCV|NIPS|NeurIPS|ICML|ICLR|ACL|EMNLP|NAACL|AAAI|IJCAI|COLING)\s*['’]?\d{2,4}\b"
    r"|\bsubmitted\b.*\bpublished\b",
    re.IGNORECASE,
)
_OTHER_NUMBERING = re.compile(r"^(?:[IVX]{1,5}|[ivx]{1,5}|[A-Z])[.)]\s+(.+)$")
_NUMBERED = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*)\.?\s*(.*)$", re.DOTALL)
_SUBHEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+[A-Z][^\s]*(?:\s+\S+){0,11}$")
_NAMED_HEADINGS = frozenset(
    {"abstract", "acknowledgements", "acknowledgments", "acknowledgement", "acknowledgment", "appendix", "keywords"}
)
_REFERENCES = re.compile(r"^(?:\d{1,2}\.?\s*)?(?:references|bibliography|literature\s+cited)\s*:?$", re.IGNORECASE)
_APPENDIX_HEADING = re.compile(r"^(?:Appendix\b.*|[A-H](?:\.\d{1,2})*\.?\s+[A-Z][^.]{0,80})$")
_REFERENCE_ENTRY = re.compile(r"^\[\d{1,3}\]")
_CAPTION = re.compile(r"^(?:figure|fig\.|table|algorithm)\s*\d+[:.]", re.IGNORECASE)
_BULLET = re.compile(r"^[•◦▪‣∙●○■□–]\s")
_FOOTNOTE = re.compile(r"^(?:[∗*†‡§¶]+\s?[A-Za-z]|\d{1,2}[A-Z][a-z])")
_EQUATION_NUMBER = re.compile(r"\(\d{1,3}[a-z]?\)$")
_NUMERIC_TOKEN = re.compile(r"^(?:[(\[]?[-+−]?[\d.,]*\d[\d.,%]*[)\]]?[,;]?|O\(.*\)[,;]?)$")
_PROSE_WORD = re.compile(r"^[a-z][a-z'-]*[.,;:]?$")
_NOT_SENTENCE_END = re.compile(r"(?:\b[A-Z]|\bal|\be\.g|\bi\.e|\bvs|\bcf|\bFig|\bEq)\.$")
_SENTENCE_END = re.compile(r"[.!?:]['\"”’)\]]?$")
_HYPHENS = ("-", "\u2010", "\u00ad")
_HYPHEN_PREFIXES = frozenset({"self", "semi", "non", "cross", "quasi", "pseudo", "all", "well", "half"})
_WORD = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*")


# --------------------------------------------------------------------------
# Download
# --------------------------------------------------------------------------


def _manual_hint(url: str, resource_id: str | None) -> str:
    name = resource_id or "<resource_id>"
    return f"download it by hand from {url} and put it at KZ2H_SOURCES_DIR/{name}.pdf"


class _Retryable(Exception):
    """A failure worth another attempt: a timeout, a network error, 408/429/5xx."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def _retry_after_seconds(value: str | None) -> float | None:
    """A Retry-After header (seconds or an HTTP date) as seconds from now, or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _fetch_once(http: httpx.Client, url: str, *, max_bytes: int, timeout: httpx.Timeout, hint: str) -> bytes:
    """One GET: the PDF's bytes, :class:`_Retryable` for transient failures, SourceError otherwise."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/pdf,application/octet-stream;q=0.9,*/*;q=0.1"}
    try:
        with http.stream("GET", url, headers=headers, timeout=timeout, follow_redirects=True) as response:
            status = response.status_code
            if status in (408, 425, 429) or status >= 500:
                raise _Retryable(f"HTTP {status}", _retry_after_seconds(response.headers.get("retry-after")))
            if status >= 400:
                what = {403: "forbidden (403)", 404: "not found (404)", 410: "gone (410)"}.get(status, f"HTTP {status}")
                raise SourceError(f"{url}: {what}; check the catalog's pdf_url, or {hint}")
            where = url if str(response.url) == url else f"{url} (redirected to {response.url})"
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type and content_type not in PDF_CONTENT_TYPES:
                kind = "an HTML page (an error page, a login or a captcha?)" if "html" in content_type else content_type
                raise SourceError(f"{where} answered with {kind}, not a PDF; {hint}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise SourceError(
                    f"{where} is {int(declared):,} bytes, over the {max_bytes:,}-byte limit; "
                    f"raise max_bytes if that is expected, or {hint}"
                )
            body = bytearray()
            checked = False
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise SourceError(f"{where} sent more than the {max_bytes:,}-byte limit; stopped reading; {hint}")
                if not checked and len(body) >= 5:
                    _check_pdf_magic(bytes(body), where, hint)
                    checked = True
            if not checked:
                _check_pdf_magic(bytes(body), where, hint)
            return bytes(body)
    except httpx.TimeoutException as exc:
        raise _Retryable(f"timed out ({type(exc).__name__})") from exc
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise SourceError(f"{url} is not a downloadable http(s) URL ({exc}); fix the catalog's pdf_url") from exc
    except httpx.TransportError as exc:
        raise _Retryable(f"network error ({type(exc).__name__}: {exc})") from exc
    except httpx.TooManyRedirects as exc:
        raise SourceError(f"{url}: too many redirects; {hint}") from exc
    except httpx.HTTPError as exc:
        raise SourceError(f"{url}: download failed ({type(exc).__name__}: {exc}); {hint}") from exc


def _check_pdf_magic(head: bytes, where: str, hint: str) -> None:
    if head.startswith(b"%PDF-"):
        return
    sniff = head[:2048].lstrip().lower()
    if sniff.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in sniff:
        raise SourceError(f"{where} returned an HTML page (an error page or a captcha?), not a PDF; {hint}")
    raise SourceError(f"{where} returned something that is not a PDF (no %PDF- header); {hint}")


def download_pdf(
    url: str,
    *,
    client: httpx.Client | None = None,
    max_bytes: int = 50_000_000,
    retries: int = 3,
    timeout: float = 60,
    resource_id: str | None = None,
    backoff: float = 1.0,
) -> bytes:
    """Download a PDF and return its bytes.

    ``retries`` extra attempts follow a timeout, a network error, 408/425/429 or a 5xx, waiting
    ``backoff * 2**attempt`` seconds (at most :data:`MAX_BACKOFF`) or the server's Retry-After
    (at most :data:`MAX_RETRY_AFTER`). Other 4xx fail at once. Redirects are followed. The
    body is streamed and abandoned past ``max_bytes``; it must be served as a PDF (or generic
    binary) and start with ``%PDF-``, so an HTML error or captcha page is refused.
    ``timeout`` bounds each read (and connecting, at most 10 s). ``resource_id`` only names the
    file in messages. A ``client`` passed in is used as is and left open.

    Raises :class:`SourceError` naming the URL and the fix on every failure.
    """
    if retries < 0:
        raise ValueError("retries must be >= 0")
    hint = _manual_hint(url, resource_id)
    timeouts = httpx.Timeout(timeout, connect=min(timeout, 10.0))
    http = client if client is not None else httpx.Client(follow_redirects=True)
    try:
        last = ""
        for attempt in range(retries + 1):
            try:
                return _fetch_once(http, url, max_bytes=max_bytes, timeout=timeouts, hint=hint)
            except _Retryable as exc:
                last = exc.reason
                if attempt == retries:
                    break
                if exc.retry_after is not None:
                    delay = min(exc.retry_after, MAX_RETRY_AFTER)
                else:
                    delay = min(backoff * 2**attempt, MAX_BACKOFF)
                time.sleep(delay)
        raise SourceError(f"could not download {url} after {retries + 1} attempt(s), last error: {last}; {hint}")
    finally:
        if client is None:
            http.close()


def read_local_pdf(path: Path) -> bytes:
    """The bytes of a PDF on disk (validated later by :func:`extract_paper`)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SourceError(f"cannot read the PDF {path}: {reason}; check the path and its permissions") from exc
    if not data:
        raise SourceError(f"the PDF {path} is empty; download it again")
    return data


# --------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------


@dataclass
class _Line:
    page: int  # 1-based
    text: str
    paragraph: bool = False  # starts a paragraph whatever it looks like (follows a heading)


@dataclass(frozen=True)
class _Hit:
    """Where a catalog heading was found: ``count`` lines from ``index``; ``rest`` follows a run-in heading."""

    index: int
    count: int
    rest: str = ""


def _normalize(text: str) -> str:
    """NFKC (ligatures, compatibility forms) and collapsed whitespace."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def _line_key(text: str) -> str:
    """How lines compare when looking for running headers: digits (page numbers) don't matter.

    Case does: a title-case title on page 1 is not the upper-case running header of later pages.
    """
    return re.sub(r"\d+", "#", text)


def _is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text))


def _open_reader(pdf: bytes, origin: str) -> PdfReader:
    """A pypdf reader for ``pdf``, refusing non-PDFs, truncated or corrupt files and locked encryption."""
    if b"%PDF-" not in pdf[:1024]:
        sniff = pdf[:2048].lstrip().lower()
        if sniff.startswith((b"<!doctype", b"<html")) or b"<html" in sniff:
            raise SourceError(
                f"{origin} is not a PDF but an HTML page (an error page or a captcha?); "
                "download the PDF again, by hand if needed"
            )
        raise SourceError(f"{origin} is not a PDF (no %PDF- header); download the PDF again")
    if b"%%EOF" not in pdf[-2048:]:
        raise SourceError(
            f"{origin} is truncated (no %%EOF marker at the end: an interrupted download?); download it again"
        )
    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise SourceError(
                f"{origin} is encrypted with a password; decrypt it first "
                "(qpdf --decrypt --password=... in.pdf out.pdf) and use the decrypted file"
            )
        if len(reader.pages) < 1:
            raise SourceError(f"{origin} has no pages; download it again")
    except DependencyError as exc:
        raise SourceError(
            f"{origin} is encrypted in a way pypdf can't open without the 'cryptography' package ({exc}); "
            "decrypt it first (qpdf --decrypt in.pdf out.pdf)"
        ) from exc
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise SourceError(f"{origin} is corrupt or truncated ({type(exc).__name__}: {exc}); download it again") from exc
    return reader


def _page_lines(reader: PdfReader, origin: str) -> list[list[str]]:
    """Normalized, non-empty text lines of every page."""
    pages: list[list[str]] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text() or ""
        except DependencyError as exc:
            raise SourceError(f"{origin} page {number}: {exc}; decrypt the PDF first (qpdf --decrypt)") from exc
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
            raise SourceError(
                f"{origin} page {number} can't be read ({type(exc).__name__}: {exc}): the PDF is corrupt; "
                "download it again"
            ) from exc
        lines = [_normalize(raw) for raw in text.splitlines()]
        pages.append([line for line in lines if line])
    return pages


def _running_lines(pages: Sequence[Sequence[str]]) -> tuple[set[str], set[str]]:
    """Keys of lines repeated in the top (first set) or bottom (second set) zone of many pages."""
    if len(pages) < 2:
        return set(), set()
    threshold = max(2, math.ceil(0.25 * len(pages)))
    top: Counter[str] = Counter()
    bottom: Counter[str] = Counter()
    for lines in pages:
        top.update({_line_key(line) for line in lines[:_ZONE]})
        bottom.update({_line_key(line) for line in lines[-_ZONE:]})
    return ({k for k, n in top.items() if n >= threshold}, {k for k, n in bottom.items() if n >= threshold})


def _clean_page_lines(
    lines: Sequence[str], top: set[str], bottom: set[str], *, first_page: bool = False
) -> tuple[list[str], int]:
    """Drop running headers/footers and page numbers at the page's edges, and the arXiv stamp anywhere.

    On the first page, also venue, copyright and submission lines at the very top or bottom
    ("Journal of Machine Learning Research 3 (2003) ...", "31st Conference on ... (NIPS 2017)").

    Returns the kept lines and how many were dropped.
    """
    kept = [line for line in lines if not _ARXIV_STAMP.match(line)]
    start, end = 0, len(kept)
    while start < min(end, _ZONE) and (_line_key(kept[start]) in top or _is_page_number(kept[start])):
        start += 1
    while end > max(start, len(kept) - _ZONE) and (
        _line_key(kept[end - 1]) in bottom or _is_page_number(kept[end - 1])
    ):
        end -= 1
    if first_page:  # one-off venue/copyright lines in the first page's margins
        while start < min(end, 2) and _FIRST_PAGE_MARGIN.search(kept[start]):
            start += 1
        while end > max(start, len(kept) - 2) and _FIRST_PAGE_MARGIN.search(kept[end - 1]):
            end -= 1
    body = kept[start:end]
    return body, len(lines) - len(body)


class _Vocabulary:
    """Words seen inside lines, to decide whether a line-end hyphen is part of the word."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.words: set[str] = set()  # every word, including halves of compounds
        self.standalone: set[str] = set()  # words seen on their own, not only inside a compound
        self.compounds: set[str] = set()
        broken = False  # the previous line ended with a hyphen: this line's first token is a fragment
        for line in lines:
            tokens = line.split()
            ends_broken = bool(tokens) and _ends_with_hyphen(tokens[-1])
            if ends_broken:
                tokens = tokens[:-1]
            if broken:
                tokens = tokens[1:]
            broken = ends_broken
            for token in tokens:
                for word in _WORD.findall(token.lower()):
                    parts = re.split(r"[-\u2010]", word)
                    self.words.update(parts)
                    if len(parts) == 1:
                        self.standalone.add(word)
                    self.compounds.update(f"{a}-{b}" for a, b in itertools.pairwise(parts))


def _join_hyphenated(left: str, right: str, vocabulary: _Vocabulary) -> str:
    """Append line ``right`` to text ``left``.

    A line-end hyphen after a letter is dropped when the next line starts lowercase
    ("represen-" + "tations" → "representations"), unless the document shows a compound:
    the hyphenated form is used elsewhere ("encoder-decoder"), or the joined form is not
    and the first half is a word of its own ("sequence-" + "aligned"). Before an uppercase
    letter or a digit the hyphen stays, without a space. Otherwise lines join with a space.
    """
    if not left:
        return right
    if not right:
        return left
    if _ends_with_hyphen(left):
        stem = left[:-1]
        if not right[0].islower():
            return f"{stem}-{right}"
        head = re.match(r"[^\W\d_]+", stem[::-1])
        tail = re.match(r"[^\W\d_]+", right)
        first = head.group(0)[::-1].lower() if head else ""
        second = tail.group(0).lower() if tail else ""
        if f"{first}-{second}" in vocabulary.compounds:
            keep = True
        elif first + second in vocabulary.words:
            keep = False
        else:
            keep = (len(first) >= 4 and first in vocabulary.standalone) or _hyphenating_prefix(first, second)
        return f"{stem}-{right}" if keep else stem + right
    if left.endswith("/") and re.search(r"(?:https?://|www\.)\S*$", left):
        return left + right  # a URL broken at a slash
    return f"{left} {right}"


def _hyphenating_prefix(first: str, second: str) -> bool:
    """Prefixes written with a hyphen ("self-attention", "semi-supervised", "co-occurrence")."""
    return first in _HYPHEN_PREFIXES or (first == "co" and second[:1] in ("o", "a", "e", "i"))


def _ends_with_hyphen(text: str) -> bool:
    return len(text) >= 2 and text.endswith(_HYPHENS) and text[-2].isalpha()


def _looks_like_heading(text: str) -> bool:
    """A sub-heading the catalog may not list ("3.2.1 Scaled Dot-Product Attention", "Abstract")."""
    if text.lower().rstrip(".:") in _NAMED_HEADINGS:
        return True
    return bool(_SUBHEADING.match(text)) and len(text) <= 90 and not text.endswith((".", ",", ";"))


def _heading_key(text: str) -> tuple[str, str]:
    """(section number, title letters) for comparing headings: "1. INTRO-\\nduction" ≈ "1 Introduction"."""
    text = _normalize(text).lower()
    match = _NUMBERED.match(text)
    number, title = (match.group(1), match.group(2)) if match else ("", text)
    return number, re.sub(r"[\W_]+", "", title)


def _find_heading(lines: Sequence[_Line], heading: str, start: int) -> _Hit | None:
    """Where ``heading`` is printed at or after ``start``, or None.

    First as a whole line, or split over up to three lines ("1" / "Introduction");
    then as a run-in heading that starts a line (numbered headings only); then, for a
    numbered heading, by its title after a roman or letter number ("I. INTRODUCTION").
    """
    target = _heading_key(heading)
    if not target[1]:
        return None
    for index in range(start, len(lines)):
        for count in range(1, 4):
            if index + count > len(lines):
                break
            joined = " ".join(line.text for line in lines[index : index + count])
            if len(joined) > len(heading) + 40:
                break
            if _heading_key(joined) == target:
                return _Hit(index, count)
    if target[0]:
        for index in range(start, len(lines)):
            words = lines[index].text.split()
            for cut in range(1, min(len(words), 20)):
                if _heading_key(" ".join(words[:cut])) == target:
                    rest = " ".join(words[cut:])
                    if rest[:1].isupper():
                        return _Hit(index, 1, rest)
                    break
    if target[0]:
        for index in range(start, len(lines)):
            enumerated = _OTHER_NUMBERING.match(lines[index].text)
            if enumerated and _heading_key(enumerated.group(1))[1] == target[1]:
                return _Hit(index, 1)
    return None


def _locate_headings(lines: Sequence[_Line], headings: Sequence[str], origin: str) -> list[_Hit]:
    """Each catalog heading's position, in order; SourceError naming the missing one."""
    hits: list[_Hit] = []
    start = 0
    for heading in headings:
        hit = _find_heading(lines, heading, start)
        if hit is None:
            found = ", ".join(f"'{h}'" for h in headings[: len(hits)]) or "none"
            seen = [line.text for line in lines if _looks_like_heading(line.text)]
            listed = ", ".join(f"'{s}'" for s in seen[:25]) or "none"
            after = f" after '{headings[len(hits) - 1]}'" if hits else ""
            raise SourceError(
                f"{origin}: heading '{heading}' not found{after}. Found so far: {found}. "
                f"Heading-like lines in the PDF: {listed}. Fix the catalog's chapters "
                "(`at` must be the heading as printed, in reading order)"
            )
        hits.append(hit)
        start = hit.index + hit.count
    return hits


def _is_tabular(text: str) -> bool:
    """A row of a text table: mostly numbers (or O(n) terms), so it stays out of prose paragraphs."""
    tokens = text.split()
    numeric = sum(bool(_NUMERIC_TOKEN.match(token)) for token in tokens)
    if numeric < 2:
        return False
    prose = sum(bool(_PROSE_WORD.match(token)) for token in tokens)
    return numeric >= 0.5 * len(tokens) or (numeric >= 0.4 * len(tokens) and prose <= 4)


def _starts_paragraph(previous: str | None, line: str, typical: float, position: float) -> bool:
    """Whether ``line`` begins a new paragraph. ``position``: where on the page (0 top, 1 bottom)."""
    if previous is None:
        return True
    if _looks_like_heading(line) or _looks_like_heading(previous):
        return True
    if _BULLET.match(line) or _CAPTION.match(line):
        return True
    if _is_tabular(previous) != _is_tabular(line):
        return True
    if position > 0.6 and _FOOTNOTE.match(line):
        return True
    if _EQUATION_NUMBER.search(previous) or (_EQUATION_NUMBER.search(line) and len(line) < 0.8 * typical):
        return True
    ends_sentence = bool(_SENTENCE_END.search(previous)) and not _NOT_SENTENCE_END.search(previous)
    return ends_sentence and len(previous) < 0.85 * typical


def _typical_length(lines: Sequence[_Line]) -> float:
    """Length of a full line of body text (the 75th percentile of longer lines)."""
    lengths = sorted(len(line.text) for line in lines if len(line.text) >= 20)
    if not lengths:
        return 80.0
    return float(lengths[int(0.75 * (len(lengths) - 1))])


@dataclass
class _Run:
    page: int
    heading: str
    paragraphs: list[str]
    current: str = ""

    def close_paragraph(self) -> None:
        if self.current:
            self.paragraphs.append(self.current)
        self.current = ""

    def text(self) -> str:
        self.close_paragraph()
        return "\n\n".join(self.paragraphs)


def _build_blocks(
    lines: Sequence[_Line], owners: Sequence[str], page_sizes: dict[int, int], vocabulary: _Vocabulary
) -> list[PaperBlock]:
    """Join body lines into paragraphs and cut them into one block per (page, heading) run."""
    typical = _typical_length(lines)
    blocks: list[PaperBlock] = []
    run: _Run | None = None
    previous: str | None = None
    seen_on_page: Counter[int] = Counter()
    for line, owner in zip(lines, owners, strict=True):
        text = line.text
        seen_on_page[line.page] += 1
        if run is not None and (run.page != line.page or run.heading != owner):
            if run.heading == owner and _ends_with_hyphen(run.current) and text[:1].islower():
                word, _, text = text.partition(" ")  # a word broken across pages: finish it on the first
                run.current = _join_hyphenated(run.current, word, vocabulary)
            block_text = run.text()
            if block_text:
                blocks.append(PaperBlock(page=run.page, heading=run.heading, text=block_text))
            run, previous = None, None
            if not text:
                continue
        if run is None:
            run = _Run(line.page, owner, [])
        position = seen_on_page[line.page] / max(page_sizes.get(line.page, 1), 1)
        if line.paragraph or _starts_paragraph(previous, line.text, typical, position):
            run.close_paragraph()
        run.current = _join_hyphenated(run.current, text, vocabulary)
        previous = line.text
    if run is not None:
        block_text = run.text()
        if block_text:
            blocks.append(PaperBlock(page=run.page, heading=run.heading, text=block_text))
    return blocks


def _reference_list_end(lines: Sequence[_Line]) -> int:
    """Where a numbered reference list ends and an appendix begins (``len(lines)`` if it doesn't).

    After a finished entry (ending with a period), a line that is not a new ``[n]`` entry and
    starts a page or looks like a heading ("A Proofs", "Attention Visualizations") ends the list.
    """
    for index in range(1, len(lines)):
        text, before = lines[index].text, lines[index - 1].text
        if _REFERENCE_ENTRY.match(text) or not before.endswith(".") or not text[:1].isupper():
            continue
        new_page = lines[index].page != lines[index - 1].page
        if new_page or _looks_like_heading(text) or _APPENDIX_HEADING.match(text):
            return index
    return len(lines)


def _join_references(lines: Sequence[_Line], vocabulary: _Vocabulary) -> str:
    """The references as text, one entry per line when they are numbered ``[n]``, else line by line.

    Whatever follows a numbered list (appendices) is kept after a blank line, line by line.
    """
    texts = [line.text for line in lines]
    if not any(_REFERENCE_ENTRY.match(t) for t in texts):
        return "\n".join(texts)
    end = _reference_list_end(lines)
    entries: list[str] = []
    for text in texts[:end]:
        if _REFERENCE_ENTRY.match(text) or not entries:
            entries.append(text)
        else:
            entries[-1] = _join_hyphenated(entries[-1], text, vocabulary)
    after = "\n".join(texts[end:])
    return "\n".join(entries) + (f"\n\n{after}" if after else "")


def _check_text_layer(pages: Sequence[Sequence[str]], origin: str) -> None:
    chars = sum(sum(c.isalnum() for c in line) for lines in pages for line in lines)
    if chars < MIN_TEXT_CHARS_PER_PAGE * len(pages):
        raise SourceError(
            f"{origin} has no usable text layer ({chars} letters/digits on {len(pages)} page(s)): "
            "it looks scanned. Run OCR first (e.g. `ocrmypdf in.pdf out.pdf`) and use the result"
        )


def extract_paper(pdf: bytes, headings: Sequence[str], *, origin: str) -> PaperText:
    """Extract a paper's body text from PDF bytes, split by the catalog's ``headings`` (their ``at``).

    ``origin`` (a URL or a path) names the PDF in the result and in messages. Returns one
    :class:`PaperBlock` per (page, heading) run in reading order, the references set apart,
    the title (first line of page 1) and how many header/footer/page-number lines were dropped.

    Raises :class:`SourceError` for a non-PDF (an HTML page), a truncated or corrupt file, a
    locked encrypted file, a scan without a text layer, or a heading that can't be found.
    """
    if not headings:
        raise SourceError(f"{origin}: no headings given; the catalog entry needs chapters")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PdfReadWarning)
        reader = _open_reader(pdf, origin)
        raw_pages = _page_lines(reader, origin)
    _check_text_layer(raw_pages, origin)

    top, bottom = _running_lines(raw_pages)
    removed = 0
    lines: list[_Line] = []
    page_sizes: dict[int, int] = {}
    title = ""
    for number, raw in enumerate(raw_pages, start=1):
        kept, dropped = _clean_page_lines(raw, top, bottom, first_page=number == 1)
        removed += dropped
        page_sizes[number] = len(kept)
        if number == 1 and kept:
            title = kept[0]
        lines.extend(_Line(number, text) for text in kept)
    vocabulary = _Vocabulary([line.text for line in lines])

    hits = _locate_headings(lines, headings, origin)
    end = len(lines)
    last = hits[-1].index + hits[-1].count
    references: list[_Line] = []
    for index in range(last, len(lines)):
        if _REFERENCES.match(lines[index].text):
            end = index
            references = lines[index + 1 :]
            break

    body: list[_Line] = []
    owners: list[str] = []
    starts = {hit.index: (heading, hit) for heading, hit in zip(headings, hits, strict=True)}
    owner = headings[0]
    index = 0
    after_heading = False
    while index < end:
        if index in starts:
            owner, hit = starts[index]
            if hit.rest:
                body.append(_Line(lines[index].page, hit.rest, paragraph=True))
                owners.append(owner)
            index += hit.count
            after_heading = not hit.rest
            continue
        line = lines[index]
        body.append(_Line(line.page, line.text, paragraph=after_heading))
        owners.append(owner)
        after_heading = False
        index += 1

    return PaperText(
        origin=origin,
        pages=len(raw_pages),
        title=title,
        blocks=_build_blocks(body, owners, page_sizes, vocabulary),
        references=_join_references(references, vocabulary),
        removed_lines=removed,
    )
