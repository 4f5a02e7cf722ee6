//! Monthly greetings through the stored data: the planner's dates for constructed contacts
//! over 2026–2028, and a festival campaign reviewed, sent once on each contact's preferred
//! channel (judged by a real SMTP server and an SMS receiver), with its card-writing list.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use huike_app::outbox::{Deliverer, deliver_once};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Api, TestApp};
use crate::on_each_backend;
use crate::peers::Peer;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

async fn contact(api: &Api, customer: &str, body: Value) -> String {
    let (st, k) = api
        .post(&format!("/customers/{customer}/contacts"), body)
        .await;
    assert_eq!(st, StatusCode::CREATED, "{k}");
    k["id"].as_str().unwrap_or_default().to_string()
}

/// (day, occasion, detail, level) of a contact's greetings on 2026–2028.
async fn greetings_of(api: &Api, contact: &str) -> Vec<(String, String, String, i64)> {
    let (st, list) = api
        .get(&format!(
            "/contacts/{contact}/greetings?from=2026-01-01&to=2028-12-31"
        ))
        .await;
    assert_eq!(st, StatusCode::OK, "{list}");
    list.as_array()
        .map(|a| {
            a.iter()
                .map(|g| {
                    (
                        g["day"].as_str().unwrap_or_default().to_string(),
                        g["occasion"].as_str().unwrap_or_default().to_string(),
                        g["detail"].as_str().unwrap_or_default().to_string(),
                        g["level"].as_i64().unwrap_or(-1),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn on<'a>(
    list: &'a [(String, String, String, i64)],
    d: &str,
) -> Option<&'a (String, String, String, i64)> {
    list.iter().find(|g| g.0 == d)
}

#[tokio::test]
async fn greetings_are_planned_from_the_stored_dates_on_the_exact_days_for_2026_to_2028() {
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2025-12-20T10:00:00+08:00").expect("clock");
        let api = t.api("sales1").await;
        let customer = api.customer("苏州东吴纺织有限公司").await;
        // A lunar birthday on 八月十五, the day of 中秋.
        let mid_autumn = contact(
            &api,
            &customer,
            json!({ "name": "陈秋月", "birthday_calendar": "lunar", "birthday_month": "8",
                    "birthday_day": "15" }),
        )
        .await;
        // Born in 闰六月 of 1987: 2026–2028 have no leap sixth month, so it is kept on the
        // regular 六月初十.
        let leap = contact(
            &api,
            &customer,
            json!({ "name": "林润六", "birthday_calendar": "lunar", "birthday_year": "1987",
                    "birthday_month": "6", "birthday_day": "10", "birthday_leap": true }),
        )
        .await;
        // Moving house two days before 中秋 2027.
        let family = contact(
            &api,
            &customer,
            json!({ "name": "赵安居", "family_events": [
                { "kind": "moving_house", "date": "2027-09-13", "note": "搬到新区" } ] }),
        )
        .await;
        // Nothing of their own: festivals and the monthly themes only.
        let plain = contact(&api, &customer, json!({ "name": "钱平常" })).await;

        let report = huike_app::greetings::plan_range(&t.app, day("2026-01-01"), day("2028-12-31"))
            .await
            .expect("plan");
        assert_eq!(report.contacts, 4);
        assert!(report.greetings > 4 * 36, "{report:?}");

        let a = greetings_of(&api, &mid_autumn).await;
        for d in ["2026-09-25", "2027-09-15", "2028-10-03"] {
            assert_eq!(
                on(&a, d),
                Some(&(d.to_string(), "birthday".into(), String::new(), 0)),
                "{a:?}"
            );
        }
        let b = greetings_of(&api, &leap).await;
        for d in ["2026-07-23", "2027-07-13", "2028-07-31"] {
            assert_eq!(
                on(&b, d),
                Some(&(d.to_string(), "birthday".into(), String::new(), 0)),
                "{b:?}"
            );
        }
        let c = greetings_of(&api, &family).await;
        assert_eq!(
            on(&c, "2027-09-13"),
            Some(&(
                "2027-09-13".to_string(),
                "family_event".into(),
                "moving_house".into(),
                1
            )),
            "{c:?}"
        );
        // 中秋 2027 is two days later: the family event outranks it.
        assert_eq!(on(&c, "2027-09-15"), None, "{c:?}");
        assert_eq!(
            on(&c, "2026-09-25"),
            Some(&(
                "2026-09-25".to_string(),
                "festival".into(),
                "mid_autumn".into(),
                3
            ))
        );
        let d = greetings_of(&api, &plain).await;
        // July 2026 has no festival greeted by default: the month's theme on the 15th.
        let july: Vec<_> = d.iter().filter(|g| g.0.starts_with("2026-07")).collect();
        assert_eq!(
            july,
            vec![&("2026-07-15".to_string(), "theme".into(), "7".into(), 4)]
        );
        assert_eq!(
            on(&d, "2027-09-15").map(|g| (g.1.as_str(), g.2.as_str(), g.3)),
            Some(("festival", "mid_autumn", 3))
        );
        for (name, list) in [("A", &a), ("B", &b), ("C", &c), ("D", &d)] {
            // At least one greeting every month of the three years …
            let months: BTreeSet<&str> = list.iter().map(|g| &g.0[..7]).collect();
            assert_eq!(months.len(), 36, "{name}: {months:?}");
            // … and never two within the window of 7 days.
            let days: Vec<NaiveDate> = list.iter().map(|g| day(&g.0)).collect();
            for w in days.windows(2) {
                assert!(
                    (w[1] - w[0]).num_days() >= 7,
                    "{name}: {:?} {:?}",
                    w[0],
                    w[1]
                );
            }
        }
        // Birthdays and family events are personal tasks; festivals and themes campaigns.
        let (_, tasks) = api
            .get(&format!(
                "/tasks?kind=greeting&customer_id={customer}&due_from=2027-09-13&due_to=2027-09-13"
            ))
            .await;
        assert_eq!(tasks["total"], 1, "{tasks}");
        assert_eq!(tasks["items"][0]["contact_id"], family.as_str());
        // Today shows the occasion as the rep's talking point.
        let occasion = format!(
            "恭贺{}",
            huike_domain::FamilyEventKind::MovingHouse.label(huike_domain::Lang::ZhCn)
        );
        assert_eq!(tasks["items"][0]["doubts"], occasion.as_str(), "{tasks}");

        // Planning again writes nothing twice.
        let again = huike_app::greetings::plan_range(&t.app, day("2026-01-01"), day("2028-12-31"))
            .await
            .expect("plan again");
        assert_eq!((again.greetings, again.tasks, again.campaigns), (0, 0, 0));

        // A birthday entered later replaces the festival greeting it outranks: 钱平常's
        // birthday two days before 中秋 2026 takes the place of the 中秋 greeting, which
        // leaves the rep's 中秋 campaign.
        let (_, bg) = api
            .get(&format!(
                "/contacts/{leap}/greetings?from=2026-09-25&to=2026-09-25"
            ))
            .await;
        let campaign = bg[0]["campaign_id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let (_, before) = api.get(&format!("/greeting-campaigns/{campaign}")).await;
        assert_eq!(before["size"], 3, "{before}");
        assert_eq!(
            before["counts"][0],
            json!({ "status": "planned", "label": "待发送", "count": 3 })
        );
        t.app.clock.set("2026-09-01T10:00:00+08:00").expect("clock");
        let (st, k) = api
            .put(
                &format!("/contacts/{plain}"),
                json!({ "name": "钱平常", "birthday_calendar": "solar", "birthday_month": "9",
                        "birthday_day": "23" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{k}");
        let d = greetings_of(&api, &plain).await;
        assert_eq!(
            on(&d, "2026-09-23"),
            Some(&(
                "2026-09-23".to_string(),
                "birthday".into(),
                String::new(),
                0
            )),
            "{d:?}"
        );
        assert_eq!(on(&d, "2026-09-25"), None, "{d:?}");
        let (_, after) = api.get(&format!("/greeting-campaigns/{campaign}")).await;
        assert_eq!(after["size"], 2, "{after}");
        assert_eq!(after["counts"][0]["count"], 2);
    });
}

/// How a campaign's greetings went, by contact name: (status, channel).
async fn statuses(api: &Api, campaign: &str) -> BTreeMap<String, (String, Option<String>)> {
    let mut out = BTreeMap::new();
    for status in ["planned", "sent", "by_hand", "skipped", "dropped"] {
        let (st, page) = api
            .get(&format!(
                "/greeting-campaigns/{campaign}/greetings?status={status}"
            ))
            .await;
        assert_eq!(st, StatusCode::OK, "{page}");
        for g in page["items"].as_array().cloned().unwrap_or_default() {
            out.insert(
                g["contact_name"].as_str().unwrap_or_default().to_string(),
                (
                    g["status"].as_str().unwrap_or_default().to_string(),
                    g["channel"].as_str().map(str::to_string),
                ),
            );
        }
    }
    out
}

#[tokio::test]
async fn a_festival_campaign_is_reviewed_and_sent_once_on_each_contacts_preferred_channel() {
    for backend in crate::helpers::backends().await {
        let sink = Peer::smtp();
        let gateway = Peer::http();
        let t = TestApp::spawn_with(&backend, |c| {
            c.smtp_url = Some(format!("smtp://127.0.0.1:{}", sink.port));
            c.smtp_from = "回客 <greetings@huike.test>".into();
            c.sms_url = Some(format!("http://127.0.0.1:{}/send", gateway.port));
        })
        .await;
        eprintln!("-- on {}", t.backend);
        t.seed_users().await;
        // Five days before 中秋 2026 (09-25).
        t.app.clock.set("2026-09-20T10:00:00+08:00").expect("clock");
        let api = t.api("sales1").await;
        let other = t.api("sales2").await;
        let (st, cust) = api
            .post(
                "/customers",
                json!({ "name": "宁波海曙五金有限公司", "kind": "organization",
                        "address": "浙江省宁波市海曙区中山西路 88 号" }),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{cust}");
        let customer = cust["id"].as_str().unwrap_or_default().to_string();
        let mail = contact(
            &api,
            &customer,
            json!({ "name": "邮件甲", "email": "jia@example.com", "phone": "13900000001",
                    "preferred_channel": "email" }),
        )
        .await;
        let sms = contact(
            &api,
            &customer,
            json!({ "name": "短信乙", "email": "yi@example.com", "phone": "13900000002",
                    "preferred_channel": "sms" }),
        )
        .await;
        let opted = contact(
            &api,
            &customer,
            json!({ "name": "退订丙", "email": "bing@example.com", "phone": "13900000003",
                    "preferred_channel": "email" }),
        )
        .await;
        let (st, _) = api
            .post(
                &format!("/contacts/{opted}/opt-out"),
                json!({ "channel": "email", "out": true }),
            )
            .await;
        assert!(st.is_success(), "{st}");
        contact(
            &api,
            &customer,
            json!({ "name": "贺卡丁", "preferred_channel": "letter" }),
        )
        .await;
        let own = contact(
            &api,
            &customer,
            json!({ "name": "自写戊", "email": "wu@example.com" }),
        )
        .await;
        let dropped = contact(
            &api,
            &customer,
            json!({ "name": "移除己", "email": "ji@example.com" }),
        )
        .await;
        // Another rep's customer stays in that rep's campaign.
        let theirs = other.customer("温州鹿城鞋业有限公司").await;
        contact(
            &other,
            &theirs,
            json!({ "name": "别人的", "email": "other@example.com" }),
        )
        .await;

        let _ = tracing_subscriber::fmt().with_test_writer().try_init();
        let r = huike_app::jobs::run_now(&t.app, huike_app::jobs::PLAN_GREETINGS, "test")
            .await
            .expect("plan");
        assert!(r.summary.contains("greetings planned"), "{r:?}");

        // The rep sees one 中秋 campaign on Today, with the size of their own contacts.
        let (_, today) = api.get("/today").await;
        let campaigns = today["campaigns"].as_array().cloned().unwrap_or_default();
        let mid: Vec<&Value> = campaigns
            .iter()
            .filter(|c| c["detail"] == "mid_autumn")
            .collect();
        assert_eq!(mid.len(), 1, "{today}");
        assert_eq!(mid[0]["size"], 6);
        assert_eq!(mid[0]["day"], "2026-09-25");
        assert_eq!(mid[0]["name"], "中秋");
        let campaign = mid[0]["id"].as_str().unwrap_or_default().to_string();
        // Not another rep's.
        let (st, _) = other.get(&format!("/greeting-campaigns/{campaign}")).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (st, _) = other
            .post(&format!("/greeting-campaigns/{campaign}/send"), json!({}))
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND);

        // Review: how each would go, a preview of the message.
        let (_, page) = api
            .get(&format!("/greeting-campaigns/{campaign}/greetings"))
            .await;
        let items = page["items"].as_array().cloned().unwrap_or_default();
        assert_eq!(items.len(), 6, "{page}");
        let find = |name: &str| {
            items
                .iter()
                .find(|g| g["contact_name"] == name)
                .cloned()
                .unwrap_or(Value::Null)
        };
        assert_eq!(find("短信乙")["channel"], "sms");
        assert_eq!(find("贺卡丁")["channel"], "letter");
        assert_eq!(find("退订丙")["channel"], Value::Null);
        assert_eq!(find("退订丙")["reason"], "联系人不接收邮件");
        assert!(
            find("邮件甲")["body"]
                .as_str()
                .is_some_and(|b| b.contains("中秋快乐") && b.contains("邮件甲")),
            "{page}"
        );
        // Drop one, give another the rep's own words.
        let drop_id = find("移除己")["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let (st, _) = api
            .post(&format!("/greetings/{drop_id}/drop"), json!({}))
            .await;
        assert_eq!(st, StatusCode::NO_CONTENT);
        let own_id = find("自写戊")["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let words = "戊总：中秋快乐！去年您帮我们牵线的事，一直记在心里。";
        let (st, w) = api
            .post(
                &format!("/greetings/{own_id}/wording"),
                json!({ "subject": "中秋问候", "body": words }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{w}");
        // Bad input names its field and changes nothing.
        let (st, bad) = api
            .post(
                &format!("/greetings/{own_id}/wording"),
                json!({ "body": "长".repeat(5001) }),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(bad.to_string().contains("body"), "{bad}");

        let (st, report) = api
            .post(&format!("/greeting-campaigns/{campaign}/send"), json!({}))
            .await;
        assert_eq!(st, StatusCode::OK, "{report}");
        assert_eq!(report, json!({ "sent": 3, "by_hand": 1, "skipped": 1 }));
        let went = statuses(&api, &campaign).await;
        assert_eq!(went["邮件甲"], ("sent".into(), Some("email".into())));
        assert_eq!(went["短信乙"], ("sent".into(), Some("sms".into())));
        assert_eq!(went["自写戊"], ("sent".into(), Some("email".into())));
        assert_eq!(went["贺卡丁"], ("by_hand".into(), Some("letter".into())));
        assert_eq!(went["退订丙"].0, "skipped");
        assert_eq!(went["移除己"].0, "dropped");
        // The campaign's page counts each way they went (kept on the campaign, not counted).
        let (_, view) = api.get(&format!("/greeting-campaigns/{campaign}")).await;
        let counts: Vec<(String, i64)> = view["counts"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|c| {
                (
                    c["status"].as_str().unwrap_or_default().to_string(),
                    c["count"].as_i64().unwrap_or(-1),
                )
            })
            .collect();
        assert_eq!(
            counts,
            [
                ("planned", 0),
                ("sent", 3),
                ("by_hand", 1),
                ("skipped", 1),
                ("dropped", 1)
            ]
            .map(|(s, n)| (s.to_string(), n))
            .to_vec(),
            "{view}"
        );

        // Queued ahead, the messages wait for 09:00 on the day.
        let d = Deliverer::new(t.app.settings.delivery.clone()).expect("deliverer");
        assert_eq!(deliver_once(&t.app, &d, "w").await.expect("deliver"), 0);
        t.app.clock.set("2026-09-25T09:30:00+08:00").expect("clock");
        deliver_once(&t.app, &d, "w").await.expect("deliver");
        assert!(
            sink.wait_for(15, |p| p.mails().len() == 2).await,
            "{:?}",
            sink.mails()
        );
        let mails = sink.mails();
        let to: BTreeSet<String> = mails
            .iter()
            .filter_map(|m| m["rcpt_tos"][0].as_str().map(str::to_string))
            .collect();
        assert_eq!(
            to,
            ["jia@example.com", "wu@example.com"]
                .into_iter()
                .map(String::from)
                .collect()
        );
        let wu = mails
            .iter()
            .find(|m| m["rcpt_tos"][0] == "wu@example.com")
            .cloned()
            .unwrap_or(Value::Null);
        assert_eq!(wu["subject"], "中秋问候");
        assert_eq!(wu["body"].as_str().map(str::trim), Some(words));
        let posts = gateway.posts();
        assert_eq!(posts.len(), 1, "{posts:?}");
        let sms_body: Value =
            serde_json::from_str(posts[0]["body"].as_str().unwrap_or("{}")).expect("json");
        assert_eq!(sms_body["to"], "13900000002");
        assert!(
            sms_body["text"]
                .as_str()
                .is_some_and(|s| s.contains("中秋快乐")),
            "{sms_body}"
        );

        // Sending again sends nothing twice.
        let (_, again) = api
            .post(&format!("/greeting-campaigns/{campaign}/send"), json!({}))
            .await;
        assert_eq!(again, json!({ "sent": 0, "by_hand": 0, "skipped": 0 }));
        deliver_once(&t.app, &d, "w").await.expect("deliver");
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert_eq!(sink.mails().len(), 2);
        assert_eq!(gateway.posts().len(), 1);

        // The card-writing list: names and the customer's address.
        let (_, cards) = api
            .get(&format!("/greeting-campaigns/{campaign}/cards"))
            .await;
        assert_eq!(cards.as_array().map(Vec::len), Some(1), "{cards}");
        assert_eq!(cards[0]["contact_name"], "贺卡丁");
        assert_eq!(cards[0]["address"], "浙江省宁波市海曙区中山西路 88 号");

        // Each one is on the timeline: sent, by hand, skipped (not the dropped one).
        let (_, timeline) = api
            .get(&format!("/customers/{customer}/interactions"))
            .await;
        let entries = timeline.as_array().cloned().unwrap_or_default();
        let of = |k: &str| {
            entries
                .iter()
                .filter(|e| e["contact_id"] == k)
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(of(&mail).len(), 1, "{timeline}");
        assert_eq!(of(&mail)[0]["channel"], "email");
        assert_eq!(of(&mail)[0]["delivery_status"], "sent");
        assert_eq!(of(&sms)[0]["channel"], "sms");
        assert_eq!(of(&opted)[0]["channel"], "note");
        assert_eq!(of(&own).len(), 1);
        assert!(of(&dropped).is_empty(), "{timeline}");
        t.finish().await;
    }
}

#[tokio::test]
async fn admins_choose_the_festivals_and_the_monthly_themes_and_planning_follows() {
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-06-20T10:00:00+08:00").expect("clock");
        let admin = t.api("admin").await;
        let rep = t.api("sales1").await;
        let (_, cal) = rep.get("/greeting-calendar").await;
        assert_eq!(cal["window_days"], 7);
        assert_eq!(cal["festivals"][0]["code"], "spring_festival");
        assert_eq!(cal["festivals"][0]["rank"], 1);
        assert_eq!(cal["themes"].as_array().map(Vec::len), Some(12));
        let before = cal.clone();

        // Only admins change it; bad input names its fields and changes nothing.
        let (st, _) = rep
            .put(
                "/greeting-calendar/festivals",
                json!({ "window_days": "7", "festivals": ["new_year"] }),
            )
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, bad) = admin
            .put(
                "/greeting-calendar/festivals",
                json!({ "window_days": "0", "festivals": ["mid_autumn", "halloween"] }),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let fields: BTreeSet<String> = bad["errors"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter_map(|e| e["field"].as_str().map(str::to_string))
            .collect();
        assert_eq!(
            fields,
            ["festivals", "window_days"]
                .into_iter()
                .map(String::from)
                .collect()
        );
        let (st, bad) = admin
            .put(
                "/greeting-calendar/themes/7",
                json!({ "day": "32", "theme_zh": "", "theme_en": "x" }),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let (st, _) = admin
            .put(
                "/greeting-calendar/themes/13",
                json!({ "day": "1", "theme_zh": "十三月", "theme_en": "x" }),
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        assert_eq!(rep.get("/greeting-calendar").await.1, before);

        // 七夕 and 教师节 only, 七夕 first; July's theme on the 10th with new words.
        let (st, cal) = admin
            .put(
                "/greeting-calendar/festivals",
                json!({ "window_days": "5", "festivals": ["qixi", "teachers_day", "qixi"] }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{cal}");
        assert_eq!(cal["window_days"], 5);
        let greeted: Vec<&str> = cal["festivals"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|f| f["greeted"] == true)
                    .filter_map(|f| f["code"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(greeted, ["qixi", "teachers_day"]);
        let (st, _) = admin
            .put(
                "/greeting-calendar/themes/7",
                json!({ "day": "10", "theme_zh": "盛夏清凉，祝您一夏安好", "theme_en": "Stay cool this summer" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK);

        let customer = rep.customer("湖州吴兴丝绸有限公司").await;
        let k = contact(
            &rep,
            &customer,
            json!({ "name": "吴七月", "email": "wu7@example.com" }),
        )
        .await;
        huike_app::greetings::plan_range(&t.app, day("2026-07-01"), day("2026-10-31"))
            .await
            .expect("plan");
        let (_, list) = rep
            .get(&format!(
                "/contacts/{k}/greetings?from=2026-07-01&to=2026-10-31"
            ))
            .await;
        let got: Vec<(String, String)> = list
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|g| {
                (
                    g["day"].as_str().unwrap_or_default().to_string(),
                    g["detail"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        // 七夕 2026 is 08-19, four days after August's theme, which it outranks within the
        // window of 5; 教师节 is 09-10, five days before September's theme, so both go; 中秋
        // and 国庆 are no longer greeted, so October has its theme.
        assert_eq!(
            got,
            [
                ("2026-07-10", "7"),
                ("2026-08-19", "qixi"),
                ("2026-09-10", "teachers_day"),
                ("2026-09-15", "9"),
                ("2026-10-15", "10"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        // July's greeting carries the new theme.
        assert_eq!(list[0]["line"], "盛夏清凉，祝您一夏安好");
    });
}

#[tokio::test]
async fn the_calendar_page_saves_the_festival_order_for_admins_and_keeps_a_refused_theme() {
    use crate::pages::Browser;
    on_each_backend!(|t| {
        t.seed_users().await;
        let mut admin = Browser::login(&t, "admin").await;
        let (st, page) = admin.get("/greetings/calendar").await;
        assert_eq!(st, StatusCode::OK);
        assert!(
            page.contains("id=\"save-festivals\""),
            "admins get the form"
        );
        // Ranks put 端午 before 中秋; blank leaves the rest out.
        let (st, _, loc) = admin
            .post(
                "/greetings/calendar/festivals",
                &[
                    ("window_days", "10"),
                    ("rank_mid_autumn", "2"),
                    ("rank_dragon_boat", "1"),
                    ("rank_spring_festival", ""),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        assert_eq!(loc, "/greetings/calendar");
        let (_, cal) = t.api("admin").await.get("/greeting-calendar").await;
        assert_eq!(cal["window_days"], 10);
        let greeted: Vec<&str> = cal["festivals"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|f| f["greeted"] == true)
                    .filter_map(|f| f["code"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(greeted, ["dragon_boat", "mid_autumn"]);
        // A refused theme comes back with what was typed and why.
        admin.get("/greetings/calendar").await;
        let (st, body, _) = admin
            .post(
                "/greetings/calendar/themes/3",
                &[
                    ("day", "40"),
                    ("theme_zh", "春暖花开"),
                    ("theme_en", "Spring"),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("value=\"春暖花开\""), "typing kept");
        assert!(body.contains("1 到 31"), "the reason is shown");
        // Reps read it without forms to save.
        let mut rep = Browser::login(&t, "sales1").await;
        let (_, page) = rep.get("/greetings/calendar").await;
        assert!(!page.contains("save-festivals"));
        assert!(page.contains("端午"));
    });
}

#[tokio::test]
async fn a_one_off_comfort_occasion_is_greeted_in_person_before_a_festival_near_it() {
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-09-20T10:00:00+08:00").expect("clock");
        let api = t.api("sales1").await;
        let customer = api.customer("丽水莲都竹木有限公司").await;
        // A fire at the works three days before 中秋.
        let k = contact(
            &api,
            &customer,
            json!({ "name": "叶师傅", "family_events": [
                { "kind": "comfort", "date": "2026-09-22", "note": "厂房失火" } ] }),
        )
        .await;
        let (_, list) = api
            .get(&format!(
                "/contacts/{k}/greetings?from=2026-09-20&to=2026-10-10"
            ))
            .await;
        assert_eq!(list[0]["day"], "2026-09-22", "{list}");
        assert_eq!(list[0]["occasion"], "family_event");
        assert_eq!(list[0]["detail"], "comfort");
        assert_eq!(list[0]["level"], 1);
        assert!(
            list[0]["line"].as_str().is_some_and(|l| l.contains("慰问")),
            "{list}"
        );
        // Not a cheerful 中秋 message three days later; a task for the rep instead.
        assert!(
            list.as_array()
                .is_some_and(|a| a.iter().all(|g| g["day"] != "2026-09-25")),
            "{list}"
        );
        let (_, tasks) = api
            .get(&format!("/tasks?kind=greeting&customer_id={customer}"))
            .await;
        assert_eq!(tasks["items"][0]["due_date"], "2026-09-22", "{tasks}");
    });
}

#[tokio::test]
async fn comfort_for_a_customer_greets_every_contact_on_the_day_ahead_of_what_was_planned() {
    on_each_backend!(|t| {
        t.seed_users().await;
        t.app.clock.set("2026-06-01T10:00:00+08:00").expect("clock");
        let rep = t.api("sales1").await;
        let other = t.api("sales2").await;
        let customer = rep.customer("温州鹿城鞋业有限公司").await;
        let boss = contact(&rep, &customer, json!({ "name": "林老板" })).await;
        let buyer = contact(&rep, &customer, json!({ "name": "采购小王" })).await;
        let empty = rep.customer("丽水莲都竹木制品厂").await;

        // A day in the past, another rep, and a customer with nobody to greet change nothing.
        let (st, bad) = rep
            .post(
                &format!("/customers/{customer}/comfort"),
                json!({ "date": "2026-05-20", "note": "仓库失火" }),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(bad["errors"][0]["field"], "date");
        let (st, _) = other
            .post(
                &format!("/customers/{customer}/comfort"),
                json!({ "date": "2026-06-10" }),
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (st, _) = rep
            .post(
                &format!("/customers/{empty}/comfort"),
                json!({ "date": "2026-06-10" }),
            )
            .await;
        assert_eq!(st, StatusCode::CONFLICT);

        let (st, done) = rep
            .post(
                &format!("/customers/{customer}/comfort"),
                json!({ "date": "2026-06-10", "note": "仓库失火" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{done}");
        assert_eq!(done["contacts"], 2);
        for k in [&boss, &buyer] {
            let (_, g) = rep
                .get(&format!(
                    "/contacts/{k}/greetings?from=2026-06-01&to=2026-07-01"
                ))
                .await;
            let on_day: Vec<&Value> = g
                .as_array()
                .map(|a| a.iter().filter(|x| x["day"] == "2026-06-10").collect())
                .unwrap_or_default();
            assert_eq!(on_day.len(), 1, "{g}");
            assert_eq!(
                (&on_day[0]["occasion"], &on_day[0]["detail"]),
                (&json!("family_event"), &json!("comfort")),
                "{g}"
            );
            // Nothing else within seven days of it.
            assert!(
                g.as_array().is_some_and(|a| a.iter().all(|x| {
                    let d = x["day"].as_str().unwrap_or_default();
                    d == "2026-06-10" || !("2026-06-03"..="2026-06-17").contains(&d)
                })),
                "{g}"
            );
        }
        // A personal task for the rep, with the comfort line as its talking point.
        let (_, tasks) = rep
            .get(&format!("/tasks?kind=greeting&customer_id={customer}"))
            .await;
        assert_eq!(tasks["total"], 2, "{tasks}");
        assert!(
            tasks["items"][0]["doubts"]
                .as_str()
                .is_some_and(|d| d.contains("慰问")),
            "{tasks}"
        );
        // The customer page offers it too.
        let mut page = crate::pages::Browser::login(&t, "sales1").await;
        let (_, html) = page.get(&format!("/customers/{customer}")).await;
        assert!(html.contains(&format!(r#"action="/customers/{customer}/comfort""#)));
        let (st, _, to) = page
            .post(
                &format!("/customers/{customer}/comfort"),
                &[("date", "2026-06-20"), ("note", "")],
            )
            .await;
        assert_eq!(
            (st, to),
            (
                StatusCode::SEE_OTHER,
                format!("/customers/{customer}#comfort")
            )
        );
    });
}
