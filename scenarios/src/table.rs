//! The summary table of a load run, made to fit a terminal: at most [`MAX_WIDTH`] columns.
//! Long values are kept short by design (accounts as `#1`, `#2` with a key below the table;
//! the limiter's algorithm by name only, its explanation being in `verdict.json` and the
//! chart), and whatever is still too wide is shortened with `…`, widest column first.

use crate::report::ScenarioResult;
use crate::verdict::{AlgorithmGuess, Status, Verdict};

/// The widest the table may be.
pub const MAX_WIDTH: usize = 120;

const GAP: &str = "  ";

/// The result cell of a part a run did not test.
pub const NOT_TESTED: &str = "not tested";

const HEADER: [&str; 11] = [
    "scenario",
    "action",
    "acct",
    "version",
    "limit",
    "offered",
    "accepted",
    "max 1s",
    "throttled",
    "limiter",
    "result",
];

/// The columns that may be shortened: scenario, action (the columns before the account's).
const SHRINKABLE: [usize; 2] = [0, 1];
/// The account's column, left out when the run has one account.
const ACCOUNT: usize = 2;

/// The table, its key, and nothing wider than [`MAX_WIDTH`].
pub fn render(results: &[ScenarioResult]) -> String {
    let accounts = accounts(results);
    let mut rows: Vec<Vec<String>> = vec![HEADER.iter().map(|s| s.to_string()).collect()];
    for r in results {
        for (i, v) in r.verdicts.iter().enumerate() {
            // Findings across keys (cross-talk) fail the scenario's last row.
            let status = if i + 1 == r.verdicts.len() && !r.violations.is_empty() {
                Status::Fail
            } else {
                v.status
            };
            rows.push(row(v, status, &accounts));
        }
        // What the scenario could not test gets a row of its own, never a pass.
        for u in &r.not_tested {
            let mut row = vec!["-".to_string(); HEADER.len()];
            row[0] = r.name.clone();
            row[1] = u.part.clone();
            row[10] = NOT_TESTED.to_string();
            rows.push(row);
        }
        if r.verdicts.is_empty() {
            let mut empty = vec!["-".to_string(); HEADER.len()];
            empty[0] = r.name.clone();
            empty[10] = r.status.label().to_string();
            rows.push(empty);
        }
    }
    // One account: its column says nothing.
    if accounts.len() <= 1 {
        for row in &mut rows {
            row.remove(ACCOUNT);
        }
    }
    let widths = fit(&rows);
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| format!("{:<w$}", shorten(cell, widths[c]), w = widths[c]))
            .collect();
        out.push_str(cells.join(GAP).trim_end());
        out.push('\n');
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&rule.join(GAP));
            out.push('\n');
        }
    }
    out.push_str(&by_code(results));
    out.push_str(&key(&accounts));
    out
}

/// Every verdict's calls per refusal code together, one line: which layer refused how many.
fn by_code(results: &[ScenarioResult]) -> String {
    let mut total = crate::refusals::RefusalCounts::default();
    for v in results.iter().flat_map(|r| &r.verdicts) {
        total.add(&v.by_code);
    }
    let mut out = String::new();
    let mut line = String::from("refused, by code:");
    for part in total.line().split(", ") {
        if line.chars().count() + part.len() + 2 > MAX_WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = String::from(" ");
        }
        line.push(' ');
        line.push_str(part);
        line.push(',');
    }
    line.pop();
    out.push_str(&line);
    out.push('\n');
    out
}

fn row(v: &Verdict, status: Status, accounts: &[String]) -> Vec<String> {
    let n = accounts.iter().position(|a| *a == v.account).unwrap_or(0) + 1;
    vec![
        v.scenario.clone(),
        v.action.clone(),
        format!("#{n}"),
        v.version.clone(),
        v.expected_limit.to_string(),
        format!("{:.1}", v.offered_per_second),
        format!("{:.1}", v.accepted_per_second),
        v.max_accepted_in_sliding_second.to_string(),
        v.throttled.to_string(),
        limiter(&v.algorithm_guess).to_string(),
        status.label().to_string(),
    ]
}

/// The algorithm by name alone.
fn limiter(guess: &AlgorithmGuess) -> &'static str {
    match guess {
        AlgorithmGuess::FixedWindow => "fixed",
        AlgorithmGuess::SlidingWindow => "sliding",
        AlgorithmGuess::TokenBucket { .. } => "bucket",
        AlgorithmGuess::NoLimiting => "none",
        AlgorithmGuess::HigherLimit { .. } => "higher",
        AlgorithmGuess::Undetermined { .. } => "unclear",
    }
}

/// Every account of the run, in order of appearance.
fn accounts(results: &[ScenarioResult]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for v in results.iter().flat_map(|r| &r.verdicts) {
        if !seen.contains(&v.account) {
            seen.push(v.account.clone());
        }
    }
    seen
}

/// What the short forms stand for.
fn key(accounts: &[String]) -> String {
    let mut out = String::from(
        "offered, accepted: calls per second; max 1s: most accepted in any sliding second;\nlimiter: the algorithm the answers fit (fixed or sliding window, token bucket; verdict.json says why)\n",
    );
    if let [only] = accounts {
        out.push_str(&format!("account: {only}\n"));
        return out;
    }
    let named: Vec<String> = accounts
        .iter()
        .enumerate()
        .map(|(i, a)| format!("#{} {a}", i + 1))
        .collect();
    for line in wrap_list(&named, MAX_WIDTH) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `accounts: a, b, c` over as many lines as the width needs.
fn wrap_list(items: &[String], width: usize) -> Vec<String> {
    let mut lines = vec![String::from("accounts:")];
    for item in items {
        let last = lines.last_mut().expect("one line at least");
        if last.chars().count() + 1 + item.chars().count() > width && last.len() > "accounts:".len()
        {
            lines.push(format!("  {item}"));
        } else {
            last.push(' ');
            last.push_str(item);
        }
    }
    lines
}

/// Column widths that fit [`MAX_WIDTH`]: the widest shrinkable column gives way first.
fn fit(rows: &[Vec<String>]) -> Vec<usize> {
    let columns = rows[0].len();
    let mut widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let total = |w: &[usize]| w.iter().sum::<usize>() + GAP.len() * (w.len() - 1);
    while total(&widths) > MAX_WIDTH {
        let Some(widest) = SHRINKABLE
            .iter()
            .copied()
            .filter(|&c| widths[c] > rows[0][c].len().max(8))
            .max_by_key(|&c| widths[c])
        else {
            break;
        };
        widths[widest] -= 1;
    }
    widths
}

/// The cell cut to `width` characters in the middle, `…` marking the cut: the start and the
/// end of an action name (`DescribeOrgan…AuthAccounts`) tell it from its neighbours best.
fn shorten(cell: &str, width: usize) -> String {
    let chars: Vec<char> = cell.chars().collect();
    if chars.len() <= width {
        return cell.to_string();
    }
    let kept = width.saturating_sub(1);
    let tail = kept / 2;
    let head = kept - tail;
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[chars.len() - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{Call, Key, Outcome};
    use crate::verdict::{Expectation, ScenarioKind};

    fn verdict(scenario: &str, action: &str, account: &str, guess: AlgorithmGuess) -> Verdict {
        let key = Key::new(action, "2021-03-31", account);
        let calls: Vec<Call> = (0..20)
            .map(|k| Call::synthetic(&key, 1_700_000_000_000 + k * 50, Outcome::Accepted))
            .collect();
        let e = Expectation::steady(scenario, ScenarioKind::Isolation, 40, 20.0, 1000);
        let mut v = Verdict::compute(&key, &calls, &e);
        v.algorithm_guess = guess;
        v
    }

    fn width(text: &str) -> usize {
        text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
    }

    /// The table was over 200 columns: the isolation rows named both 36-character
    /// SecretIds and the algorithm came with its whole explanation.
    #[test]
    fn the_conformance_table_fits_120_columns() {
        let undetermined = AlgorithmGuess::Undetermined {
            why: "never more than the limit offered in a second".into(),
        };
        let first = "AKIDMockDefaultAccount00000000000000";
        let second = "AKIDloadSecondAccount0000000000000";
        let results = vec![
            ScenarioResult::new(
                "under-limit 0.5x",
                vec![verdict(
                    "under-limit 0.5x",
                    "DescribeOrganization",
                    first,
                    undetermined.clone(),
                )],
            ),
            ScenarioResult::new(
                "isolation",
                vec![
                    verdict(
                        "isolation",
                        "DescribeOrganization",
                        first,
                        AlgorithmGuess::FixedWindow,
                    ),
                    verdict(
                        "isolation",
                        "DescribeOrganization",
                        second,
                        AlgorithmGuess::SlidingWindow,
                    ),
                    verdict(
                        "isolation",
                        "ListOrganizationNodes",
                        first,
                        AlgorithmGuess::TokenBucket { burst_estimate: 12 },
                    ),
                ],
            ),
        ];
        let table = render(&results);
        assert!(width(&table) <= 120, "{} columns:\n{table}", width(&table));
        assert!(!table.contains('…'), "nothing needs cutting:\n{table}");
        let isolation_second = table
            .lines()
            .find(|l| l.starts_with("isolation") && l.contains(" #2 "))
            .unwrap_or_else(|| panic!("no row for account #2:\n{table}"));
        assert!(isolation_second.contains("DescribeOrganization"), "{table}");
        assert!(table.contains(&format!("#2 {second}")), "{table}");
        assert!(
            table.contains("refused, by code: RequestLimitExceeded 0, .UinLimitExceeded 0,"),
            "{table}"
        );
        for word in ["unclear", "fixed", "sliding", "bucket"] {
            assert!(table.contains(word), "{word}: {table}");
        }

        // The longest action name still fits, cut where it must be.
        let long = vec![ScenarioResult::new(
            "rate-limit 12.5/s",
            vec![verdict(
                "rate-limit 12.5/s",
                "DescribeOrganizationMemberAuthAccounts",
                first,
                undetermined,
            )],
        )];
        let table = render(&long);
        assert!(width(&table) <= 120, "{} columns:\n{table}", width(&table));
        assert!(
            table.contains("DescribeOrgan") && table.contains("AuthAccounts"),
            "{table}"
        );
        assert!(
            !table.contains("acct"),
            "one account, no account column:\n{table}"
        );
    }

    #[test]
    fn shortening_marks_the_cut() {
        assert_eq!(shorten("abcdef", 4), "ab…f");
        assert_eq!(shorten("abc", 4), "abc");
    }
}
