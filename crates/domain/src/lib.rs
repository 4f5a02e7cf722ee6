//! The selling and service method of Huike as plain Rust: vocabulary, rules and checks, no I/O.

pub mod aftersale;
pub mod birthday;
pub mod channel;
pub mod coded;
pub mod complaint;
pub mod contact_info;
pub mod customer;
pub mod error;
pub mod family;
pub mod festival;
pub mod forbidden;
pub mod greeting;
pub mod lang;
pub mod lunar;
pub mod money;
pub mod names;
pub mod people;
pub mod satisfaction;
pub mod selling;
pub mod solar_term;
pub mod task;
pub mod value;
pub mod workcal;

pub use aftersale::{FollowUp, FollowUpKind, order_follow_ups};
pub use birthday::{Birthday, BirthdayError};
pub use channel::{Channel, Direction};
pub use coded::Coded;
pub use complaint::{ComplaintAction, ComplaintProcess, ComplaintState, HandlingStep};
pub use contact_info::{
    EmailError, NameError, PhoneError, normalize_email, normalize_phone, phone_digits,
    validate_name,
};
pub use customer::{Archive, ArchiveSection, Competitor, CustomerClass, CustomerKind, FieldSpec};
pub use error::FieldError;
pub use family::{FamilyEvent, FamilyEventKind};
pub use festival::{Festival, festivals_in_years};
pub use forbidden::{Hit, PhraseChecker, PhraseEntry};
pub use greeting::{Greeting, GreetingContact, GreetingPlanner, Occasion, PlannerConfig};
pub use lang::Lang;
pub use lunar::LunarDate;
pub use money::{Currency, Money, MoneyError, format_money, parse_money};
pub use names::{NameKeys, name_keys, text_keys};
pub use people::{
    BuyingRole, ContactTrust, CustomerTrust, PersonalityType, TrustAxis, TrustQuadrant, roll_up,
};
pub use satisfaction::{Dimension, ItemAnswer, Verdict, servqual};
pub use selling::{BuyingSignal, ObjectionKind, ObjectionStep, SellingStep};
pub use task::{OrderStatus, Outcome, TaskKind, TaskStatus};
pub use value::{AbcClass, abc_classes, rfm_scores};
pub use workcal::{BusinessHours, BusinessTime, DayKind, WorkCalendar};
