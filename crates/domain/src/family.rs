//! Family events of a contact (a child starting school, moving house, a new shop …): reasons to
//! greet them (§4 monthly greetings).

use chrono::NaiveDate;

use crate::FieldError;
use crate::coded::coded_enum;

coded_enum!(
    FamilyEventKind {
        // First: when things go badly for them (a fire, an illness, a bad year), comfort
        // comes before any happy occasion near it.
        Comfort => "comfort", "慰问（遇到困难）", "Comfort (hard times)";
        ChildSchool => "child_school", "孩子入学", "Child starts school";
        MovingHouse => "moving_house", "乔迁新居", "Moving house";
        NewShop => "new_shop", "新店开业", "New shop opens";
        Wedding => "wedding", "结婚", "Wedding";
        NewBaby => "new_baby", "添丁", "New baby";
        Other => "other", "其他", "Other";
    }
);

/// Longest note on a family event, in characters.
pub const MAX_FAMILY_NOTE: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FamilyEvent {
    pub kind: FamilyEventKind,
    /// When it happens or happened, if known.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub note: String,
}

impl FamilyEvent {
    /// Whether it deserves a greeting every year on its date (a wedding or shop anniversary)
    /// rather than once.
    pub fn is_anniversary(&self) -> bool {
        matches!(
            self.kind,
            FamilyEventKind::Wedding | FamilyEventKind::NewShop
        )
    }

    /// An "other" event needs a note saying what it is; notes are bounded.
    pub fn validate(&self, field: &str) -> Result<(), FieldError> {
        if self.kind == FamilyEventKind::Other && self.note.trim().is_empty() {
            return Err(FieldError::new(
                format!("{field}.note"),
                "required",
                "「其他」家庭事件需要写明是什么事",
                "an \"other\" family event needs a note saying what it is",
            ));
        }
        if self.note.chars().count() > MAX_FAMILY_NOTE {
            return Err(FieldError::new(
                format!("{field}.note"),
                "too_long",
                format!("备注最多 {MAX_FAMILY_NOTE} 个字"),
                format!("the note has at most {MAX_FAMILY_NOTE} characters"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::coded::assert_coded;

    #[test]
    fn codes_round_trip() {
        assert_coded::<FamilyEventKind>();
        assert_eq!(
            FamilyEventKind::ALL.map(|k| k.code()),
            [
                "comfort",
                "child_school",
                "moving_house",
                "new_shop",
                "wedding",
                "new_baby",
                "other"
            ]
        );
    }

    #[test]
    fn events_serialise_and_validate() {
        let e = FamilyEvent {
            kind: FamilyEventKind::ChildSchool,
            date: NaiveDate::from_ymd_opt(2026, 9, 1),
            note: "女儿上小学".into(),
        };
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"child_school","date":"2026-09-01","note":"女儿上小学"}"#
        );
        assert_eq!(serde_json::from_str::<FamilyEvent>(&json).unwrap(), e);
        let bare: FamilyEvent = serde_json::from_str(r#"{"kind":"wedding"}"#).unwrap();
        assert_eq!(bare.date, None);
        assert!(bare.is_anniversary() && !e.is_anniversary());
        assert!(e.validate("events.0").is_ok());

        let other = FamilyEvent {
            kind: FamilyEventKind::Other,
            date: None,
            note: " ".into(),
        };
        assert_eq!(
            other.validate("events.1").unwrap_err().field,
            "events.1.note"
        );
        let long = FamilyEvent {
            note: "字".repeat(MAX_FAMILY_NOTE + 1),
            ..e
        };
        assert_eq!(long.validate("e").unwrap_err().code, "too_long");
    }
}
