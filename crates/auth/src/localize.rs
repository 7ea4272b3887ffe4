//! The credential [`Error`] in the catalogs' words (`error.auth.*`, in both catalogs).

use satudata_core::{Lang, Localize};

use crate::Error;

impl Localize for Error {
    fn key(&self) -> &'static str {
        match self {
            Error::PasswordTooShort { .. } => "error.auth.password-short",
            Error::PasswordTooLong { .. } => "error.auth.password-long",
            Error::Username(_) => "error.auth.username",
            Error::Lifetime(_) => "error.auth.lifetime",
            Error::LifetimeTooLong { .. } => "error.auth.lifetime-long",
            Error::StoredHash(_) => "error.auth.stored-hash",
            Error::Hash(_) => "error.auth.hash",
            Error::Random(_) => "error.auth.random",
        }
    }

    fn args(&self, _: Lang) -> Vec<(&'static str, String)> {
        match self {
            Error::PasswordTooShort { chars, min } => vec![("chars", chars.to_string()), ("min", min.to_string())],
            Error::PasswordTooLong { max } => vec![("max", max.to_string())],
            Error::Username(value) => vec![("value", value.clone())],
            Error::Lifetime(value) => vec![("value", value.clone())],
            Error::LifetimeTooLong { value, max_days } => {
                vec![("value", value.clone()), ("max_days", max_days.to_string())]
            }
            Error::StoredHash(detail) | Error::Hash(detail) | Error::Random(detail) => {
                vec![("detail", detail.clone())]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_message_in_both_languages() {
        let errors = [
            Error::PasswordTooShort { chars: 6, min: 12 },
            Error::PasswordTooLong { max: 1024 },
            Error::Username("Alice".into()),
            Error::Lifetime("never".into()),
            Error::LifetimeTooLong {
                value: "400d".into(),
                max_days: 365,
            },
            Error::StoredHash("x".into()),
            Error::Hash("x".into()),
            Error::Random("x".into()),
        ];
        for e in &errors {
            for lang in [Lang::Id, Lang::En] {
                let text = e.localize(lang);
                assert!(!text.starts_with("error.") && !text.contains('{'), "{text}");
            }
        }
        assert_eq!(
            errors[0].localize(Lang::Id),
            "Kata sandi terlalu pendek: perlu paling sedikit 12 karakter, ini 6"
        );
        assert_eq!(
            errors[0].localize(Lang::En),
            "The password is too short: at least 12 characters are needed, it has 6"
        );
    }
}
