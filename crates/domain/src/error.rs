//! A validation problem tied to the field it concerns, worded in both languages.

use crate::Lang;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message_zh: String,
    pub message_en: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> FieldError {
        FieldError {
            field: field.into(),
            code,
            message_zh: zh.into(),
            message_en: en.into(),
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.message_zh,
            Lang::En => &self.message_en,
        }
    }
}
