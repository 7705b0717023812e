"""Paper sources: PDF download against a real local HTTP server, and text extraction.

Fixture PDFs are generated here with fpdf2; the shipped samples are read from the package.
"""

from __future__ import annotations

import io
import socket
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from pypdf import PdfReader, PdfWriter

import kz2h_assets
from kz2h_assets.catalog import load_catalog
from kz2h_assets.sources.models import SourceError
from kz2h_assets.sources.papers import (
    _find_heading,
    _join_hyphenated,
    _Line,
    _normalize,
    _Vocabulary,
    download_pdf,
    extract_paper,
    read_local_pdf,
)

SAMPLES = Path(kz2h_assets.__file__).parent / "samples"
PAPER_IDS = ["p2-bengio-lm-paper", "p2-resnet-paper", "attention-paper"]

# --------------------------------------------------------------------------
# Fixture PDFs
# --------------------------------------------------------------------------

HEADINGS = ["1 Introduction", "2 Method", "3 Results"]
RUNNING_HEADER = "Proceedings of Extraction Tests 2024, page {page}"
FORMULA = "y = softmax(W x + b) (1)"
PAGES = [
    [
        "A Tiny Paper About Extraction",
        "Ada Lovelace and Alan Turing",
        "Abstract",
        "We describe how the text of a scientific paper is pulled out of its PDF file, cleaned and",
        "split by the headings that the catalog lists, so that it can be translated section by section.",
        "1 Introduction",
        "Readers of translated papers expect whole words and whole sentences. Distributed represen-",
        "tations of words are one topic, and encoder-decoder models are another one that we study",
        "in this sample, together with the careful treatment of formulas and references in the",
        "text. Each page of this file carries a page number, and later pages a running header.",
        "The extractor must remove those lines and still keep every sentence in its proper place",
        "while it also joins the words that were broken at the end of a line for the separ-",
    ],
    [
        "ation of the text into lines by the typesetter, which is a common source of noise in",
        "the output of simple tools. Here the encoder-",
        "decoder pattern keeps its hyphen because the compound appears elsewhere in the text.",
        "2. Method",
        "The method is a small model with one hidden layer and a softmax output, written as",
        FORMULA,
        "where W is a weight matrix and b a bias vector. The formula line above must stay in the",
        "text exactly as it was printed, symbols and all, because the translators need to see it.",
        "3",
        "Results",
    ],
    [
        "The results show that the extracted text is clean: no headers, no page numbers and no",
        "broken words remain, and the references are set apart from the body of the paper, so",
        "that nobody translates them by accident when the course material is being prepared.",
        "References",
        "[1] A. Author and B. Author. A study of text extraction. Journal of Tests, 2020.",
        "[2] C. Author. Another study of the extrac-",
        "tion of text from typeset documents. In Proceedings of Tests, 2021.",
    ],
]


class _Paper(FPDF):
    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, RUNNING_HEADER.format(page=self.page_no()), align="C")
            self.ln(10)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=9)
        self.cell(0, 10, str(self.page_no()), align="C")


def _write_pages(pdf: FPDF, pages: list[list[str]]) -> bytes:
    pdf.set_auto_page_break(False)
    for lines in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=10)
        for line in lines:
            pdf.cell(0, 6, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def make_paper(pages: list[list[str]] = PAGES) -> bytes:
    return _write_pages(_Paper(), pages)


@pytest.fixture(scope="module")
def paper_pdf() -> bytes:
    return make_paper()


# --------------------------------------------------------------------------
# Extraction: the happy path
# --------------------------------------------------------------------------


def test_extracts_blocks_by_heading_and_page(paper_pdf: bytes) -> None:
    paper = extract_paper(paper_pdf, HEADINGS, origin="fixture.pdf")

    assert paper.origin == "fixture.pdf"
    assert paper.pages == 3
    assert paper.title == "A Tiny Paper About Extraction"
    assert [(b.page, b.heading) for b in paper.blocks] == [
        (1, "1 Introduction"),
        (2, "1 Introduction"),
        (2, "2 Method"),
        (3, "3 Results"),
    ]
    first = paper.blocks[0].text
    # title, authors and abstract belong to the first heading
    assert first.startswith("A Tiny Paper About Extraction")
    assert "We describe how the text" in first
    assert paper.blocks[1].text.startswith("of the text into lines")
    assert paper.blocks[3].text.startswith("The results show")


def test_removes_running_headers_and_page_numbers(paper_pdf: bytes) -> None:
    paper = extract_paper(paper_pdf, HEADINGS, origin="fixture.pdf")

    assert paper.removed_lines == 5  # 2 running headers + 3 page numbers
    body = "\n".join(b.text for b in paper.blocks)
    assert "Proceedings of Extraction Tests" not in body
    for block in paper.blocks:
        for paragraph in block.text.split("\n\n"):
            assert not paragraph.strip().isdigit()
            assert not paragraph.rstrip().endswith((" 1", " 2", " 3"))


def test_joins_lines_and_hyphenated_words(paper_pdf: bytes) -> None:
    paper = extract_paper(paper_pdf, HEADINGS, origin="fixture.pdf")
    body = "\n".join(b.text for b in paper.blocks)

    assert "Distributed representations of words" in body
    assert "represen-" not in body
    # a word broken across pages is finished on the first page
    assert paper.blocks[0].text.endswith("for the separation")
    # a real compound keeps its hyphen
    assert "the encoder-decoder pattern keeps its hyphen" in body
    # lines of a paragraph are joined with single spaces
    assert "cleaned and split by the headings" in body
    assert "  " not in body


def test_keeps_formulas_and_drops_heading_lines(paper_pdf: bytes) -> None:
    paper = extract_paper(paper_pdf, HEADINGS, origin="fixture.pdf")
    method = next(b for b in paper.blocks if b.heading == "2 Method")

    assert FORMULA in method.text.split("\n\n")
    assert "2. Method" not in method.text
    assert "\nResults" not in "\n".join(b.text for b in paper.blocks)


def test_sets_references_apart(paper_pdf: bytes) -> None:
    paper = extract_paper(paper_pdf, HEADINGS, origin="fixture.pdf")

    assert paper.references.splitlines() == [
        "[1] A. Author and B. Author. A study of text extraction. Journal of Tests, 2020.",
        "[2] C. Author. Another study of the extraction of text from typeset documents. In Proceedings of Tests, 2021.",
    ]
    body = "\n".join(b.text for b in paper.blocks)
    assert "References" not in body
    assert "[1] A. Author" not in body


def test_opens_encrypted_pdf_with_empty_user_password() -> None:
    pdf = _Paper()
    pdf.set_encryption(owner_password="owner-only")
    paper = extract_paper(_write_pages(pdf, PAGES), HEADINGS, origin="owner.pdf")
    assert [b.heading for b in paper.blocks][-1] == "3 Results"


def test_normalizes_ligatures() -> None:
    # fpdf2 ships no Unicode font, so the NFKC step is checked on its helper
    assert _normalize("ﬁrst  ﬂow is eﬃcient\u00a0and ﬁne") == "first flow is efficient and fine"


@pytest.mark.parametrize(
    "printed",
    [["1 Introduction"], ["1. Introduction"], ["1", "Introduction"], ["1 INTRODUCTION"], ["1Introduction"]],
)
def test_finds_heading_printed_in_many_ways(printed: list[str]) -> None:
    lines = [_Line(1, "Some title"), *(_Line(1, text) for text in printed), _Line(1, "Body text here.")]
    hit = _find_heading(lines, "1 Introduction", 0)
    assert hit is not None
    assert (hit.index, hit.count, hit.rest) == (1, len(printed), "")


def test_finds_heading_with_roman_numbering_but_not_a_bare_title() -> None:
    lines = [_Line(1, "Attention"), _Line(1, "Some text."), _Line(2, "III. ATTENTION"), _Line(2, "More text.")]
    hit = _find_heading(lines, "3.2 Attention", 0)
    assert hit is not None and hit.index == 2
    assert _find_heading(lines[:2], "3.2 Attention", 0) is None


def test_finds_run_in_heading_and_keeps_its_text() -> None:
    lines = [
        _Line(1, "described in section 3.2 Attention below."),
        _Line(2, "3.2 Attention An attention function maps"),
    ]
    hit = _find_heading(lines, "3.2 Attention", 0)
    assert hit is not None
    assert (hit.index, hit.rest) == (1, "An attention function maps")


def test_hyphen_rules() -> None:
    vocabulary = _Vocabulary(["the encoder-decoder model", "sequence models and semantics", "the image of"])
    assert _join_hyphenated("represen-", "tations of", vocabulary) == "representations of"
    assert _join_hyphenated("im-", "age", vocabulary) == "image"
    assert _join_hyphenated("encoder-", "decoder", vocabulary) == "encoder-decoder"
    assert _join_hyphenated("sequence-", "aligned", vocabulary) == "sequence-aligned"
    assert _join_hyphenated("self-", "attention", vocabulary) == "self-attention"
    assert _join_hyphenated("English-", "French", vocabulary) == "English-French"
    assert _join_hyphenated("x -", "y", vocabulary) == "x - y"
    assert _join_hyphenated("see https://github.com/", "org/repo", vocabulary) == "see https://github.com/org/repo"


# --------------------------------------------------------------------------
# Extraction: refusals
# --------------------------------------------------------------------------


def test_refuses_html() -> None:
    page = b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>captcha</body></html>"
    with pytest.raises(SourceError, match=r"page\.pdf is not a PDF but an HTML page"):
        extract_paper(page, HEADINGS, origin="page.pdf")


def test_refuses_other_non_pdf() -> None:
    with pytest.raises(SourceError, match=r"not a PDF \(no %PDF- header\)"):
        extract_paper(b"PK\x03\x04 zip file", HEADINGS, origin="x.pdf")


def test_refuses_truncated_pdf(paper_pdf: bytes) -> None:
    with pytest.raises(SourceError, match=r"half\.pdf is truncated .*download it again"):
        extract_paper(paper_pdf[: len(paper_pdf) // 2], HEADINGS, origin="half.pdf")


def test_refuses_corrupt_pdf() -> None:
    with pytest.raises(SourceError, match=r"bad\.pdf is corrupt"):
        extract_paper(b"%PDF-1.7\n" + b"\x00garbage" * 50 + b"\n%%EOF\n", HEADINGS, origin="bad.pdf")


def test_refuses_password_protected_pdf() -> None:
    pdf = _Paper()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    with pytest.raises(SourceError, match=r"locked\.pdf is encrypted .*qpdf --decrypt"):
        extract_paper(_write_pages(pdf, PAGES), HEADINGS, origin="locked.pdf")


def test_refuses_pdf_encrypted_by_pypdf(paper_pdf: bytes) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(paper_pdf)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(SourceError, match="encrypted"):
        extract_paper(out.getvalue(), HEADINGS, origin="locked.pdf")


def test_refuses_scan_without_text_layer() -> None:
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.rect(20, 20, 170, 100, style="F")
        pdf.ellipse(40, 150, 80, 40)
    with pytest.raises(SourceError, match=r"scan\.pdf has no usable text layer .*ocrmypdf"):
        extract_paper(bytes(pdf.output()), HEADINGS, origin="scan.pdf")


def test_refuses_missing_heading(paper_pdf: bytes) -> None:
    with pytest.raises(SourceError) as info:
        extract_paper(paper_pdf, [*HEADINGS, "4 Discussion"], origin="fixture.pdf")
    message = str(info.value)
    assert "heading '4 Discussion' not found after '3 Results'" in message
    assert "Found so far: '1 Introduction', '2 Method', '3 Results'" in message
    assert "Fix the catalog's chapters" in message


def test_refuses_headings_out_of_order(paper_pdf: bytes) -> None:
    with pytest.raises(SourceError, match="heading '1 Introduction' not found after '2 Method'"):
        extract_paper(paper_pdf, ["2 Method", "1 Introduction"], origin="fixture.pdf")


def test_read_local_pdf(tmp_path: Path, paper_pdf: bytes) -> None:
    path = tmp_path / "p.pdf"
    path.write_bytes(paper_pdf)
    assert read_local_pdf(path) == paper_pdf
    with pytest.raises(SourceError, match=r"cannot read the PDF .*missing\.pdf"):
        read_local_pdf(tmp_path / "missing.pdf")
    with pytest.raises(SourceError, match="cannot read the PDF"):
        read_local_pdf(tmp_path)
    (tmp_path / "empty.pdf").write_bytes(b"")
    with pytest.raises(SourceError, match="is empty"):
        read_local_pdf(tmp_path / "empty.pdf")


# --------------------------------------------------------------------------
# The shipped samples
# --------------------------------------------------------------------------


@pytest.mark.parametrize("resource_id", PAPER_IDS)
def test_shipped_samples_extract_with_all_catalog_headings(resource_id: str) -> None:
    resource = load_catalog().resource(resource_id)
    headings = [chapter.at for chapter in resource.chapters]
    path = SAMPLES / f"{resource_id}.pdf"

    paper = extract_paper(read_local_pdf(path), headings, origin=str(path))

    assert paper.title == resource.title_en
    assert [b.heading for b in paper.blocks if b.heading in headings]
    assert {b.heading for b in paper.blocks} == set(headings)
    assert all(b.text.strip() for b in paper.blocks)
    pages = [b.page for b in paper.blocks]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] <= paper.pages
    assert paper.references.startswith("[1]")
    assert paper.removed_lines >= paper.pages - 1
    assert paper.word_count > 1000


# --------------------------------------------------------------------------
# Download, against a real local HTTP server
# --------------------------------------------------------------------------

PDF_BODY = b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n"
BIG_BODY = b"%PDF-1.4\n" + b"x" * 20_000


class _Server:
    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def count(self, path: str) -> int:
        with self.lock:
            return self.hits[path]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
                pass

            def _send(self, status: int, body: bytes, ctype: str, length: bool = True, **headers: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                if length:
                    self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.end_headers()
                for start in range(0, len(body), 4096):
                    self.wfile.write(body[start : start + 4096])

            def do_GET(self) -> None:
                with server.lock:
                    server.hits[self.path] += 1
                    hits = server.hits[self.path]
                kind = self.path.strip("/").split("/")[0]
                try:
                    if kind == "paper.pdf":
                        self._send(200, PDF_BODY, "application/pdf")
                    elif kind == "octet":
                        self._send(200, PDF_BODY, "binary/octet-stream")
                    elif kind == "redirect":
                        self._send(302, b"", "text/plain", Location="/paper.pdf")
                    elif kind == "html":
                        self._send(200, b"<html><body>Please verify you are human</body></html>", "text/html")
                    elif kind == "html-as-binary":
                        self._send(200, b"<!DOCTYPE html><html>captcha</html>", "application/octet-stream")
                    elif kind == "flaky":
                        if hits == 1:
                            self._send(503, b"busy", "text/plain", Retry_After="0")
                        else:
                            self._send(200, PDF_BODY, "application/pdf")
                    elif kind == "down":
                        self._send(503, b"busy", "text/plain", Retry_After="0")
                    elif kind == "big":
                        self._send(200, BIG_BODY, "application/pdf", length=False)
                    elif kind == "big-declared":
                        self._send(200, BIG_BODY, "application/pdf")
                    elif kind == "slow":
                        server.stop.wait(2.0)
                        self._send(200, PDF_BODY, "application/pdf")
                    else:
                        self._send(404, b"not found", "text/plain")
                except OSError:
                    pass  # the client gave up (timeout, size limit)

        return Handler


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    srv = _Server()
    srv.thread.start()
    yield srv
    srv.stop.set()
    srv.httpd.shutdown()
    srv.httpd.server_close()
    srv.thread.join(timeout=5)


def _path(kind: str) -> str:
    return f"/{kind}/{uuid.uuid4().hex}"


def test_download_ok(server: _Server) -> None:
    assert download_pdf(f"{server.url}/paper.pdf", timeout=5) == PDF_BODY
    assert download_pdf(f"{server.url}{_path('octet')}", timeout=5) == PDF_BODY


def test_download_follows_redirects_with_a_given_client(server: _Server) -> None:
    with httpx.Client() as client:
        assert download_pdf(f"{server.url}{_path('redirect')}", client=client, timeout=5) == PDF_BODY
        assert not client.is_closed


def test_download_refuses_html_page(server: _Server) -> None:
    with pytest.raises(SourceError, match=r"HTML page .*KZ2H_SOURCES_DIR/attention-paper\.pdf"):
        download_pdf(f"{server.url}{_path('html')}", resource_id="attention-paper", timeout=5)
    with pytest.raises(SourceError, match=r"returned an HTML page"):
        download_pdf(f"{server.url}{_path('html-as-binary')}", timeout=5)


def test_download_retries_503_then_succeeds(server: _Server) -> None:
    path = _path("flaky")
    assert download_pdf(f"{server.url}{path}", retries=2, timeout=5) == PDF_BODY
    assert server.count(path) == 2


def test_download_gives_up_after_retries(server: _Server) -> None:
    path = _path("down")
    with pytest.raises(SourceError, match=r"after 3 attempt\(s\), last error: HTTP 503"):
        download_pdf(f"{server.url}{path}", retries=2, timeout=5)
    assert server.count(path) == 3


@pytest.mark.parametrize("kind", ["big", "big-declared"])
def test_download_refuses_oversize_body(server: _Server, kind: str) -> None:
    with pytest.raises(SourceError, match=r"1,000-byte limit"):
        download_pdf(f"{server.url}{_path(kind)}", max_bytes=1000, timeout=5)


def test_download_times_out_after_retries(server: _Server) -> None:
    path = _path("slow")
    with pytest.raises(SourceError, match=r"after 2 attempt\(s\), last error: timed out \(ReadTimeout\)"):
        download_pdf(f"{server.url}{path}", timeout=0.2, retries=1, backoff=0)
    assert server.count(path) == 2


def test_download_404_fails_at_once(server: _Server) -> None:
    path = _path("missing")
    with pytest.raises(SourceError, match=r"not found \(404\); check the catalog's pdf_url, or download it by hand"):
        download_pdf(f"{server.url}{path}", retries=3, timeout=5, resource_id="p2-resnet-paper")
    assert server.count(path) == 1


def test_download_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SourceError, match=r"after 2 attempt\(s\), last error: network error"):
        download_pdf(f"http://127.0.0.1:{port}/x.pdf", retries=1, backoff=0, timeout=2)


def test_download_refuses_non_http_url() -> None:
    with pytest.raises(SourceError, match="not a downloadable http"):
        download_pdf("ftp://example.org/x.pdf")
