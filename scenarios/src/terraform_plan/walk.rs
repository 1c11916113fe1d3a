//! The arithmetic of a plan, as the Terraform provider pages: `DescribeOrganizationMembers`
//! with `Limit` 50 from `Offset` 0, stepping by 50, until a page holds fewer than 50 items
//! (an empty one included). No call here: only what a plan of N members asks for.

/// The action a member read pages with, and its version (the provider is on 2021-03-31 only).
pub const ACTION: &str = "DescribeOrganizationMembers";
pub const VERSION: &str = "2021-03-31";
/// The provider's page size.
pub const PAGE_SIZE: u64 = 50;

/// Pages one walk over a list of `members` requests. The provider stops at the first page
/// shorter than 50, so a list whose length is a multiple of 50 costs one empty page more than
/// `ceil(members / 50)`.
pub fn pages_per_walk(members: u64) -> u64 {
    members / PAGE_SIZE + 1
}

/// Walks a plan makes: one listing of every member, then one read per managed member (a read
/// is a whole walk: the provider finds one member by paging through all of them).
pub fn walks(members: u64) -> u64 {
    members + 1
}

/// Calls a plan makes when nothing is refused.
pub fn planned_calls(members: u64) -> u64 {
    walks(members) * pages_per_walk(members)
}

/// The `Offset` of page `page` (0-based).
pub fn offset(page: u64) -> u64 {
    page * PAGE_SIZE
}

/// Whether a page that held `items` ends the walk.
pub fn is_last_page(items: usize) -> bool {
    (items as u64) < PAGE_SIZE
}

/// How many items a list of `members` holds at `offset` with a limit of 50 (what a faithful
/// server answers; the synthetic server of the tests).
pub fn items_at(members: u64, offset: u64) -> usize {
    members.saturating_sub(offset).min(PAGE_SIZE) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A walk over a list, page by page, with the provider's stopping rule.
    fn walk(members: u64) -> u64 {
        let mut page = 0;
        loop {
            let items = items_at(members, offset(page));
            page += 1;
            if is_last_page(items) {
                return page;
            }
        }
    }

    #[test]
    fn a_walk_takes_ceil_n_over_50_pages_and_one_empty_page_after_a_full_last_one() {
        // ceil(N/50) when N is not a multiple of 50.
        for (n, pages) in [
            (0, 1),
            (1, 1),
            (20, 1),
            (49, 1),
            (51, 2),
            (120, 3),
            (499, 10),
        ] {
            assert_eq!(pages_per_walk(n), pages, "{n} members");
            assert_eq!(walk(n), pages, "{n} members");
        }
        // A full last page is followed by an empty one, which ends the walk.
        for (n, pages) in [(50, 2), (100, 3), (500, 11)] {
            assert_eq!(pages_per_walk(n), pages, "{n} members");
            assert_eq!(walk(n), pages, "{n} members");
        }
    }

    #[test]
    fn a_plan_reads_every_member_once_after_one_listing() {
        assert_eq!(walks(20), 21);
        assert_eq!(planned_calls(20), 21);
        assert_eq!(planned_calls(100), 101 * 3);
        assert_eq!(planned_calls(500), 501 * 11);
        // About N*N/50 calls (consumers.md), once N is large.
        let n = 1000u64;
        let approx = n * n / 50;
        assert!(
            planned_calls(n).abs_diff(approx) <= 2 * n,
            "{}",
            planned_calls(n)
        );
    }
}
