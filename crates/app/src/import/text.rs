//! Small text helpers shared by reading, mapping and validation.

/// Full-width ASCII (Ａ１＠，…) and the ideographic space become their half-width forms.
pub(crate) fn half_width(s: &str) -> String {
    s.chars().map(half_width_char).collect()
}

pub(crate) fn half_width_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Whitespace and the invisible characters spreadsheets leave behind (BOM, zero-width space).
pub(crate) fn is_blank_char(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}'
        )
}

/// Trims whitespace, including full-width spaces and zero-width characters, at both ends.
pub(crate) fn clean(s: &str) -> &str {
    s.trim_matches(is_blank_char)
}

/// Trimmed, owned; reuses the allocation when nothing needs trimming.
pub(crate) fn clean_owned(s: String) -> String {
    let t = clean(&s);
    if t.len() == s.len() { s } else { t.to_string() }
}

/// At most `max` characters of `s`, with "…" when cut: safe to put in a report.
pub(crate) fn excerpt(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Whether `s` has more than `max` characters, without counting past `max + 1`.
pub(crate) fn longer_than(s: &str, max: usize) -> bool {
    s.len() > max && s.chars().nth(max).is_some()
}

/// Folded for comparing: half-width, lower case, no whitespace at all.
pub(crate) fn fold_key(s: &str) -> String {
    s.chars()
        .map(half_width_char)
        .filter(|c| !is_blank_char(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(half_width("ＡＢＣ１２３＠　"), "ABC123@ ");
        assert_eq!(clean("\u{FEFF}  华为\u{3000}"), "华为");
        assert_eq!(excerpt("abcdef", 3), "abc…");
        assert_eq!(excerpt("abc", 3), "abc");
        assert!(longer_than("一二三四", 3));
        assert!(!longer_than("一二三", 3));
        assert_eq!(fold_key(" Huawei  Tech "), "huaweitech");
        assert_eq!(fold_key("ＨＵＡＷＥＩ"), "huawei");
    }
}
