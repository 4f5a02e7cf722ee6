//! The channels a customer is reached on (§9) and the direction of an interaction.

use crate::coded::coded_enum;

coded_enum!(
    /// How an interaction happened. Every contact, whatever the channel, is one timeline entry.
    Channel {
        Visit => "visit", "拜访", "Visit";
        Phone => "phone", "电话", "Phone";
        Sms => "sms", "短信", "SMS";
        Email => "email", "邮件", "Email";
        Wechat => "wechat", "微信", "WeChat";
        Qq => "qq", "QQ", "QQ";
        Fax => "fax", "传真", "Fax";
        Letter => "letter", "信函", "Letter";
        Event => "event", "活动", "Event";
        Note => "note", "备注", "Note";
    }
);

impl Channel {
    /// Whether an entry on this channel is a contact with the customer. A note is only our
    /// own record, so it does not count as a visit or call in "sales are proportional to
    /// visits" reports, nor as a greeting sent.
    pub fn reaches_customer(&self) -> bool {
        !matches!(self, Channel::Note)
    }

    /// Face to face: a visit or an event (product launch, customer gathering).
    pub fn is_face_to_face(&self) -> bool {
        matches!(self, Channel::Visit | Channel::Event)
    }
}

coded_enum!(
    /// Who started the interaction.
    Direction {
        Inbound => "inbound", "客户主动", "Inbound";
        Outbound => "outbound", "我方主动", "Outbound";
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;
    use crate::coded::{Coded, assert_coded};

    #[test]
    fn codes_round_trip() {
        assert_coded::<Channel>();
        assert_coded::<Direction>();
        assert_eq!(
            Channel::ALL.map(|c| c.code()),
            [
                "visit", "phone", "sms", "email", "wechat", "qq", "fax", "letter", "event", "note"
            ]
        );
        assert_eq!(
            Channel::ALL.map(|c| c.label(Lang::ZhCn)),
            [
                "拜访", "电话", "短信", "邮件", "微信", "QQ", "传真", "信函", "活动", "备注"
            ]
        );
        assert_eq!(Direction::from_code("inbound"), Some(Direction::Inbound));
        assert_eq!(Channel::from_code_or_label("微信"), Some(Channel::Wechat));
        assert_eq!(Channel::from_code_or_label("WeChat"), Some(Channel::Wechat));
        assert_eq!(Channel::from_code("WeChat"), None);
    }

    #[test]
    fn notes_are_not_contacts() {
        assert!(!Channel::Note.reaches_customer());
        assert_eq!(
            Channel::ALL.iter().filter(|c| c.reaches_customer()).count(),
            9
        );
        assert!(Channel::Visit.is_face_to_face() && Channel::Event.is_face_to_face());
        assert!(!Channel::Phone.is_face_to_face());
    }
}
