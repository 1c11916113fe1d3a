//! Business failures, named by what went wrong rather than by code.
//!
//! Each area of the API declares its failures as [`Failure`] constants beside its handlers.
//! A failure lists the codes that mean it, most specific first; the code an action answers
//! with is the first one the contract documents for that action, else the common code of the
//! same family. So the mock never answers with a code the contract does not allow for the
//! action, and the same failure reads right in both versions.

use tco_spec::Action;

use super::BusinessError;

/// What went wrong, independent of how an action spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Failure {
    /// A short name, unique within its area (for test messages and `Debug`).
    pub name: &'static str,
    /// Codes meaning this failure, most specific first.
    pub codes: &'static [&'static str],
    /// A common code (any action may return it) of the same meaning.
    pub fallback: &'static str,
    /// The default message, in the project's own words.
    pub message: &'static str,
}

/// A parameter value out of its documented range (paging, names, enums); every
/// area may raise it.
pub(crate) const BAD_VALUE: Failure = Failure {
    name: "BadValue",
    codes: &[],
    fallback: "InvalidParameterValue",
    message: "A parameter value is out of its allowed range.",
};

impl Failure {
    /// The code `action` answers with for this failure.
    pub(crate) fn code_for(&self, action: &Action) -> &'static str {
        self.codes
            .iter()
            .copied()
            .find(|code| action.errors.iter().any(|e| e == code))
            .unwrap_or(self.fallback)
    }

    pub(crate) fn error(&self, action: &Action, detail: Option<String>) -> BusinessError {
        let message = match detail {
            Some(detail) => format!("{} {detail}", self.message),
            None => self.message.to_owned(),
        };
        BusinessError {
            code: self.code_for(action).to_owned(),
            message,
        }
    }
}

/// A `NextToken` this mock did not hand out; every area may raise it.
pub(crate) const BAD_NEXT_TOKEN: Failure = Failure {
    name: "BadNextToken",
    codes: &["InvalidParameter.NextTokenInvalid"],
    fallback: "InvalidParameterValue",
    message: "The NextToken is not one this service handed out.",
};
