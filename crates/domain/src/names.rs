//! Pinyin keys for names, so search finds 张三 by "zhangsan", "zs" or any reading of a
//! polyphonic character a user might type.

use pinyin::Pinyin;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameKeys {
    /// Full pinyin in the preferred reading, lowercase, no tones or spaces.
    pub full: String,
    /// First letters of the preferred reading.
    pub initials: String,
    /// Other readings (every heteronym combination, bounded).
    pub variants: Vec<String>,
    pub variant_initials: Vec<String>,
}

/// Most reading combinations indexed per name: bounds growth for long polyphonic names.
const MAX_VARIANTS: usize = 16;

/// Surname readings the product owns where the library's differ from common usage.
const SURNAME_OVERRIDES: &[(&str, &[&str])] = &[
    ("召", &["shao"]),
    ("折", &["she"]),
    ("乐", &["yue", "le"]),
    ("员", &["yun"]),
];

fn strip_tone(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            Some(match c {
                'ā' | 'á' | 'ǎ' | 'à' => 'a',
                'ē' | 'é' | 'ě' | 'è' => 'e',
                'ī' | 'í' | 'ǐ' | 'ì' => 'i',
                'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
                'ū' | 'ú' | 'ǔ' | 'ù' => 'u',
                'ü' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'v',
                'ń' | 'ň' | 'ǹ' => 'n',
                'ḿ' => 'm',
                c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
                c if c.is_alphanumeric() => c,
                _ => return None,
            })
        })
        .collect()
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// Syllables of the preferred reading, one per character (non-Chinese runs kept as one).
fn syllables(result: pinyin::PinyinResult) -> Vec<String> {
    result
        .to_vec()
        .iter()
        .flat_map(|w| w.split_whitespace().map(strip_tone).collect::<Vec<_>>())
        .filter(|s| !s.is_empty())
        .collect()
}

fn keys_from(preferred: Vec<String>, name: &str) -> NameKeys {
    let full = preferred.concat();
    let initials: String = preferred.iter().filter_map(|s| s.chars().next()).collect();
    // Every reading of each Chinese character, preferred first.
    let mut per_char: Vec<Vec<String>> = Vec::new();
    for (i, c) in name.chars().filter(|c| !c.is_whitespace()).enumerate() {
        let mut readings: Vec<String> = Vec::new();
        if let Some(p) = preferred.get(i) {
            readings.push(p.clone());
        }
        if is_han(c) {
            for (_, rs) in Pinyin::heteronym(&c.to_string()) {
                for r in rs {
                    let r = strip_tone(&r);
                    if !r.is_empty() && !readings.contains(&r) {
                        readings.push(r);
                    }
                }
            }
        }
        if readings.is_empty() {
            readings.push(c.to_lowercase().collect());
        }
        per_char.push(readings);
    }
    let mut combos: Vec<Vec<String>> = vec![Vec::new()];
    for readings in &per_char {
        let mut next = Vec::new();
        for combo in &combos {
            for r in readings {
                if next.len() >= MAX_VARIANTS {
                    break;
                }
                let mut c = combo.clone();
                c.push(r.clone());
                next.push(c);
            }
        }
        combos = next;
    }
    let mut variants: Vec<String> = combos
        .iter()
        .map(|c| c.concat())
        .filter(|v| *v != full)
        .collect();
    variants.dedup();
    let mut variant_initials: Vec<String> = combos
        .iter()
        .map(|c| {
            c.iter()
                .filter_map(|s| s.chars().next())
                .collect::<String>()
        })
        .filter(|v| *v != initials)
        .collect();
    variant_initials.sort();
    variant_initials.dedup();
    NameKeys {
        full,
        initials,
        variants,
        variant_initials,
    }
}

/// Keys for a person's name: the surname takes its surname reading (曾 zeng, 单 shan …).
pub fn name_keys(name: &str) -> NameKeys {
    let name = name.trim();
    let mut preferred = syllables(Pinyin::name(name));
    if let Some(first) = name.chars().next()
        && let Some((_, readings)) = SURNAME_OVERRIDES.iter().find(|(s, _)| s.starts_with(first))
        && let (Some(slot), Some(r)) = (preferred.first_mut(), readings.first())
    {
        *slot = (*r).to_string();
    }
    if preferred.len() != name.chars().filter(|c| !c.is_whitespace()).count() {
        return NameKeys {
            full: preferred.concat(),
            initials: preferred.iter().filter_map(|s| s.chars().next()).collect(),
            ..Default::default()
        };
    }
    keys_from(preferred, name)
}

/// Keys for company and product names: phrase readings (重庆 chongqing, 银行 yinhang).
pub fn text_keys(text: &str) -> NameKeys {
    let text = text.trim();
    let preferred = syllables(Pinyin::phrase(text));
    if preferred.len() != text.chars().filter(|c| !c.is_whitespace()).count() {
        // Mixed text (letters, digits) groups differently; keep the plain keys only.
        return NameKeys {
            full: preferred.concat(),
            initials: preferred.iter().filter_map(|s| s.chars().next()).collect(),
            ..Default::default()
        };
    }
    keys_from(preferred, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zhang_san_is_zhangsan_and_zs() {
        let k = name_keys("张三");
        assert_eq!(k.full, "zhangsan");
        assert_eq!(k.initials, "zs");
    }

    #[test]
    fn surnames_take_their_surname_readings() {
        for (name, want) in [
            ("曾", "zeng"),
            ("单", "shan"),
            ("解", "xie"),
            ("仇", "qiu"),
            ("朴", "piao"),
            ("区", "ou"),
            ("查", "zha"),
        ] {
            let k = name_keys(&format!("{name}明"));
            assert!(k.full.starts_with(want), "{name}: {}", k.full);
        }
        assert!(name_keys("长孙无忌").full.starts_with("zhangsun"));
    }

    #[test]
    fn a_polyphonic_given_name_is_found_by_every_reading() {
        let k = name_keys("张乐");
        let all: Vec<&String> = std::iter::once(&k.full).chain(k.variants.iter()).collect();
        assert!(all.iter().any(|v| v.as_str() == "zhangle"), "{all:?}");
        assert!(all.iter().any(|v| v.as_str() == "zhangyue"), "{all:?}");
    }

    #[test]
    fn phrases_read_as_words() {
        assert_eq!(text_keys("重庆").full, "chongqing");
        assert_eq!(text_keys("银行").full, "yinhang");
    }
}
