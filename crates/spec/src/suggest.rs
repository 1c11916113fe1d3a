//! "Did you mean": the contract's action name closest to a mistyped one.

use crate::all_actions;

/// The action name (of any version) most like `name`, when one is close enough to be what was
/// meant: `DescribeOrganisation` gives `DescribeOrganization`, `describeorganization` too.
pub fn closest_action(name: &str) -> Option<&'static str> {
    let wanted = name.to_ascii_lowercase();
    all_actions()
        .map(|a| a.name.as_str())
        .filter(|candidate| *candidate != name)
        .map(|candidate| {
            let score = strsim::jaro_winkler(&wanted, &candidate.to_ascii_lowercase());
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.9)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// ` (did you mean "X"?)` for an unknown action name, or nothing when no name is close.
pub fn did_you_mean(name: &str) -> String {
    closest_action(name)
        .map(|c| format!(" (did you mean {c:?}?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_close_name_is_suggested_and_a_far_one_is_not() {
        assert_eq!(
            closest_action("DescribeOrganisation"),
            Some("DescribeOrganization")
        );
        assert_eq!(
            closest_action("describeorganization"),
            Some("DescribeOrganization")
        );
        assert_eq!(
            closest_action("ListOrganizationNode"),
            Some("ListOrganizationNodes")
        );
        assert_eq!(closest_action("Frobnicate"), None);
        assert_eq!(
            did_you_mean("CreateOrganisation"),
            " (did you mean \"CreateOrganization\"?)"
        );
        assert_eq!(did_you_mean("Nothing"), "");
    }
}
