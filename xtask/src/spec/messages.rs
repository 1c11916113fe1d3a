//! The project's own wording for error codes. Tencent's messages stay in the reference data;
//! these say what a client should understand, in a sentence. Business codes get one message
//! per family (the text before the first dot); common codes, being few and generic, get one each.
//! A code without a message here stops the generator, so new reference data cannot slip
//! through with an empty message.

/// Message for a business error family, e.g. "ResourceNotFound".
pub fn family_message(family: &str) -> Option<&'static str> {
    Some(match family {
        "FailedOperation" => "The operation could not be carried out in the current state.",
        "InternalError" => "The service failed internally; the request may be retried.",
        "InvalidParameter" => "A parameter is malformed or not valid for this request.",
        "InvalidParameterValue" => "A parameter value is outside what the action accepts.",
        "LimitExceeded" => "A quota or size limit of the organization would be exceeded.",
        "MissingParameter" => "A parameter the action needs was not sent.",
        "OperationDenied" => "The caller is not allowed to perform this operation.",
        "ResourceInUse" => "The resource is already taken or still in use.",
        "ResourceNotFound" => "The referenced resource does not exist.",
        "ResourceUnavailable" => "The resource exists but cannot be used right now.",
        "UnauthorizedOperation" => "The caller lacks the permission this operation needs.",
        "UnsupportedOperation" => "The operation is not supported for this resource or state.",
        _ => return None,
    })
}

/// Message for a common error code (one any action may return).
pub fn common_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "ActionOffline" => "The action has been retired and no longer answers.",
        "AuthFailure.InvalidAuthorization" => "The Authorization header is malformed.",
        "AuthFailure.InvalidSecretId" => "The SecretId is not a valid key identifier.",
        "AuthFailure.MFAFailure" => "Multi-factor authentication did not succeed.",
        "AuthFailure.SecretIdNotFound" => "No key with this SecretId exists or it is disabled.",
        "AuthFailure.SignatureExpire" => {
            "The request timestamp is more than 300 seconds away from server time."
        }
        "AuthFailure.SignatureFailure" => "The signature does not match the request.",
        "AuthFailure.TokenFailure" => "The temporary credential token is invalid or expired.",
        "AuthFailure.UnauthorizedOperation" => "The credentials may not call this action.",
        "DryRunOperation" => "The request would have succeeded; it was a dry run.",
        "FailedOperation" => "The operation could not be carried out.",
        "InternalError" => "The service failed internally.",
        "InvalidAction" => "No action of this name exists in this version.",
        "InvalidParameter" => "A parameter is malformed.",
        "InvalidParameterValue" => "A parameter value is not accepted.",
        "InvalidRequest" => "The request body or encoding cannot be understood.",
        "IpInBlacklist" => "Requests from this IP address are blocked.",
        "IpNotInWhitelist" => "This IP address is not on the allowed list.",
        "LimitExceeded" => "A quota would be exceeded.",
        "MissingParameter" => "A required parameter is absent.",
        "NoSuchProduct" => "The service named by the endpoint does not exist.",
        "NoSuchVersion" => "The API version is unknown for this service.",
        "RequestLimitExceeded" => "Too many requests for this action in the current second.",
        "RequestLimitExceeded.GlobalRegionUinLimitExceeded" => {
            "The account exceeded its request rate across all regions."
        }
        "RequestLimitExceeded.IPLimitExceeded" => "This IP address exceeded its request rate.",
        "RequestLimitExceeded.UinLimitExceeded" => "The main account exceeded its request rate.",
        "RequestSizeLimitExceeded" => "The request is larger than allowed.",
        "ResourceInUse" => "The resource is in use.",
        "ResourceInsufficient" => "Not enough of the resource is left to serve the request.",
        "ResourceNotFound" => "The referenced resource does not exist.",
        "ResourceUnavailable" => "The resource cannot be used right now.",
        "ResponseSizeLimitExceeded" => "The answer would be larger than allowed; narrow the query.",
        "ServiceUnavailable" => "The service is temporarily unable to answer.",
        "UnauthorizedOperation" => "The caller is not authorised for this operation.",
        "UnknownParameter" => "A parameter is not part of this action.",
        "UnsupportedOperation" => "The operation is not supported.",
        "UnsupportedProtocol" => "The HTTP method or protocol is not supported.",
        "UnsupportedRegion" => "The action is not available in this region.",
        _ => return None,
    })
}
