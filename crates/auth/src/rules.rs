//! Account rules: names, the lock-out after failed sign-ins, token lifetimes.

use chrono::TimeDelta;

use crate::{Error, Result};

/// What an account name may hold: lowercase letters, digits, `.`, `_` and `-`, 2 to 64 of them.
pub const USERNAME_CHARS: &str = "a-z 0-9 . _ -";

/// Checks an account name: `[a-z0-9._-]{2,64}`. Lowercase only, so that `Alice` and `alice`
/// can never be two accounts.
pub fn check_username(name: &str) -> Result<()> {
    let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-');
    if (2..=64).contains(&name.len()) && name.bytes().all(allowed) {
        Ok(())
    } else {
        Err(Error::Username(name.chars().take(80).collect()))
    }
}

/// Failed sign-ins in a row after which an account is locked for a while.
pub const LOCKOUT_AFTER: u32 = 5;

/// How long the first lock-out lasts; each further failure doubles it.
pub const LOCKOUT_FIRST: TimeDelta = TimeDelta::minutes(1);

/// The longest lock-out.
pub const LOCKOUT_MAX: TimeDelta = TimeDelta::hours(1);

/// How long an account is locked after `failures` failed sign-ins in a row: nothing before
/// [`LOCKOUT_AFTER`], then [`LOCKOUT_FIRST`], doubling with each further failure up to
/// [`LOCKOUT_MAX`] (5 failures: 1 minute, 6: 2, 7: 4, …, 11 and more: 1 hour).
pub fn lockout(failures: u32) -> Option<TimeDelta> {
    let beyond = failures.checked_sub(LOCKOUT_AFTER)?;
    // 2^6 minutes already passes the cap; the shift stays small.
    let minutes = 1i64 << beyond.min(6);
    Some(TimeDelta::minutes(minutes).min(LOCKOUT_MAX))
}

/// The longest lifetime of an API token.
pub const MAX_LIFETIME_DAYS: i64 = 365;

/// How long an API token lives when its maker names no lifetime.
pub const DEFAULT_TOKEN_DAYS: i64 = 90;

/// How long a signed-in session lives (a working day: the browser signs in again tomorrow).
pub const SESSION_LIFETIME: TimeDelta = TimeDelta::hours(12);

/// A token lifetime written as a whole number and a unit: `30m` (minutes), `12h` (hours),
/// `90d` (days); at least one minute, at most [`MAX_LIFETIME_DAYS`] days. Tokens that never
/// expire are not offered: a forgotten token should die on its own.
pub fn parse_lifetime(text: &str) -> Result<TimeDelta> {
    let invalid = || Error::Lifetime(text.chars().take(40).collect());
    let unit = text.chars().last().ok_or_else(invalid)?;
    let digits = &text[..text.len() - unit.len_utf8()];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let too_long = || Error::LifetimeTooLong {
        value: text.chars().take(40).collect(),
        max_days: MAX_LIFETIME_DAYS,
    };
    // More digits than any allowed lifetime has is too long, whatever its unit.
    let n: i64 = digits.parse().map_err(|_| too_long())?;
    let lifetime = match unit {
        'm' => TimeDelta::try_minutes(n),
        'h' => TimeDelta::try_hours(n),
        'd' => TimeDelta::try_days(n),
        _ => return Err(invalid()),
    }
    .ok_or_else(too_long)?;
    if n == 0 {
        return Err(invalid());
    }
    if lifetime > TimeDelta::days(MAX_LIFETIME_DAYS) {
        return Err(too_long());
    }
    Ok(lifetime)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn account_names_are_lowercase_and_bounded() {
        for good in ["alice", "wati.diskominfo", "pd_dinkes-2", "ab", &"a".repeat(64)] {
            check_username(good).unwrap();
        }
        for bad in ["", "a", "Alice", "ali ce", "alïce", "a/b", &"a".repeat(65), "admin\n"] {
            assert!(matches!(check_username(bad), Err(Error::Username(_))), "{bad:?}");
        }
    }

    #[test]
    fn lockout_starts_after_five_failures_and_doubles_to_an_hour() {
        let minutes = |n| lockout(n).map(|d| d.num_minutes());
        assert_eq!(minutes(0), None);
        assert_eq!(minutes(4), None);
        assert_eq!(minutes(5), Some(1));
        assert_eq!(minutes(6), Some(2));
        assert_eq!(minutes(7), Some(4));
        assert_eq!(minutes(10), Some(32));
        assert_eq!(minutes(11), Some(60));
        assert_eq!(minutes(u32::MAX), Some(60));
    }

    #[test]
    fn lifetimes_take_minutes_hours_and_days_up_to_a_year() {
        assert_eq!(parse_lifetime("30m").unwrap(), TimeDelta::minutes(30));
        assert_eq!(parse_lifetime("12h").unwrap(), TimeDelta::hours(12));
        assert_eq!(parse_lifetime("90d").unwrap(), TimeDelta::days(90));
        assert_eq!(parse_lifetime("365d").unwrap(), TimeDelta::days(365));
        for bad in ["", "d", "90", "0d", "-1d", "1.5d", "90 d", "never", "1w", "٣d"] {
            assert!(matches!(parse_lifetime(bad), Err(Error::Lifetime(_))), "{bad:?}");
        }
        for long in ["366d", "8761h", "99999999999999999999999d", "9999999999999m"] {
            assert!(
                matches!(parse_lifetime(long), Err(Error::LifetimeTooLong { .. })),
                "{long:?}"
            );
        }
    }
}
