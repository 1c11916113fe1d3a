//! A chart a person can read at a glance: per window, accepted (green), throttled (orange)
//! and other failures (red) stacked, against the limit (a dashed line). Plain SVG, written by
//! hand: no drawing crate, no fonts to embed.

use std::fmt::Write as _;

use crate::verdict::Verdict;

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 44.0;

/// The chart of one verdict, as an SVG document.
pub fn svg(v: &Verdict) -> String {
    let n = v.expected_limit as f64;
    let max_stack = v.per_second.iter().map(|w| w.offered).max().unwrap_or(0) as f64;
    let y_max = nice_ceiling(max_stack.max(n * 1.25).max(1.0));
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let bars = v.per_second.len().max(1) as f64;
    let slot = plot_w / bars;
    let bar = (slot * 0.7).max(1.0);
    let y = |value: f64| TOP + plot_h - value / y_max * plot_h;

    let mut s = String::new();
    let _ = writeln!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">"##
    );
    let _ = writeln!(s, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
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
    let _ = writeln!(
        s,
        r##"<text x="{LEFT}" y="18" font-size="13" font-weight="bold">{}</text>"##,
        escape(&title)
    );
    let _ = writeln!(
        s,
        r##"<text x="{LEFT}" y="33" fill="#555">per {} window: accepted, throttled, other errors; max {} accepted in a sliding second</text>"##,
        match v.frame {
            crate::verdict::Frame::Server => "server",
            crate::verdict::Frame::Client => "client-frame",
        },
        v.max_accepted_in_sliding_second
    );

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
            let top = y(base + count as f64);
            let height = y(base) - top;
            let _ = writeln!(
                s,
                r##"<rect x="{x:.1}" y="{top:.1}" width="{bar:.1}" height="{height:.1}" fill="{colour}"><title>second {}: {count} {what}</title></rect>"##,
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
                TOP + plot_h + 16.0,
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
        r##"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{:.1}" stroke="#333"/><line x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#333"/>"##,
        TOP + plot_h,
        TOP + plot_h,
        WIDTH - RIGHT,
        TOP + plot_h
    );
    let legend_y = HEIGHT - 8.0;
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
        lx += 14.0 + label.len() as f64 * 6.6 + 18.0;
    }
    s.push_str("</svg>\n");
    s
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

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(23.0), 50.0);
        assert_eq!(nice_ceiling(50.0), 50.0);
        assert_eq!(nice_ceiling(101.0), 200.0);
        assert_eq!(nice_ceiling(0.7), 1.0);
    }
}
