//! Pinyin search keys for names, so 张三 is found by "zhangsan", "zs", and a polyphonic name by
//! any reading a user might type.

use pinyin::{Pinyin, PinyinResult};

/// The search keys of one name. All keys are lowercase ASCII pinyin without tones or spaces
/// (characters that are not Chinese are kept, lowercased).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct NameKeys {
    /// Full pinyin in the preferred reading: 张三 → "zhangsan".
    pub full: String,
    /// First letter of each syllable of the preferred reading: "zs".
    pub initials: String,
    /// Every combination of every reading of each character, preferred first (so `full` is
    /// the first), fewest changed characters next, at most [`MAX_VARIANTS`], deduplicated.
    /// ü is written both "v" and "u" (吕 → "lv", "lu").
    pub variants: Vec<String>,
    /// The initials of each variant, deduplicated (`initials` first).
    pub variant_initials: Vec<String>,
}

/// Most reading combinations kept per name: bounds the index for long polyphonic names.
pub const MAX_VARIANTS: usize = 16;

/// Surname readings the product owns where the pinyin library's differ from usage; the first
/// reading is preferred, the others are also indexed. Extend it when users report a wrong one.
const SURNAME_OVERRIDES: &[(char, &[&str])] = &[
    ('召', &["shao"]),
    ('折', &["she"]),
    ('乐', &["yue", "le"]),
    ('员', &["yun"]),
    ('能', &["nai"]),
    ('句', &["gou"]),
    ('么', &["yao"]),
    ('洗', &["xian"]),
];

fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// Full-width letters and digits (typed with a Chinese input method) as ASCII; whitespace
/// removed, since keys have no spaces and "单 某某" should still read its surname.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// A syllable as it is typed: tone marks dropped; ü as "v" and also as "u".
fn typed_forms(syllable: &str) -> Vec<String> {
    let mut base = String::with_capacity(syllable.len());
    let mut has_u_umlaut = false;
    for c in syllable.chars() {
        let plain = match c {
            'ā' | 'á' | 'ǎ' | 'à' | 'a' => 'a',
            'ē' | 'é' | 'ě' | 'è' | 'ê' | 'e' => 'e',
            'ī' | 'í' | 'ǐ' | 'ì' | 'i' => 'i',
            'ō' | 'ó' | 'ǒ' | 'ò' | 'o' => 'o',
            'ū' | 'ú' | 'ǔ' | 'ù' | 'u' => 'u',
            'ü' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => {
                has_u_umlaut = true;
                'v'
            }
            'ń' | 'ň' | 'ǹ' => 'n',
            'ḿ' => 'm',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => continue,
        };
        base.push(plain);
    }
    if base.is_empty() {
        return Vec::new();
    }
    let mut forms = vec![base.clone()];
    if has_u_umlaut {
        forms.push(base.replace('v', "u"));
    }
    forms
}

fn push_unique(list: &mut Vec<String>, items: impl IntoIterator<Item = String>) {
    for item in items {
        if !list.contains(&item) {
            list.push(item);
        }
    }
}

/// One position of a name: a Chinese character with its readings (preferred first), or a run of
/// other characters kept as written.
struct Unit {
    readings: Vec<String>,
    han: bool,
}

impl Unit {
    fn initial(&self, reading: &str) -> String {
        // A run of letters contributes its first letter, like a syllable; a run with digits is
        // kept whole ("3M" stays "3m"), since a lone digit is not what anyone would type.
        if !self.han && reading.chars().any(|c| c.is_ascii_digit()) {
            return reading.to_string();
        }
        reading.chars().next().map(String::from).unwrap_or_default()
    }
}

fn units(result: &PinyinResult) -> Vec<Unit> {
    let mut out = Vec::new();
    for word in result.words() {
        let mut chars = word.text.chars();
        let single = match (chars.next(), chars.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        };
        let matched = word.pinyin != word.text;
        if matched && word.text.chars().all(is_han) {
            let mut readings = Vec::new();
            for syllable in word.pinyin.split_whitespace() {
                push_unique(&mut readings, typed_forms(syllable));
            }
            if let Some(c) = single {
                for (_, alternatives) in Pinyin::heteronym(&c.to_string()) {
                    for r in alternatives {
                        push_unique(&mut readings, typed_forms(&r));
                    }
                }
            }
            if !readings.is_empty() {
                out.push(Unit {
                    readings,
                    han: true,
                });
            }
        } else {
            // Not Chinese (or a character the dictionary lacks): kept lowercased, punctuation
            // such as the "·" in transliterated names dropped.
            let kept: String = word
                .text
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            if !kept.is_empty() {
                out.push(Unit {
                    readings: vec![kept],
                    han: false,
                });
            }
        }
    }
    out
}

/// Reading choices (index into each unit's readings), the preferred one first, then those that
/// change one character, then two …, stopping at `max`.
fn combinations(units: &[Unit], max: usize) -> Vec<Vec<usize>> {
    fn choose(
        units: &[Unit],
        poly: &[usize],
        start: usize,
        left: usize,
        current: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
        max: usize,
    ) {
        if out.len() >= max {
            return;
        }
        if left == 0 {
            out.push(current.clone());
            return;
        }
        for (i, &pos) in poly.iter().enumerate().skip(start) {
            if poly.len() - i < left {
                break;
            }
            for alt in 1..units[pos].readings.len() {
                current[pos] = alt;
                choose(units, poly, i + 1, left - 1, current, out, max);
            }
            current[pos] = 0;
            if out.len() >= max {
                return;
            }
        }
    }

    let mut current = vec![0; units.len()];
    let mut out = vec![current.clone()];
    let poly: Vec<usize> = (0..units.len())
        .filter(|&i| units[i].readings.len() > 1)
        .collect();
    for changed in 1..=poly.len() {
        if out.len() >= max {
            break;
        }
        choose(units, &poly, 0, changed, &mut current, &mut out, max);
    }
    out
}

fn keys_from(units: &[Unit]) -> NameKeys {
    if units.is_empty() {
        return NameKeys::default();
    }
    let mut variants = Vec::new();
    let mut variant_initials = Vec::new();
    for combo in combinations(units, MAX_VARIANTS) {
        let mut full = String::new();
        let mut initials = String::new();
        for (unit, &i) in units.iter().zip(&combo) {
            let reading = unit.readings.get(i).map_or("", String::as_str);
            full.push_str(reading);
            initials.push_str(&unit.initial(reading));
        }
        push_unique(&mut variants, [full]);
        push_unique(&mut variant_initials, [initials]);
    }
    NameKeys {
        full: variants.first().cloned().unwrap_or_default(),
        initials: variant_initials.first().cloned().unwrap_or_default(),
        variants,
        variant_initials,
    }
}

/// Keys for a person's name. The surname takes its surname reading (曾 zeng, 单 shan, 解 xie,
/// 仇 qiu, 朴 piao, 区 ou, 查 zha, 长孙 zhangsun …), with the product's overrides (召 shao,
/// 折 she, 乐 yue|le, 员 yun) on top; other readings are still indexed as variants.
pub fn name_keys(name: &str) -> NameKeys {
    let name = clean(name);
    let mut units = units(&Pinyin::name(&name));
    let first = name.chars().next();
    let overridden = SURNAME_OVERRIDES.iter().find(|(c, _)| Some(*c) == first);
    if let (Some((_, readings)), Some(unit)) = (overridden, units.first_mut())
        && unit.han
    {
        let mut preferred = Vec::new();
        for r in *readings {
            push_unique(&mut preferred, typed_forms(r));
        }
        push_unique(&mut preferred, unit.readings.drain(..));
        unit.readings = preferred;
    }
    keys_from(&units)
}

/// Keys for company and product names: words are read as words (重庆 chongqing, 银行 yinhang,
/// 音乐 yinyue), other readings of each character are still indexed as variants.
pub fn text_keys(text: &str) -> NameKeys {
    keys_from(&units(&Pinyin::phrase(&clean(text))))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Whether a search for `query` (whole-key match) finds the name.
    fn finds(keys: &NameKeys, query: &str) -> bool {
        keys.variants.iter().any(|v| v == query) || keys.variant_initials.iter().any(|v| v == query)
    }

    #[test]
    fn zhang_san_is_zhangsan_and_zs() {
        let k = name_keys("张三");
        assert_eq!(k.full, "zhangsan");
        assert_eq!(k.initials, "zs");
        assert_eq!(k.variants[0], "zhangsan");
        assert_eq!(k.variant_initials[0], "zs");
        assert_eq!(name_keys(" 张 三 "), k);
    }

    #[test]
    fn surnames_take_their_surname_readings() {
        for (name, full, initials) in [
            ("曾明", "zengming", "zm"),
            ("单明", "shanming", "sm"),
            ("解明", "xieming", "xm"),
            ("仇明", "qiuming", "qm"),
            ("朴明", "piaoming", "pm"),
            ("区明", "ouming", "om"),
            ("查明", "zhaming", "zm"),
            ("长孙无忌", "zhangsunwuji", "zswj"),
            ("尉迟恭", "yuchigong", "ycg"),
            ("万俟明", "moqiming", "mqm"),
            ("召明", "shaoming", "sm"),
            ("折明", "sheming", "sm"),
            ("乐明", "yueming", "ym"),
            ("员明", "yunming", "ym"),
        ] {
            let k = name_keys(name);
            assert_eq!(k.full, full, "{name}");
            assert_eq!(k.initials, initials, "{name}");
        }
        // The override's second reading, and the library's everyday readings, still find them.
        let le = name_keys("乐明");
        assert!(finds(&le, "leming") && finds(&le, "lm") && finds(&le, "ym"));
        assert!(finds(&name_keys("曾明"), "cengming"));
        assert!(finds(&name_keys("单明"), "danming"));
        assert!(finds(&name_keys("召明"), "zhaoming"));
        assert_eq!(name_keys("单明").initials, "sm");
    }

    #[test]
    fn polyphonic_given_names_are_found_by_every_reading_full_and_initials() {
        // (name, two readings a user may type, their initials)
        let cases: &[(&str, [&str; 2], [&str; 2])] = &[
            ("张乐", ["zhangle", "zhangyue"], ["zl", "zy"]),
            ("李长青", ["lichangqing", "lizhangqing"], ["lcq", "lzq"]),
            ("王重阳", ["wangchongyang", "wangzhongyang"], ["wcy", "wzy"]),
            ("刘行", ["liuxing", "liuhang"], ["lx", "lh"]),
            ("陈朝阳", ["chenzhaoyang", "chenchaoyang"], ["czy", "ccy"]),
            ("周传", ["zhouchuan", "zhouzhuan"], ["zc", "zz"]),
            ("吴藏", ["wucang", "wuzang"], ["wc", "wz"]),
            ("孙率", ["sunshuai", "sunlv"], ["ss", "sl"]),
            ("郑和", ["zhenghe", "zhenghuo"], ["zh", "zh"]),
            ("冯都", ["fengdu", "fengdou"], ["fd", "fd"]),
            ("何参", ["hecan", "heshen"], ["hc", "hs"]),
            ("林单", ["lindan", "linshan"], ["ld", "ls"]),
            ("杨会", ["yanghui", "yangkuai"], ["yh", "yk"]),
            ("许曾", ["xuceng", "xuzeng"], ["xc", "xz"]),
            ("高调", ["gaodiao", "gaotiao"], ["gd", "gt"]),
            ("罗还", ["luohai", "luohuan"], ["lh", "lh"]),
            ("谢强", ["xieqiang", "xiejiang"], ["xq", "xj"]),
            ("宋解", ["songjie", "songxie"], ["sj", "sx"]),
            ("郭省", ["guosheng", "guoxing"], ["gs", "gx"]),
            ("唐朴", ["tangpu", "tangpiao"], ["tp", "tp"]),
            ("韩查", ["hancha", "hanzha"], ["hc", "hz"]),
            ("邓区", ["dengqu", "dengou"], ["dq", "do"]),
            ("马乐乐", ["malele", "mayueyue"], ["mll", "myy"]),
            ("黄的", ["huangde", "huangdi"], ["hd", "hd"]),
            ("赵长乐", ["zhaochangle", "zhaozhangyue"], ["zcl", "zzy"]),
            ("孙朝晖", ["sunzhaohui", "sunchaohui"], ["szh", "sch"]),
            ("林行健", ["linxingjian", "linhangjian"], ["lxj", "lhj"]),
            ("黄乐山", ["huangleshan", "huangyueshan"], ["hls", "hys"]),
            ("吴重光", ["wuchongguang", "wuzhongguang"], ["wcg", "wzg"]),
            ("钱参", ["qiancan", "qianshen"], ["qc", "qs"]),
            ("许还珠", ["xuhuanzhu", "xuhaizhu"], ["xhz", "xhz"]),
            ("高率真", ["gaoshuaizhen", "gaolvzhen"], ["gsz", "glz"]),
            ("宋省吾", ["songxingwu", "songshengwu"], ["sxw", "ssw"]),
            ("曹调", ["caodiao", "caotiao"], ["cd", "ct"]),
            ("彭会", ["penghui", "pengkuai"], ["ph", "pk"]),
            ("杨柏", ["yangbai", "yangbo"], ["yb", "yb"]),
            ("王晟", ["wangsheng", "wangcheng"], ["ws", "wc"]),
            ("郑藏锋", ["zhengcangfeng", "zhengzangfeng"], ["zcf", "zzf"]),
        ];
        assert!(cases.len() >= 30);
        for (name, fulls, initials) in cases {
            let k = name_keys(name);
            for full in fulls {
                assert!(
                    k.variants.iter().any(|v| v == full),
                    "{name} by {full}: {k:?}"
                );
            }
            for ini in initials {
                assert!(
                    k.variant_initials.iter().any(|v| v == ini),
                    "{name} by {ini}: {k:?}"
                );
            }
            // The preferred key is one of the readings, and its initials go with it.
            assert!(fulls.contains(&k.full.as_str()), "{name}: {}", k.full);
            let i = fulls.iter().position(|f| *f == k.full).unwrap();
            assert_eq!(k.initials, initials[i], "{name}");
            assert!(k.variants.len() <= MAX_VARIANTS);
        }
        assert!(finds(&name_keys("马乐乐"), "mayuele"));
        assert!(finds(&name_keys("马乐乐"), "myl"));
    }

    #[test]
    fn more_surnames_take_their_surname_readings_first() {
        for (name, full, initials) in [
            ("盖明", "geming", "gm"),
            ("缪明", "miaoming", "mm"),
            ("覃明", "qinming", "qm"),
            ("种明", "chongming", "cm"),
            ("秘明", "biming", "bm"),
            ("繁明", "poming", "pm"),
            ("翟明", "zhaiming", "zm"),
            ("宓明", "miming", "mm"),
            ("冼明", "xianming", "xm"),
            ("阚明", "kanming", "km"),
            ("任明", "renming", "rm"),
            ("那明", "naming", "nm"),
            ("贾明", "jiaming", "jm"),
            ("薄明", "boming", "bm"),
            ("柏明", "baiming", "bm"),
            ("能明", "naiming", "nm"),
            ("句明", "gouming", "gm"),
            ("么明", "yaoming", "ym"),
            ("洗明", "xianming", "xm"),
        ] {
            let k = name_keys(name);
            assert_eq!(
                (k.full.as_str(), k.initials.as_str()),
                (full, initials),
                "{name}"
            );
        }
        // The everyday readings of the overridden ones still find them.
        assert!(finds(&name_keys("能明"), "nengming"));
        assert!(finds(&name_keys("句明"), "juming"));
        assert!(finds(&name_keys("覃明"), "tanming"));
    }

    #[test]
    fn u_umlaut_is_typed_as_v_and_as_u() {
        let k = name_keys("吕女士");
        assert_eq!(k.full, "lvnvshi");
        assert!(finds(&k, "lunushi"));
        assert!(finds(&k, "lvnushi"));
        assert_eq!(k.initials, "lns");
        let k = name_keys("绿地");
        assert!(finds(&k, "lvdi") && finds(&k, "ludi"));
    }

    #[test]
    fn other_characters_are_kept_lowercased_without_spaces_or_punctuation() {
        let k = name_keys("David 王");
        assert_eq!(k.full, "davidwang");
        assert_eq!(k.initials, "dw");
        let k = name_keys("阿卜杜·热合曼");
        assert_eq!(k, name_keys("阿卜杜热合曼"));
        assert!(k.full.is_ascii() && k.full.starts_with('a'), "{}", k.full);
        let k = text_keys("3M 中国");
        assert_eq!(k.full, "3mzhongguo");
        assert_eq!(k.initials, "3mzg");
        let k = text_keys("ＡＢＣ科技");
        assert_eq!(k.full, "abckeji");
        assert_eq!(name_keys(""), NameKeys::default());
        assert_eq!(name_keys("  ·  "), NameKeys::default());
    }

    #[test]
    fn phrases_read_as_words() {
        assert_eq!(text_keys("重庆").full, "chongqing");
        assert_eq!(text_keys("银行").full, "yinhang");
        assert_eq!(text_keys("音乐").full, "yinyue");
        assert_eq!(text_keys("重庆银行").initials, "cqyh");
        assert_eq!(
            text_keys("中国银行（深圳分行）").full,
            "zhongguoyinhangshenzhenfenhang"
        );
        // The per-character readings are variants, so a user typing them still finds it.
        assert!(finds(&text_keys("重庆"), "zhongqing"));
    }

    #[test]
    fn long_polyphonic_names_are_bounded_and_prefer_few_changes() {
        let k = text_keys("重长行乐和朝传藏参会调还");
        assert_eq!(k.variants.len(), MAX_VARIANTS);
        assert_eq!(k.variants[0], k.full);
        // The first alternatives each change a single character of the preferred reading.
        let full_len = k.full.len();
        assert!(
            k.variants[1..4]
                .iter()
                .all(|v| v.len().abs_diff(full_len) <= 3)
        );
        assert!(k.variant_initials.len() <= MAX_VARIANTS);
    }

    proptest! {
        #[test]
        fn keys_are_lowercase_bounded_and_start_with_full(name in "[张王李单曾乐长重行吕a-zA-Z0-9 ]{0,12}") {
            let k = name_keys(&name);
            prop_assert!(k.variants.len() <= MAX_VARIANTS);
            prop_assert!(k.variant_initials.len() <= MAX_VARIANTS);
            for key in k.variants.iter().chain(&k.variant_initials) {
                prop_assert!(key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()), "{}", key);
            }
            if k.full.is_empty() {
                prop_assert!(k.variants.is_empty());
            } else {
                prop_assert_eq!(&k.variants[0], &k.full);
                prop_assert_eq!(&k.variant_initials[0], &k.initials);
            }
            let mut dedup = k.variants.clone();
            dedup.sort();
            dedup.dedup();
            prop_assert_eq!(dedup.len(), k.variants.len());
        }
    }
}
