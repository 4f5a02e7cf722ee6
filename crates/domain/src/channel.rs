//! The channels a customer is reached on (§9) and the direction of an interaction.

crate::coded_enum!(Channel {
    Visit => "visit", "拜访", "Visit";
    Phone => "phone", "电话", "Phone";
    Sms => "sms", "短信", "SMS";
    Email => "email", "邮件", "E-mail";
    Wechat => "wechat", "微信", "WeChat";
    Qq => "qq", "QQ", "QQ";
    Fax => "fax", "传真", "Fax";
    Letter => "letter", "信函", "Letter";
    Event => "event", "活动", "Event";
    Note => "note", "备注", "Note";
});

crate::coded_enum!(Direction {
    Inbound => "inbound", "来访/来电", "Inbound";
    Outbound => "outbound", "拜访/去电", "Outbound";
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_channel_code_round_trips() {
        assert_eq!(Channel::ALL.len(), 10);
        for c in Channel::ALL {
            assert_eq!(Channel::from_code(c.code()), Some(*c));
        }
        assert_eq!(Channel::from_code("微信"), Some(Channel::Wechat));
        assert_eq!(Channel::from_code("pigeon"), None);
    }
}
