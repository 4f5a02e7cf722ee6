//! Money in integer 分 (hundredths) with a currency code, formatted as users expect.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("empty amount")]
    Empty,
    #[error("not a number")]
    NotANumber,
    #[error("more than two decimal places")]
    TooPrecise,
    #[error("amount too large")]
    Overflow,
}

fn symbol(currency: &str) -> Option<&'static str> {
    match currency {
        "CNY" => Some("¥"),
        "USD" => Some("$"),
        "EUR" => Some("€"),
        _ => None,
    }
}

/// ¥1,234.50 for 123450 CNY; other currencies without a symbol read "JPY 1,234.50".
pub fn format_money(fen: i64, currency: &str) -> String {
    let negative = fen < 0;
    let abs = fen.unsigned_abs();
    let (yuan, cents) = (abs / 100, abs % 100);
    let digits = yuan.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let number = format!("{grouped}.{cents:02}");
    let sign = if negative { "-" } else { "" };
    match symbol(currency) {
        Some(s) => format!("{sign}{s}{number}"),
        None => format!("{sign}{currency} {number}"),
    }
}

/// Reads an amount in yuan ("1,234.5", "¥1,234.50", full-width digits) into 分.
pub fn parse_money(s: &str) -> Result<i64, MoneyError> {
    let half: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' | '．' | '，' | '－' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !matches!(c, ',' | ' ' | '¥' | '￥' | '$' | '€'))
        .collect();
    let t = half.trim();
    if t.is_empty() {
        return Err(MoneyError::Empty);
    }
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (int_part, frac_part) = match t.split_once('.') {
        Some((i, f)) => (i, f),
        None => (t, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(MoneyError::NotANumber);
    }
    if !int_part.chars().all(|c| c.is_ascii_digit())
        || !frac_part.chars().all(|c| c.is_ascii_digit())
    {
        return Err(MoneyError::NotANumber);
    }
    if frac_part.len() > 2 {
        return Err(MoneyError::TooPrecise);
    }
    let yuan: i64 = if int_part.is_empty() {
        0
    } else {
        int_part.parse().map_err(|_| MoneyError::Overflow)?
    };
    let cents: i64 = format!("{frac_part:0<2}")
        .parse()
        .map_err(|_| MoneyError::NotANumber)?;
    let fen = yuan
        .checked_mul(100)
        .and_then(|v| v.checked_add(cents))
        .ok_or(MoneyError::Overflow)?;
    Ok(if negative { -fen } else { fen })
}

pub fn is_currency_code(s: &str) -> bool {
    s.len() == 3 && s.chars().all(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_grouping_and_symbol() {
        assert_eq!(format_money(123450, "CNY"), "¥1,234.50");
        assert_eq!(format_money(-5, "CNY"), "-¥0.05");
        assert_eq!(format_money(100000000, "USD"), "$1,000,000.00");
        assert_eq!(format_money(99, "JPY"), "JPY 0.99");
    }

    #[test]
    fn parses_what_people_type() {
        assert_eq!(parse_money("1,234.5"), Ok(123450));
        assert_eq!(parse_money("¥1,234.50"), Ok(123450));
        assert_eq!(parse_money("１２３４．５"), Ok(123450));
        assert_eq!(parse_money("0.07"), Ok(7));
        assert_eq!(parse_money("1.234"), Err(MoneyError::TooPrecise));
        assert_eq!(parse_money("abc"), Err(MoneyError::NotANumber));
        assert_eq!(parse_money(""), Err(MoneyError::Empty));
        assert_eq!(
            parse_money("99999999999999999999"),
            Err(MoneyError::Overflow)
        );
    }
}
