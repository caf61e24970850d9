//! `Document`: a list of blocks (headings, paragraphs, bullets, a framed code, lines
//! to fill in by hand) laid out on A4 pages. Lines are wrapped by measuring each word
//! with the embedded font's advances, pages break automatically, and every page gets a
//! "page N of M" footer once the page count is known.

use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, OffsetDateTime, Op, PaintMode, PdfDocument, PdfFontHandle,
    PdfPage, PdfParseErrorSeverity, PdfSaveOptions, Point, Pt, Rect, TextItem,
};
use unicode_normalization::UnicodeNormalization;

use super::Language;
use super::fonts::{Face, Fonts, fonts};
use crate::error::{Error, Result};

const PT_PER_MM: f32 = 72.0 / 25.4;
const PAGE_WIDTH_MM: f32 = 210.0;
const PAGE_HEIGHT_MM: f32 = 297.0;

const BODY_SIZE: f32 = 10.5;
const TITLE_SIZE: f32 = 20.0;
const HEADING_SIZE: f32 = 12.5;
const FOOTER_SIZE: f32 = 8.5;
const CODE_SIZE: f32 = 22.0;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.4;
/// DejaVu's ascender and descender, in em: where the baseline sits in a line box.
const ASCENT: f32 = 0.928;
const DESCENT: f32 = 0.236;

const BULLET_INDENT_MM: f32 = 5.5;
const CODE_PADDING_MM: f32 = 6.0;
/// Handwriting needs room: the space left above each fill-in line.
const FILL_IN_ROOM_PT: f32 = 14.0;
/// A fill-in line shorter than this starts on a line of its own.
const FILL_IN_MIN_MM: f32 = 35.0;

const TEXT_GREY: f32 = 0.0;
const FOOTER_GREY: f32 = 0.35;
const RULE_GREY: f32 = 0.55;

/// Page margins in millimetres. The footer sits inside the bottom margin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    pub top_mm: f32,
    pub right_mm: f32,
    pub bottom_mm: f32,
    pub left_mm: f32,
}

impl Margins {
    pub fn uniform_mm(mm: f32) -> Margins {
        Margins { top_mm: mm, right_mm: mm, bottom_mm: mm, left_mm: mm }
    }
}

impl Default for Margins {
    fn default() -> Self {
        Margins { top_mm: 20.0, right_mm: 20.0, bottom_mm: 22.0, left_mm: 22.0 }
    }
}

/// A piece of a paragraph in one style. `Debug` gives the style and length only: spans
/// carry patients' names and secrets.
#[derive(Clone, PartialEq)]
pub struct Span {
    face: Face,
    text: String,
}

impl Span {
    pub fn plain(text: impl Into<String>) -> Span {
        Span { face: Face::Regular, text: text.into() }
    }

    pub fn bold(text: impl Into<String>) -> Span {
        Span { face: Face::Bold, text: text.into() }
    }

    /// Bold monospace, for something to be typed exactly: a command, a code.
    pub fn mono(text: impl Into<String>) -> Span {
        Span { face: Face::MonoBold, text: text.into() }
    }
}

impl std::fmt::Debug for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Span({:?}, {} chars)", self.face, self.text.chars().count())
    }
}

#[derive(Clone)]
enum Block {
    Heading(String),
    Paragraph(Vec<Span>),
    Field(Vec<Span>),
    Bullet(Vec<Span>),
    CodeBox(Vec<String>),
    FillIn(String),
    Space(f32),
}

/// An A4 document built block by block, then rendered with [`Document::to_pdf_bytes`].
///
/// ```
/// use cuspid::documents::{Document, Language, Span};
/// let pdf = Document::new(Language::En, "Notice")
///     .heading("What happened")
///     .paragraph("A long paragraph wraps at the right margin and flows onto new pages.")
///     .bullet_spans(vec![Span::plain("Run "), Span::mono("cuspid audit verify"), Span::plain(".")])
///     .to_pdf_bytes()
///     .expect("renders");
/// assert!(pdf.starts_with(b"%PDF"));
/// ```
///
/// Text is taken as Unicode (normalised to NFC); runs of whitespace are one space, and
/// `\n` starts a new line within a paragraph.
#[derive(Clone)]
#[must_use]
pub struct Document {
    lang: Language,
    title: String,
    margins: Margins,
    blocks: Vec<Block>,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("lang", &self.lang)
            .field("margins", &self.margins)
            .field("blocks", &self.blocks.len())
            .finish_non_exhaustive()
    }
}

impl Document {
    /// A document whose first page opens with `title` (also the PDF's title), with the
    /// default margins and footers in `lang`.
    pub fn new(lang: Language, title: &str) -> Document {
        Document { lang, title: title.to_owned(), margins: Margins::default(), blocks: Vec::new() }
    }

    pub fn margins(mut self, margins: Margins) -> Document {
        self.margins = margins;
        self
    }

    /// A bold heading, kept on the same page as the start of what follows it.
    pub fn heading(mut self, text: &str) -> Document {
        self.blocks.push(Block::Heading(text.to_owned()));
        self
    }

    pub fn paragraph(self, text: &str) -> Document {
        self.paragraph_spans(vec![Span::plain(text)])
    }

    pub fn paragraph_spans(mut self, spans: Vec<Span>) -> Document {
        self.blocks.push(Block::Paragraph(spans));
        self
    }

    /// "Label: value", the label in bold; consecutive fields sit close together.
    pub fn field(mut self, label: &str, value: &str) -> Document {
        self.blocks.push(Block::Field(vec![Span::bold(format!("{label}: ")), Span::plain(value)]));
        self
    }

    pub fn bullet(self, text: &str) -> Document {
        self.bullet_spans(vec![Span::plain(text)])
    }

    /// A list item: a bullet and a hanging indent.
    pub fn bullet_spans(mut self, spans: Vec<Span>) -> Document {
        self.blocks.push(Block::Bullet(spans));
        self
    }

    /// Lines of large bold monospace in a frame, centred and kept on one page, for a
    /// code to be copied by hand. The type shrinks if the longest line would not fit.
    pub fn code_box(mut self, lines: &[&str]) -> Document {
        self.blocks.push(Block::CodeBox(lines.iter().map(|l| (*l).to_owned()).collect()));
        self
    }

    /// A label followed by a line to the right margin, to be filled in by hand.
    pub fn fill_in(mut self, label: &str) -> Document {
        self.blocks.push(Block::FillIn(label.to_owned()));
        self
    }

    /// Extra vertical space (dropped at the top of a page).
    pub fn space_mm(mut self, mm: f32) -> Document {
        self.blocks.push(Block::Space(mm * PT_PER_MM));
        self
    }

    /// Several documents as one file for printing (letters to many people): each
    /// keeps its own title page and its own page numbers.
    pub fn merged_pdf_bytes(title: &str, docs: &[Document]) -> Result<Vec<u8>> {
        let fonts = fonts()?;
        let mut pages = Vec::new();
        for d in docs {
            pages.extend(d.lay_out(fonts)?);
        }
        render(fonts, title, pages)
    }

    /// Lay the document out and write the PDF.
    pub fn to_pdf_bytes(self) -> Result<Vec<u8>> {
        let fonts = fonts()?;
        let pages = self.lay_out(fonts)?;
        render(fonts, &self.title, pages)
    }

    fn lay_out(&self, fonts: &'static Fonts) -> Result<Vec<Vec<Mark>>> {
        let m = self.margins;
        let valid = [m.top_mm, m.right_mm, m.bottom_mm, m.left_mm].iter().all(|v| v.is_finite() && *v >= 0.0);
        if !valid
            || PAGE_WIDTH_MM - m.left_mm - m.right_mm < 50.0
            || PAGE_HEIGHT_MM - m.top_mm - m.bottom_mm < 80.0
        {
            return Err(Error::Internal("the page margins leave too little room for text".into()));
        }
        let mut p = Pager::new(fonts, m);

        let title = wrap(fonts, &[Span::bold(self.title.as_str())], TITLE_SIZE, p.width());
        for line in &title {
            p.line(line, p.left, TITLE_SIZE);
        }
        p.gap(2.0);
        let (x1, x2, y) = (p.left, p.right, p.y);
        p.marks().push(Mark::Rule { x1, x2, y, width: 0.8 });
        p.gap(12.0);

        for block in &self.blocks {
            match block {
                Block::Heading(text) => {
                    p.gap(8.0);
                    let lines = wrap(fonts, &[Span::bold(text.as_str())], HEADING_SIZE, p.width());
                    // Keep with next: the heading and two lines of body text, or a new page.
                    p.ensure(lines.len() as f32 * HEADING_SIZE * LEADING + 2.0 * BODY_SIZE * LEADING);
                    for line in &lines {
                        p.line(line, p.left, HEADING_SIZE);
                    }
                    p.gap(3.0);
                }
                Block::Paragraph(spans) | Block::Field(spans) => {
                    for line in &wrap(fonts, spans, BODY_SIZE, p.width()) {
                        p.line(line, p.left, BODY_SIZE);
                    }
                    p.gap(if matches!(block, Block::Field(_)) { 1.5 } else { 6.0 });
                }
                Block::Bullet(spans) => {
                    let indent = BULLET_INDENT_MM * PT_PER_MM;
                    let lines = wrap(fonts, spans, BODY_SIZE, p.width() - indent);
                    for (i, line) in lines.iter().enumerate() {
                        p.ensure(BODY_SIZE * LEADING);
                        if i == 0 {
                            let (x, y) = (p.left + 1.2 * PT_PER_MM, p.baseline(BODY_SIZE));
                            p.marks().push(Mark::text(x, y, Face::Regular, BODY_SIZE, "•"));
                        }
                        p.line(line, p.left + indent, BODY_SIZE);
                    }
                    p.gap(3.0);
                }
                Block::CodeBox(lines) => p.code_box(lines)?,
                Block::FillIn(label) => p.fill_in(label),
                Block::Space(pt) => p.gap(*pt),
            }
        }

        let total = p.pages.len();
        let footer_y = m.bottom_mm * PT_PER_MM * 0.45;
        for (i, marks) in p.pages.iter_mut().enumerate() {
            let text = self.lang.page_footer(i + 1, total);
            let x = p.right - fonts.width(Face::Regular, &text, FOOTER_SIZE);
            marks.push(Mark::Text {
                x,
                y: footer_y,
                face: Face::Regular,
                size: FOOTER_SIZE,
                grey: FOOTER_GREY,
                text,
            });
        }
        Ok(p.pages)
    }
}

/// Something drawn on a page, in points from the bottom-left corner.
enum Mark {
    Text { x: f32, y: f32, face: Face, size: f32, grey: f32, text: String },
    Rule { x1: f32, x2: f32, y: f32, width: f32 },
    Frame { x: f32, y: f32, w: f32, h: f32 },
}

impl Mark {
    fn text(x: f32, y: f32, face: Face, size: f32, text: &str) -> Mark {
        Mark::Text { x, y, face, size, grey: TEXT_GREY, text: text.to_owned() }
    }
}

/// A run of one face within a wrapped line, `x` from the line's start.
struct Run {
    face: Face,
    text: String,
    x: f32,
}

/// Places lines top to bottom and starts a new page when the next one would not fit.
struct Pager {
    fonts: &'static Fonts,
    left: f32,
    right: f32,
    top: f32,
    bottom: f32,
    pages: Vec<Vec<Mark>>,
    /// Top of the next line box.
    y: f32,
    /// Nothing placed on this page yet: gaps are dropped and nothing breaks.
    fresh: bool,
}

impl Pager {
    fn new(fonts: &'static Fonts, m: Margins) -> Pager {
        let top = (PAGE_HEIGHT_MM - m.top_mm) * PT_PER_MM;
        Pager {
            fonts,
            left: m.left_mm * PT_PER_MM,
            right: (PAGE_WIDTH_MM - m.right_mm) * PT_PER_MM,
            top,
            bottom: m.bottom_mm * PT_PER_MM,
            pages: vec![Vec::new()],
            y: top,
            fresh: true,
        }
    }

    fn width(&self) -> f32 {
        self.right - self.left
    }

    fn marks(&mut self) -> &mut Vec<Mark> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn gap(&mut self, pt: f32) {
        if !self.fresh {
            self.y -= pt;
        }
    }

    /// Start a new page unless `height` still fits above the bottom margin.
    fn ensure(&mut self, height: f32) {
        if !self.fresh && self.y - height < self.bottom {
            self.pages.push(Vec::new());
            self.y = self.top;
            self.fresh = true;
        }
    }

    /// The baseline of a line of `size` whose box starts at `self.y`.
    fn baseline(&self, size: f32) -> f32 {
        self.y - size * ((LEADING - ASCENT - DESCENT) / 2.0 + ASCENT)
    }

    /// Place one wrapped line starting at `x0`; returns its baseline.
    fn line(&mut self, runs: &[Run], x0: f32, size: f32) -> f32 {
        self.ensure(size * LEADING);
        let y = self.baseline(size);
        for run in runs {
            let mark = Mark::text(x0 + run.x, y, run.face, size, &run.text);
            self.marks().push(mark);
        }
        self.y -= size * LEADING;
        self.fresh = false;
        y
    }

    fn code_box(&mut self, lines: &[String]) -> Result<()> {
        let padding = CODE_PADDING_MM * PT_PER_MM;
        let widest_at_1pt =
            lines.iter().map(|l| self.fonts.width(Face::MonoBold, l, 1.0)).fold(0.0_f32, f32::max);
        let size = if widest_at_1pt > 0.0 {
            CODE_SIZE.min((self.width() - 2.0 * padding) / widest_at_1pt)
        } else {
            CODE_SIZE
        };
        let line_height = size * 1.5;
        let height = 2.0 * padding + lines.len() as f32 * line_height;
        if height > self.top - self.bottom {
            return Err(Error::Internal("a framed code is taller than a page".into()));
        }
        self.gap(4.0);
        self.ensure(height);
        let (top, left, width) = (self.y, self.left, self.width());
        self.marks().push(Mark::Frame { x: left, y: top - height, w: width, h: height });
        let x = left + (width - widest_at_1pt * size) / 2.0;
        for (i, line) in lines.iter().enumerate() {
            let line_top = top - padding - i as f32 * line_height;
            let y = line_top - ((line_height - (ASCENT + DESCENT) * size) / 2.0 + ASCENT * size);
            self.marks().push(Mark::text(x, y, Face::MonoBold, size, line));
        }
        self.y = top - height;
        self.fresh = false;
        self.gap(10.0);
        Ok(())
    }

    fn fill_in(&mut self, label: &str) {
        let fonts = self.fonts;
        let lines = wrap(fonts, &[Span::plain(label)], BODY_SIZE, self.width());
        self.ensure(FILL_IN_ROOM_PT + lines.len() as f32 * BODY_SIZE * LEADING);
        self.gap(FILL_IN_ROOM_PT);
        let (mut end, mut baseline) = (self.left, self.baseline(BODY_SIZE));
        for line in &lines {
            baseline = self.line(line, self.left, BODY_SIZE);
            end = self.left + line_width(fonts, line, BODY_SIZE);
        }
        let x1 = end + 2.0 * PT_PER_MM;
        if self.right - x1 < FILL_IN_MIN_MM * PT_PER_MM {
            self.ensure(FILL_IN_ROOM_PT + BODY_SIZE * LEADING);
            self.y -= FILL_IN_ROOM_PT;
            let y = self.baseline(BODY_SIZE) - 1.5;
            let (x1, x2) = (self.left, self.right);
            self.marks().push(Mark::Rule { x1, x2, y, width: 0.5 });
            self.y -= BODY_SIZE * LEADING;
        } else {
            let (x2, y) = (self.right, baseline - 1.5);
            self.marks().push(Mark::Rule { x1, x2, y, width: 0.5 });
        }
        self.gap(2.0);
    }
}

fn line_width(fonts: &Fonts, runs: &[Run], size: f32) -> f32 {
    runs.last().map_or(0.0, |r| r.x + fonts.width(r.face, &r.text, size))
}

/// A word: what lies between two spaces, possibly in several faces ("**NAME**.").
struct Word {
    segments: Vec<(Face, String)>,
    width: f32,
}

impl Word {
    fn last_face(&self) -> Face {
        self.segments.last().map_or(Face::Regular, |(face, _)| *face)
    }
}

enum Token {
    Word(Vec<(Face, String)>),
    Break,
}

/// Split spans into words and line breaks. Whitespace separates words; a span boundary
/// without whitespace does not, so `plain("Run "), mono("x"), plain(".")` reads "Run x.".
fn tokenize(spans: &[Span]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word: Vec<(Face, String)> = Vec::new();
    let finish = |word: &mut Vec<(Face, String)>, tokens: &mut Vec<Token>| {
        if !word.is_empty() {
            tokens.push(Token::Word(std::mem::take(word)));
        }
    };
    for span in spans {
        for c in span.text.nfc() {
            if c == '\n' {
                finish(&mut word, &mut tokens);
                tokens.push(Token::Break);
            } else if c.is_whitespace() {
                finish(&mut word, &mut tokens);
            } else {
                match word.last_mut() {
                    Some((face, text)) if *face == span.face => text.push(c),
                    _ => word.push((span.face, c.to_string())),
                }
            }
        }
    }
    finish(&mut word, &mut tokens);
    tokens
}

/// Break `spans` into lines no wider than `max` points at `size`: greedily at spaces,
/// and inside a word only when the word alone is wider than a line.
fn wrap(fonts: &Fonts, spans: &[Span], size: f32, max: f32) -> Vec<Vec<Run>> {
    let mut lines: Vec<Vec<Word>> = vec![Vec::new()];
    let mut used = 0.0;
    for token in tokenize(spans) {
        let segments = match token {
            Token::Break => {
                lines.push(Vec::new());
                used = 0.0;
                continue;
            }
            Token::Word(segments) => segments,
        };
        let width = segments.iter().map(|(face, text)| fonts.width(*face, text, size)).sum();
        let word = Word { segments, width };
        if let Some(prev) = lines.last().and_then(|l| l.last()) {
            let space = fonts.width(prev.last_face(), " ", size);
            if used + space + width <= max {
                used += space + width;
                push_word(&mut lines, word);
                continue;
            }
            lines.push(Vec::new());
        }
        if width <= max {
            used = width;
            push_word(&mut lines, word);
        } else {
            let pieces = split_word(fonts, word, size, max);
            let count = pieces.len();
            for (i, piece) in pieces.into_iter().enumerate() {
                used = piece.width;
                push_word(&mut lines, piece);
                if i + 1 < count {
                    lines.push(Vec::new());
                }
            }
        }
    }
    lines.into_iter().map(|words| runs_of(fonts, &words, size)).collect()
}

/// One line's words as runs of one face each, at their measured offsets. The space
/// after a word belongs to the word's run, so text extraction sees real spaces.
fn runs_of(fonts: &Fonts, words: &[Word], size: f32) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let mut x = 0.0;
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            if let Some(run) = runs.last_mut() {
                run.text.push(' ');
            }
            x += fonts.width(words[i - 1].last_face(), " ", size);
        }
        for (face, text) in &word.segments {
            match runs.last_mut() {
                Some(run) if run.face == *face => run.text.push_str(text),
                _ => runs.push(Run { face: *face, text: text.clone(), x }),
            }
            x += fonts.width(*face, text, size);
        }
    }
    runs
}

fn push_word(lines: &mut Vec<Vec<Word>>, word: Word) {
    match lines.last_mut() {
        Some(line) => line.push(word),
        None => lines.push(vec![word]),
    }
}

/// Cut a word wider than a line into pieces that fit (at least one character each).
fn split_word(fonts: &Fonts, word: Word, size: f32, max: f32) -> Vec<Word> {
    let mut pieces = Vec::new();
    let mut piece = Word { segments: Vec::new(), width: 0.0 };
    for (face, text) in word.segments {
        for c in text.chars() {
            let w = fonts.width(face, c.encode_utf8(&mut [0; 4]), size);
            if !piece.segments.is_empty() && piece.width + w > max {
                pieces.push(std::mem::replace(&mut piece, Word { segments: Vec::new(), width: 0.0 }));
            }
            match piece.segments.last_mut() {
                Some((f, t)) if *f == face => t.push(c),
                _ => piece.segments.push((face, c.to_string())),
            }
            piece.width += w;
        }
    }
    if !piece.segments.is_empty() {
        pieces.push(piece);
    }
    pieces
}

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale::new(level, None))
}

fn render(fonts: &Fonts, title: &str, pages: Vec<Vec<Mark>>) -> Result<Vec<u8>> {
    let mut doc = PdfDocument::new(title);
    doc.metadata.info.creator = "Cuspid".into();
    if let Ok(now) = OffsetDateTime::from_unix_timestamp(chrono::Utc::now().timestamp()) {
        doc.metadata.info.creation_date = now;
        doc.metadata.info.modification_date = now;
        doc.metadata.info.metadata_date = now;
    }
    let ids: Vec<FontId> = Face::ALL.iter().map(|f| doc.add_font(fonts.face(*f))).collect();

    let (width, height) = (PAGE_WIDTH_MM * PT_PER_MM, PAGE_HEIGHT_MM * PT_PER_MM);
    let pdf_pages = pages
        .into_iter()
        .map(|marks| {
            let mut ops = Vec::new();
            for mark in marks {
                match mark {
                    Mark::Text { x, y, face, size, grey: level, text } => ops.extend([
                        Op::SetFillColor { col: grey(level) },
                        Op::StartTextSection,
                        Op::SetFont {
                            font: PdfFontHandle::External(ids[face.index()].clone()),
                            size: Pt(size),
                        },
                        Op::SetTextCursor { pos: Point { x: Pt(x), y: Pt(y) } },
                        Op::ShowText { items: vec![TextItem::Text(text)] },
                        Op::EndTextSection,
                    ]),
                    Mark::Rule { x1, x2, y, width } => ops.extend([
                        Op::SetOutlineColor { col: grey(RULE_GREY) },
                        Op::SetOutlineThickness { pt: Pt(width) },
                        Op::DrawLine {
                            line: Line {
                                points: vec![
                                    LinePoint { p: Point { x: Pt(x1), y: Pt(y) }, bezier: false },
                                    LinePoint { p: Point { x: Pt(x2), y: Pt(y) }, bezier: false },
                                ],
                                is_closed: false,
                            },
                        },
                    ]),
                    Mark::Frame { x, y, w, h } => ops.extend([
                        Op::SetOutlineColor { col: grey(TEXT_GREY) },
                        Op::SetOutlineThickness { pt: Pt(1.2) },
                        Op::DrawRectangle {
                            rectangle: Rect {
                                x: Pt(x),
                                y: Pt(y),
                                width: Pt(w),
                                height: Pt(h),
                                mode: Some(PaintMode::Stroke),
                                winding_order: None,
                            },
                        },
                    ]),
                }
            }
            let mut page = PdfPage::new(printpdf::Mm(PAGE_WIDTH_MM), printpdf::Mm(PAGE_HEIGHT_MM), ops);
            // Exact A4 in points, not a round trip through millimetres.
            page.media_box = Rect::from_wh(Pt(width), Pt(height));
            page.trim_box = page.media_box.clone();
            page.crop_box = page.media_box.clone();
            page
        })
        .collect();

    let mut warnings = Vec::new();
    let bytes = doc.with_pages(pdf_pages).save(&PdfSaveOptions::default(), &mut warnings);
    // printpdf reports problems instead of failing; its messages may quote the text, so
    // only their number leaves here.
    let errors = warnings.iter().filter(|w| w.severity == PdfParseErrorSeverity::Error).count();
    if errors > 0 {
        return Err(Error::Internal(format!("the PDF writer reported {errors} error(s)")));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(lines: &[Vec<Run>]) -> Vec<String> {
        lines.iter().map(|runs| runs.iter().map(|r| r.text.as_str()).collect()).collect()
    }

    #[test]
    fn wrapping_fills_lines_greedily_and_never_exceeds_the_width() {
        let fonts = fonts().expect("fonts");
        let text = "Păstrați foaia sub cheie și nu o lăsați la îndemâna oricui. ".repeat(8);
        let max = 200.0;
        let lines = wrap(fonts, &[Span::plain(text.as_str())], BODY_SIZE, max);
        assert!(lines.len() > 3, "a long paragraph takes several lines");
        for runs in &lines {
            assert!(line_width(fonts, runs, BODY_SIZE) <= max + 1e-3, "no line is wider than the column");
        }
        let joined = text_of(&lines).join(" ");
        assert_eq!(joined, text.split_whitespace().collect::<Vec<_>>().join(" "), "no word lost or split");
        // Greedy: the first word of each line would not have fitted on the line before.
        for pair in lines.windows(2) {
            let next_word = pair[1][0].text.split(' ').next().unwrap_or_default();
            let with_next = line_width(fonts, &pair[0], BODY_SIZE)
                + fonts.width(Face::Regular, " ", BODY_SIZE)
                + fonts.width(Face::Regular, next_word, BODY_SIZE);
            assert!(with_next > max, "a line was broken early");
        }
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut_and_newlines_are_kept() {
        let fonts = fonts().expect("fonts");
        let long = "X".repeat(200);
        let lines = wrap(fonts, &[Span::plain(format!("a\nb {long}"))], BODY_SIZE, 150.0);
        let texts = text_of(&lines);
        assert_eq!(texts[0], "a");
        assert_eq!(texts[1], "b");
        assert_eq!(texts[2..].concat(), long);
        assert!(lines.iter().all(|l| line_width(fonts, l, BODY_SIZE) <= 150.0 + 1e-3));
    }

    #[test]
    fn mixed_faces_become_runs_at_measured_offsets() {
        let fonts = fonts().expect("fonts");
        let lines =
            wrap(fonts, &[Span::bold("Clinica: "), Span::plain("Dentară Ștefănești")], BODY_SIZE, 500.0);
        assert_eq!(lines.len(), 1);
        let runs = &lines[0];
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].text, "Clinica: ", "the space stays with the bold run");
        let expected = fonts.width(Face::Bold, "Clinica: ", BODY_SIZE);
        assert!((runs[1].x - expected).abs() < 1e-3);

        // No space at a span boundary means none is added: the full stop hugs the command.
        let spans = [Span::plain("Run "), Span::mono("cuspid audit verify"), Span::plain(".")];
        let lines = wrap(fonts, &spans, BODY_SIZE, 500.0);
        assert_eq!(text_of(&lines), ["Run cuspid audit verify."]);
        assert_eq!(
            lines[0].iter().map(|r| r.face).collect::<Vec<_>>(),
            [Face::Regular, Face::MonoBold, Face::Regular]
        );
    }

    #[test]
    fn debug_output_leaves_the_text_out() {
        let doc = Document::new(Language::Ro, "Scrisoare").paragraph("Ion Popescu, CNP 1800101221144");
        let shown = format!("{doc:?} {:?}", Span::plain("Ion Popescu"));
        assert!(!shown.contains("Popescu") && !shown.contains("1800101"), "{shown}");
    }

    #[test]
    fn margins_that_leave_no_room_are_refused() {
        let err =
            Document::new(Language::En, "x").margins(Margins::uniform_mm(100.0)).to_pdf_bytes().unwrap_err();
        assert_eq!(err.kind(), "internal");
    }
}
