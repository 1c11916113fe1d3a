//! A chart a person can read at a glance: per window, accepted (green), throttled (orange)
//! and other failures (red) stacked, against the limit (a dashed line). Plain SVG, written by
//! hand: no drawing crate, no fonts to embed. Text is wrapped to the chart's width by an
//! estimate of its advance (a sans-serif averages about 0.6 em per character), and the plot
//! moves down to make room, so no title or label is cut off.

use std::fmt::Write as _;

use crate::verdict::Verdict;

const WIDTH: f64 = 760.0;
/// The plot's own height; the SVG is as tall as its text needs on top of it.
const PLOT_HEIGHT: f64 = 236.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 16.0;
const BOTTOM: f64 = 44.0;
/// Font sizes, px, and the advance per character assumed for each (wide enough for capitals
/// and digits in the usual sans-serif fonts).
const TITLE_SIZE: f64 = 13.0;
const TEXT_SIZE: f64 = 12.0;
const ADVANCE_EM: f64 = 0.62;
/// Space between text lines, px.
const LINE: f64 = 16.0;

/// The chart of one verdict, as an SVG document.
pub fn svg(v: &Verdict) -> String {
    let n = v.expected_limit as f64;
    let max_stack = v.per_second.iter().map(|w| w.offered).max().unwrap_or(0) as f64;
    let y_max = nice_ceiling(max_stack.max(n * 1.25).max(1.0));
    let plot_w = WIDTH - LEFT - RIGHT;
    let title = format!(
        "{} {} ({}): {} - limit {}/s, offered {:.1}/s, {}",
        v.action,
        v.version,
        v.scenario,
        v.status.label(),
        v.expected_limit,
        v.offered_per_second,
        v.algorithm_guess
    );
    let subtitle = format!(
        "per {} window: accepted, throttled, other errors; max {} accepted in a sliding second",
        match v.frame {
            crate::verdict::Frame::Server => "server",
            crate::verdict::Frame::Client => "client-frame",
        },
        v.max_accepted_in_sliding_second
    );
    let text_width = WIDTH - LEFT - RIGHT;
    let title_lines = wrap(&title, fitting(text_width, TITLE_SIZE));
    let subtitle_lines = wrap(&subtitle, fitting(text_width, TEXT_SIZE));
    let text_lines = title_lines.len() + subtitle_lines.len();
    let top = 8.0 + LINE * text_lines as f64 + 8.0;
    let height = top + PLOT_HEIGHT + BOTTOM;
    let plot_h = PLOT_HEIGHT;
    let bars = v.per_second.len().max(1) as f64;
    let slot = plot_w / bars;
    let bar = (slot * 0.7).max(1.0);
    let y = |value: f64| top + plot_h - value / y_max * plot_h;

    let mut s = String::new();
    let _ = writeln!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="{TEXT_SIZE}">"##
    );
    let _ = writeln!(s, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    let mut line_y = 8.0 + LINE - 4.0;
    for line in &title_lines {
        let _ = writeln!(
            s,
            r##"<text x="{LEFT}" y="{line_y:.1}" font-size="{TITLE_SIZE}" font-weight="bold">{}</text>"##,
            escape(line)
        );
        line_y += LINE;
    }
    for line in &subtitle_lines {
        let _ = writeln!(
            s,
            r##"<text x="{LEFT}" y="{line_y:.1}" fill="#555">{}</text>"##,
            escape(line)
        );
        line_y += LINE;
    }

    // Grid and y axis.
    for i in 0..=4 {
        let value = y_max * i as f64 / 4.0;
        let yy = y(value);
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#e5e5e5"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#555">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            yy + 4.0,
            value.round()
        );
    }

    // Bars.
    let first = v.per_second.first().map(|w| w.second).unwrap_or(0);
    for (i, w) in v.per_second.iter().enumerate() {
        let x = LEFT + i as f64 * slot + (slot - bar) / 2.0;
        let mut base = 0.0;
        for (count, colour, what) in [
            (w.accepted, "#2e7d32", "accepted"),
            (w.throttled, "#f57c00", "throttled"),
            (w.other, "#c62828", "other errors"),
        ] {
            if count == 0 {
                continue;
            }
            let bar_top = y(base + count as f64);
            let bar_height = y(base) - bar_top;
            let _ = writeln!(
                s,
                r##"<rect x="{x:.1}" y="{bar_top:.1}" width="{bar:.1}" height="{bar_height:.1}" fill="{colour}"><title>second {}: {count} {what}</title></rect>"##,
                w.second
            );
            base += count as f64;
        }
        let label_every = (bars / 12.0).ceil().max(1.0) as usize;
        if i % label_every == 0 {
            let _ = writeln!(
                s,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555">+{}s</text>"##,
                x + bar / 2.0,
                top + plot_h + 16.0,
                w.second - first
            );
        }
    }

    // The limit.
    let ly = y(n);
    let _ = writeln!(
        s,
        r##"<line x1="{LEFT}" y1="{ly:.1}" x2="{:.1}" y2="{ly:.1}" stroke="#1565c0" stroke-width="2" stroke-dasharray="6 4"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#1565c0">limit {}</text>"##,
        WIDTH - RIGHT,
        WIDTH - RIGHT,
        ly - 5.0,
        v.expected_limit
    );

    // Axes and legend.
    let _ = writeln!(
        s,
        r##"<line x1="{LEFT}" y1="{top}" x2="{LEFT}" y2="{:.1}" stroke="#333"/><line x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#333"/>"##,
        top + plot_h,
        top + plot_h,
        WIDTH - RIGHT,
        top + plot_h
    );
    let legend_y = height - 8.0;
    let mut lx = LEFT;
    for (colour, label) in [
        ("#2e7d32", "accepted"),
        ("#f57c00", "throttled (RequestLimitExceeded)"),
        ("#c62828", "other errors"),
        ("#1565c0", "limit"),
    ] {
        let _ = writeln!(
            s,
            r##"<rect x="{lx:.1}" y="{:.1}" width="10" height="10" fill="{colour}"/><text x="{:.1}" y="{legend_y:.1}">{label}</text>"##,
            legend_y - 9.0,
            lx + 14.0
        );
        lx += 14.0 + advance(label, TEXT_SIZE) + 18.0;
    }
    s.push_str("</svg>\n");
    s
}

/// The estimated width of `text` at `size` px.
fn advance(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * ADVANCE_EM
}

/// How many characters fit in `width` px at `size` px.
fn fitting(width: f64, size: f64) -> usize {
    ((width / (size * ADVANCE_EM)).floor() as usize).max(10)
}

/// `text` in lines of at most `max` characters, broken at spaces (a word longer than a line
/// is cut into pieces).
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > max {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..max).collect());
        }
        let word: String = word.into_iter().collect();
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if needed > max && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// 1, 2 or 5 times a power of ten, at least `x`.
fn nice_ceiling(x: f64) -> f64 {
    let p = 10f64.powf(x.log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        if m * p >= x {
            return m * p;
        }
    }
    10.0 * p
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{Call, Key, Outcome};
    use crate::verdict::{Expectation, ScenarioKind};

    #[test]
    fn draws_bars_and_the_limit() {
        let key = Key::new("ListOrganizationNodes", "2018-12-25", "AKID");
        let calls: Vec<Call> = (0..60)
            .map(|k| {
                let t = 1_700_000_000_000 + k * 50;
                let o = if k % 20 < 10 {
                    Outcome::Accepted
                } else {
                    Outcome::Throttled
                };
                Call::synthetic(&key, t, o)
            })
            .collect();
        let e = Expectation::steady("over-limit 2x", ScenarioKind::OverLimit, 10, 20.0, 3000);
        let v = crate::Verdict::compute(&key, &calls, &e);
        let svg = svg(&v);
        assert!(svg.starts_with("<svg"));
        assert!(svg.trim_end().ends_with("</svg>"));
        let bars = v.per_second.iter().filter(|w| w.accepted > 0).count();
        assert!(bars >= 3);
        assert_eq!(svg.matches(" accepted</title>").count(), bars, "{svg}");
        assert_eq!(
            svg.matches(" throttled</title>").count(),
            v.per_second.iter().filter(|w| w.throttled > 0).count()
        );
        assert!(svg.contains("limit 10"));
        assert!(svg.contains("ListOrganizationNodes 2018-12-25 (over-limit 2x)"));
    }

    /// Every text element, at 0.62 em per character, ends inside the SVG's width and starts
    /// below its top: nothing is cut off, however long the scenario name and the algorithm's
    /// explanation.
    #[test]
    fn long_titles_wrap_and_every_text_fits() {
        let key = Key::new(
            "DescribeOrganizationMemberAuthAccounts",
            "2021-03-31",
            "AKIDlong",
        );
        let calls: Vec<Call> = (0..40)
            .map(|k| Call::synthetic(&key, 1_700_000_000_000 + k * 50, Outcome::Accepted))
            .collect();
        let name = "over-limit 1.5x on CreateOrganizationMember with a very long scenario name";
        let e = Expectation::steady(name, ScenarioKind::OverLimit, 20, 30.0, 2000);
        let mut v = crate::Verdict::compute(&key, &calls, &e);
        v.algorithm_guess = crate::verdict::AlgorithmGuess::Undetermined {
            why: "the run never offered more than the limit within one window, so nothing tells a fixed window from a sliding one".into(),
        };
        let svg = svg(&v);
        let width: f64 = attribute(&svg, "<svg", "width");
        let mut texts = 0;
        for element in svg.split("<text").skip(1) {
            texts += 1;
            let x: f64 = attribute(element, "", "x");
            let y: f64 = attribute(element, "", "y");
            let size = if element.contains("font-size=\"13\"") {
                13.0
            } else {
                12.0
            };
            let content = element
                .split('>')
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap();
            let chars = content
                .replace("&amp;", "&")
                .replace("&quot;", "\"")
                .chars()
                .count() as f64;
            let extent = chars * size * 0.62;
            let (start, end) = if element.contains("text-anchor=\"end\"") {
                (x - extent, x)
            } else if element.contains("text-anchor=\"middle\"") {
                (x - extent / 2.0, x + extent / 2.0)
            } else {
                (x, x + extent)
            };
            assert!(
                start >= 0.0 && end <= width,
                "cut off: {content:?} spans {start:.0}..{end:.0} of {width}"
            );
            assert!(y >= size, "cut off at the top: {content:?}");
        }
        assert!(texts > 5);
        // 40 calls where 60 were planned: the chart says the load was not offered.
        assert_eq!(v.status, crate::verdict::Status::LoadNotOffered);
        assert!(svg.contains("load not offered"), "{svg}");
        assert!(
            svg.contains("tells a fixed window"),
            "the whole explanation is there"
        );
    }

    fn attribute(element: &str, tag: &str, name: &str) -> f64 {
        let from = element.find(tag).unwrap() + tag.len();
        let rest = &element[from..];
        let at = rest.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        rest[at..].split('"').next().unwrap().parse().unwrap()
    }

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(23.0), 50.0);
        assert_eq!(nice_ceiling(50.0), 50.0);
        assert_eq!(nice_ceiling(101.0), 200.0);
        assert_eq!(nice_ceiling(0.7), 1.0);
    }
}
