//! Money as integer 分 (hundredths) with a currency code, written and read as people expect.

use crate::error::localized_error;

localized_error!(
    /// Why a typed amount was refused.
    MoneyError {
        Empty => "empty", "请输入金额", "enter an amount";
        NotANumber => "not_a_number", "金额不是有效的数字", "the amount is not a number";
        BadGrouping => "bad_grouping",
            "千位分隔符的位置不对（应为 1,234,567.89）",
            "thousands separators are misplaced (write 1,234,567.89)";
        TooPrecise => "too_precise", "金额最多两位小数", "an amount has at most two decimal places";
        Overflow => "overflow", "金额太大", "the amount is too large";
    }
);

/// The symbol written before amounts in the currencies our users deal in.
fn symbol(currency: &str) -> Option<&'static str> {
    match currency {
        "CNY" => Some("¥"),
        "USD" => Some("$"),
        "EUR" => Some("€"),
        _ => None,
    }
}

/// "1,234.50" for 123450: thousands grouped, always two decimals, no sign or symbol.
pub fn format_amount(fen: i64) -> String {
    let abs = fen.unsigned_abs();
    let digits = (abs / 100).to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{grouped}.{:02}", abs % 100)
}

/// "¥1,234.50" for 123450 CNY, "-¥1,234.50" when negative, "$" for USD, "€" for EUR;
/// other currencies read "JPY 1,234.50" (code, space, amount).
pub fn format_money(fen: i64, currency: &str) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let number = format_amount(fen);
    match symbol(currency) {
        Some(s) => format!("{sign}{s}{number}"),
        None => format!("{sign}{currency} {number}"),
    }
}

/// "1234.50" / "-0.05": no grouping or symbol, for form inputs and exports that re-import.
pub fn format_decimal(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Full-width digits and signs (typed with a Chinese input method) read as their ASCII forms.
fn half_width(c: char) -> char {
    match c {
        '０'..='９' | '．' | '，' | '－' | '＋' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Reads an amount in yuan into 分: "1234.5", "1,234.50", "¥1,234.50", "-¥5", "１２３４．５",
/// "1234元", and what [`format_money`] writes ("JPY 1,234.50"). The currency written is not
/// checked against anything: the caller holds the currency separately.
pub fn parse_money(s: &str) -> Result<i64, MoneyError> {
    let text: String = s.chars().map(half_width).collect();
    let mut t = text.trim();
    if t.is_empty() {
        return Err(MoneyError::Empty);
    }
    let mut negative = false;
    // Sign and currency marks may come in either order: "-¥5" (as we write it) or "¥-5".
    for _ in 0..2 {
        if let Some(rest) = t.strip_prefix('-') {
            if negative {
                return Err(MoneyError::NotANumber);
            }
            negative = true;
            t = rest.trim_start();
        } else if let Some(rest) = t.strip_prefix('+') {
            t = rest.trim_start();
        }
        t = strip_currency_prefix(t);
    }
    let t = t.strip_suffix('元').unwrap_or(t).trim_end();
    if t.is_empty() {
        return Err(MoneyError::NotANumber);
    }
    let (int_part, frac_part) = t.split_once('.').unwrap_or((t, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(MoneyError::NotANumber);
    }
    if !frac_part.chars().all(|c| c.is_ascii_digit()) {
        return Err(MoneyError::NotANumber);
    }
    let int_digits = ungroup(int_part)?;
    if frac_part.len() > 2 {
        return Err(MoneyError::TooPrecise);
    }
    // Computed wide so that the most negative amount (which has no positive twin) reads back.
    let yuan: i128 = if int_digits.is_empty() {
        0
    } else if int_digits.len() > 20 {
        return Err(MoneyError::Overflow);
    } else {
        int_digits.parse().map_err(|_| MoneyError::Overflow)?
    };
    let cents: i128 = match frac_part.len() {
        0 => 0,
        1 => i128::from(frac_part.as_bytes()[0] - b'0') * 10,
        _ => frac_part.parse().map_err(|_| MoneyError::NotANumber)?,
    };
    let fen = yuan * 100 + cents;
    i64::try_from(if negative { -fen } else { fen }).map_err(|_| MoneyError::Overflow)
}

fn strip_currency_prefix(t: &str) -> &str {
    for sym in ["¥", "￥", "$", "€"] {
        if let Some(rest) = t.strip_prefix(sym) {
            return rest.trim_start();
        }
    }
    // A three-letter code as format_money writes it for other currencies ("JPY 1,234.50").
    let code: String = t.chars().take(3).collect();
    if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) {
        return t[3..].trim_start();
    }
    t
}

/// The integer digits with thousands separators checked and removed.
fn ungroup(int_part: &str) -> Result<String, MoneyError> {
    if !int_part.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return Err(MoneyError::NotANumber);
    }
    if !int_part.contains(',') {
        return Ok(int_part.to_string());
    }
    // "12,34" could be a decimal comma: refuse it rather than read 1234.
    let groups: Vec<&str> = int_part.split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
        return Err(MoneyError::BadGrouping);
    }
    Ok(groups.concat())
}

/// An ISO 4217 code in shape: three ASCII capital letters.
pub fn is_currency_code(s: &str) -> bool {
    s.len() == 3 && s.chars().all(|c| c.is_ascii_uppercase())
}

/// An ISO 4217 currency code (three capital letters), stored inline so [`Money`] is `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    pub const CNY: Currency = Currency(*b"CNY");

    /// The code if it has the shape of one (three ASCII capitals).
    pub fn new(code: &str) -> Option<Currency> {
        if !is_currency_code(code) {
            return None;
        }
        let b = code.as_bytes();
        Some(Currency([b[0], b[1], b[2]]))
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII capitals get in (see `new`).
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Currency, D::Error> {
        let s = String::deserialize(d)?;
        Currency::new(&s).ok_or_else(|| serde::de::Error::custom("not a currency code"))
    }
}

/// An amount in 分 (hundredths) of a currency. Amounts of different currencies never add up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Money {
    pub fen: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(fen: i64, currency: Currency) -> Money {
        Money { fen, currency }
    }

    pub fn cny(fen: i64) -> Money {
        Money::new(fen, Currency::CNY)
    }

    /// The sum, or None when the currencies differ or it overflows.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| self.fen.checked_add(other.fen))
            .flatten()
            .map(|fen| Money::new(fen, self.currency))
    }
}

impl std::fmt::Display for Money {
    /// As users expect: "¥1,234.50".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format_money(self.fen, self.currency.as_str()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn formats_with_grouping_and_symbol() {
        assert_eq!(format_money(123450, "CNY"), "¥1,234.50");
        assert_eq!(format_money(-123450, "CNY"), "-¥1,234.50");
        assert_eq!(format_money(-5, "CNY"), "-¥0.05");
        assert_eq!(format_money(0, "CNY"), "¥0.00");
        assert_eq!(format_money(100, "CNY"), "¥1.00");
        assert_eq!(format_money(99_999, "CNY"), "¥999.99");
        assert_eq!(format_money(100_000, "CNY"), "¥1,000.00");
        assert_eq!(format_money(100_000_000, "USD"), "$1,000,000.00");
        assert_eq!(format_money(1_050, "EUR"), "€10.50");
        assert_eq!(format_money(123450, "JPY"), "JPY 1,234.50");
        assert_eq!(format_money(-99, "GBP"), "-GBP 0.99");
        assert_eq!(format_money(i64::MIN, "CNY"), "-¥92,233,720,368,547,758.08");
        assert_eq!(format_money(i64::MAX, "CNY"), "¥92,233,720,368,547,758.07");
        assert_eq!(format_amount(-123450), "1,234.50");
        assert_eq!(format_decimal(123450), "1234.50");
        assert_eq!(format_decimal(-5), "-0.05");
    }

    #[test]
    fn parses_what_people_type() {
        assert_eq!(parse_money("1234.5"), Ok(123450));
        assert_eq!(parse_money("1,234.50"), Ok(123450));
        assert_eq!(parse_money("¥1,234.50"), Ok(123450));
        assert_eq!(parse_money("￥1,234.50"), Ok(123450));
        assert_eq!(parse_money("１２３４．５"), Ok(123450));
        assert_eq!(parse_money("１，２３４．５０"), Ok(123450));
        assert_eq!(parse_money(" 1234 "), Ok(123400));
        assert_eq!(parse_money("1234元"), Ok(123400));
        assert_eq!(parse_money("0.07"), Ok(7));
        assert_eq!(parse_money(".5"), Ok(50));
        assert_eq!(parse_money("5."), Ok(500));
        assert_eq!(parse_money("-¥1,234.50"), Ok(-123450));
        assert_eq!(parse_money("¥-5"), Ok(-500));
        assert_eq!(parse_money("－5"), Ok(-500));
        assert_eq!(parse_money("+5"), Ok(500));
        assert_eq!(parse_money("$ 12"), Ok(1200));
        assert_eq!(parse_money("JPY 1,234.50"), Ok(123450));
        assert_eq!(parse_money("-0"), Ok(0));
        assert_eq!(parse_money("1,234,567"), Ok(123456700));
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        assert_eq!(parse_money(""), Err(MoneyError::Empty));
        assert_eq!(parse_money("   "), Err(MoneyError::Empty));
        assert_eq!(parse_money("1.234"), Err(MoneyError::TooPrecise));
        assert_eq!(parse_money("1.230"), Err(MoneyError::TooPrecise));
        assert_eq!(parse_money("abc"), Err(MoneyError::NotANumber));
        assert_eq!(parse_money("¥"), Err(MoneyError::NotANumber));
        assert_eq!(parse_money("."), Err(MoneyError::NotANumber));
        assert_eq!(parse_money("-"), Err(MoneyError::NotANumber));
        assert_eq!(parse_money("--5"), Err(MoneyError::NotANumber));
        assert_eq!(parse_money("1.2.3"), Err(MoneyError::NotANumber));
        assert_eq!(parse_money("1 234"), Err(MoneyError::NotANumber));
        assert_eq!(parse_money("1e5"), Err(MoneyError::NotANumber));
        assert_eq!(parse_money("12,34"), Err(MoneyError::BadGrouping));
        assert_eq!(parse_money("1234,567"), Err(MoneyError::BadGrouping));
        assert_eq!(parse_money(",123"), Err(MoneyError::BadGrouping));
        assert_eq!(
            parse_money("99999999999999999999"),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            parse_money("92233720368547758.08"),
            Err(MoneyError::Overflow)
        );
        assert_eq!(parse_money(&"9".repeat(400)), Err(MoneyError::Overflow));
        assert_eq!(parse_money("-92233720368547758.08"), Ok(i64::MIN));
        assert_eq!(parse_money("92233720368547758.07"), Ok(i64::MAX));
    }

    #[test]
    fn errors_explain_themselves_in_both_languages() {
        crate::error::assert_localized(MoneyError::ALL, MoneyError::code, MoneyError::message);
        let f = MoneyError::TooPrecise.field_error("amount");
        assert_eq!(f.field, "amount");
        assert_eq!(f.code, "too_precise");
    }

    #[test]
    fn money_carries_its_currency_and_displays_as_users_expect() {
        let m = Money::cny(123450);
        assert_eq!(m.to_string(), "¥1,234.50");
        assert_eq!(Money::cny(-123450).to_string(), "-¥1,234.50");
        assert_eq!(Money::cny(5).to_string(), "¥0.05");
        let usd = Money::new(100, Currency::new("USD").unwrap());
        assert_eq!(usd.to_string(), "$1.00");
        assert_eq!(m.checked_add(Money::cny(50)), Some(Money::cny(123500)));
        assert_eq!(m.checked_add(usd), None, "currencies never mix");
        assert_eq!(Money::cny(i64::MAX).checked_add(Money::cny(1)), None);
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, r#"{"fen":123450,"currency":"CNY"}"#);
        assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
        assert!(serde_json::from_str::<Money>(r#"{"fen":1,"currency":"cny"}"#).is_err());
        assert_eq!(
            Currency::new("RMB").map(|c| c.to_string()),
            Some("RMB".into())
        );
        assert_eq!(Currency::new("¥"), None);
    }

    #[test]
    fn currency_codes_are_three_capitals() {
        assert!(is_currency_code("CNY"));
        assert!(is_currency_code("USD"));
        assert!(!is_currency_code("cny"));
        assert!(!is_currency_code("CN"));
        assert!(!is_currency_code("CNYY"));
        assert!(!is_currency_code("C1Y"));
        assert!(!is_currency_code("ＣＮＹ"));
    }

    proptest! {
        #[test]
        fn what_we_write_reads_back(fen in any::<i64>(), cur in prop::sample::select(vec!["CNY", "USD", "EUR", "JPY"])) {
            prop_assert_eq!(parse_money(&format_money(fen, cur)), Ok(fen));
            prop_assert_eq!(parse_money(&format_decimal(fen)), Ok(fen));
        }
    }
}
