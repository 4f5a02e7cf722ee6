//! Phone numbers, e-mail addresses and names as people type them, normalised so that they
//! compare, search and dial alike.

use crate::error::localized_error;
use crate::{FieldError, Lang};

localized_error!(
    /// Why a phone number was refused.
    PhoneError {
        Empty => "empty", "请输入电话号码", "enter a phone number";
        BadCharacters => "bad_characters",
            "电话号码只能包含数字、空格、横线、括号、开头的 + 和分机号",
            "a phone number may only hold digits, spaces, dashes, brackets, a leading + and an extension";
        TooShort => "too_short",
            "号码位数太少（手机 11 位；座机要带区号，如 010-12345678）",
            "too few digits (mobiles have 11; landlines need the area code, e.g. 010-12345678)";
        TooLong => "too_long", "号码位数太多", "too many digits";
        NotAMobile => "not_a_mobile",
            "11 位手机号应以 13–19 开头",
            "an 11-digit mobile number starts with 13 to 19";
        NoAreaCode => "no_area_code",
            "座机号请带上区号，如 010-12345678",
            "add the area code to a landline, e.g. 010-12345678";
        BadExtension => "bad_extension",
            "分机号应为 1–6 位数字，且手机号不能带分机",
            "an extension has 1 to 6 digits, and mobiles have none";
        Invalid => "invalid",
            "不是有效的手机号或座机号（例如 13812345678 或 010-12345678）",
            "not a valid mobile or landline number (e.g. 13812345678 or 010-12345678)";
    }
);

localized_error!(
    /// Why an e-mail address was refused.
    EmailError {
        Empty => "empty", "请输入邮箱地址", "enter an e-mail address";
        NoAt => "no_at", "邮箱地址缺少 @", "an e-mail address needs an @";
        MultipleAt => "multiple_at", "邮箱地址只能有一个 @", "an e-mail address has only one @";
        Whitespace => "whitespace",
            "邮箱地址不能包含空格或控制字符",
            "an e-mail address cannot contain spaces or control characters";
        EmptyLocal => "empty_local", "@ 前面不能为空", "the part before the @ is empty";
        BadDomain => "bad_domain",
            "@ 后面应为有效的域名，如 example.com",
            "the part after the @ must be a domain such as example.com";
        TooLong => "too_long", "邮箱地址太长", "the e-mail address is too long";
    }
);

/// Why a name was refused (see [`validate_name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum NameError {
    #[error("the name is empty")]
    Empty,
    #[error("the name is longer than {max} characters")]
    TooLong { max: usize },
    #[error("the name contains control characters such as line breaks")]
    ControlCharacter,
}

impl NameError {
    pub fn code(&self) -> &'static str {
        match self {
            NameError::Empty => "required",
            NameError::TooLong { .. } => "too_long",
            NameError::ControlCharacter => "control_character",
        }
    }

    /// Why the name was refused, in `lang` (the length limit is in [`NameError::field_error`]).
    pub fn message(&self, lang: Lang) -> &'static str {
        match self {
            NameError::Empty => lang.pick("名称不能为空", "the name is empty"),
            NameError::TooLong { .. } => lang.pick("名称太长", "the name is too long"),
            NameError::ControlCharacter => lang.pick(
                "名称不能包含换行等控制字符",
                "the name cannot contain line breaks or other control characters",
            ),
        }
    }

    pub fn field_error(&self, field: impl Into<String>) -> FieldError {
        match self {
            NameError::TooLong { max } => FieldError::new(
                field,
                self.code(),
                format!("名称最多 {max} 个字"),
                format!("the name has at most {max} characters"),
            ),
            _ => FieldError::new(
                field,
                self.code(),
                self.message(Lang::ZhCn),
                self.message(Lang::En),
            ),
        }
    }
}

/// Full-width digits, letters and signs (typed with a Chinese input method) as ASCII.
fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            // The ideographic full stop, typed for "." in "qq。com".
            '。' => '.',
            _ => c,
        })
        .collect()
}

/// Words that introduce an extension, checked longest first.
const EXTENSION_MARKERS: &[&str] = &["分机号", "分机", "转", "ext.", "ext", "x", "#"];

/// Splits "number 转 123" / "number ext 123" into the number and the extension digits.
fn split_extension(s: &str) -> Result<(&str, Option<&str>), PhoneError> {
    let found = EXTENSION_MARKERS
        .iter()
        .filter_map(|m| s.find(m).map(|at| (at, m.len())))
        .min_by_key(|(at, len)| (*at, usize::MAX - len));
    let Some((at, len)) = found else {
        return Ok((s, None));
    };
    let ext =
        s[at + len..].trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ':' | '-'));
    if ext.is_empty() || ext.len() > 6 || !ext.chars().all(|c| c.is_ascii_digit()) {
        return Err(PhoneError::BadExtension);
    }
    Ok((s[..at].trim_end(), Some(ext)))
}

/// A Chinese mobile: 11 digits, 13–19.
fn is_mobile(d: &str) -> bool {
    d.len() == 11 && d.starts_with('1') && matches!(d.as_bytes()[1], b'3'..=b'9')
}

/// A Chinese landline "0AA-LLLLLLLL": area code 010 or 02x (3 digits) or 0xxx (4 digits), then a
/// 7- or 8-digit local number.
fn landline(d: &str) -> Option<String> {
    if !d.starts_with('0') || d.starts_with("00") {
        return None;
    }
    let area = if d.starts_with("01") || d.starts_with("02") {
        3
    } else {
        4
    };
    let local = d.get(area..)?;
    (7..=8)
        .contains(&local.len())
        .then(|| format!("{}-{local}", &d[..area]))
}

/// Nationwide service numbers: 400-xxx-xxxx and 800-xxx-xxxx.
fn service_number(d: &str) -> Option<String> {
    (d.len() == 10 && (d.starts_with("400") || d.starts_with("800")))
        .then(|| format!("{}-{}-{}", &d[..3], &d[3..6], &d[6..]))
}

fn with_extension(base: String, ext: Option<&str>) -> String {
    match ext {
        Some(e) => format!("{base}-{e}"),
        None => base,
    }
}

/// Normalises a phone number:
/// - Chinese mobiles (optionally +86 / 86 / 0086, spaces, dashes, full-width digits) → the 11
///   digits: "13812345678";
/// - Chinese landlines → "010-12345678", with an extension ("转123", "ext 123", "-123")
///   → "010-12345678-123"; +86 without the leading 0 of the area code is understood;
/// - 400/800 service numbers → "400-123-4567";
/// - other countries (+ or 00 and a country code other than 86) → "+442079460958".
pub fn normalize_phone(s: &str) -> Result<String, PhoneError> {
    let text = half_width(s).to_lowercase();
    let text = text.trim();
    if text.is_empty() {
        return Err(PhoneError::Empty);
    }
    let (main, ext) = split_extension(text)?;
    let body = main.trim_start_matches(|c: char| c == '(' || c.is_whitespace());
    let plus = body.starts_with('+');
    let body = body.strip_prefix('+').unwrap_or(body);
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.' | '/'))
    {
        return Err(PhoneError::BadCharacters);
    }
    let groups: Vec<&str> = body
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let digits = groups.concat();
    if digits.is_empty() {
        return Err(PhoneError::BadCharacters);
    }

    let international = plus || digits.starts_with("00");
    let national = if international {
        let number = if plus { &digits[..] } else { &digits[2..] };
        match number.strip_prefix("86") {
            Some(rest) if is_mobile(rest) || service_number(rest).is_some() => rest.to_string(),
            Some(rest) if rest.starts_with('0') => rest.to_string(),
            // +86 drops the area code's leading 0: "+86 10 1234 5678".
            Some(rest) => format!("0{rest}"),
            None => {
                if number.starts_with('0') {
                    return Err(PhoneError::Invalid);
                }
                if number.len() < 8 {
                    return Err(PhoneError::TooShort);
                }
                if number.len() > 15 {
                    return Err(PhoneError::TooLong);
                }
                // Written out so that normalising the result again gives the same result.
                return Ok(match ext {
                    Some(e) => format!("+{number} ext {e}"),
                    None => format!("+{number}"),
                });
            }
        }
    } else if digits.len() == 13 && digits.starts_with("861") {
        digits[2..].to_string()
    } else {
        digits.clone()
    };

    if national.starts_with('1') && national.len() == 11 {
        if !is_mobile(&national) {
            return Err(PhoneError::NotAMobile);
        }
        return match ext {
            None => Ok(national),
            Some(_) => Err(PhoneError::BadExtension),
        };
    }
    let fixed = |d: &str| service_number(d).or_else(|| landline(d));
    // A last group after a complete number is its extension ("010-12345678-123"). A group of
    // one or two digits is never how a local number is grouped, so it is read as an extension
    // even where all the digits would also make a longer local number ("0755-8888999-1").
    let trailing_extension = || {
        let (last, rest) = groups.split_last()?;
        let short = last.len() <= 2;
        (ext.is_none() && !international && !rest.is_empty() && last.len() <= 6)
            .then(|| fixed(&rest.concat()).map(|f| (short, with_extension(f, Some(last)))))
            .flatten()
    };
    match trailing_extension() {
        Some((true, n)) => return Ok(n),
        Some((false, n)) => return Ok(fixed(&national).map_or(n, |f| with_extension(f, ext))),
        None => {}
    }
    if let Some(f) = fixed(&national) {
        return Ok(with_extension(f, ext));
    }
    if national.starts_with('1') {
        return Err(if national.len() < 11 {
            PhoneError::TooShort
        } else {
            PhoneError::TooLong
        });
    }
    if !national.starts_with('0') && (7..=8).contains(&national.len()) {
        return Err(PhoneError::NoAreaCode);
    }
    Err(match national.len() {
        0..=9 => PhoneError::TooShort,
        13.. => PhoneError::TooLong,
        _ => PhoneError::Invalid,
    })
}

/// The digits of a normalised number, for search and dialling: "010-12345678-123" →
/// "01012345678123", "+442079460958" → "442079460958".
pub fn phone_digits(normalized: &str) -> String {
    normalized.chars().filter(char::is_ascii_digit).collect()
}

/// Whether a normalised number is a Chinese mobile (the only kind that can receive SMS here).
pub fn is_mobile_number(normalized: &str) -> bool {
    normalized.chars().all(|c| c.is_ascii_digit()) && is_mobile(normalized)
}

/// Normalises an e-mail address: trimmed, the domain lowercased (the local part is kept as
/// typed, since mail servers may treat it case-sensitively); exactly one @, no spaces, and a
/// domain of dot-separated labels ending in a top-level domain of two or more letters.
pub fn normalize_email(s: &str) -> Result<String, EmailError> {
    let text = half_width(s);
    let text = text.trim();
    if text.is_empty() {
        return Err(EmailError::Empty);
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(EmailError::Whitespace);
    }
    let (local, domain) = text.split_once('@').ok_or(EmailError::NoAt)?;
    if domain.contains('@') {
        return Err(EmailError::MultipleAt);
    }
    if local.is_empty() {
        return Err(EmailError::EmptyLocal);
    }
    if local.len() > 64 || text.len() > 254 {
        return Err(EmailError::TooLong);
    }
    let domain = domain.to_lowercase();
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let tld_ok = labels
        .last()
        .is_some_and(|t| t.chars().count() >= 2 && t.chars().all(char::is_alphabetic));
    if labels.len() < 2 || !labels.iter().all(label_ok) || !tld_ok {
        return Err(EmailError::BadDomain);
    }
    Ok(format!("{local}@{domain}"))
}

/// A name (of a customer, contact, product …) trimmed, not empty, at most `max_chars`
/// characters, with no control characters.
pub fn validate_name(s: &str, max_chars: usize) -> Result<String, NameError> {
    let name = s.trim();
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.chars().any(char::is_control) {
        return Err(NameError::ControlCharacter);
    }
    if name.chars().count() > max_chars {
        return Err(NameError::TooLong { max: max_chars });
    }
    Ok(name.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn ok(s: &str) -> String {
        normalize_phone(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn mobiles_in_every_common_form() {
        for s in [
            "13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "+86 138 1234 5678",
            "+86-13812345678",
            "(+86) 138 1234 5678",
            "86 13812345678",
            "8613812345678",
            "0086 138 1234 5678",
            "0086-13812345678",
            "１３８１２３４５６７８",
            "＋８６ １３８ １２３４ ５６７８",
            "  13812345678\t",
        ] {
            assert_eq!(ok(s), "13812345678", "{s}");
        }
        assert_eq!(ok("19912345678"), "19912345678");
        assert!(is_mobile_number("13812345678"));
        assert!(!is_mobile_number("010-12345678"));
    }

    #[test]
    fn landlines_with_area_code_and_extension() {
        for (s, want) in [
            ("010-12345678", "010-12345678"),
            ("01012345678", "010-12345678"),
            ("0755 8888 9999", "0755-88889999"),
            ("0755-8888999", "0755-8888999"),
            ("(021)12345678", "021-12345678"),
            ("（021）12345678", "021-12345678"),
            ("(0571) 8765 4321", "0571-87654321"),
            ("+86 10 1234 5678", "010-12345678"),
            ("+86 755 8888 9999", "0755-88889999"),
            ("0086 21 12345678", "021-12345678"),
            ("010-12345678转123", "010-12345678-123"),
            ("010-12345678 转 123", "010-12345678-123"),
            ("010-12345678分机123", "010-12345678-123"),
            ("010-12345678-123", "010-12345678-123"),
            ("010 1234 5678 - 8", "010-12345678-8"),
            ("010-12345678 ext 123", "010-12345678-123"),
            ("010-12345678 EXT. 123", "010-12345678-123"),
            ("010-12345678x123", "010-12345678-123"),
            ("010-12345678#123", "010-12345678-123"),
            ("400-123-4567", "400-123-4567"),
            ("4001234567", "400-123-4567"),
            ("800 123 4567 转 9", "800-123-4567-9"),
            ("400-123-4567-9", "400-123-4567-9"),
            ("+86 400 123 4567", "400-123-4567"),
            ("0755-8888999转1", "0755-8888999-1"),
            ("0755-8888999-1", "0755-8888999-1"),
            ("010-12345678-12", "010-12345678-12"),
        ] {
            assert_eq!(ok(s), want, "{s}");
        }
    }

    #[test]
    fn other_countries_keep_their_code() {
        assert_eq!(ok("+44 20 7946 0958"), "+442079460958");
        assert_eq!(ok("0044 20 7946 0958"), "+442079460958");
        assert_eq!(ok("+1 (415) 555-2671"), "+14155552671");
        assert_eq!(ok("+852 2123 4567"), "+85221234567");
        assert_eq!(ok("+44 20 7946 0958 ext 12"), "+442079460958 ext 12");
        assert_eq!(ok("+442079460958 ext 12"), "+442079460958 ext 12");
    }

    #[test]
    fn malformed_numbers_are_refused_with_the_reason() {
        for (s, why) in [
            ("", PhoneError::Empty),
            ("   ", PhoneError::Empty),
            ("1381234567a", PhoneError::BadCharacters),
            ("call me", PhoneError::BadCharacters),
            ("138+12345678", PhoneError::BadCharacters),
            ("---", PhoneError::BadCharacters),
            ("12345", PhoneError::TooShort),
            ("1381234567", PhoneError::TooShort),
            ("138123456789", PhoneError::TooLong),
            ("12812345678", PhoneError::NotAMobile),
            ("10012345678", PhoneError::NotAMobile),
            ("12345678", PhoneError::TooShort),
            ("87654321", PhoneError::NoAreaCode),
            ("8888999", PhoneError::NoAreaCode),
            ("13812345678转1", PhoneError::BadExtension),
            ("010-12345678转", PhoneError::BadExtension),
            ("010-12345678转1234567", PhoneError::BadExtension),
            ("010-12345678 ext abc", PhoneError::BadExtension),
            ("010-123456", PhoneError::TooShort),
            ("0101234567890123", PhoneError::TooLong),
            ("+44 20", PhoneError::TooShort),
            ("+44 2079 4609 5812 3456", PhoneError::TooLong),
            ("+0 123456789", PhoneError::Invalid),
        ] {
            assert_eq!(normalize_phone(s), Err(why), "{s}");
        }
        crate::error::assert_localized(PhoneError::ALL, PhoneError::code, PhoneError::message);
        assert!(PhoneError::NoAreaCode.message(Lang::ZhCn).contains("区号"));
        let f = PhoneError::TooShort.field_error("phone");
        assert_eq!((f.field.as_str(), f.code), ("phone", "too_short"));
    }

    #[test]
    fn digits_of_a_normalised_number() {
        assert_eq!(phone_digits("010-12345678-123"), "01012345678123");
        assert_eq!(phone_digits("+442079460958"), "442079460958");
        assert_eq!(phone_digits("13812345678"), "13812345678");
    }

    #[test]
    fn emails() {
        assert_eq!(
            normalize_email(" Li.Si@Example.COM ").as_deref(),
            Ok("Li.Si@example.com")
        );
        assert_eq!(normalize_email("ｌｉ＠qq。com").as_deref(), Ok("li@qq.com"));
        assert_eq!(
            normalize_email("a+tag@mail.example.com.cn").as_deref(),
            Ok("a+tag@mail.example.com.cn")
        );
        assert_eq!(
            normalize_email("张三@例子.中国").as_deref(),
            Ok("张三@例子.中国")
        );
        for (s, why) in [
            ("", EmailError::Empty),
            ("no-at-sign", EmailError::NoAt),
            ("a@b@c.com", EmailError::MultipleAt),
            ("a b@c.com", EmailError::Whitespace),
            ("a@c .com", EmailError::Whitespace),
            ("@example.com", EmailError::EmptyLocal),
            ("a@b", EmailError::BadDomain),
            ("a@", EmailError::BadDomain),
            ("a@.com", EmailError::BadDomain),
            ("a@example.", EmailError::BadDomain),
            ("a@example..com", EmailError::BadDomain),
            ("a@-example.com", EmailError::BadDomain),
            ("a@example.c", EmailError::BadDomain),
            ("a@example.123", EmailError::BadDomain),
            ("a@exa_mple.com", EmailError::BadDomain),
        ] {
            assert_eq!(normalize_email(s), Err(why), "{s}");
        }
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert_eq!(normalize_email(&long_local), Err(EmailError::TooLong));
        crate::error::assert_localized(EmailError::ALL, EmailError::code, EmailError::message);
    }

    #[test]
    fn names_are_trimmed_bounded_and_printable() {
        assert_eq!(validate_name("  张三 ", 10).as_deref(), Ok("张三"));
        assert_eq!(
            validate_name("\u{3000}张三\u{3000}", 10).as_deref(),
            Ok("张三")
        );
        assert_eq!(validate_name("张三", 2).as_deref(), Ok("张三"));
        assert_eq!(
            validate_name("张三丰", 2),
            Err(NameError::TooLong { max: 2 })
        );
        assert_eq!(validate_name("   ", 10), Err(NameError::Empty));
        assert_eq!(
            validate_name("张\n三", 10),
            Err(NameError::ControlCharacter)
        );
        assert_eq!(
            validate_name("张\u{7}三", 10),
            Err(NameError::ControlCharacter)
        );
        let f = NameError::TooLong { max: 50 }.field_error("name");
        assert!(f.message(Lang::ZhCn).contains("50") && f.message(Lang::En).contains("50"));
        assert_eq!(
            NameError::TooLong { max: 50 }.to_string(),
            "the name is longer than 50 characters"
        );
        for e in [
            NameError::Empty,
            NameError::TooLong { max: 1 },
            NameError::ControlCharacter,
        ] {
            assert!(!e.message(Lang::ZhCn).is_empty() && e.message(Lang::En).is_ascii());
        }
    }

    proptest! {
        #[test]
        fn normalising_is_idempotent(s in "[0-9 +()\\-转x]{0,20}") {
            if let Ok(n) = normalize_phone(&s) {
                prop_assert_eq!(normalize_phone(&n), Ok(n.clone()));
            }
        }

        #[test]
        fn any_mobile_is_found_in_any_spacing(rest in "[3-9][0-9]{9}", sep in "[ \\-]?") {
            let m = format!("1{rest}");
            let spaced = format!("+86{sep}{}{sep}{}{sep}{}", &m[..3], &m[3..7], &m[7..]);
            prop_assert_eq!(normalize_phone(&spaced), Ok(m));
        }
    }
}
