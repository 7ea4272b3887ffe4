//! What the integration tests share.

/// Queries a user (or an attacker) can send; `engines.rs` runs them through FTS5 and PostgreSQL.
pub fn hostile_queries() -> Vec<String> {
    let mut q: Vec<String> = [
        "",
        " ",
        "\"",
        "\"\"",
        "'",
        "''",
        "\\",
        "*",
        "**",
        ":",
        ":*",
        "&",
        "|",
        "!",
        "&|!",
        "(",
        ")",
        "()",
        "<->",
        "<2>",
        "-",
        "^",
        "+",
        "{",
        "}",
        "[",
        "]",
        "NEAR",
        "NEAR(a b)",
        "AND",
        "OR",
        "NOT",
        "a AND b OR NOT c",
        "title_terms:duduk",
        "{title_terms}: duduk",
        "duduk*",
        "*duduk",
        "duduk:*",
        "'duduk':* & !",
        "\"unclosed phrase",
        "phrase\" with \"odd quotes\"\"",
        "\0",
        "duduk\0kota",
        "yang dan di",
        "the of and",
        "’‘“”„«»",
        "🙂 🏙️",
        "日本語 العربية",
        "DROP TABLE ds; --",
        "'); DROP TABLE ds; --",
        "\u{202E}reversed",
        "61.71.",
        "...",
        "1e999",
        "-1",
        "0x41",
        "%",
        "_",
        "\t\n\r",
        "kependud",
        "(&|!) \"x\" pendid",
        "persekol:*",
        "'persekol",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    q.push("x".repeat(10_000));
    q.push("kata ".repeat(2_000));
    q.push("\"a\" ".repeat(2_500));
    q.push("(&|!:*'\")".repeat(1_100));
    q.push(('\u{1}'..='\u{7f}').collect());
    q
}
