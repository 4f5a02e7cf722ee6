//! Family events of a contact (a child starting school, moving house, …): reasons to greet.

crate::coded_enum!(FamilyEventKind {
    ChildSchool => "child_school", "孩子入学", "Child starts school";
    MovingHouse => "moving_house", "乔迁", "Moving house";
    NewShop => "new_shop", "开业", "New shop opens";
    Wedding => "wedding", "婚礼", "Wedding";
    NewBaby => "new_baby", "添丁", "New baby";
    Other => "other", "其他", "Other";
});

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FamilyEvent {
    pub kind: FamilyEventKind,
    #[serde(default)]
    pub date: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub note: String,
}
