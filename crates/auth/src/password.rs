//! Passwords: argon2id PHC strings, their length rules, and generated passwords.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};

use crate::{Error, Result, random};

/// Fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Most characters a password may have: argon2 takes any length, this bounds the work a
/// sign-in request can ask for.
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// Letters and digits nobody misreads when a password is read out or copied from paper (no
/// `0 O o 1 l I`): 56 symbols, so 20 of them hold about 116 bits.
const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// Length of a [`generate_password`] password.
const GENERATED_CHARS: usize = 20;

/// Checks a new password's length (counted in characters, not bytes).
pub fn check_password(password: &str) -> Result<()> {
    // Counting stops past the maximum, so a huge input costs no more than a long one.
    let chars = password.chars().take(MAX_PASSWORD_CHARS + 1).count();
    if chars > MAX_PASSWORD_CHARS {
        return Err(Error::PasswordTooLong {
            max: MAX_PASSWORD_CHARS,
        });
    }
    if chars < MIN_PASSWORD_CHARS {
        return Err(Error::PasswordTooShort {
            chars,
            min: MIN_PASSWORD_CHARS,
        });
    }
    Ok(())
}

/// The argon2id PHC string of `password`, with a fresh random salt; the password must pass
/// [`check_password`].
pub fn hash_password(password: &str) -> Result<String> {
    check_password(password)?;
    hash_unchecked(password)
}

fn hash_unchecked(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    random(&mut salt)?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::Hash(e.to_string()))?;
    // `Argon2::default()` is argon2id, version 19, m = 19 MiB, t = 2, p = 1: OWASP's parameters.
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| Error::Hash(e.to_string()))?;
    Ok(hash.to_string())
}

/// Whether `password` is the one `phc` was made from. The parameters come from the PHC string,
/// so hashes made with other parameters still verify. A password longer than the maximum is
/// false without hashing it (no stored password is that long).
pub fn verify_password(password: &str, phc: &str) -> Result<bool> {
    let parsed = PasswordHash::new(phc).map_err(|e| Error::StoredHash(e.to_string()))?;
    if password.chars().take(MAX_PASSWORD_CHARS + 1).count() > MAX_PASSWORD_CHARS {
        return Ok(false);
    }
    match Argon2::default().verify_password(password.as_bytes(), &parsed) {
        Ok(()) => Ok(true),
        Err(argon2::password_hash::Error::Password) => Ok(false),
        Err(e) => Err(Error::Hash(e.to_string())),
    }
}

/// Spends the work of one [`verify_password`] for a sign-in with an unknown account name, so
/// that its answer comes as late as a wrong password's; always false.
pub fn verify_unknown(password: &str) -> Result<bool> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let phc = match DUMMY.get() {
        Some(phc) => phc,
        None => {
            let mut secret = [0u8; 24];
            random(&mut secret)?;
            let made = hash_unchecked(&crate::secret::encode(&secret))?;
            DUMMY.get_or_init(|| made)
        }
    };
    verify_password(password, phc)?;
    Ok(false)
}

/// A random password of 20 characters from an alphabet without look-alike characters.
pub fn generate_password() -> Result<String> {
    let mut out = String::with_capacity(GENERATED_CHARS);
    let mut bytes = [0u8; 64];
    // Rejection sampling keeps every symbol equally likely: bytes past the last whole multiple
    // of the alphabet's size are dropped.
    let limit = (256 / ALPHABET.len() * ALPHABET.len()) as u8;
    while out.len() < GENERATED_CHARS {
        random(&mut bytes)?;
        for &b in bytes.iter().filter(|&&b| b < limit) {
            if out.len() == GENERATED_CHARS {
                break;
            }
            out.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn hashes_are_argon2id_phc_strings_that_verify() {
        let phc = hash_password("dua belas huruf").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_password("dua belas huruf", &phc).unwrap());
        assert!(!verify_password("dua belas hurup", &phc).unwrap());
        // A fresh salt each time.
        assert_ne!(hash_password("dua belas huruf").unwrap(), phc);
    }

    #[test]
    fn lengths_are_counted_in_characters() {
        assert!(matches!(
            check_password("pendek"),
            Err(Error::PasswordTooShort { chars: 6, min: 12 })
        ));
        // Twelve characters, 24 bytes.
        check_password("ééééééééééé1").unwrap();
        check_password(&"a".repeat(MAX_PASSWORD_CHARS)).unwrap();
        assert!(matches!(
            hash_password(&"a".repeat(MAX_PASSWORD_CHARS + 1)),
            Err(Error::PasswordTooLong { max: 1024 })
        ));
    }

    #[test]
    fn an_overlong_or_unknown_attempt_is_false_and_a_broken_hash_an_error() {
        let phc = hash_password("dua belas huruf").unwrap();
        assert!(!verify_password(&"a".repeat(10_000), &phc).unwrap());
        assert!(!verify_unknown("dua belas huruf").unwrap());
        assert!(matches!(verify_password("x", "bukan-phc"), Err(Error::StoredHash(_))));
    }

    #[test]
    fn generated_passwords_are_long_unambiguous_and_different() {
        let a = generate_password().unwrap();
        let b = generate_password().unwrap();
        assert_eq!(a.chars().count(), 20);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| ALPHABET.contains(&c)), "{a}");
        assert!(!a.contains(['0', 'O', 'o', '1', 'l', 'I']));
        check_password(&a).unwrap();
    }
}
