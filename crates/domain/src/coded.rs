//! The shape shared by every vocabulary enum stored by code: stable code, zh-CN/en label, serde.

use crate::Lang;

/// Implemented by every enum stored by its code, so pickers, parsers and reports can be generic.
///
/// Each implementor also has the same methods inherently (callers need not import this trait).
pub trait Coded: Sized + Copy + 'static {
    /// Every value, in display order.
    fn all() -> &'static [Self];
    /// The stable storage code (never shown to users, never translated).
    fn code(&self) -> &'static str;
    /// The value for a storage code; exact match only.
    fn from_code(code: &str) -> Option<Self>;
    /// The name users see.
    fn label(&self, lang: Lang) -> &'static str;

    /// Reads what a person typed: the code (any case) or the label in either language.
    fn from_code_or_label(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::all().iter().copied().find(|v| {
            v.code().eq_ignore_ascii_case(s)
                || v.label(Lang::ZhCn) == s
                || v.label(Lang::En).eq_ignore_ascii_case(s)
        })
    }
}

/// Declares a coded enum: the variants with code, zh-CN and en label; `ALL`, `code`,
/// `from_code`, `label`, the [`Coded`] trait, and serde as the code string.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $code:literal, $zh:literal, $en:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name; [$($code),+].len()] = &[$($name::$variant),+];

            /// The stable storage code.
            pub fn code(&self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The value for a storage code; exact match only (see `Coded::from_code_or_label`
            /// for what people type).
            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// The name users see, in `lang`.
            pub fn label(&self, lang: $crate::Lang) -> &'static str {
                match lang {
                    $crate::Lang::ZhCn => match self { $($name::$variant => $zh,)+ },
                    $crate::Lang::En => match self { $($name::$variant => $en,)+ },
                }
            }
        }

        impl $crate::coded::Coded for $name {
            fn all() -> &'static [Self] {
                $name::ALL
            }
            fn code(&self) -> &'static str {
                $name::code(self)
            }
            fn from_code(code: &str) -> Option<Self> {
                $name::from_code(code)
            }
            fn label(&self, lang: $crate::Lang) -> &'static str {
                $name::label(self, lang)
            }
        }
    };
}
pub(crate) use coded_enum;

/// Shared checks for coded enums, run from each module's tests.
#[cfg(test)]
pub(crate) fn assert_coded<T>()
where
    T: Coded + std::fmt::Debug + PartialEq + serde::Serialize + serde::de::DeserializeOwned,
{
    let mut codes = std::collections::HashSet::new();
    for v in T::all() {
        assert!(codes.insert(v.code()), "duplicate code {}", v.code());
        assert_eq!(T::from_code(v.code()), Some(*v), "code round trip");
        assert_eq!(T::from_code_or_label(v.label(Lang::ZhCn)), Some(*v));
        assert_eq!(T::from_code_or_label(v.label(Lang::En)), Some(*v));
        assert!(!v.label(Lang::ZhCn).is_empty() && !v.label(Lang::En).is_empty());
        let json = serde_json::to_string(v).unwrap_or_default();
        assert_eq!(json, format!("\"{}\"", v.code()), "serde writes the code");
        let back: Option<T> = serde_json::from_str(&json).ok();
        assert_eq!(back, Some(*v), "serde reads the code");
    }
    assert_eq!(T::from_code(""), None);
    assert_eq!(T::from_code("no-such-code"), None);
    assert!(serde_json::from_str::<T>("\"no-such-code\"").is_err());
}
