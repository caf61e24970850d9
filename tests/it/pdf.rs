//! PDFs read back the way a person or a program would read them: `pdftotext -raw`
//! for the text, `pdftotext -bbox` for where each word landed, `pdfinfo` for the
//! page count (poppler-utils).

use std::path::PathBuf;
use std::process::Command;

use tempfile::TempDir;

/// A PDF written to a temporary file, and what poppler reads out of it.
pub(crate) struct Pdf {
    _dir: TempDir,
    path: PathBuf,
}

/// One word as `pdftotext -bbox` places it (y grows downwards from the top edge).
#[derive(Debug)]
pub(crate) struct Word {
    pub(crate) page: usize,
    pub(crate) page_width: f64,
    pub(crate) page_height: f64,
    pub(crate) x_min: f64,
    pub(crate) x_max: f64,
    pub(crate) y_max: f64,
    pub(crate) text: String,
}

impl Pdf {
    pub(crate) fn new(bytes: &[u8]) -> Pdf {
        assert!(bytes.starts_with(b"%PDF-"), "the renderer returns a PDF file");
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("document.pdf");
        std::fs::write(&path, bytes).expect("write the PDF");
        Pdf { _dir: dir, path }
    }

    fn run(&self, tool: &str, args: &[&str]) -> String {
        let out = Command::new(tool)
            .args(args)
            .arg(&self.path)
            .args(if tool == "pdftotext" { &["-"][..] } else { &[][..] })
            .output()
            .unwrap_or_else(|e| panic!("{tool} (poppler-utils) must be installed: {e}"));
        assert!(
            out.status.success(),
            "{tool} {args:?} read the file: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("poppler writes UTF-8")
    }

    /// The text in reading order, one printed line per line.
    pub(crate) fn text(&self) -> String {
        self.run("pdftotext", &["-raw", "-enc", "UTF-8"])
    }

    pub(crate) fn page_text(&self, page: usize) -> String {
        let page = page.to_string();
        self.run("pdftotext", &["-raw", "-enc", "UTF-8", "-f", &page, "-l", &page])
    }

    pub(crate) fn pages(&self) -> usize {
        let info = self.run("pdfinfo", &[]);
        let line = info.lines().find(|l| l.starts_with("Pages:")).expect("pdfinfo prints Pages:");
        line["Pages:".len()..].trim().parse().expect("a page count")
    }

    pub(crate) fn words(&self) -> Vec<Word> {
        let html = self.run("pdftotext", &["-bbox", "-enc", "UTF-8"]);
        let mut words = Vec::new();
        let (mut page, mut page_width, mut page_height) = (0, 0.0, 0.0);
        for line in html.lines().map(str::trim) {
            if line.starts_with("<page ") {
                page += 1;
                page_width = attr(line, "width");
                page_height = attr(line, "height");
            } else if line.starts_with("<word ") {
                let text = line
                    [line.find('>').expect("tag end") + 1..line.rfind("</word>").expect("close tag")]
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"");
                words.push(Word {
                    page,
                    page_width,
                    page_height,
                    x_min: attr(line, "xMin"),
                    x_max: attr(line, "xMax"),
                    y_max: attr(line, "yMax"),
                    text,
                });
            }
        }
        assert!(!words.is_empty(), "pdftotext -bbox found words");
        words
    }
}

fn attr(tag: &str, name: &str) -> f64 {
    let start =
        tag.find(&format!(" {name}=\"")).unwrap_or_else(|| panic!("{name} in {tag}")) + name.len() + 3;
    let len = tag[start..].find('"').expect("closing quote");
    tag[start..start + len].parse().expect("a number")
}

/// Runs of whitespace (line ends included) as single spaces: a sentence wrapped over
/// several lines still reads as the sentence.
pub(crate) fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
