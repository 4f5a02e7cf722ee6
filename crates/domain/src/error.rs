//! A validation problem tied to the field it concerns, worded in both languages.

use std::fmt;

use crate::Lang;

/// Which field is wrong and why, so a form or an import report can say so in either language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// The field's key as the caller names it ("phone", "archive.basic.owner.age" …).
    pub field: String,
    /// A stable machine code for the problem ("too_long", "invalid_phone" …).
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

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message_en)
    }
}

impl std::error::Error for FieldError {}

/// Declares an error enum whose variants carry a code and a zh-CN/en message: `Display` is the
/// English message; `code()`, `message(lang)` and `field_error(field)` serve forms and imports.
macro_rules! localized_error {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $code:literal, $zh:literal, $en:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
        pub enum $name {
            $( $(#[$vmeta])* #[error($en)] $variant, )+
        }

        impl $name {
            pub const ALL: &'static [$name; [$($code),+].len()] = &[$($name::$variant),+];

            /// A stable machine code for the problem.
            pub fn code(&self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// Why the value was refused, in `lang`.
            pub fn message(&self, lang: $crate::Lang) -> &'static str {
                match lang {
                    $crate::Lang::ZhCn => match self { $($name::$variant => $zh,)+ },
                    $crate::Lang::En => match self { $($name::$variant => $en,)+ },
                }
            }

            /// The same problem tied to a field, for a form or an import report.
            pub fn field_error(&self, field: impl Into<String>) -> $crate::FieldError {
                $crate::FieldError::new(
                    field,
                    self.code(),
                    self.message($crate::Lang::ZhCn),
                    self.message($crate::Lang::En),
                )
            }
        }
    };
}
pub(crate) use localized_error;

/// Shared checks for localized errors, run from each module's tests.
#[cfg(test)]
pub(crate) fn assert_localized<E: std::fmt::Display>(
    all: &[E],
    code: impl Fn(&E) -> &'static str,
    message: impl Fn(&E, Lang) -> &'static str,
) {
    let mut codes = std::collections::HashSet::new();
    for e in all {
        assert!(codes.insert(code(e)), "duplicate code {}", code(e));
        let zh = message(e, Lang::ZhCn);
        assert!(
            zh.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
            "zh message has Chinese: {zh}"
        );
        assert!(message(e, Lang::En).is_ascii(), "en message is English");
        assert_eq!(e.to_string(), message(e, Lang::En));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_error_speaks_both_languages() {
        let e = FieldError::new("phone", "invalid_phone", "号码无效", "invalid number");
        assert_eq!(e.message(Lang::ZhCn), "号码无效");
        assert_eq!(e.message(Lang::En), "invalid number");
        assert_eq!(e.to_string(), "phone: invalid number");
    }
}
