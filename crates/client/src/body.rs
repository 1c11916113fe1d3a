//! Reading an answer's body with a cap: a server (or something posing as one) that sends a
//! huge body must not make the harness hold it all in memory.

use bytes::Bytes;

/// The default cap on a response body: the API's largest answers are far smaller, and its
/// largest request body (TC3) is documented at 10 MB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 10 * 1024 * 1024;

/// Why a body could not be read.
#[derive(Debug)]
pub enum BodyError {
    /// The body is (or announces itself as) larger than the cap; reading stopped there.
    TooLarge { limit: usize },
    /// The connection failed while the body was read.
    Transport(reqwest::Error),
}

/// The whole body, or [`BodyError::TooLarge`] as soon as it is known to exceed `limit` bytes
/// (from `Content-Length`, or once more than `limit` bytes have arrived).
pub async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Bytes, BodyError> {
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(BodyError::TooLarge { limit });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(body))
}

/// A byte count as people read it: `10 MB`, `512 KB`, `100 bytes` (powers of 1024).
pub fn human_bytes(n: usize) -> String {
    const MB: usize = 1024 * 1024;
    if n >= MB && n % MB == 0 {
        format!("{} MB", n / MB)
    } else if n >= 1024 && n % 1024 == 0 {
        format!("{} KB", n / 1024)
    } else {
        format!("{n} bytes")
    }
}

/// A duration as people read it: `30 s`, `1.5 s`, `250 ms`.
pub fn human_duration(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations_read_well() {
        assert_eq!(human_bytes(DEFAULT_MAX_RESPONSE_BYTES), "10 MB");
        assert_eq!(human_bytes(2048), "2 KB");
        assert_eq!(human_bytes(1000), "1000 bytes");
        assert_eq!(human_duration(std::time::Duration::from_secs(30)), "30 s");
        assert_eq!(
            human_duration(std::time::Duration::from_millis(1500)),
            "1.5 s"
        );
        assert_eq!(
            human_duration(std::time::Duration::from_millis(250)),
            "250 ms"
        );
    }
}
