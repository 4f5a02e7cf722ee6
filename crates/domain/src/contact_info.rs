//! Phone numbers and e-mail addresses: normalised so they compare, search and dial alike.

use crate::Lang;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("a phone number has only digits, spaces, dashes, brackets and an optional +")]
    BadCharacters,
    #[error("not a valid mobile or landline number")]
    Invalid,
}

impl PhoneError {
    pub fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (PhoneError::BadCharacters, Lang::ZhCn) => {
                "电话号码只能包含数字、空格、横线、括号和开头的 +"
            }
            (PhoneError::BadCharacters, Lang::En) => {
                "a phone number has only digits, spaces, dashes, brackets and a leading +"
            }
            (PhoneError::Invalid, Lang::ZhCn) => {
                "不是有效的手机号或座机号（例如 13812345678 或 010-12345678）"
            }
            (PhoneError::Invalid, Lang::En) => {
                "not a valid mobile or landline number (e.g. 13812345678 or 010-12345678)"
            }
        }
    }
}

fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// Mobiles become 11 digits; landlines "010-12345678[-ext]"; other countries "+<digits>".
pub fn normalize_phone(s: &str) -> Result<String, PhoneError> {
    let s = half_width(s).trim().to_lowercase();
    let (main, ext) = match s
        .split_once("转")
        .or_else(|| s.split_once("ext"))
        .or_else(|| s.split_once('x'))
    {
        Some((m, e)) => (
            m.trim().to_string(),
            Some(e.trim().trim_start_matches(['.', ':']).trim().to_string()),
        ),
        None => (s.clone(), None),
    };
    if !main
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '+' | '.'))
    {
        return Err(PhoneError::BadCharacters);
    }
    if let Some(e) = &ext
        && (e.is_empty() || e.len() > 6 || !e.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(PhoneError::Invalid);
    }
    let plus = main.trim_start().starts_with('+');
    let mut digits: String = main.chars().filter(char::is_ascii_digit).collect();
    let international = plus || digits.starts_with("00");
    if international {
        if let Some(rest) = digits.strip_prefix("00") {
            digits = rest.to_string();
        }
        match digits.strip_prefix("86") {
            Some(rest) => digits = rest.to_string(),
            None => {
                return if (8..=15).contains(&digits.len()) && ext.is_none() {
                    Ok(format!("+{digits}"))
                } else {
                    Err(PhoneError::Invalid)
                };
            }
        }
    } else if digits.len() == 13 && digits.starts_with("86") && digits[2..].starts_with('1') {
        digits = digits[2..].to_string();
    }
    // Mobile: 11 digits starting 13–19.
    if digits.len() == 11
        && digits.starts_with('1')
        && matches!(digits.as_bytes()[1], b'3'..=b'9')
        && ext.is_none()
    {
        return Ok(digits);
    }
    // Landline: area code (010, 02x, 0xxx) and a 7–8 digit local number.
    if international && !digits.starts_with('0') {
        digits = format!("0{digits}");
    }
    if digits.starts_with('0') && (10..=12).contains(&digits.len()) {
        let area_len = if digits.starts_with("01") || digits.starts_with("02") {
            3
        } else {
            4
        };
        let local = &digits[area_len..];
        if (7..=8).contains(&local.len()) {
            let base = format!("{}-{local}", &digits[..area_len]);
            return Ok(match ext {
                Some(e) => format!("{base}-{e}"),
                None => base,
            });
        }
    }
    Err(PhoneError::Invalid)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid e-mail address")]
pub struct EmailError;

/// Trims, lowercases the domain, and checks the shape "local@domain.tld".
pub fn normalize_email(s: &str) -> Result<String, EmailError> {
    let s = half_width(s).trim().to_string();
    let (local, domain) = s.split_once('@').ok_or(EmailError)?;
    let ok = !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && s.len() <= 254;
    if !ok {
        return Err(EmailError);
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_in_every_common_form() {
        for s in [
            "13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "+86 138 1234 5678",
            "0086-13812345678",
            "８６１３８１２３４５６７８",
        ] {
            assert_eq!(normalize_phone(s).as_deref(), Ok("13812345678"), "{s}");
        }
    }

    #[test]
    fn landlines_with_area_code_and_extension() {
        assert_eq!(
            normalize_phone("010-12345678").as_deref(),
            Ok("010-12345678")
        );
        assert_eq!(
            normalize_phone("0755 8888 9999").as_deref(),
            Ok("0755-88889999")
        );
        assert_eq!(
            normalize_phone("(021)12345678").as_deref(),
            Ok("021-12345678")
        );
        assert_eq!(
            normalize_phone("010-12345678转123").as_deref(),
            Ok("010-12345678-123")
        );
        assert_eq!(
            normalize_phone("+44 20 7946 0958").as_deref(),
            Ok("+442079460958")
        );
    }

    #[test]
    fn malformed_numbers_are_refused() {
        assert_eq!(normalize_phone("12345"), Err(PhoneError::Invalid));
        assert_eq!(
            normalize_phone("1381234567a"),
            Err(PhoneError::BadCharacters)
        );
        assert_eq!(normalize_phone("12812345678"), Err(PhoneError::Invalid));
    }

    #[test]
    fn emails() {
        assert_eq!(
            normalize_email(" Li.Si@Example.COM ").as_deref(),
            Ok("Li.Si@example.com")
        );
        assert!(normalize_email("no-at-sign").is_err());
        assert!(normalize_email("a@b").is_err());
        assert!(normalize_email("a b@c.com").is_err());
    }
}
