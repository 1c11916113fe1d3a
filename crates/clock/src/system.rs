//! The machine's wall clock.

use std::time::SystemTime;

use crate::Clock;

/// The machine's wall clock: what every user reads unless a test gives it another.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_time_after_2020() {
        // 2020-01-01T00:00:00Z: a clock reading less is not reading the wall clock.
        assert!(SystemClock.now_secs() > 1_577_836_800);
    }

    #[test]
    fn the_three_readings_agree() {
        let secs = SystemClock.now_secs();
        let millis = SystemClock.now_millis();
        // Two readings a moment apart: the same second, or the next one.
        assert!(
            (0..=1).contains(&(millis.div_euclid(1000) - secs)),
            "{secs} {millis}"
        );
    }
}
