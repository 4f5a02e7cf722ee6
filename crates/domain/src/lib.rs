//! The selling and service method as plain Rust: vocabulary, rules and checks, with no I/O.

pub mod birthday;
pub mod channel;
pub mod contact_info;
pub mod customer;
pub mod error;
pub mod family;
pub mod lang;
pub mod lunar;
pub mod money;
pub mod names;
pub mod people;

pub use birthday::Birthday;
pub use channel::{Channel, Direction};
pub use customer::{Archive, ArchiveSection, CustomerClass, CustomerKind};
pub use error::FieldError;
pub use family::{FamilyEvent, FamilyEventKind};
pub use lang::Lang;
pub use money::{format_money, parse_money};
pub use names::{NameKeys, name_keys, text_keys};
pub use people::{BuyingRole, PersonalityType, TrustAxis, TrustQuadrant};

/// Declares a coded enum: stable storage code, zh-CN and en labels, `ALL`, and serde as the code.
#[macro_export]
macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $code:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(&self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn from_code(s: &str) -> Option<$name> {
                let s = s.trim();
                $name::ALL.iter().copied().find(|v| v.code() == s || v.label($crate::Lang::ZhCn) == s)
            }

            pub fn label(&self, lang: $crate::Lang) -> &'static str {
                match lang {
                    $crate::Lang::ZhCn => match self { $($name::$variant => $zh),+ },
                    $crate::Lang::En => match self { $($name::$variant => $en),+ },
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                $name::from_code(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown {}: {s}", stringify!($name))))
            }
        }
    };
}
