//! After-sale work items (跟进任务): what a task is for, where it stands, how it ended, and the
//! order statuses that start or stop an order's follow-ups.

use crate::Lang;
use crate::aftersale::FollowUpKind;
use crate::coded::coded_enum;

coded_enum!(
    /// What a task asks the rep to do.
    TaskKind {
        ThankYou => "thank_you", "感谢函", "Thank-you note";
        Day2 => "day_2", "第 2 天回访", "Day-2 call";
        Day5 => "day_5", "第 5 天回访", "Day-5 call";
        Day12 => "day_12", "第 12 天回访", "Day-12 call";
        Inquiry => "inquiry", "主动询问", "Proactive inquiry";
        Promise => "promise", "承诺到期", "Promise due";
        Greeting => "greeting", "问候", "Greeting";
        Fault => "fault", "及时纠正", "Fault notice";
        ReferralAsk => "referral_ask", "索取推荐名单", "Ask for referrals";
        Help => "help", "客户求助", "Help asked";
        News => "news", "新品推荐", "New-product news";
    }
);

coded_enum!(
    /// Where a task stands. Snoozing moves the due date and keeps the task open.
    TaskStatus {
        Open => "open", "待办", "Open";
        Done => "done", "已完成", "Done";
        Cancelled => "cancelled", "已取消", "Cancelled";
    }
);

coded_enum!(
    /// How a finished contact went; the answer lands on the customer's timeline.
    Outcome {
        Reached => "reached", "已联系上", "Reached";
        NotReached => "not_reached", "未联系上", "Not reached";
        Problem => "problem", "发现问题", "Problem found";
        RemedyAccepted => "remedy_accepted", "接受补救", "Remedy accepted";
    }
);

coded_enum!(
    /// An order's life: open until delivered; a cancelled order cancels its open follow-ups.
    OrderStatus {
        Open => "open", "进行中", "Open";
        Delivered => "delivered", "已交付", "Delivered";
        Cancelled => "cancelled", "已取消", "Cancelled";
    }
);

impl TaskKind {
    /// The follow-up of the method this kind carries out, if it is one.
    pub fn follow_up(&self) -> Option<FollowUpKind> {
        match self {
            TaskKind::ThankYou => Some(FollowUpKind::ThankYou),
            TaskKind::Day2 => Some(FollowUpKind::Day2),
            TaskKind::Day5 => Some(FollowUpKind::Day5),
            TaskKind::Day12 => Some(FollowUpKind::Day12),
            TaskKind::Inquiry => Some(FollowUpKind::Inquiry),
            TaskKind::Promise
            | TaskKind::Greeting
            | TaskKind::Fault
            | TaskKind::ReferralAsk
            | TaskKind::Help
            | TaskKind::News => None,
        }
    }

    /// The task kind that carries out a follow-up of the method.
    pub fn of(f: FollowUpKind) -> TaskKind {
        match f {
            FollowUpKind::ThankYou => TaskKind::ThankYou,
            FollowUpKind::Day2 => TaskKind::Day2,
            FollowUpKind::Day5 => TaskKind::Day5,
            FollowUpKind::Day12 => TaskKind::Day12,
            FollowUpKind::Inquiry => TaskKind::Inquiry,
        }
    }

    /// What the rep is to do, from the method.
    pub fn purpose(&self, lang: Lang) -> &'static str {
        match self.follow_up() {
            Some(f) => f.purpose(lang),
            None if *self == TaskKind::Fault => lang.pick(
                "我们自己的产品出了问题：在客户抱怨之前主动联系，说明情况和补救办法，记下客户是否接受",
                "A fault of our own product: reach the customer before they have to complain, \
                 explain it and the remedy, and record whether they accept it",
            ),
            None if *self == TaskKind::ReferralAsk => lang.pick(
                "客户满意：请他推荐一两位可能需要我们产品的朋友或同行，记下名字和联系方式",
                "The customer is satisfied: ask for one or two friends or peers who might need \
                 our products, and record their names and how to reach them",
            ),
            None if *self == TaskKind::News => lang.pick(
                "告诉客户我们的新产品：它和客户用过的产品有什么关系、能带来什么，记下客户是否有兴趣",
                "Tell the customer about a new product: how it goes with what they bought and what \
                 it brings them, and record whether they are interested",
            ),
            None if *self == TaskKind::Help => lang.pick(
                "客户通过联系标签求助：今天就回电或上门，问清需要，解决后确认客户满意",
                "The customer asked for help through a contact label: call back or visit today, \
                 find out what they need, and once it is solved confirm they are satisfied",
            ),
            None if *self == TaskKind::Greeting => lang.pick(
                "亲自问候联系人（生日、家庭大事或客户的纪念日）：一张手写卡片、一个电话或一条消息",
                "Greet the contact in person (a birthday, a family event or the customer's \
                 anniversary): a handwritten card, a call or a message",
            ),
            None => lang.pick(
                "兑现对客户的承诺；做不到就在到期前主动说明，并商定新的时间",
                "Keep the promise made to the customer; if it cannot be kept, say so before it \
                 falls due and agree a new date",
            ),
        }
    }

    /// Whether this task carries talking points: the doubts left at the deal, a fault
    /// notice, the customer's own words asking for help, a new product, or a greeting's
    /// occasion.
    pub fn carries_doubts(&self) -> bool {
        matches!(
            self,
            TaskKind::Fault | TaskKind::Help | TaskKind::News | TaskKind::Greeting
        ) || self.follow_up().is_some_and(|f| f.carries_doubts())
    }
}

impl OrderStatus {
    /// Whether an order in this status keeps its follow-ups open.
    pub fn keeps_follow_ups(&self) -> bool {
        *self != OrderStatus::Cancelled
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::coded::assert_coded;

    #[test]
    fn codes_round_trip() {
        assert_coded::<TaskKind>();
        assert_coded::<TaskStatus>();
        assert_coded::<Outcome>();
        assert_coded::<OrderStatus>();
    }

    #[test]
    fn every_follow_up_has_its_task_kind_and_purpose() {
        for f in FollowUpKind::ALL {
            let k = TaskKind::of(*f);
            assert_eq!(k.follow_up(), Some(*f));
            assert_eq!(k.code(), f.code(), "task kinds keep the follow-up codes");
            assert_eq!(k.purpose(Lang::En), f.purpose(Lang::En));
        }
        assert!(TaskKind::Day2.carries_doubts());
        assert!(!TaskKind::ThankYou.carries_doubts());
        assert!(TaskKind::Promise.purpose(Lang::ZhCn).contains("承诺"));
        assert!(!OrderStatus::Cancelled.keeps_follow_ups());
        assert!(OrderStatus::Delivered.keeps_follow_ups());
    }
}
