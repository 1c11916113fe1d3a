//! The entry point of a report directory: `index.html`, which works offline (no script, no
//! font, nothing fetched: one inline style sheet) and links every file of the run, with the
//! plain-text summary (`summary.txt`) at its top and the charts shown in place.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// The note for goose's own HTML reports, which are not offline.
const GOOSE_NOTE: &str = "goose's own report; it loads its chart library from the internet";

/// Writes `dir/index.html`, linking every file under `dir`; `summary.txt` in `dir`, if there,
/// is shown on the page.
pub fn write(dir: &Path, title: &str, passed: bool) -> io::Result<()> {
    let summary = std::fs::read_to_string(dir.join("summary.txt")).unwrap_or_default();
    let mut files = Vec::new();
    collect(dir, dir, &mut files)?;
    files.retain(|f| f != Path::new("index.html"));
    files.sort();
    std::fs::write(
        dir.join("index.html"),
        render(title, passed, &summary, &files),
    )
}

/// Every file under `dir`, relative to `root`.
fn collect(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            out.push(relative.to_path_buf());
        }
    }
    Ok(())
}

fn render(title: &str, passed: bool, summary: &str, files: &[PathBuf]) -> String {
    let (outcome, colour) = if passed {
        ("PASS", "#2e7d32")
    } else {
        ("FAIL", "#c62828")
    };
    let mut html = String::new();
    let _ = write!(
        html,
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} — {outcome}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; max-width: 70em; }}
pre {{ background: #f6f6f6; padding: 1em; overflow-x: auto; }}
.outcome {{ color: #fff; background: {colour}; padding: 0.1em 0.5em; border-radius: 0.2em; }}
h2 {{ margin-top: 1.5em; border-bottom: 1px solid #ddd; }}
li {{ margin: 0.2em 0; }}
img {{ display: block; max-width: 100%; margin: 0.5em 0 1em; border: 1px solid #eee; }}
.note {{ color: #666; }}
</style>
</head>
<body>
<h1>{title} <span class="outcome">{outcome}</span></h1>
"#,
        title = escape(title),
    );
    if !summary.is_empty() {
        let _ = write!(
            html,
            "<h2>Summary</h2>\n<p><a href=\"summary.txt\">summary.txt</a></p>\n<pre>{}</pre>\n",
            escape(summary)
        );
    }
    let mut section: Option<String> = None;
    for file in files {
        let folder = file
            .parent()
            .map(|p| p.display().to_string())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "this run".to_owned());
        if section.as_ref() != Some(&folder) {
            if section.is_some() {
                html.push_str("</ul>\n");
            }
            let _ = write!(html, "<h2>{}</h2>\n<ul>\n", escape(&folder));
            section = Some(folder);
        }
        let link = href(file);
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let _ = write!(html, "<li><a href=\"{link}\">{}</a>", escape(&name));
        if name == "goose.html" {
            let _ = write!(html, " <span class=\"note\">({GOOSE_NOTE})</span>");
        }
        if name.ends_with(".svg") {
            let _ = write!(html, "<img src=\"{link}\" alt=\"{}\">", escape(&name));
        }
        html.push_str("</li>\n");
    }
    if section.is_some() {
        html.push_str("</ul>\n");
    }
    html.push_str("</body>\n</html>\n");
    html
}

/// A relative path as a link: `/` between parts, each part percent-encoded where needed.
fn href(path: &Path) -> String {
    path.components()
        .map(|c| {
            c.as_os_str()
                .to_string_lossy()
                .chars()
                .map(|ch| match ch {
                    'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' | '.' | '~' => ch.to_string(),
                    other => other
                        .to_string()
                        .bytes()
                        .map(|b| format!("%{b:02X}"))
                        .collect(),
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_every_file_shows_the_summary_and_fetches_nothing() {
        let dir = std::env::temp_dir().join(format!("tco-index-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let files = [
            "summary.txt",
            "contract/report.json",
            "contract/junit.xml",
            "load/junit.xml",
            "load/over-limit-1.5x/goose.html",
            "load/over-limit-1.5x/DescribeOrganization-2021-03-31/chart.svg",
            "load/rate limit/calls.csv",
        ];
        for f in files {
            let path = dir.join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x < y & \"z\"").unwrap();
        }
        write(&dir, "tco-harness run", false).unwrap();
        let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
        for f in files {
            let link = f.replace(' ', "%20");
            assert!(
                html.contains(&format!("href=\"{link}\"")),
                "{f} not linked:\n{html}"
            );
        }
        assert!(html.contains(
            "<img src=\"load/over-limit-1.5x/DescribeOrganization-2021-03-31/chart.svg\""
        ));
        assert!(html.contains("FAIL"));
        assert!(
            html.contains("x &lt; y &amp; &quot;z&quot;"),
            "the summary, escaped"
        );
        assert!(html.contains("loads its chart library from the internet"));
        let lower = html.to_ascii_lowercase();
        for fetch in [
            "<script",
            "src=\"http",
            "href=\"http",
            "@import",
            "url(",
            "<link",
        ] {
            assert!(!lower.contains(fetch), "{fetch} in:\n{html}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
