#!/usr/bin/env python3
"""Build the three small sample paper PDFs used by offline runs and CI.

The PDFs imitate the *layout* of the three papers the pipeline ingests (title
block, abstract, numbered headings, running headers, page-number footers,
line-end hyphenation, displayed equations, a text table, a figure with label
debris, a reference list), but every sentence in them was written for this
project. They are short paraphrase-level summaries, not copies of the papers.

    .venv/bin/python scripts/build_sample_papers.py            # build + verify
    .venv/bin/python scripts/build_sample_papers.py --check    # verify the files on disk only

Output (byte-identical across runs with the same fpdf2 version):

    kz2h_assets/samples/p2-bengio-lm-paper.pdf
    kz2h_assets/samples/p2-resnet-paper.pdf
    kz2h_assets/samples/attention-paper.pdf

Standalone on purpose: needs fpdf2 (layout) and pypdf (verification) only,
never imports the kz2h_assets package. Body text is broken into lines here,
not by fpdf2, so that chosen words are hyphenated at line ends and the
extractor has to re-join them. Text uses the PDF core fonts, so it is ASCII
plus a few Latin-1 letters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "kz2h_assets" / "samples"

NOTICE = "Sample text written for kz2h-assets; not the original paper."
FIXED_DATE = dt.datetime(2024, 1, 1, 0, 0, 0, tzinfo=dt.UTC)
PRODUCER = "kz2h-assets scripts/build_sample_papers.py"

# --------------------------------------------------------------------------
# Hyphenation points for long words used in the texts ("rep-re-sen-ta-tions").
# A word is broken at a line end only at one of these points (at least two
# letters before, three after), and only when leaving it whole would leave a
# loose line. Words that already contain a hyphen ("encoder-decoder") may also
# break after that hyphen, which keeps the hyphen: an extractor must not drop it.
# --------------------------------------------------------------------------
HYPHENATION = """
ac-cu-ra-cy ac-cu-rate ad-di-tion ad-di-tion-al ag-gre-gat-ed al-go-rithm ap-prox-i-mate ap-prox-i-mate-ly
ar-chi-tec-ture ar-chi-tec-tures ar-bi-trar-i-ly ar-bi-trary as-so-ci-at-ed at-ten-tion au-to-re-gres-sive
av-er-ag-ing
base-line base-lines be-hav-iour build-ing
class-i-fi-ca-tion clas-si-fi-er com-bi-na-to-ri-al com-bi-na-to-ri-al-ly com-mu-ni-ca-tion com-pat-i-bil-i-ty
com-pet-i-tive com-plex-i-ty com-pre-hen-sion com-pu-ta-tion com-pu-ta-tion-al con-cat-e-nat-ed
con-cat-e-na-tion con-fi-dent con-nec-tion con-nec-tions con-nec-tion-ist con-stit-u-en-cy con-tin-u-ous
con-ver-gence con-vo-lu-tion con-vo-lu-tion-al con-vo-lu-tions cor-re-spond-ing cor-pus
de-coder de-com-pose de-com-po-si-tion de-gra-da-tion de-pen-den-cies de-scrip-tors de-tec-tion
di-men-sion di-men-sion-al di-men-sion-al-i-ty di-men-sions dis-tri-bu-tion dis-tri-bu-tions
dis-trib-ut-ed down-sam-pling
ef-fec-tive ef-fi-cien-cy ef-fi-cient ei-ther em-bed-ding em-bed-dings en-cod-ings en-cod-ing en-cod-er
en-sem-ble en-sem-bles es-ti-mate es-ti-mat-ed ev-ery ex-per-i-ment ex-per-i-ments ex-per-i-men-tal
ex-po-nen-tial ex-po-nen-tial-ly ex-po-nen-tials ex-trap-o-late
fac-tor-iza-tion fea-ture fea-tures func-tion func-tions
gen-er-al-iza-tion gen-er-al-ize gen-er-al-izes gen-er-ates gen-er-a-tion gra-di-ent gra-di-ents
hi-er-ar-chi-cal hy-pothe-size
iden-ti-cal iden-ti-ty im-ple-men-ta-tion im-ple-ment-ed im-prove-ment im-prove-ments in-for-ma-tion
in-ter-po-lat-ed in-ter-pret-able in-tro-duc-ing
lan-guage lan-guages learn-ing like-li-hood
main-tain-ing map-ping map-pings math-e-mat-i-cal mech-a-nism mech-a-nisms mul-ti-lay-er
net-work net-works nor-mal-iza-tion nor-mal-ized
op-ti-mi-za-tion op-ti-mize op-ti-mized out-per-forms
par-al-lel par-al-lel-ism par-al-lel-iza-tion pa-ram-e-ter pa-ram-e-ters per-form-ance per-plex-i-ty
po-si-tion-al pre-con-di-tion-ing pre-dic-tion prob-a-bil-i-ties prob-a-bil-i-ty pro-ces-sor pro-ces-sors
pro-jec-tion pro-jec-tions pro-por-tion-al
re-cur-rence re-cur-rent reg-u-lar-iza-tion reg-u-lar-iz-ers rep-re-sen-ta-tion rep-re-sen-ta-tions
re-sid-u-al re-sid-u-als re-spec-tive-ly
se-man-tic se-quence se-quences se-quen-tial sig-nif-i-cant-ly sim-i-lar-i-ty smooth-ing soft-max
sta-tis-ti-cal sta-tis-tics sto-chas-tic struc-ture sub-stan-tial-ly sum-ma-riza-tion syn-tac-tic
tech-niques trans-duc-tion trans-for-ma-tion trans-for-ma-tions trans-lat-ed trans-la-tion
un-nor-mal-ized val-i-da-tion vo-cab-u-lary
"""


def _hyphenation_table(spec: str) -> dict[str, tuple[int, ...]]:
    table: dict[str, tuple[int, ...]] = {}
    for item in spec.split():
        parts = item.split("-")
        word = "".join(parts)
        points, pos = [], 0
        for part in parts[:-1]:
            pos += len(part)
            if pos >= 2 and len(word) - pos >= 3:
                points.append(pos)
        table[word] = tuple(points)
    return table


HYPHENS = _hyphenation_table(HYPHENATION)

# --------------------------------------------------------------------------
# Document model
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 "2 Background", 2 "3.1 Residual Learning", 3 "3.2.1 ..." (extra, not structural)


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Eq:
    formula: str
    number: int


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[tuple[str, float], ...]  # (header, relative width)
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Figure:
    caption: str
    height: float  # pt
    # ("box", x, y, w, h, label) | ("line", x1, y1, x2, y2) | ("curve", ((x, y), ...)) | ("label", x, y, text)
    # coordinates are fractions of the figure area (x of the text width, y of `height`)
    items: tuple[tuple, ...]


Block = Heading | Para | Eq | Table | Figure


@dataclass
class PaperSpec:
    filename: str
    title: str
    authors: str
    affiliation: str
    abstract: str
    blocks: list[Block]
    references: list[str]
    running_header: Callable[[int], str]  # page label -> header text
    first_page: int = 1
    keywords: str = ""
    front_note: str = ""  # small first-page footnote-like line above the page number
    page_format: str = "letter"
    margin_x: float = 108.0
    margin_top: float = 72.0
    margin_bottom: float = 72.0
    body_size: float = 10.0
    leading: float = 12.0
    para_indent: float = 0.0  # first-line indent (JMLR style); 0 = block paragraphs with a gap
    para_gap: float = 5.0

    @property
    def structural_headings(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Heading) and b.level <= 2]


# --------------------------------------------------------------------------
# Line breaking with hyphenation
# --------------------------------------------------------------------------

_WORD = re.compile(r"^([^A-Za-z]*)([A-Za-z][A-Za-z'-]*[A-Za-z])([^A-Za-z]*)$")
HYPHENATE_WHEN_SLACK_OVER = 1.2  # in space widths


@dataclass
class Line:
    words: list[str]
    justify: bool
    indent: float = 0.0


@dataclass
class Breaker:
    pdf: FPDF
    hyphenate: bool = True
    splits: list[tuple[str, str, str]] = field(default_factory=list)  # (head, tail, kind)

    def width(self, text: str) -> float:
        return self.pdf.get_string_width(text)

    def _split(self, word: str, avail: float) -> tuple[str, str, str] | None:
        m = _WORD.match(word)
        if not m:
            return None
        lead, core, trail = m.groups()
        candidates: list[tuple[str, str, str]] = []
        if "-" in core:
            for k, ch in enumerate(core):
                if ch == "-" and k >= 2 and len(core) - k - 1 >= 2:
                    candidates.append((lead + core[: k + 1], core[k + 1 :] + trail, "compound"))
        else:
            for k in HYPHENS.get(core.lower(), ()):
                candidates.append((lead + core[:k] + "-", core[k:] + trail, "soft"))
        fitting = [c for c in candidates if self.width(c[0]) <= avail]
        return max(fitting, key=lambda c: len(c[0])) if fitting else None

    def lines(self, text: str, width: float, first_indent: float = 0.0) -> list[Line]:
        pending = text.split()
        pending.reverse()
        space = self.width(" ")
        out: list[Line] = []
        cur: list[str] = []
        cur_w = 0.0
        while pending:
            word = pending.pop()
            indent = first_indent if not out else 0.0
            line_w = width - indent
            ww = self.width(word)
            needed = ww if not cur else cur_w + space + ww
            if needed <= line_w:
                cur.append(word)
                cur_w = needed
                continue
            slack = line_w - cur_w
            split = None
            if self.hyphenate and (not cur or slack > HYPHENATE_WHEN_SLACK_OVER * space):
                avail = line_w - (cur_w + space if cur else 0.0)
                split = self._split(word, avail)
            if split:
                head, tail, kind = split
                self.splits.append(split)
                out.append(Line(cur + [head], True, indent))
                pending.append(tail)
            elif not cur:  # a single word wider than the line: let it overflow
                out.append(Line([word], False, indent))
            else:
                out.append(Line(cur, True, indent))
                pending.append(word)
            cur, cur_w = [], 0.0
        if cur:
            out.append(Line(cur, False, first_indent if not out else 0.0))
        return out


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------


class SamplePDF(FPDF):
    def __init__(self, spec: PaperSpec) -> None:
        super().__init__(orientation="P", unit="pt", format=spec.page_format)
        self.spec = spec
        self.set_auto_page_break(False)
        self.set_margins(spec.margin_x, spec.margin_top, spec.margin_x)
        self.set_title(spec.title + " (sample)")
        self.set_author(spec.authors)
        self.set_subject(NOTICE)
        self.set_creator(PRODUCER)
        self.set_producer(PRODUCER)
        self.set_creation_date(FIXED_DATE)
        self.set_lang("en")

    def page_label(self) -> str:
        return str(self.spec.first_page + self.page_no() - 1)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font("Times", "", 9)
        text = self.spec.running_header(self.spec.first_page + self.page_no() - 1)
        x = self.l_margin + (self.epw - self.get_string_width(text)) / 2
        self.text(x, 46, text)
        self.set_line_width(0.4)
        self.line(self.l_margin, 51, self.w - self.r_margin, 51)

    def footer(self) -> None:
        if self.page_no() == 1 and self.spec.front_note:
            self.set_font("Times", "", 8)
            self.set_line_width(0.4)
            y = self.h - self.spec.margin_bottom + 14
            self.line(self.l_margin, y - 9, self.l_margin + 80, y - 9)
            self.text(self.l_margin, y, self.spec.front_note)
        self.set_font("Times", "", 10)
        label = self.page_label()
        self.text(self.l_margin + (self.epw - self.get_string_width(label)) / 2, self.h - 40, label)


class Layout:
    def __init__(self, spec: PaperSpec) -> None:
        self.spec = spec
        self.pdf = SamplePDF(spec)
        self.breaker = Breaker(self.pdf)
        self.left = spec.margin_x
        self.width = self.pdf.w - 2 * spec.margin_x
        self.top = spec.margin_top
        self.bottom = self.pdf.h - spec.margin_bottom
        self.y = self.top

    # -- primitives ---------------------------------------------------------
    def font(self, style: str = "", size: float | None = None, family: str = "Times") -> None:
        self.pdf.set_font(family, style, size or self.spec.body_size)

    def new_page(self) -> None:
        self.pdf.add_page()
        self.y = self.top

    def ensure(self, height: float) -> None:
        if self.y + height > self.bottom:
            self.new_page()

    def draw_line(self, line: Line, x0: float, width: float, size: float, align: str = "J") -> None:
        pdf = self.pdf
        baseline = self.y + 0.78 * size
        x = x0 + line.indent
        avail = width - line.indent
        widths = [pdf.get_string_width(w) for w in line.words]
        space = pdf.get_string_width(" ")
        natural = sum(widths) + space * (len(widths) - 1)
        if align == "J" and line.justify and len(widths) > 1:
            gap = (avail - sum(widths)) / (len(widths) - 1)
            for word, w in zip(line.words, widths, strict=True):
                pdf.text(x, baseline, word)
                x += w + gap
            return
        if align == "C":
            x += (avail - natural) / 2
        pdf.text(x, baseline, " ".join(line.words))

    def text_block(
        self,
        text: str,
        *,
        size: float | None = None,
        style: str = "",
        leading: float | None = None,
        x0: float | None = None,
        width: float | None = None,
        align: str = "J",
        first_indent: float = 0.0,
        hyphenate: bool = True,
    ) -> None:
        size = size or self.spec.body_size
        leading = leading or self.spec.leading * size / self.spec.body_size
        x0 = self.left if x0 is None else x0
        width = self.width if width is None else width
        self.font(style, size)
        self.breaker.hyphenate = hyphenate
        for line in self.breaker.lines(text, width, first_indent):
            self.ensure(leading)
            self.font(style, size)  # a page break draws the header in another font
            self.draw_line(line, x0, width, size, align)
            self.y += leading
        self.breaker.hyphenate = True

    # -- blocks -------------------------------------------------------------
    def title_block(self) -> None:
        s = self.spec
        self.new_page()
        pdf = self.pdf
        pdf.set_line_width(1.2)
        pdf.line(self.left, self.y, self.left + self.width, self.y)
        self.y += 12
        self.text_block(s.title, size=17, style="B", leading=21, align="C", hyphenate=False)
        self.y += 4
        pdf.set_line_width(0.4)
        pdf.line(self.left, self.y, self.left + self.width, self.y)
        self.y += 14
        self.text_block(s.authors, size=11, leading=13.5, align="C", hyphenate=False)
        self.text_block(s.affiliation, size=9.5, style="I", leading=12, align="C", hyphenate=False)
        self.y += 6
        self.text_block(NOTICE, size=9, style="I", leading=11, align="C", hyphenate=False)
        self.y += 14
        self.text_block("Abstract", size=12, style="B", leading=16, align="C", hyphenate=False)
        self.y += 2
        inset = 24.0
        self.text_block(s.abstract, x0=self.left + inset, width=self.width - 2 * inset)
        if s.keywords:
            self.y += 4
            self.text_block(s.keywords, x0=self.left + inset, width=self.width - 2 * inset, align="L")
        self.y += 10

    def caption_lines(self, text: str, size: float = 9.0) -> int:
        self.font("", size)
        return len(Breaker(self.pdf, hyphenate=False).lines(text, self.width))

    def table_height(self, t: Table) -> float:
        return 8 + self.caption_lines(t.caption) * 11.5 + (len(t.rows) + 1) * 11.5 + 24

    def figure_height(self, f: Figure) -> float:
        return 8 + f.height + 10 + self.caption_lines(f.caption) * 11.5

    def heading(self, h: Heading, next_block: Block | None = None) -> None:
        size = {1: 12.0, 2: 11.0, 3: self.spec.body_size}[h.level]
        before = {1: 10.0, 2: 7.0, 3: 5.0}[h.level]
        if self.y > self.top:
            self.y += before
        # keep the heading with what follows: three lines of text, or a whole table or figure
        follow = 3 * self.spec.leading
        if isinstance(next_block, Table):
            follow = self.table_height(next_block)
        elif isinstance(next_block, Figure):
            follow = self.figure_height(next_block)
        self.ensure(size * 1.4 + follow)
        self.font("B", size)
        self.pdf.text(self.left, self.y + 0.78 * size, h.text)
        self.y += size * 1.4

    def paragraph(self, p: Para, first_after_heading: bool) -> None:
        s = self.spec
        indent = 0.0 if first_after_heading else s.para_indent
        if not first_after_heading and not s.para_indent:
            self.y += s.para_gap
        self.text_block(p.text, first_indent=indent)

    def equation(self, e: Eq) -> None:
        lead = self.spec.leading
        self.ensure(lead + 10)
        self.y += 5
        self.font("", self.spec.body_size)
        pdf = self.pdf
        baseline = self.y + 0.78 * self.spec.body_size
        fw = pdf.get_string_width(e.formula)
        pdf.text(self.left + (self.width - fw) / 2, baseline, e.formula)
        num = f"({e.number})"
        pdf.text(self.left + self.width - pdf.get_string_width(num), baseline, num)
        self.y += lead + 5

    def table(self, t: Table) -> None:
        size, lead = 9.0, 11.5
        self.ensure(self.table_height(t))
        self.y += 8
        self.text_block(t.caption, size=size, leading=lead, hyphenate=False)
        self.y += 4
        pdf = self.pdf
        total = sum(w for _, w in t.columns)
        xs, x = [], self.left
        for _, w in t.columns:
            xs.append((x, w / total * self.width))
            x += w / total * self.width
        pdf.set_line_width(0.8)
        pdf.line(self.left, self.y, self.left + self.width, self.y)
        self.y += 2

        def row(cells: Sequence[str], style: str) -> None:
            self.font(style, size)
            base = self.y + 0.78 * size + 1
            for i, (cell, (cx, cw)) in enumerate(zip(cells, xs, strict=True)):
                cw_text = pdf.get_string_width(cell)
                tx = cx + 2 if i == 0 else cx + (cw - cw_text) / 2
                pdf.text(tx, base, cell)
            self.y += lead

        row([h for h, _ in t.columns], "B")
        pdf.set_line_width(0.4)
        pdf.line(self.left, self.y + 1, self.left + self.width, self.y + 1)
        self.y += 2
        for r in t.rows:
            row(r, "")
        pdf.set_line_width(0.8)
        pdf.line(self.left, self.y + 1, self.left + self.width, self.y + 1)
        self.y += 10

    def figure(self, f: Figure) -> None:
        size, lead = 9.0, 11.5
        self.ensure(self.figure_height(f))
        self.y += 8
        pdf = self.pdf
        x0, y0, w, h = self.left, self.y, self.width, f.height

        def px(fx: float) -> float:
            return x0 + fx * w

        def py(fy: float) -> float:
            return y0 + fy * h

        pdf.set_line_width(0.6)
        pdf.set_font("Helvetica", "", 7)
        for item in f.items:
            kind = item[0]
            if kind == "box":
                _, bx, by, bw, bh, label = item
                pdf.rect(px(bx), py(by), bw * w, bh * h)
                lw = pdf.get_string_width(label)
                pdf.text(px(bx) + (bw * w - lw) / 2, py(by) + bh * h / 2 + 2.5, label)
            elif kind == "line":
                _, ax, ay, bx, by = item
                pdf.line(px(ax), py(ay), px(bx), py(by))
            elif kind == "curve":
                pts = item[1]
                for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):
                    pdf.line(px(ax), py(ay), px(bx), py(by))
            elif kind == "label":
                _, lx, ly, label = item
                pdf.text(px(lx), py(ly), label)
        self.y += h + 8
        self.text_block(f.caption, size=size, leading=lead, hyphenate=False)
        self.y += 4

    def references(self, refs: list[str]) -> None:
        self.heading(Heading("References", 1))
        size, lead = 9.0, 11.0
        label_w = 20.0
        for i, ref in enumerate(refs, 1):
            self.font("", size)
            lines = self.breaker.lines(ref, self.width - label_w)
            self.ensure(lead * min(2, len(lines)))
            self.pdf.text(self.left, self.y + 0.78 * size, f"[{i}]")
            for line in lines:
                self.ensure(lead)
                self.font("", size)
                self.draw_line(line, self.left + label_w, self.width - label_w, size)
                self.y += lead
            self.y += 2

    def build(self) -> bytes:
        self.title_block()
        after_heading = True
        blocks = self.spec.blocks
        for i, block in enumerate(blocks):
            if isinstance(block, Heading):
                self.heading(block, blocks[i + 1] if i + 1 < len(blocks) else None)
                after_heading = True
                continue
            if isinstance(block, Para):
                self.paragraph(block, after_heading)
            elif isinstance(block, Eq):
                self.equation(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Figure):
                self.figure(block)
            after_heading = isinstance(block, Eq)  # text continuing an equation is not a new paragraph
        self.y += 6
        self.references(self.spec.references)
        return bytes(self.pdf.output())


def build_pdf(spec: PaperSpec) -> tuple[bytes, list[tuple[str, str, str]]]:
    layout = Layout(spec)
    data = layout.build()
    return data, layout.breaker.splits


# ==========================================================================
# The texts. All prose below is original writing for kz2h-assets that
# summarizes the papers' ideas; numbers are the papers' published headline
# results or, where marked, rounded illustrative values.
# ==========================================================================


def H1(text: str) -> Heading:  # "2 Background": numbered section
    return Heading(text, 1)


def H2(text: str) -> Heading:  # "3.1 Residual Learning": numbered subsection
    return Heading(text, 2)


def H3(text: str) -> Heading:  # "3.2.1 Scaled Dot-Product Attention": extra, not part of the listed structure
    return Heading(text, 3)


# -------------------------------------------------------------------- Bengio
BENGIO = PaperSpec(
    filename="p2-bengio-lm-paper.pdf",
    title="A Neural Probabilistic Language Model",
    authors="Yoshua Bengio, R\u00e9jean Ducharme, Pascal Vincent, Christian Jauvin",
    affiliation="D\u00e9partement d'Informatique et Recherche Op\u00e9rationnelle, Universit\u00e9 de Montr\u00e9al",
    first_page=1137,
    running_header=lambda n: (
        "BENGIO, DUCHARME, VINCENT AND JAUVIN" if n % 2 == 0 else "A NEURAL PROBABILISTIC LANGUAGE MODEL"
    ),
    front_note="Journal of Machine Learning Research 3 (2003), pages 1137-1155. Layout sample only.",
    margin_x=90.0,
    body_size=10.5,
    leading=12.6,
    para_indent=14.0,
    abstract=(
        "Statistical language modeling estimates the joint probability of word sequences, and it is made hard by "
        "the curse of dimensionality: a sentence met at test time will very likely differ from every sentence in "
        "the training corpus. Classical n-gram models cope with this by counting short overlapping windows of "
        "words and backing off to shorter windows when a count is missing. This sample describes an alternative "
        "in which every word is associated with a learned, real-valued feature vector, and a neural network "
        "expresses the probability of the next word as a smooth function of the feature vectors of the words that "
        "precede it. The word features and the parameters of the probability function are learned together, by "
        "gradient ascent on the log-likelihood of the corpus. Because similar words end up with nearby vectors, a "
        "single training sentence informs the model about a combinatorial number of related sentences. On two "
        "text corpora the approach reaches clearly lower perplexity than well-tuned smoothed trigram models, and "
        "mixing the two kinds of model lowers it further."
    ),
    keywords=(
        "Keywords: statistical language modeling, artificial neural networks, distributed representation, "
        "curse of dimensionality"
    ),
    blocks=[
        H1("1 Introduction"),
        Para(
            "A statistical model of language assigns a probability to every sequence of words. What makes the task "
            "hard is the curse of dimensionality: the number of possible word sequences grows exponentially with "
            "their length, so almost every sentence that a system meets at test time differs from all the sentences "
            "it saw during training. To make the difficulty concrete, take a vocabulary of 50,000 words and a model "
            "of the joint distribution of eight consecutive words. A table with one entry per configuration would "
            "need 50,000^8, roughly 3.9 x 10^37, entries. With continuous variables, generalization comes fairly "
            "easily from smooth functions; with discrete variables such as words, changing a single word may in "
            "principle move the probability arbitrarily far."
        ),
        Para(
            "A language model is usually written as a product of the conditional probabilities of each word given "
            "all of the words that come before it:"
        ),
        Eq("P(w_1, ..., w_T) = prod_{t=1..T} P(w_t | w_1, ..., w_{t-1})", 1),
        Para(
            "Practical systems keep only the most recent n - 1 words of that history, which gives the n-gram models. "
            "Their conditional probabilities are estimated from counts of word windows, and smoothing moves "
            "probability mass towards unseen windows, typically by backing off to shorter contexts [6, 7]. Such "
            "trigram models are strong baselines with two clear weaknesses. They rarely look further than two words "
            'back, and they treat words as atomic symbols, so reading "the nurse opened the window" teaches them '
            'nothing about "a doctor closed the door", although the two sentences share their grammatical and '
            "semantic roles."
        ),
        H2("1.1 Fighting the Curse of Dimensionality with Distributed Representations"),
        Para(
            "The approach explored here fits in three steps. First, each word of the vocabulary is associated with "
            "a distributed feature vector, a point in R^m with m much smaller than the vocabulary size, for example "
            "between 30 and 100 dimensions. Second, the probability of a word sequence is expressed as a function "
            "of the feature vectors of the words in that sequence. Third, the feature vectors and the parameters of "
            "the function are learned at the same time, by maximizing the likelihood of a training corpus."
        ),
        Para(
            "The feature vectors are free parameters, initialized at random. Because the probability function is "
            "smooth, a small change in a feature vector makes only a small change in the predictions, so training "
            'pulls words that occur in similar contexts, such as "nurse" and "doctor", towards nearby points. '
            "Each training sentence then informs the model about the many sentences obtained by replacing its words "
            "with their neighbours in feature space, while the number of parameters grows only linearly with the "
            "vocabulary."
        ),
        H2("1.2 Relation to Previous Work"),
        Para(
            "Neural networks have been used before to model high-dimensional discrete distributions, for example "
            "by factoring the joint distribution of many discrete variables into a product of conditionals, each "
            "computed by a network [1]. Learning distributed representations of symbols is an old idea of the "
            "connectionist literature [5], and word representations learned inside a neural architecture were "
            "studied by Miikkulainen and Dyer [8]. Xu and Rudnicky [9] trained a network to predict words, but their "
            "model had no hidden units and a single input word, which limits it to bigram statistics."
        ),
        Para(
            "Word similarity has also been exploited through discrete classes. Class-based n-gram models [2] group "
            "words into clusters and estimate probabilities over the clusters; this shares statistics among related "
            "words but forces each word into one hard category. In information retrieval, latent semantic indexing "
            "[4] represents words and documents by vectors obtained from a factorization of co-occurrence counts. The "
            "present work differs from both lines of research: here the word vectors are learned jointly with the "
            "probability function, for the explicit purpose of predicting the next word, and similarity between "
            "words is graded rather than all-or-nothing."
        ),
        H1("2 A Neural Model"),
        Para(
            "The training data is a sequence w_1, ..., w_T of words from a large but finite vocabulary V. We want a "
            "model f(w_t, ..., w_{t-n+1}) = P(w_t | w_1, ..., w_{t-1}) that gives high probability to held-out text; "
            "for any context, f must be positive and sum to one over V. We decompose f into two parts. A mapping C "
            "from each word i of V to a vector C(i) in R^m holds the distributed features; in practice C is a |V| x "
            "m matrix of free parameters shared by all context positions. A function g maps the feature vectors of "
            "the context words to a distribution over V, so that f(i, w_{t-1}, ..., w_{t-n+1}) = g(i, C(w_{t-1}), "
            "..., C(w_{t-n+1}))."
        ),
        Para(
            "The function g is a feed-forward network with one hidden layer. Its input x is the concatenation of the "
            "n - 1 context feature vectors, a vector of length (n - 1)m, and its output layer computes one "
            "unnormalized log-probability for each word of the vocabulary:"
        ),
        Eq("y = b + Wx + U tanh(d + Hx)", 2),
        Para(
            "Here h is the number of hidden units, H is the h x (n - 1)m matrix of input-to-hidden weights, d the "
            "vector of hidden biases, U the |V| x h matrix of hidden-to-output weights, b the vector of output "
            "biases, and W an optional |V| x (n - 1)m matrix of direct connections from input to output, set to zero "
            "when they are not used. A softmax turns the scores into probabilities:"
        ),
        Eq("P(w_t | w_{t-1}, ..., w_{t-n+1}) = exp(y_{w_t}) / sum_i exp(y_i)", 3),
        Figure(
            caption=(
                "Figure 1: Sketch of the network. A shared look-up table C maps each context word to its feature "
                "vector; a tanh hidden layer and a softmax output layer follow. Dotted direct connections are optional."
            ),
            height=120.0,
            items=(
                ("box", 0.30, 0.02, 0.40, 0.13, "softmax: i-th output = P(w_t = i | context)"),
                ("box", 0.38, 0.32, 0.24, 0.13, "tanh"),
                ("box", 0.04, 0.60, 0.22, 0.13, "C(w_{t-n+1})"),
                ("box", 0.39, 0.60, 0.22, 0.13, "C(w_{t-2})"),
                ("box", 0.74, 0.60, 0.22, 0.13, "C(w_{t-1})"),
                ("label", 0.05, 0.98, "index for w_{t-n+1}"),
                ("label", 0.41, 0.98, "index for w_{t-2}"),
                ("label", 0.76, 0.98, "index for w_{t-1}"),
                ("label", 0.29, 0.72, "..."),
                ("line", 0.15, 0.60, 0.45, 0.45),
                ("line", 0.50, 0.60, 0.50, 0.45),
                ("line", 0.85, 0.60, 0.55, 0.45),
                ("line", 0.50, 0.32, 0.50, 0.15),
                ("line", 0.15, 0.86, 0.15, 0.73),
                ("line", 0.50, 0.86, 0.50, 0.73),
                ("line", 0.85, 0.86, 0.85, 0.73),
            ),
        ),
        Para(
            "The complete set of parameters is theta = (b, d, W, U, H, C), and the number of free parameters is "
            "|V|(1 + nm + h) + h(1 + (n - 1)m). The dominant term grows linearly with the size of the vocabulary and "
            "linearly with the context length n, a striking contrast with the exponential growth of an explicit "
            "table of n-gram probabilities. Training maximizes the penalized log-likelihood of the corpus,"
        ),
        Eq("L = (1/T) sum_t log f(w_t, w_{t-1}, ..., w_{t-n+1}; theta) + R(theta)", 4),
        Para(
            "where R is a weight decay penalty on the weights and the feature matrix, but not on the biases. We use "
            "stochastic gradient ascent: after each word of the corpus, every parameter moves by a small step "
            "epsilon along the gradient of log P(w_t | w_{t-1}, ..., w_{t-n+1}). Only the rows of C for the words of "
            "the current context change. Nearly all the computation is spent in the output layer, whose cost per "
            "example is proportional to |V| h, because every word must be scored before the softmax can be "
            "normalized."
        ),
        H1("3 Parallel Implementation"),
        Para(
            "Although the number of parameters scales well, the amount of computation is far larger than for an "
            "n-gram model, which obtains a probability with a handful of table look-ups. We therefore explored two "
            "ways of spreading the work over several processors."
        ),
        Para(
            "On a shared-memory machine we used data parallelism. Each processor runs stochastic gradient ascent on "
            "a different portion of the training data and writes its updates directly into the single shared copy "
            "of the parameters, without any locking. Now and then two processors update the same value at nearly "
            "the same moment and part of one update is lost; in practice this acts like a little extra noise and "
            "did not harm convergence."
        ),
        Para(
            "On a cluster of PCs joined by a fast network there is no shared memory, so we turned to parameter "
            "parallelism. The output units are split into blocks, one per processor, and each processor stores only "
            "the rows of U, W and b for its own words. Every processor computes the hidden layer, which is cheap, "
            "then the scores of its block and the partial sum of their exponentials; combining the partial sums "
            "gives the normalization constant of equation (3). In the backward pass the processors sum their "
            "contributions to the gradient with respect to the hidden units, so each one can update the shared "
            "weights. Only vectors of size h and a few scalars are exchanged per example, which let us use several "
            "dozen CPUs efficiently."
        ),
        H1("4 Experimental Results"),
        Para(
            "Comparisons were carried out on two corpora. The Brown corpus has about 1.18 million words of English "
            "text; we used the first 800,000 words for training, the next 200,000 for validation and the remaining "
            "181,041 for testing. Words seen three times or fewer were merged into one rare-word symbol, which "
            "leaves 16,383 vocabulary entries. The second corpus holds Associated Press news from 1995 and 1996: "
            "about 14 million training words and close to one million each for validation and testing, with a "
            "vocabulary of nearly 18,000 words. Models are compared by test-set perplexity, the exponential of the "
            "average negative log-likelihood per word:"
        ),
        Eq("Perplexity = exp( -(1/T) sum_t log P(w_t | w_{t-1}, ..., w_{t-n+1}) )", 5),
        Para(
            "The n-gram baselines include an interpolated trigram, back-off models with modified Kneser-Ney smoothing "
            "[3, 7] and class-based back-off models [2] with several numbers of classes; for every family the "
            "hyper-parameters were tuned on the validation set. The networks were trained with a slowly decreasing "
            "learning rate, epsilon_t = epsilon_0 / (1 + r t) with epsilon_0 = 0.001 and r = 10^-8, and with early "
            "stopping on the validation data, usually after ten to twenty epochs."
        ),
        Table(
            caption=(
                "Table 1: Test perplexity of n-gram baselines and neural models (MLP). n is the order, h the number "
                "of hidden units and m the feature dimension. Values are rounded for this sample."
            ),
            columns=(("Model", 3.2), ("n", 0.7), ("h", 0.8), ("m", 0.8), ("Brown", 1.2), ("AP News", 1.3)),
            rows=(
                ("Interpolated trigram", "3", "-", "-", "348", "127"),
                ("Kneser-Ney back-off", "5", "-", "-", "321", "117"),
                ("Class-based back-off", "3", "-", "-", "312", "-"),
                ("MLP", "5", "50", "60", "268", "-"),
                ("MLP, direct connections", "6", "100", "30", "259", "111"),
                ("MLP + trigram mixture", "6", "100", "30", "252", "109"),
            ),
        ),
        Para(
            "Table 1 summarizes the results. On Brown the best n-gram model has a perplexity about 24% higher than "
            "the best neural model; on AP News the gap is smaller, around 8%, but still clear. Longer contexts "
            "helped the network, whereas n-gram models gained little beyond the trigram, and networks without hidden "
            "units did noticeably worse. Averaging the probabilities of a network and of an interpolated trigram "
            "always lowered the perplexity further, so the two models make different errors."
        ),
        H1("5 Extensions and Future Work"),
        Para(
            "Several directions could make the model faster and more expressive. The largest cost lies in the "
            "normalization over the whole vocabulary. One remedy is to decompose the output probability along a "
            "tree of word groups, so that predicting a word becomes a short sequence of small decisions and the "
            "cost grows with the logarithm of |V| instead of |V| itself. Another is to estimate the gradient of the "
            "normalization term from a sample of words rather than from the full sum."
        ),
        Para(
            "Prior knowledge could also be introduced, for instance from lexical resources such as semantic "
            "hierarchies or part-of-speech information. Words with several meanings are poorly served by a single "
            "point in feature space, which suggests more than one vector per word, and a recurrent network could "
            "summarize an unbounded history instead of a fixed window. An unseen word can receive the average of the "
            "vectors of the words the model finds likely in its context, weighted by their probabilities."
        ),
        H1("6 Conclusion"),
        Para(
            "The experiments reported here show that a neural network which learns a distributed representation for "
            "each word, together with a smooth probability function over those representations, models text better "
            "than carefully smoothed n-gram models. The gain comes from two properties n-grams lack: using longer "
            "contexts, and generalizing from one sentence to the many similar sentences near it in feature space. "
            "The price is computation, mostly at the output layer, but the ideas above suggest that it can be "
            "reduced a great deal."
        ),
    ],
    references=[
        "Y. Bengio and S. Bengio. Modeling high-dimensional discrete data with multi-layer neural networks. In "
        "Advances in Neural Information Processing Systems 12, pages 400-406. MIT Press, 2000.",
        "P. F. Brown, V. J. Della Pietra, P. V. deSouza, J. C. Lai, and R. L. Mercer. Class-based n-gram models "
        "of natural language. Computational Linguistics, 18(4):467-479, 1992.",
        "S. F. Chen and J. T. Goodman. An empirical study of smoothing techniques for language modeling. "
        "Computer Speech and Language, 13(4):359-393, 1999.",
        "S. Deerwester, S. T. Dumais, G. W. Furnas, T. K. Landauer, and R. Harshman. Indexing by latent semantic "
        "analysis. Journal of the American Society for Information Science, 41(6):391-407, 1990.",
        "G. E. Hinton. Learning distributed representations of concepts. In Proceedings of the Eighth Annual "
        "Conference of the Cognitive Science Society, pages 1-12, 1986.",
        "S. M. Katz. Estimation of probabilities from sparse data for the language model component of a speech "
        "recognizer. IEEE Transactions on Acoustics, Speech, and Signal Processing, 35(3):400-401, 1987.",
        "R. Kneser and H. Ney. Improved backing-off for m-gram language modeling. In International Conference on "
        "Acoustics, Speech and Signal Processing, pages 181-184, 1995.",
        "R. Miikkulainen and M. G. Dyer. Natural language processing with modular neural networks and "
        "distributed lexicon. Cognitive Science, 15:343-399, 1991.",
        "W. Xu and A. Rudnicky. Can artificial neural networks learn language models? In International "
        "Conference on Statistical Language Processing, 2000.",
    ],
)

# -------------------------------------------------------------------- ResNet
RESNET = PaperSpec(
    filename="p2-resnet-paper.pdf",
    title="Deep Residual Learning for Image Recognition",
    authors="Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun",
    affiliation="Microsoft Research",
    running_header=lambda n: "HE, ZHANG, REN, SUN: DEEP RESIDUAL LEARNING FOR IMAGE RECOGNITION",
    front_note="Layout sample in the style of a CVPR 2016 paper (pages 770-778).",
    margin_x=100.0,
    body_size=10.0,
    leading=12.2,
    abstract=(
        "Very deep neural networks are hard to train, and simply stacking more layers can make even the training "
        "error worse. We describe a residual learning framework in which groups of layers learn a residual "
        "function with reference to their input, instead of an unreferenced mapping, and the input is added back "
        "through a parameter-free shortcut connection. Evidence on ImageNet shows that such residual networks are "
        "easier to optimize and keep gaining accuracy as depth grows. Networks with up to 152 layers, eight times "
        "deeper than VGG nets yet of lower complexity, reach 3.57% top-5 error on the ImageNet test set when "
        "combined in an ensemble, the winning entry of the ILSVRC 2015 classification task. We also analyze "
        "networks with 100 and 1000 layers on CIFAR-10, and we show that the improved representations carry over "
        "to object detection, with a 28% relative improvement on the COCO benchmark."
    ),
    blocks=[
        H1("1 Introduction"),
        Para(
            "Deep convolutional networks have transformed image classification [5, 7, 9]. They integrate low-, "
            "mid- and high-level features with a classifier in one trainable model, and the number of stacked "
            "layers controls how rich those features can become. The leading results on the ImageNet benchmark all "
            "come from models with sixteen to thirty layers, which raises a simple question: is learning a better "
            "network as easy as adding more layers?"
        ),
        Para(
            "A first obstacle, vanishing and exploding gradients [1, 2], has largely been removed by careful "
            "initialization [2, 3] and by normalization layers inside the network [4], which let networks with "
            "tens of layers converge under stochastic gradient descent. Once deeper networks do converge, a second "
            "problem shows up, which we call degradation: as depth grows, accuracy saturates and then falls "
            "quickly. The drop is not a symptom of overfitting, since the training error rises as well. Figure 1 "
            "shows a typical case on CIFAR-10, where a 56-layer plain network is worse than a 20-layer one on both "
            "the training and the test set."
        ),
        Figure(
            caption=(
                "Figure 1: Training error (left) and test error (right) on CIFAR-10 of plain networks with 20 and "
                "56 layers. The deeper network is worse on both sets, so the problem is not overfitting."
            ),
            height=95.0,
            items=(
                ("line", 0.06, 0.05, 0.06, 0.85),
                ("line", 0.06, 0.85, 0.46, 0.85),
                ("line", 0.56, 0.05, 0.56, 0.85),
                ("line", 0.56, 0.85, 0.96, 0.85),
                ("curve", ((0.06, 0.10), (0.15, 0.45), (0.25, 0.55), (0.30, 0.62), (0.40, 0.66), (0.46, 0.67))),
                ("curve", ((0.06, 0.12), (0.15, 0.55), (0.25, 0.66), (0.30, 0.75), (0.40, 0.79), (0.46, 0.80))),
                ("curve", ((0.56, 0.10), (0.65, 0.40), (0.75, 0.48), (0.80, 0.56), (0.90, 0.58), (0.96, 0.58))),
                ("curve", ((0.56, 0.12), (0.65, 0.50), (0.75, 0.60), (0.80, 0.68), (0.90, 0.71), (0.96, 0.72))),
                ("label", 0.40, 0.62, "56-layer"),
                ("label", 0.40, 0.76, "20-layer"),
                ("label", 0.90, 0.54, "56-layer"),
                ("label", 0.90, 0.68, "20-layer"),
                ("label", 0.20, 0.97, "iter. (1e4)"),
                ("label", 0.70, 0.97, "iter. (1e4)"),
                ("label", 0.00, 0.03, "training error (%)"),
                ("label", 0.50, 0.03, "test error (%)"),
            ),
        ),
        Para(
            "What degradation reveals is a difficulty of optimization, not of capacity. Take a shallow network and a "
            "deeper one built by adding layers on top of it. By construction the deeper model has a solution at "
            "least as good: copy the shallow layers and let the added ones compute the identity. Yet current solvers "
            "do not find it. We therefore let each small stack of layers fit a residual: if the desired mapping is "
            "H(x), the layers learn F(x) = H(x) - x, and the block outputs F(x) + x. When the identity is optimal, "
            "pushing a residual to zero is easier than fitting an identity with nonlinear layers."
        ),
        Para(
            "The sum F(x) + x is computed by shortcut connections that skip layers and perform an identity mapping, "
            "adding neither parameters nor computation. On ImageNet a 152-layer residual network, less complex than "
            "VGG nets [7], is the deepest model reported so far, and an ensemble of residual nets won ILSVRC 2015 "
            "classification. CIFAR-10 models with over 100 and even 1000 layers behave the same way."
        ),
        H1("2 Related Work"),
        Para(
            "Residual representations. Image encodings such as VLAD and the Fisher vector describe local descriptors "
            "by their residuals with respect to a dictionary, which works better than encoding the descriptors "
            "themselves. In vision and graphics, multigrid methods and hierarchical basis preconditioning solve "
            "partial differential equations through residuals between coarse and fine scales, and they converge much "
            "faster than solvers that ignore this structure. A good reformulation can simplify optimization."
        ),
        Para(
            "Shortcut connections. Skipping layers is an old idea: early multilayer perceptrons sometimes added a "
            "linear layer from input to output, and some deep networks attach auxiliary classifiers to intermediate "
            "layers against vanishing gradients [9]. Closest to our work are highway networks [8], whose shortcuts "
            "are controlled by gates with parameters of their own; when a gate closes, the layer is no longer "
            "residual. Our identity shortcuts never close and have no parameters, so information always flows "
            "through."
        ),
        H1("3 Deep Residual Learning"),
        Para(
            "This section defines the residual building block and then describes the plain and residual networks "
            "that we compare, together with the way they are trained."
        ),
        H2("3.1 Residual Learning"),
        Para(
            "Let H(x) be the mapping to be fit by a few stacked layers, where x is the input to the first of them. "
            "If several nonlinear layers can approximate complicated functions, they can just as well approximate "
            "the residual function H(x) - x, provided input and output have the same dimensions. So rather than "
            "hoping that the layers approximate H(x), we ask them explicitly to approximate F(x) = H(x) - x. Both "
            "forms can express the desired function, but the ease of learning may differ a great deal."
        ),
        Para(
            "The reformulation is motivated by degradation. If added layers could become identity mappings, a deeper "
            "model would never train worse than a shallower one, so degradation suggests that solvers struggle to "
            "express an identity with several nonlinear layers. With residual learning a solver can simply drive the "
            "weights towards zero. When the optimal function is closer to an identity than to zero, finding a small "
            "perturbation of the identity should be easier, and indeed the learned residual functions have small "
            "responses."
        ),
        H2("3.2 Identity Mapping by Shortcuts"),
        Para("We adopt residual learning for every few stacked layers. A building block is defined as"),
        Eq("y = F(x, {W_i}) + x", 1),
        Para(
            "where x and y are the input and output vectors of the layers considered and F(x, {W_i}) is the "
            "residual mapping to be learned. For a block with two layers, F = W_2 s(W_1 x), where s denotes the "
            "rectified linear unit and biases are omitted for brevity. The operation F + x is carried out by a "
            "shortcut connection and element-wise addition, and a second nonlinearity follows the addition. The "
            "shortcut in equation (1) brings in neither extra parameters nor extra computation, apart from a cheap "
            "addition, which also allows a fair comparison between plain and residual networks."
        ),
        Para(
            "The dimensions of x and F must be equal. When they are not, for example when the number of channels "
            "changes, a linear projection W_s can be applied on the shortcut to match them:"
        ),
        Eq("y = F(x, {W_i}) + W_s x", 2),
        Para(
            "A square W_s could be used in equation (1) as well, but the identity is sufficient and economical, so "
            "W_s only matches dimensions. F usually has two or three layers; with a single layer the block is almost "
            "linear and showed no advantage. The same block applies to convolutional layers, where the addition is "
            "done channel by channel."
        ),
        H2("3.3 Network Architectures"),
        Para(
            "Plain network. Our plain baseline is inspired by VGG nets [7]. The convolutional layers mostly use 3x3 "
            "filters and follow two simple rules: layers that produce feature maps of the same size have the same "
            "number of filters, and when the map size is halved the number of filters is doubled, which keeps the "
            "time complexity per layer roughly constant. Downsampling is done directly by convolutions with a "
            "stride of 2. The network ends with global average pooling and a 1000-way fully connected layer with "
            "softmax. The 34-layer baseline needs 3.6 billion multiply-adds, only 18% of the 19.6 billion used by "
            "VGG-19, because it has fewer filters and lower complexity."
        ),
        Para(
            "Residual network. Inserting shortcut connections into the plain network turns it into its residual "
            "counterpart. Identity shortcuts are used directly when input and output have equal dimensions. When "
            "the dimensions increase we consider two options: (A) the shortcut still performs an identity mapping "
            "and pads the new channels with zeros, which adds no parameters; (B) a projection shortcut, equation "
            "(2), implemented by 1x1 convolutions, matches the dimensions. In both cases shortcuts that cross "
            "feature maps of two different sizes use a stride of 2."
        ),
        H2("3.4 Implementation"),
        Para(
            "Training on ImageNet follows common practice. Each image is resized with its shorter side sampled in "
            "[256, 480], and a 224x224 crop is taken from it or its horizontal flip, with the per-pixel mean "
            "subtracted. Batch normalization [4] follows each convolution, and weights are initialized as in [3]. We "
            "use stochastic gradient descent with a mini-batch size of 256, weight decay of 0.0001 and momentum of "
            "0.9. The learning rate starts at 0.1 and is divided by 10 when the error plateaus, for up to 600,000 "
            "iterations, without dropout. For comparisons we report 10-crop testing."
        ),
        H1("4 Experiments"),
        Para(
            "We evaluate residual networks on image classification first and on object detection afterwards, with "
            "the training recipe above unless stated otherwise."
        ),
        H2("4.1 ImageNet Classification"),
        Para(
            "We use the ImageNet 2012 classification data with 1000 classes: 1.28 million training images, 50,000 "
            "validation images and 100,000 test images whose labels are kept by the organizers. We report both "
            "top-1 and top-5 error rates."
        ),
        Para(
            "Plain networks. We first compare plain nets with 18 and 34 layers. The deeper one has the higher "
            "validation error and a higher training error throughout: degradation once more. Vanishing gradients are "
            "an unlikely cause, since batch normalization keeps forward signals at non-zero variance and backward "
            "gradients have healthy norms. Our guess is that very deep plain networks converge extremely slowly."
        ),
        Para(
            "Residual networks. One identity shortcut per pair of 3x3 layers reverses the picture. The 34-layer "
            "residual network beats the 18-layer one by 2.8 points of top-1 error, has a much lower training error "
            "and generalizes to the validation data. Against its plain counterpart it lowers the top-1 error by 3.5 "
            "points. At 18 layers plain and residual nets are about equally accurate, but the residual one converges "
            "faster early in training."
        ),
        Table(
            caption="Table 1: Error rates (%) on the ImageNet validation set with 10-crop testing.",
            columns=(("Model", 3.0), ("top-1 err.", 1.4), ("top-5 err.", 1.4)),
            rows=(
                ("VGG-16", "28.07", "9.33"),
                ("GoogLeNet", "-", "9.15"),
                ("plain-34", "28.54", "10.02"),
                ("ResNet-34 A", "25.03", "7.76"),
                ("ResNet-34 B", "24.52", "7.46"),
                ("ResNet-34 C", "24.19", "7.40"),
                ("ResNet-50", "22.85", "6.71"),
                ("ResNet-101", "21.75", "6.05"),
                ("ResNet-152", "21.43", "5.71"),
            ),
        ),
        Para(
            "Identity versus projection shortcuts. Table 1 compares option A, option B, and an option C in which "
            "every shortcut is a projection. All three are far better than the plain network. B is slightly better "
            "than A, probably because the zero-padded channels of A learn no residual, and C is marginally better "
            "than B, which we attribute to its extra parameters. The differences are small, so projections are not "
            "essential against degradation, and we keep identity shortcuts wherever possible to save memory, time "
            "and model size."
        ),
        Para(
            "Deeper bottleneck architectures. For deeper nets the two-layer block becomes a three-layer bottleneck "
            "of 1x1, 3x3 and 1x1 convolutions: the first 1x1 layer reduces the number of channels and the last one "
            "restores it. Parameter-free identity shortcuts matter here, since a projection on the wide ends would "
            "double the cost. We build networks of 50, 101 and 152 layers; even the 152-layer model needs only 11.3 "
            "billion multiply-adds, fewer than VGG-16, and accuracy improves steadily with depth. An ensemble of six "
            "models reaches 3.57% top-5 error on the test set."
        ),
        H2("4.2 CIFAR-10 and Analysis"),
        Para(
            "CIFAR-10 has 50,000 training and 10,000 test images of 32x32 pixels in ten classes. We use deliberately "
            "simple networks: a 3x3 convolution, then 6n layers of 3x3 convolutions on maps of sizes 32, 16 and 8 "
            "with 16, 32 and 64 filters, then global average pooling and a ten-way classifier, 6n + 2 weighted "
            "layers in all. All shortcuts are identities (option A), so plain and residual models have exactly the "
            "same number of parameters."
        ),
        Para(
            "We train with mini-batches of 128, weight decay of 0.0001 and momentum of 0.9. The learning rate starts "
            "at 0.1 and is divided by 10 after 32,000 and 48,000 iterations; training stops at 64,000. Images are "
            "padded by four pixels and randomly cropped and flipped."
        ),
        Para(
            "Deep plain networks again suffer from added depth, and their training error grows with the number of "
            "layers. Residual networks behave the other way round: the test error falls from 8.75% with 20 layers "
            "to 7.51% with 32, 7.17% with 44, 6.97% with 56 and 6.43% with 110 layers. A network with 1202 layers is "
            "still easy to optimize and reaches a training error below 0.1%, but its test error of 7.93% is worse "
            "than that of the 110-layer model; with 19.4 million parameters it is probably too large for such a "
            "small dataset, and we used no strong regularizers such as dropout."
        ),
        Para(
            "Analysis of layer responses. We also measured the standard deviation of the output of every 3x3 layer, "
            "after batch normalization and before the addition. Residual networks generally have smaller responses "
            "than their plain counterparts, which supports the idea that residual functions tend to be closer to "
            "zero than non-residual ones. The deeper the residual network, the smaller the responses: with more "
            "layers, each individual layer tends to change the signal less."
        ),
        H2("4.3 Object Detection on PASCAL and MS COCO"),
        Para(
            "Residual networks also transfer to other recognition tasks. We take Faster R-CNN [6] and replace its "
            "VGG-16 backbone by ResNet-101, leaving the rest unchanged. Table 2 lists the results. On PASCAL VOC the "
            "mean average precision rises by more than three points; on MS COCO the standard metric, mAP averaged "
            "over IoU thresholds from 0.5 to 0.95, goes from 21.2% to 27.2%, a relative improvement of 28%. Since "
            "nothing else changed, the gain comes solely from the learned representations."
        ),
        Table(
            caption="Table 2: Object detection results (%) with Faster R-CNN using VGG-16 or ResNet-101 features.",
            columns=(("Test set and metric", 3.0), ("VGG-16", 1.3), ("ResNet-101", 1.3)),
            rows=(
                ("PASCAL VOC 2007, mAP", "73.2", "76.4"),
                ("PASCAL VOC 2012, mAP", "70.4", "73.8"),
                ("MS COCO, mAP@.5", "41.5", "48.4"),
                ("MS COCO, mAP@[.5, .95]", "21.2", "27.2"),
            ),
        ),
    ],
    references=[
        "Y. Bengio, P. Simard, and P. Frasconi. Learning long-term dependencies with gradient descent is "
        "difficult. IEEE Transactions on Neural Networks, 5(2):157-166, 1994.",
        "X. Glorot and Y. Bengio. Understanding the difficulty of training deep feedforward neural networks. In "
        "AISTATS, 2010.",
        "K. He, X. Zhang, S. Ren, and J. Sun. Delving deep into rectifiers: Surpassing human-level performance on "
        "ImageNet classification. In ICCV, 2015.",
        "S. Ioffe and C. Szegedy. Batch normalization: Accelerating deep network training by reducing internal "
        "covariate shift. In ICML, 2015.",
        "A. Krizhevsky, I. Sutskever, and G. E. Hinton. ImageNet classification with deep convolutional neural "
        "networks. In NIPS, 2012.",
        "S. Ren, K. He, R. Girshick, and J. Sun. Faster R-CNN: Towards real-time object detection with region "
        "proposal networks. In NIPS, 2015.",
        "K. Simonyan and A. Zisserman. Very deep convolutional networks for large-scale image recognition. In "
        "ICLR, 2015.",
        "R. K. Srivastava, K. Greff, and J. Schmidhuber. Highway networks. arXiv:1505.00387, 2015.",
        "C. Szegedy, W. Liu, Y. Jia, P. Sermanet, S. Reed, D. Anguelov, D. Erhan, V. Vanhoucke, and A. Rabinovich. "
        "Going deeper with convolutions. In CVPR, 2015.",
    ],
)

# ----------------------------------------------------------------- Attention
ATTENTION = PaperSpec(
    filename="attention-paper.pdf",
    title="Attention Is All You Need",
    authors=(
        "Ashish Vaswani, Noam Shazeer, Niki Parmar, Jakob Uszkoreit, Llion Jones, Aidan N. Gomez, Lukasz Kaiser, "
        "Illia Polosukhin"
    ),
    affiliation="Google Brain, Google Research, University of Toronto",
    running_header=lambda n: "Attention Is All You Need (sample text)",
    front_note="Layout sample in the style of a NIPS 2017 conference paper.",
    margin_x=108.0,
    body_size=10.0,
    leading=12.0,
    abstract=(
        "Most competitive sequence transduction models pair an encoder with a decoder, both built from recurrent "
        "or convolutional layers and often linked by an attention mechanism. This sample describes the "
        "Transformer, an architecture that drops recurrence and convolution altogether and relies on attention "
        "alone, inside the encoder, inside the decoder and between the two. Because attention relates all "
        "positions of a sequence in a constant number of steps, the model can be trained with far more "
        "parallelism than a recurrent network. On the WMT 2014 English-to-German translation task a large "
        "Transformer reaches 28.4 BLEU, more than 2 BLEU above the best earlier results, ensembles included. On "
        "WMT 2014 English-to-French it sets a single-model record of 41.8 BLEU after three and a half days of "
        "training on eight GPUs, a small fraction of the cost of previous systems. The architecture also "
        "transfers well to English constituency parsing."
    ),
    blocks=[
        H1("1 Introduction"),
        Para(
            "For years, recurrent neural networks, especially long short-term memory [5] and gated recurrent units, "
            "were the default choice for sequence modeling and for transduction problems such as machine "
            "translation. They read a sequence one position at a time: the hidden state h_t is computed from h_{t-1} "
            "and the input at position t. This order rules out parallel computation within a training example, which "
            "hurts most on long sequences, where memory also limits batching."
        ),
        Para(
            "Attention mechanisms connect positions no matter how far apart they are, and they have become a key "
            "part of strong translation systems [2], but nearly always together with a recurrent network. This work "
            "introduces the Transformer, which does without recurrence and uses attention alone to capture global "
            "dependencies between input and output. It allows much more parallel computation and sets a new state of "
            "the art in translation after twelve hours of training on eight P100 GPUs."
        ),
        H1("2 Background"),
        Para(
            "Cutting down sequential computation is also the aim of ByteNet [7] and ConvS2S [3], which compute "
            "hidden representations for all positions in parallel with convolutions. There, the number of operations "
            "needed to link two positions grows with their distance, linearly for ConvS2S and logarithmically for "
            "ByteNet. In the Transformer it is constant, at the price of a lower effective resolution caused by "
            "averaging, which multi-head attention (Section 3.2) compensates."
        ),
        Para(
            "Self-attention, also known as intra-attention, computes a representation of a sequence by letting its "
            "positions attend to one another. It has worked well for reading comprehension, abstractive "
            "summarization and textual entailment. As far as we know, the Transformer is the first transduction "
            "model that builds the representations of its input and output from self-attention only, without "
            "recurrent or convolutional layers."
        ),
        H1("3 Model Architecture"),
        Para(
            "Like most competitive sequence transduction models, the Transformer has an encoder-decoder structure. "
            "The encoder turns an input sequence of symbol representations (x_1, ..., x_n) into a sequence of "
            "continuous representations z = (z_1, ..., z_n). From z the decoder produces an output sequence "
            "(y_1, ..., y_m) one symbol at a time, and it is auto-regressive: the symbols generated so far are fed "
            "back as extra input when the next one is produced. Both halves are stacks of self-attention layers and "
            "point-wise, fully connected layers, as sketched in Figure 1."
        ),
        Figure(
            caption="Figure 1: Sketch of the Transformer: encoder stack (left) and decoder stack (right).",
            height=150.0,
            items=(
                ("box", 0.08, 0.46, 0.34, 0.11, "Multi-Head Attention"),
                ("box", 0.08, 0.32, 0.34, 0.09, "Add & Norm"),
                ("box", 0.08, 0.17, 0.34, 0.11, "Feed Forward"),
                ("box", 0.08, 0.05, 0.34, 0.09, "Add & Norm"),
                ("box", 0.08, 0.72, 0.34, 0.10, "Input Embedding"),
                ("label", 0.01, 0.33, "Nx"),
                ("label", 0.16, 0.68, "Positional Encoding"),
                ("label", 0.20, 0.97, "Inputs"),
                ("box", 0.56, 0.56, 0.36, 0.09, "Masked Multi-Head Attention"),
                ("box", 0.56, 0.40, 0.36, 0.11, "Multi-Head Attention"),
                ("box", 0.56, 0.25, 0.36, 0.11, "Feed Forward"),
                ("box", 0.56, 0.12, 0.36, 0.09, "Add & Norm"),
                ("box", 0.56, 0.74, 0.36, 0.10, "Output Embedding"),
                ("label", 0.95, 0.40, "Nx"),
                ("label", 0.58, 0.97, "Outputs (shifted right)"),
                ("label", 0.60, 0.04, "Output Probabilities"),
                ("line", 0.42, 0.10, 0.56, 0.45),
                ("line", 0.25, 0.72, 0.25, 0.57),
                ("line", 0.74, 0.74, 0.74, 0.65),
            ),
        ),
        H2("3.1 Encoder and Decoder Stacks"),
        Para(
            "Encoder. The encoder consists of N = 6 identical layers. Each layer holds two sub-layers: multi-head "
            "self-attention, followed by a simple feed-forward network applied to every position. Around each "
            "sub-layer we put a residual connection [4] and then layer normalization [1], so the sub-layer's "
            "output is LayerNorm(x + Sublayer(x)), with Sublayer(x) the function the sub-layer computes. For the "
            "residual sums to be well defined, every sub-layer and both embedding layers produce vectors of "
            "dimension d_model = 512."
        ),
        Para(
            "Decoder. The decoder is likewise made of N = 6 identical layers. Besides the two sub-layers of an "
            "encoder layer, every decoder layer has a third one that applies multi-head attention to the output of "
            "the encoder stack, again with residual connections and layer normalization. The decoder's "
            "self-attention is masked so that no position can look at later positions. Together with the one-step "
            "shift of the output embeddings, this masking ensures that the prediction at position i can only use "
            "the outputs already known at positions before i."
        ),
        H2("3.2 Attention"),
        Para(
            "Conceptually, attention takes a query together with a collection of key-value pairs, all of them "
            "vectors, and returns a vector: a weighted average of the values in which each weight measures how well "
            "the query matches the corresponding key. The form of that matching score is what distinguishes one "
            "attention function from another."
        ),
        H3("3.2.1 Scaled Dot-Product Attention"),
        Para(
            "Our variant takes queries and keys of dimension d_k and values of dimension d_v. Each query is "
            "multiplied by every key, each product is divided by sqrt(d_k), and a softmax over the results gives "
            "the weights on the values. The queries of a whole sequence are packed into a matrix Q, and the keys "
            "and values into matrices K and V, so that all outputs come out of two matrix products:"
        ),
        Eq("Attention(Q, K, V) = softmax(QK^T / sqrt(d_k)) V", 1),
        Para(
            "The two most common attention functions are additive attention [2], which scores compatibility with a "
            "small feed-forward network, and plain dot-product attention, which is our method without the scaling. "
            "Dot products are much faster and lighter on memory in practice, since they map onto optimized matrix "
            "multiplication. For larger d_k, however, additive attention beats unscaled dot products. A plausible "
            "reason: if the entries of q and k are independent with mean 0 and variance 1, their dot product has "
            "variance d_k, and large values push the softmax into flat regions with tiny gradients. Dividing by "
            "sqrt(d_k) removes this effect."
        ),
        H3("3.2.2 Multi-Head Attention"),
        Para(
            "Rather than running one attention function on d_model-dimensional queries, keys and values, we found "
            "it better to project them h times with different learned linear maps, to d_k, d_k and d_v dimensions. "
            "Attention runs on each projected version in parallel, and the h outputs of dimension d_v are "
            "concatenated and projected once more:"
        ),
        Eq("MultiHead(Q, K, V) = Concat(head_1, ..., head_h) W^O", 2),
        Para(
            "where head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V) and the projections are parameter matrices of "
            "matching sizes. With several heads the model can look at information from different representation "
            "subspaces at different positions at once, which averaging inside a single head would blur. We use "
            "h = 8 heads with d_k = d_v = d_model / h = 64, so that the total cost stays close to that of one head "
            "with full dimensionality."
        ),
        H3("3.2.3 Applications of Attention in our Model"),
        Para(
            "Multi-head attention appears in three places. In encoder-decoder attention, the queries come from the "
            "previous decoder layer and the keys and values from the encoder output, so every decoder position can "
            "look at the whole input, as in classical sequence-to-sequence attention. In encoder self-attention, "
            "queries, keys and values all come from the previous encoder layer, and each position sees every "
            "position of that layer. In decoder self-attention, a position may look at all decoder positions up "
            "to and including itself; information flowing leftward is blocked by setting the softmax inputs of "
            "forbidden connections to minus infinity."
        ),
        H2("3.3 Position-wise Feed-Forward Networks"),
        Para(
            "Besides attention, each encoder and decoder layer contains a fully connected feed-forward network that "
            "is applied to every position separately and in the same way. It is made of two linear transformations "
            "with a ReLU activation between them:"
        ),
        Eq("FFN(x) = max(0, x W_1 + b_1) W_2 + b_2", 3),
        Para(
            "The same transformation is used at every position of a layer, while different layers have their own "
            "parameters; one can also view it as two convolutions with kernel size 1. Input and output have "
            "dimension d_model = 512 and the inner layer has dimension d_ff = 2048."
        ),
        H2("3.4 Embeddings and Softmax"),
        Para(
            "As in other sequence transduction models, learned embeddings map input and output tokens to vectors of "
            "dimension d_model, and a learned linear transformation followed by a softmax turns the decoder output "
            "into next-token probabilities. A single weight matrix is shared by the two embedding layers and the "
            "linear transformation before the softmax; inside the embedding layers its weights are multiplied by "
            "sqrt(d_model)."
        ),
        H2("3.5 Positional Encoding"),
        Para(
            "With neither recurrence nor convolution, the model has no built-in sense of token order, so that "
            "information has to be supplied. We add positional encodings of dimension d_model to the input "
            "embeddings at the bottom of both stacks, built from sine and cosine functions of different frequencies:"
        ),
        Eq("PE(pos, 2i) = sin(pos / 10000^(2i/d_model))", 4),
        Eq("PE(pos, 2i+1) = cos(pos / 10000^(2i/d_model))", 5),
        Para(
            "Here pos is the position and i the dimension, so each dimension is a sinusoid, and the wavelengths form "
            "a geometric progression from 2 pi to 10000 * 2 pi. For any fixed offset k, PE(pos + k) is a linear "
            "function of PE(pos), which we expected to make attention by relative position easy to learn. Learned "
            "positional embeddings gave nearly the same results; we kept the sinusoids because they may extrapolate "
            "to sequences longer than any seen during training."
        ),
        H1("4 Why Self-Attention"),
        Para(
            "We compare self-attention with the recurrent and convolutional layers commonly used to map one "
            "variable-length sequence of representations to another of the same length. Three criteria matter: the "
            "total computational complexity per layer, the amount of computation that can run in parallel, "
            "measured by the minimum number of sequential operations, and the length of the paths that signals "
            "travel between long-range dependencies. The shorter the path between any input and output position, "
            "the easier such dependencies are to learn."
        ),
        Table(
            caption=(
                "Table 1: Per-layer complexity, minimum number of sequential operations and maximum path length. n is "
                "the sequence length, d the representation dimension, k the kernel size and r the neighbourhood size."
            ),
            columns=(("Layer type", 2.6), ("Complexity", 1.4), ("Sequential", 1.1), ("Max. path", 1.2)),
            rows=(
                ("Self-attention", "O(n^2 d)", "O(1)", "O(1)"),
                ("Recurrent", "O(n d^2)", "O(n)", "O(n)"),
                ("Convolutional", "O(k n d^2)", "O(1)", "O(log_k(n))"),
                ("Self-attention (restricted)", "O(r n d)", "O(1)", "O(n/r)"),
            ),
        ),
        Para(
            "A self-attention layer connects all positions with a constant number of sequential operations, whereas "
            "a recurrent layer needs O(n), and it is also cheaper whenever the sequence length n is below the "
            "representation dimension d, the usual case for sentences split into word pieces. For very long inputs, "
            "attention could be limited to a neighbourhood of size r, raising the maximum path length to O(n/r). A "
            "convolution with kernel width k < n does not link every pair of positions; that takes a stack of O(n/k) "
            "layers, or O(log_k(n)) with dilated convolutions. A side benefit is interpretability: individual heads "
            "seem to learn distinct, often syntactic, tasks."
        ),
        H1("5 Training"),
        Para(
            "We trained on the WMT 2014 English-German data, about 4.5 million sentence pairs encoded with byte-pair "
            "encoding [8] and a shared vocabulary of about 37,000 tokens, and on the larger WMT 2014 English-French "
            "set of 36 million sentences with a 32,000 word-piece vocabulary [9]. Each batch held roughly 25,000 "
            "source and 25,000 target tokens. Training used eight NVIDIA P100 GPUs: base models ran 100,000 steps of "
            "0.4 seconds, twelve hours in total, and big models 300,000 steps of 1.0 second, or 3.5 days."
        ),
        Para(
            "We used the Adam optimizer [6] with beta_1 = 0.9, beta_2 = 0.98 and epsilon = 10^-9, and changed the "
            "learning rate during training according to"
        ),
        Eq("lrate = d_model^-0.5 * min(step^-0.5, step * warmup_steps^-1.5)", 6),
        Para(
            "so the rate grows linearly during the first warmup_steps steps and afterwards decays with the inverse "
            "square root of the step number; we set warmup_steps = 4000. Two regularizers were used. Residual "
            "dropout with rate P_drop = 0.1 is applied to the output of every sub-layer before it is added to the "
            "sub-layer input and normalized, and to the sums of embeddings and positional encodings. Label "
            "smoothing with value 0.1 makes the model less confident; it hurts perplexity but improves accuracy "
            "and BLEU."
        ),
        H1("6 Results"),
        Table(
            caption="Table 2: BLEU on the newstest2014 English-to-German (EN-DE) and English-to-French (EN-FR) tests.",
            columns=(("Model", 3.0), ("EN-DE", 1.2), ("EN-FR", 1.2)),
            rows=(
                ("ByteNet [7]", "23.75", "-"),
                ("GNMT + RL [9]", "24.6", "39.92"),
                ("ConvS2S [3]", "25.16", "40.46"),
                ("MoE", "26.03", "40.56"),
                ("Transformer (base model)", "27.3", "38.1"),
                ("Transformer (big)", "28.4", "41.8"),
            ),
        ),
        Para(
            "On English-to-German, the big Transformer beats the best previously reported models, ensembles "
            "included, by more than 2.0 BLEU and reaches 28.4. The base model alone already beats every earlier "
            "model and ensemble while costing far less to train. On English-to-French the big model obtains 41.8 "
            "BLEU, ahead of all earlier single models, for less than a quarter of the training cost of the previous "
            "best system. Decoding used beam search with a beam size of 4 and a length penalty alpha = 0.6, applied to "
            "an average of the last few checkpoints."
        ),
        Para(
            "Model variations on the English-to-German development set support the design choices. A single head is "
            "0.9 BLEU below the best setting, but too many heads also hurt. Smaller keys d_k hurt, bigger models do "
            "better, dropout helps a lot, and learned positional embeddings match the sinusoids. A four-layer "
            "Transformer trained for English constituency parsing on the Wall Street Journal part of the Penn "
            "Treebank reaches an F1 score of 91.3, and 92.7 with extra semi-supervised data."
        ),
        H1("7 Conclusion"),
        Para(
            "This work presented the Transformer, the first sequence transduction model built entirely on attention, "
            "with multi-headed self-attention in place of the recurrent layers of encoder-decoder architectures. It "
            "trains much faster than recurrent or convolutional models and sets a new state of the art on WMT 2014 "
            "English-to-German and English-to-French. Next steps include other tasks and modalities such as images, "
            "audio and video, restricted attention for large inputs, and less sequential generation."
        ),
    ],
    references=[
        "J. L. Ba, J. R. Kiros, and G. E. Hinton. Layer normalization. arXiv preprint arXiv:1607.06450, 2016.",
        "D. Bahdanau, K. Cho, and Y. Bengio. Neural machine translation by jointly learning to align and "
        "translate. CoRR, abs/1409.0473, 2014.",
        "J. Gehring, M. Auli, D. Grangier, D. Yarats, and Y. N. Dauphin. Convolutional sequence to sequence "
        "learning. arXiv preprint arXiv:1705.03122, 2017.",
        "K. He, X. Zhang, S. Ren, and J. Sun. Deep residual learning for image recognition. In Proceedings of the "
        "IEEE Conference on Computer Vision and Pattern Recognition, pages 770-778, 2016.",
        "S. Hochreiter and J. Schmidhuber. Long short-term memory. Neural Computation, 9(8):1735-1780, 1997.",
        "D. Kingma and J. Ba. Adam: A method for stochastic optimization. In ICLR, 2015.",
        "N. Kalchbrenner, L. Espeholt, K. Simonyan, A. van den Oord, A. Graves, and K. Kavukcuoglu. Neural machine "
        "translation in linear time. arXiv preprint arXiv:1610.10099, 2016.",
        "R. Sennrich, B. Haddow, and A. Birch. Neural machine translation of rare words with subword units. arXiv "
        "preprint arXiv:1508.07909, 2015.",
        "Y. Wu, M. Schuster, Z. Chen, Q. V. Le, M. Norouzi, et al. Google's neural machine translation system: "
        "Bridging the gap between human and machine translation. arXiv preprint arXiv:1609.08144, 2016.",
    ],
)

PAPERS = [BENGIO, RESNET, ATTENTION]


# ==========================================================================
# Verification with pypdf
# ==========================================================================


def _font_runs(page) -> list[tuple[str, str, float]]:
    runs: list[tuple[str, str, float]] = []

    def visit(text, cm, tm, font_dict, font_size):  # pypdf visitor_text callback
        if text and text.strip() and font_dict:
            runs.append((text.strip(), str(font_dict.get("/BaseFont", "")), float(font_size)))

    page.extract_text(visitor_text=visit)
    return runs


def verify(path: Path, spec: PaperSpec) -> dict[str, object]:
    """Check the file with pypdf the way an extractor would see it; raise AssertionError on a problem."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    n = len(reader.pages)
    assert 4 <= n <= 6, f"{path.name}: {n} pages, want 4-6"
    texts = [p.extract_text() for p in reader.pages]
    page_lines = [[ln.strip() for ln in t.splitlines() if ln.strip()] for t in texts]

    first = page_lines[0]
    assert first[0] == spec.title, f"{path.name}: first line {first[0]!r}"
    assert NOTICE in first, f"{path.name}: notice line missing"
    assert "Abstract" in first, f"{path.name}: 'Abstract' missing"

    headers, footers = set(), set()
    for i, lines in enumerate(page_lines):
        label = str(spec.first_page + i)
        assert lines[-1] == label, f"{path.name} p{i + 1}: last line {lines[-1]!r}, want page number {label!r}"
        footers.add(label)
        if i:
            want = spec.running_header(spec.first_page + i)
            assert lines[0] == want, f"{path.name} p{i + 1}: first line {lines[0]!r}, want header {want!r}"
            headers.add(want)

    # Body lines in reading order, without running headers and page numbers.
    body = [ln for i, lines in enumerate(page_lines) for ln in (lines[1:-1] if i else lines[:-1])]
    if spec.front_note:
        assert spec.front_note in first, f"{path.name}: first-page note missing"
        body.remove(spec.front_note)
    expected = spec.structural_headings + ["References"]
    pos = 0
    for h in expected:
        assert h in body[pos:], f"{path.name}: heading {h!r} missing or out of order"
        pos = body.index(h, pos) + 1

    bold = {t for p in reader.pages for t, font, size in _font_runs(p) if "Bold" in font and size > spec.body_size}
    for h in expected:
        assert h in bold, f"{path.name}: heading {h!r} not drawn in a bold, larger font"

    soft, compound = [], []
    for a, b in zip(body, body[1:], strict=False):
        m1, m2 = re.search(r"([A-Za-z]+)-$", a), re.match(r"([A-Za-z]+)", b)
        if m1 and m2 and not a.startswith("["):
            joined = (m1.group(1) + m2.group(1)).lower()
            (soft if joined in HYPHENS else compound).append(f"{m1.group(1)}-/{m2.group(1)}")
    assert len(soft) >= 5, f"{path.name}: only {len(soft)} hyphenated line-end words"

    equations = [ln for ln in body if re.search(r"\S\s+\(\d+\)$", ln)]
    assert len(equations) >= 2, f"{path.name}: {len(equations)} numbered equations"
    assert any(ln.startswith("Table 1:") for ln in body), f"{path.name}: no table caption"

    refs_at = body.index("References")
    refs = [ln for ln in body[refs_at + 1 :] if re.match(r"^\[\d+\]", ln)]
    assert body[refs_at + 1].startswith("[1] "), f"{path.name}: references do not start with [1]"
    assert 5 <= len(refs) <= 10, f"{path.name}: {len(refs)} references"

    words = sum(len(t.split()) for t in texts)
    return {
        "pages": n,
        "words": words,
        "hyphenated": soft,
        "compound_breaks": compound,
        "equations": len(equations),
        "references": len(refs),
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out-dir", type=Path, default=OUT_DIR)
    ap.add_argument("--check", action="store_true", help="only verify the PDFs already on disk")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the hyphenated words")
    args = ap.parse_args(argv)

    args.out_dir.mkdir(parents=True, exist_ok=True)
    for spec in PAPERS:
        path = args.out_dir / spec.filename
        if not args.check:
            data, _ = build_pdf(spec)
            again, _ = build_pdf(spec)
            assert data == again, f"{spec.filename}: two builds differ"
            path.write_bytes(data)
        info = verify(path, spec)
        rel = path.relative_to(REPO) if path.is_relative_to(REPO) else path
        print(
            f"{rel}: {info['pages']} pages, {info['words']} words, "
            f"{len(info['hyphenated'])} hyphenated + {len(info['compound_breaks'])} compound line-end breaks, "
            f"{info['equations']} numbered equations, {info['references']} references"
        )
        if args.verbose:
            print("   hyphenated:", ", ".join(info["hyphenated"]))
            print("   compound:  ", ", ".join(info["compound_breaks"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
