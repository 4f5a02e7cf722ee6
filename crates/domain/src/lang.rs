//! The two languages the product speaks: zh-CN (the default) and English.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: &'static [Lang; 2] = &[Lang::ZhCn, Lang::En];

    /// The BCP 47 tag stored in settings and sent in `Content-Language`.
    pub fn code(&self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Exact stored code only; use [`Lang::from_tag`] for what browsers and users send.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.iter().copied().find(|l| l.code() == code)
    }

    /// Reads a language tag by its primary subtag: "zh", "zh-CN", "zh_cn", "zh-Hans-CN",
    /// "en", "en-US" … Any Chinese variant maps to zh-CN, the only Chinese the product has
    /// (a zh-TW reader is better served by Simplified Chinese than by English).
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("zh") {
            Some(Lang::ZhCn)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language's name in `lang` ("中文", "English" …).
    pub fn label(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Lang::ZhCn, Lang::ZhCn) => "中文",
            (Lang::ZhCn, Lang::En) => "Chinese",
            (Lang::En, Lang::ZhCn) => "英文",
            (Lang::En, Lang::En) => "English",
        }
    }

    /// The language's name in itself, for a language switcher.
    pub fn native_name(&self) -> &'static str {
        self.label(*self)
    }

    /// Chooses between the two wordings of one text.
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_by_primary_language() {
        for tag in [
            "zh",
            "zh-CN",
            "zh-cn",
            "zh_CN",
            "ZH-cn",
            "zh-Hans-CN",
            "zh-TW",
            " zh ",
        ] {
            assert_eq!(Lang::from_tag(tag), Some(Lang::ZhCn), "{tag}");
        }
        for tag in ["en", "en-US", "en-GB", "EN", "en_us"] {
            assert_eq!(Lang::from_tag(tag), Some(Lang::En), "{tag}");
        }
        for tag in ["fr", "", "*", "zhx", "eng"] {
            assert_eq!(Lang::from_tag(tag), None, "{tag}");
        }
    }

    #[test]
    fn codes_round_trip_and_serde_uses_them() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(*l));
            assert_eq!(Lang::from_tag(l.code()), Some(*l));
            assert_eq!(
                serde_json::to_string(l).unwrap(),
                format!("\"{}\"", l.code())
            );
        }
        assert_eq!(Lang::from_code("zh"), None);
        assert_eq!(Lang::default(), Lang::ZhCn);
        assert_eq!(Lang::ZhCn.native_name(), "中文");
        assert_eq!(Lang::En.native_name(), "English");
        assert_eq!(Lang::En.pick("是", "yes"), "yes");
    }
}
