//! Delivery through the outbox, judged by real peers: e-mail received by an SMTP server
//! (aiosmtpd) with its id and language, retried with backoff and dead-lettered when refused,
//! held back by opt-outs and quiet hours; webhooks whose signatures Python's hmac verifies.

use huike_app::outbox::{Deliverer, deliver_once};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Api, TestApp};
use crate::peers::Peer;

/// A customer of sales1 with a contact who has an e-mail address and a mobile number, an order
/// for them, and the order's thank-you task.
async fn thank_you_task(t: &TestApp, api: &Api) -> (String, String, String) {
    let admin = t.api("admin").await;
    let (st, p) = admin
        .post(
            "/products",
            json!({ "sku": "DL-1", "name": "装箱机", "unit": "台", "price": "1200" }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    let customer = api.customer("常州天宁精密机械有限公司").await;
    let (st, k) = api
        .post(
            &format!("/customers/{customer}/contacts"),
            json!({ "name": "刘晓燕", "email": "liu.xiaoyan@example.com", "phone": "13912345678" }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{k}");
    let contact = k["id"].as_str().unwrap_or_default().to_string();
    let (st, o) = api
        .post(
            "/orders",
            json!({ "customer_id": customer, "contact_id": contact, "order_date": "2026-04-01",
                    "lines": [{ "product_id": p["id"], "quantity": "1" }] }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{o}");
    let (_, tasks) = api
        .get(&format!(
            "/tasks?order_id={}&kind=thank_you",
            o["id"].as_str().unwrap_or_default()
        ))
        .await;
    let task = tasks["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    (customer, contact, task)
}

/// The newest e-mail in the outbox, as an admin sees it.
async fn first_email(admin: &Api) -> Value {
    let (_, page) = admin.get("/outbox?channel=email").await;
    page["items"][0].clone()
}

fn smtp_url(p: &Peer) -> String {
    format!("smtp://127.0.0.1:{}", p.port)
}

#[tokio::test]
async fn a_thank_you_note_reaches_a_real_smtp_server_with_its_id_and_language() {
    for backend in crate::helpers::backends().await {
        let sink = Peer::smtp();
        // The server's own workers deliver, as in production.
        let t = TestApp::spawn_with(&backend, |c| {
            c.smtp_url = Some(smtp_url(&sink));
            c.smtp_from = "回客服务 <service@huike.test>".into();
            c.outbox_workers = true;
        })
        .await;
        eprintln!("-- on {}", t.backend);
        t.seed_users().await;
        // 10:00 in Shanghai: outside the quiet hours.
        t.app.clock.set("2026-04-01T10:00:00+08:00").expect("clock");
        let api = t.api("sales1").await;
        let (customer, _, task) = thank_you_task(&t, &api).await;
        let note = "刘女士您好：感谢您选购我们的装箱机！使用中有任何问题，随时找我。";
        let (st, sent) = api
            .post(
                &format!("/tasks/{task}/send"),
                json!({ "channel": "email", "subject": "感谢您的信任", "body": note }),
            )
            .await;
        assert_eq!(st, StatusCode::ACCEPTED, "{sent}");
        assert_eq!(sent["warnings"], json!([]));
        let id = sent["message"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            sink.wait_for(15, |p| p.mails().len() == 1).await,
            "nothing arrived"
        );
        let mail = &sink.mails()[0];
        assert_eq!(mail["rcpt_tos"], json!(["liu.xiaoyan@example.com"]));
        assert_eq!(mail["subject"], "感谢您的信任");
        assert_eq!(mail["body"].as_str().map(str::trim), Some(note));
        assert_eq!(mail["content_language"], "zh-CN");
        assert_eq!(mail["message_id"], format!("<{id}@huike.test>"));
        assert!(
            mail["from"]
                .as_str()
                .is_some_and(|f| f.contains("service@huike.test"))
        );
        // An English note says so.
        let (st, sent) = api
            .post(
                &format!("/tasks/{task}/send"),
                json!({ "channel": "email", "subject": "Thank you", "body": "Thank you for your order.", "lang": "en" }),
            )
            .await;
        assert_eq!(st, StatusCode::ACCEPTED, "{sent}");
        assert!(sink.wait_for(15, |p| p.mails().len() == 2).await);
        let en = sink
            .mails()
            .into_iter()
            .find(|m| m["subject"] == "Thank you")
            .unwrap_or(Value::Null);
        assert_eq!(en["content_language"], "en");
        // The outbox says both were sent, and so does the customer's timeline.
        let admin = t.api("admin").await;
        let (_, page) = admin.get("/outbox?status=sent&channel=email").await;
        assert_eq!(page["total"], 2, "{page}");
        let (_, timeline) = api
            .get(&format!("/customers/{customer}/interactions"))
            .await;
        let entry = timeline
            .as_array()
            .and_then(|a| a.iter().find(|i| i["message_id"] == id.as_str()))
            .cloned()
            .unwrap_or(Value::Null);
        assert_eq!(entry["delivery_status"], "sent", "{timeline}");
        assert_eq!(entry["channel"], "email");
        assert_eq!(entry["summary"], "感谢您的信任");
        t.finish().await;
    }
}

#[tokio::test]
async fn a_refusing_smtp_server_is_retried_with_backoff_then_dead_lettered_and_an_admin_retry_sends_it()
 {
    for backend in crate::helpers::backends().await {
        let sink = Peer::smtp();
        sink.refuse(true);
        let t = TestApp::spawn_with(&backend, |c| c.smtp_url = Some(smtp_url(&sink))).await;
        eprintln!("-- on {}", t.backend);
        t.seed_users().await;
        t.app.clock.set("2026-04-01T10:00:00+08:00").expect("clock");
        let api = t.api("sales1").await;
        let (_, _, task) = thank_you_task(&t, &api).await;
        let (st, sent) = api
            .post(
                &format!("/tasks/{task}/send"),
                json!({ "channel": "email", "subject": "感谢", "body": "感谢您的订单。" }),
            )
            .await;
        assert_eq!(st, StatusCode::ACCEPTED, "{sent}");
        let id = sent["message"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let d = Deliverer::new(t.app.settings.delivery.clone()).expect("deliverer");
        let admin = t.api("admin").await;
        // Six attempts, each waiting twice as long as the one before: 30 s, 60 s, 120 s, …
        let mut waits = Vec::new();
        for attempt in 1..=6 {
            assert_eq!(
                deliver_once(&t.app, &d, "w").await.expect("deliver"),
                1,
                "attempt {attempt}"
            );
            let m = first_email(&admin).await;
            assert_eq!(m["attempts"], attempt, "{m}");
            assert!(
                m["last_error"].as_str().is_some_and(|e| e.contains("451")),
                "{m}"
            );
            if attempt < 6 {
                assert_eq!(m["status"], "pending", "{m}");
                let wait = m["next_attempt_at"].as_i64().unwrap_or(0) - t.app.clock.now_ms();
                waits.push(wait / 1000);
                // Not due yet: nothing is claimed a second early.
                t.app
                    .clock
                    .advance(chrono::Duration::milliseconds(wait - 1000));
                assert_eq!(deliver_once(&t.app, &d, "w").await.expect("deliver"), 0);
                t.app.clock.advance(chrono::Duration::seconds(1));
            } else {
                assert_eq!(m["status"], "dead", "{m}");
            }
        }
        assert_eq!(waits, vec![30, 60, 120, 240, 480]);
        assert!(sink.mails().is_empty());
        // The dead-letter list shows it; an admin retry sends it once the server accepts again.
        let (_, dead) = admin.get("/outbox?status=dead").await;
        assert_eq!(dead["total"], 1, "{dead}");
        let (st, _) = api.post(&format!("/outbox/{id}/retry"), json!({})).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "only admins retry");
        sink.refuse(false);
        let (st, r) = admin.post(&format!("/outbox/{id}/retry"), json!({})).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(r["status"], "pending");
        assert_eq!(deliver_once(&t.app, &d, "w").await.expect("deliver"), 1);
        assert_eq!(sink.mails().len(), 1);
        assert_eq!(sink.mails()[0]["message_id"], format!("<{id}@localhost>"));
        let (st, _) = admin.post(&format!("/outbox/{id}/retry"), json!({})).await;
        assert_eq!(
            st,
            StatusCode::CONFLICT,
            "a sent message is not in the dead-letter list"
        );
        // The outbox page shows the dead-letter list with retry and discard for admins only.
        sink.refuse(true);
        let (st, _) = api
            .post(
                &format!("/tasks/{task}/send"),
                json!({ "channel": "email", "body": "再次感谢。" }),
            )
            .await;
        assert_eq!(st, StatusCode::ACCEPTED);
        // A day apart, so each try is past its backoff and outside the quiet hours.
        for _ in 0..6 {
            deliver_once(&t.app, &d, "w").await.expect("deliver");
            t.app.clock.advance(chrono::Duration::hours(24));
        }
        let (client, csrf) = t.session("admin").await;
        let page = client
            .get(format!("{}/outbox?status=dead", t.base))
            .send()
            .await
            .expect("outbox page")
            .text()
            .await
            .unwrap_or_default();
        assert!(
            page.contains("data-status=\"dead\"") && page.contains("/discard"),
            "{page}"
        );
        let (_, dead) = admin.get("/outbox?status=dead").await;
        let dead_id = dead["items"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let r = client
            .post(format!("{}/outbox/{dead_id}/discard", t.base))
            .form(&[("_csrf", csrf.as_str())])
            .send()
            .await
            .expect("discard");
        assert_eq!(r.status(), StatusCode::OK);
        let (_, gone) = admin.get("/outbox?status=discarded").await;
        assert_eq!(gone["total"], 1, "{gone}");
        let (rep, _) = t.session("sales1").await;
        let r = rep
            .get(format!("{}/outbox", t.base))
            .send()
            .await
            .expect("page");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        t.finish().await;
    }
}

#[tokio::test]
async fn quiet_hours_and_an_opt_out_hold_a_message_back() {
    for backend in crate::helpers::backends().await {
        let sink = Peer::smtp();
        let t = TestApp::spawn_with(&backend, |c| c.smtp_url = Some(smtp_url(&sink))).await;
        eprintln!("-- on {}", t.backend);
        t.seed_users().await;
        t.app.clock.set("2026-04-01T22:30:00+08:00").expect("clock");
        let api = t.api("sales1").await;
        let (_, contact, task) = thank_you_task(&t, &api).await;
        let d = Deliverer::new(t.app.settings.delivery.clone()).expect("deliverer");
        let (st, _) = api
            .post(
                &format!("/tasks/{task}/send"),
                json!({ "channel": "email", "body": "感谢您的订单。" }),
            )
            .await;
        assert_eq!(st, StatusCode::ACCEPTED);
        // 22:30 is inside 21:00–08:00: it waits until 08:00 the next morning.
        deliver_once(&t.app, &d, "w").await.expect("deliver");
        assert!(sink.mails().is_empty());
        let admin = t.api("admin").await;
        let (_, page) = admin.get("/outbox").await;
        let m = &page["items"][0];
        assert_eq!(m["status"], "pending");
        assert_eq!(m["attempts"], 0, "waiting is not an attempt");
        let eight = chrono::DateTime::parse_from_rfc3339("2026-04-02T08:00:00+08:00")
            .expect("time")
            .timestamp_millis();
        assert_eq!(m["next_attempt_at"], eight);
        t.app.clock.set("2026-04-02T08:00:00+08:00").expect("clock");
        deliver_once(&t.app, &d, "w").await.expect("deliver");
        assert_eq!(sink.mails().len(), 1);

        // The contact opts out of e-mail: the next note is held, never sent.
        let (st, e) = api
            .post(
                &format!("/contacts/{contact}/opt-out"),
                json!({ "channel": "teleport", "out": true }),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let (st, _) = api
            .post(
                &format!("/contacts/{contact}/opt-out"),
                json!({ "channel": "email", "out": true }),
            )
            .await;
        assert_eq!(st, StatusCode::NO_CONTENT);
        let (st, _) = api
            .post(
                &format!("/tasks/{task}/send"),
                json!({ "channel": "email", "body": "新品上市通知。" }),
            )
            .await;
        assert_eq!(st, StatusCode::ACCEPTED);
        deliver_once(&t.app, &d, "w").await.expect("deliver");
        let (_, held) = admin.get("/outbox?status=held").await;
        assert_eq!(held["total"], 1, "{held}");
        assert!(
            held["items"][0]["last_error"]
                .as_str()
                .is_some_and(|e| e.contains("opted out"))
        );
        assert_eq!(sink.mails().len(), 1, "nothing more was sent");
        t.finish().await;
    }
}

#[tokio::test]
async fn webhooks_carry_a_signature_the_receiver_verifies_and_a_failing_one_is_dead_lettered() {
    for backend in crate::helpers::backends().await {
        let receiver = Peer::http();
        let t = TestApp::spawn(&backend).await;
        eprintln!("-- on {}", t.backend);
        t.seed_users().await;
        t.app.clock.set("2026-04-01T23:00:00+08:00").expect("clock");
        let admin = t.api("admin").await;
        let (st, e) = admin
            .post(
                "/webhooks",
                json!({ "url": "ftp://x", "events": ["order.exploded"] }),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let fields: Vec<&str> = e["errors"]
            .as_array()
            .map(|a| a.iter().filter_map(|x| x["field"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["url", "events"], "{e}");
        // Events by their exact names, and at least one.
        for events in [json!([" task.done"]), json!([""]), json!([])] {
            let (st, e) = admin
                .post(
                    "/webhooks",
                    json!({ "url": "https://example.com/hook", "events": events }),
                )
                .await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{events}: {e}");
            assert_eq!(e["errors"][0]["field"], "events", "{e}");
        }
        let (st, w) = admin
            .post(
                "/webhooks",
                json!({ "url": format!("http://127.0.0.1:{}/hook", receiver.port), "events": ["order.created", "task.done"] }),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{w}");
        receiver.set_secret(w["secret"].as_str().unwrap_or_default());
        let (_, listed) = admin.get("/webhooks").await;
        assert!(
            listed[0].get("secret").is_none(),
            "the secret is shown once: {listed}"
        );

        let api = t.api("sales1").await;
        let (customer, _, task) = thank_you_task(&t, &api).await;
        let d = Deliverer::new(t.app.settings.delivery.clone()).expect("deliverer");
        // Webhooks are not held by quiet hours (23:00).
        deliver_once(&t.app, &d, "w").await.expect("deliver");
        let posts = receiver.posts();
        assert_eq!(posts.len(), 1, "{posts:?}");
        assert_eq!(
            posts[0]["valid"], true,
            "Python's hmac verified the signature"
        );
        assert_eq!(posts[0]["event"], "order.created");
        let body: Value =
            serde_json::from_str(posts[0]["body"].as_str().unwrap_or("{}")).unwrap_or_default();
        assert_eq!(body["event"], "order.created");
        assert_eq!(body["data"]["customer_id"], customer.as_str());
        let (_, sent) = admin.get("/outbox?channel=webhook&status=sent").await;
        assert_eq!(posts[0]["idempotency_key"], sent["items"][0]["id"]);

        // A receiver answering 500 is retried, then dead-lettered.
        receiver.refuse(true);
        let (st, _) = api
            .post(
                &format!("/tasks/{task}/done"),
                json!({ "outcome": "reached" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK);
        for _ in 0..6 {
            assert_eq!(deliver_once(&t.app, &d, "w").await.expect("deliver"), 1);
            t.app.clock.advance(chrono::Duration::hours(7));
        }
        let (_, dead) = admin.get("/outbox?status=dead&channel=webhook").await;
        assert_eq!(dead["total"], 1, "{dead}");
        assert_eq!(dead["items"][0]["event"], "task.done");
        assert_eq!(receiver.posts().len(), 7, "one success and six tries");
        assert!(receiver.posts().iter().all(|p| p["valid"] == true));
        t.finish().await;
    }
}

#[tokio::test]
async fn the_thank_you_note_is_drafted_from_the_template_an_admin_edits_and_checked_for_words_not_to_use()
 {
    for backend in crate::helpers::backends().await {
        let t = TestApp::spawn(&backend).await;
        eprintln!("-- on {}", t.backend);
        t.seed_users().await;
        t.app.clock.set("2026-04-01T10:00:00+08:00").expect("clock");
        let api = t.api("sales1").await;
        let (_, contact, task) = thank_you_task(&t, &api).await;

        // The draft fills the built-in template with this order.
        let (st, d) = api.get(&format!("/tasks/{task}/draft")).await;
        assert_eq!(st, StatusCode::OK, "{d}");
        let body = d["body"].as_str().unwrap_or_default();
        assert!(body.starts_with("尊敬的刘晓燕："), "{body}");
        assert!(
            body.contains("装箱机") && body.contains("SO-20260401-0001"),
            "{body}"
        );
        assert!(body.contains("sales1"), "signed by the rep: {body}");
        assert_eq!(d["email"], "liu.xiaoyan@example.com");
        let (_, en) = api.get(&format!("/tasks/{task}/draft?lang=en")).await;
        assert!(
            en["body"]
                .as_str()
                .is_some_and(|b| b.starts_with("Dear 刘晓燕,")),
            "{en}"
        );
        // A language by its exact code, as the document states it.
        for lang in ["fr", "EN", "%20en"] {
            let (st, e) = api.get(&format!("/tasks/{task}/draft?lang={lang}")).await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{lang}: {e}");
        }

        // Only admins edit templates; a template that does not render is refused by part.
        let admin = t.api("admin").await;
        let tpl = json!({ "subject": "多谢 {{ customer.name }}", "body": "{{ contact.name }}，您好！{{ rep.name }} 感谢您的订单 {{ order.number }}。" });
        let (st, _) = api.put("/templates/thank_you/zh-CN", tpl.clone()).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, e) = admin
            .put(
                "/templates/thank_you/zh-CN",
                json!({ "subject": "{{ customer.nickname }}", "body": "{% for %}" }),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let fields: Vec<&str> = e["errors"]
            .as_array()
            .map(|a| a.iter().filter_map(|x| x["field"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["subject", "body"], "{e}");
        let (st, _) = admin.put("/templates/thank_you/fr", tpl.clone()).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        // Previewed on sample data before saving, with the words not to use it holds.
        let (st, p) = admin
            .post(
                "/templates/thank_you/zh-CN/preview",
                json!({ "subject": "感谢", "body": "{{ contact.name }}：有问题的话我也不知道，你自己解决吧。" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{p}");
        assert_eq!(
            p["preview_body"],
            "王建国：有问题的话我也不知道，你自己解决吧。"
        );
        let found: Vec<&str> = p["warnings"]
            .as_array()
            .map(|a| a.iter().filter_map(|w| w["found"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(found, ["不知道", "你自己解决吧"], "{p}");
        assert!(
            p["warnings"][0]["better"]
                .as_str()
                .is_some_and(|b| !b.is_empty())
        );
        let (_, before) = admin.get("/templates").await;
        assert_eq!(before[0]["customized"], false);
        let (st, saved) = admin.put("/templates/thank_you/zh-CN", tpl).await;
        assert_eq!(st, StatusCode::OK, "{saved}");
        let (_, d) = api.get(&format!("/tasks/{task}/draft")).await;
        assert_eq!(d["subject"], "多谢 常州天宁精密机械有限公司");
        assert_eq!(
            d["body"],
            "刘晓燕，您好！sales1 感谢您的订单 SO-20260401-0001。"
        );

        // A note holding words not to use is queued with warnings (the default) …
        let (st, sent) = api
            .post(
                &format!("/tasks/{task}/send"),
                json!({ "channel": "email", "body": "这个问题我不知道。" }),
            )
            .await;
        assert_eq!(st, StatusCode::ACCEPTED, "{sent}");
        assert_eq!(sent["warnings"][0]["found"], "不知道");
        // The contact's e-mail address is removed: a note by e-mail conflicts with what is on
        // file (409, naming the channel), one by SMS still goes out.
        let (st, k) = api
            .put(
                &format!("/contacts/{contact}"),
                json!({ "name": "刘晓燕", "phone": "13912345678" }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{k}");
        let (st, e) = api
            .post(
                &format!("/tasks/{task}/send"),
                json!({ "channel": "email", "body": "您好！" }),
            )
            .await;
        assert_eq!(st, StatusCode::CONFLICT, "{e}");
        assert_eq!(e["errors"][0]["code"], "no_address", "{e}");
        assert_eq!(e["errors"][0]["field"], "channel", "{e}");
        let (st, sent) = api
            .post(
                &format!("/tasks/{task}/send"),
                json!({ "channel": "sms", "body": "您好！" }),
            )
            .await;
        assert_eq!(st, StatusCode::ACCEPTED, "{sent}");
        t.finish().await;

        // … and refused, naming the field, where the setting makes them blocking.
        let t = TestApp::spawn_with(&backend, |c| c.forbidden_blocking = true).await;
        t.seed_users().await;
        let api = t.api("sales1").await;
        let (_, _, task) = thank_you_task(&t, &api).await;
        let (st, e) = api
            .post(
                &format!("/tasks/{task}/send"),
                json!({ "channel": "email", "body": "这个问题我不知道。" }),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["errors"][0]["field"], "body");
        assert_eq!(e["errors"][0]["code"], "forbidden_phrase");
        let admin = t.api("admin").await;
        let (_, outbox) = admin.get("/outbox").await;
        assert_eq!(outbox["total"], 0, "nothing was queued");
        t.finish().await;
    }
}

#[tokio::test]
async fn the_note_page_checks_as_you_type_sends_and_prints_a_letter() {
    for backend in crate::helpers::backends().await {
        let t = TestApp::spawn(&backend).await;
        eprintln!("-- on {}", t.backend);
        t.seed_users().await;
        t.app.clock.set("2026-04-01T10:00:00+08:00").expect("clock");
        let api = t.api("sales1").await;
        let (_, _, task) = thank_you_task(&t, &api).await;
        let (client, csrf) = t.session("sales1").await;
        let page = client
            .get(format!("{}/tasks/{task}/note", t.base))
            .send()
            .await
            .expect("note page")
            .text()
            .await
            .unwrap_or_default();
        assert!(page.contains("尊敬的刘晓燕"), "the draft is in the editor");
        // As the rep types (htmx posts the form): the words to avoid and what to say instead.
        let hits = client
            .post(format!("{}/phrases/check", t.base))
            .header("hx-request", "true")
            .form(&[
                ("_csrf", csrf.as_str()),
                ("subject", ""),
                ("body", "我很忙，改天再说"),
            ])
            .send()
            .await
            .expect("check")
            .text()
            .await
            .unwrap_or_default();
        assert!(
            hits.contains("「我很忙」") && hits.contains("「改天再说」"),
            "{hits}"
        );
        // Sent by e-mail through the outbox.
        let r = client
            .post(format!("{}/tasks/{task}/note", t.base))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("subject", "感谢"),
                ("body", "感谢您的订单！"),
                ("lang", "zh-CN"),
                ("action", "email"),
            ])
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.text().await.unwrap_or_default().contains("id=\"queued\""));
        let admin = t.api("admin").await;
        let (_, outbox) = admin.get("/outbox").await;
        assert_eq!(outbox["items"][0]["body"], "感谢您的订单！");
        // Printed as a letter: the text as written, on a page with print styles.
        let letter = client
            .post(format!("{}/tasks/{task}/note", t.base))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("subject", "感谢"),
                ("body", "刘女士：\n感谢您！"),
                ("lang", "zh-CN"),
                ("action", "print"),
            ])
            .send()
            .await
            .expect("print")
            .text()
            .await
            .unwrap_or_default();
        assert!(
            letter.contains("<article class=\"letter\" id=\"letter\">刘女士：\n感谢您！</article>"),
            "{letter}"
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn an_sms_goes_through_the_gateway_with_its_auth_header_and_body() {
    for backend in crate::helpers::backends().await {
        let gateway = Peer::http();
        let t = TestApp::spawn_with(&backend, |c| {
            c.sms_url = Some(format!("http://127.0.0.1:{}/send", gateway.port));
            c.sms_auth = Some("Bearer gw-secret".into());
        })
        .await;
        eprintln!("-- on {}", t.backend);
        t.seed_users().await;
        t.app.clock.set("2026-04-01T10:00:00+08:00").expect("clock");
        let api = t.api("sales1").await;
        let (_, _, task) = thank_you_task(&t, &api).await;
        let text = "刘女士，感谢您的订单！有\"问题\"随时找我。";
        let (st, sent) = api
            .post(
                &format!("/tasks/{task}/send"),
                json!({ "channel": "sms", "body": text }),
            )
            .await;
        assert_eq!(st, StatusCode::ACCEPTED, "{sent}");
        let d = Deliverer::new(t.app.settings.delivery.clone()).expect("deliverer");
        deliver_once(&t.app, &d, "w").await.expect("deliver");
        let posts = gateway.posts();
        assert_eq!(posts.len(), 1, "{posts:?}");
        assert_eq!(posts[0]["path"], "/send");
        assert_eq!(posts[0]["authorization"], "Bearer gw-secret");
        let body: Value = serde_json::from_str(posts[0]["body"].as_str().unwrap_or("{}"))
            .expect("the gateway got JSON");
        assert_eq!(body["to"], "13912345678");
        assert_eq!(body["text"], text);
        assert_eq!(body["id"], sent["message"]["id"]);
        assert_eq!(posts[0]["idempotency_key"], sent["message"]["id"]);
        t.finish().await;
    }
}

#[tokio::test]
async fn admins_keep_the_list_of_words_not_to_use_and_notes_are_checked_against_it() {
    for backend in crate::helpers::backends().await {
        let t = TestApp::spawn(&backend).await;
        eprintln!("-- on {}", t.backend);
        t.seed_users().await;
        let admin = t.api("admin").await;
        let rep = t.api("sales1").await;
        // The method's list is there from the start, with reasons and better wordings.
        let (st, list) = rep.get("/phrases").await;
        assert_eq!(st, StatusCode::OK, "{list}");
        let seeded = list.as_array().map(Vec::len).unwrap_or(0);
        assert!(seeded >= 18, "{list}");
        let dont_know = list
            .as_array()
            .and_then(|a| a.iter().find(|p| p["phrase"] == "不知道"))
            .cloned()
            .unwrap_or(Value::Null);
        assert!(
            !dont_know["better_zh"]
                .as_str()
                .unwrap_or_default()
                .is_empty()
        );
        let check = |text: &str| json!({ "texts": { "body": text } });
        let (_, hits) = rep
            .post("/phrases/check", check("这事我不知道，随便你。"))
            .await;
        assert_eq!(hits.as_array().map(Vec::len), Some(1), "{hits}");
        // The input is an object: an array (which serde would read as the fields in order) is
        // refused as malformed, like a body it cannot read at all.
        for body in [json!([]), json!([{ "body": "不知道" }])] {
            let (st, e) = rep.post("/phrases/check", body).await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
            assert_eq!(e["errors"][0]["field"], "body", "{e}");
            assert_eq!(e["errors"][0]["code"], "malformed", "{e}");
        }

        // Only admins change the list; a new phrase is checked at once, a removed one no more.
        let new = json!({ "phrase": "随便你", "lang": "zh-CN", "reason_zh": "显得不在乎客户", "reason_en": "Sounds as if we do not care",
                           "better_zh": "您看这样安排是否合适？", "better_en": "Would this suit you?" });
        let (st, _) = rep.post("/phrases", new.clone()).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, e) = admin.post("/phrases", json!({ "phrase": "随便你" })).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let (st, added) = admin.post("/phrases", new).await;
        assert_eq!(st, StatusCode::CREATED, "{added}");
        let (st, _) = admin
            .send(
                reqwest::Method::DELETE,
                &format!("/phrases/{}", dont_know["id"].as_str().unwrap_or_default()),
                None,
            )
            .await;
        assert_eq!(st, StatusCode::NO_CONTENT);
        let (_, hits) = rep
            .post("/phrases/check", check("这事我不知道，随便你。"))
            .await;
        let found: Vec<&str> = hits
            .as_array()
            .map(|a| a.iter().filter_map(|h| h["found"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(found, ["随便你"], "{hits}");
        assert_eq!(hits[0]["better"], "您看这样安排是否合适？");

        // The method's list is written in once: a phrase an admin removed stays removed.
        let db = huike_store::Db::connect(&t.database_url)
            .await
            .expect("second instance");
        let other = huike_app::App::with_clock(db, t.app.settings.clone(), t.app.clock.clone());
        let again = huike_app::phrases::list(&other).await.expect("list");
        assert_eq!(again.len(), seeded, "one removed, one added");
        assert!(!again.iter().any(|p| p.phrase == "不知道"));
        other.close().await;
        t.finish().await;
    }
}

/// A worker only starts a message in the first half of its claim: what it has not started
/// by then goes back to the queue unsent (another worker taking over a claim that ran out
/// would otherwise send it a second time), and the next pass sends it, once.
#[tokio::test]
async fn messages_not_started_within_half_the_claim_go_back_unsent() {
    const N: usize = 40;
    for backend in crate::helpers::backends().await {
        let sink = Peer::smtp();
        let t = TestApp::spawn_with(&backend, |c| c.smtp_url = Some(smtp_url(&sink))).await;
        eprintln!("-- on {}", t.backend);
        t.app.clock.set("2026-04-01T10:00:00+08:00").expect("clock");
        crate::helpers::queue_mails(&t, "claim-test", N).await;
        let mut settings = t.app.settings.delivery.clone();
        settings.parallel = 1;
        settings.claim = std::time::Duration::from_secs(60);
        let d = Deliverer::new(settings).expect("deliverer");

        // While the worker sends one at a time, the clock passes half the claim once the
        // first message has arrived.
        let worker = {
            let app = t.app.clone();
            tokio::spawn(async move { deliver_once(&app, &d, "w").await.map(|n| (n, d)) })
        };
        while sink.mails().is_empty() {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        t.app.clock.advance(chrono::Duration::seconds(31));
        let (claimed, d) = worker.await.expect("join").expect("deliver");
        assert_eq!(claimed, N);
        let first = sink.mails().len();
        assert!(
            (1..N).contains(&first),
            "{first} sent before the claim's half"
        );
        let back: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT status, attempts, last_error FROM outbox WHERE status <> 'sent'",
        )
        .fetch_all(t.app.db.pool())
        .await
        .expect("outbox");
        assert_eq!(back.len(), N - first);
        for (status, attempts, why) in &back {
            assert_eq!(status, "pending");
            assert_eq!(*attempts, 0, "an unsent claim is no attempt");
            assert_eq!(why, "not started within the claim");
        }

        // The next pass sends the rest; each message arrives once.
        assert_eq!(
            deliver_once(&t.app, &d, "w").await.expect("deliver"),
            N - first
        );
        let mails = sink.mails();
        let ids: std::collections::BTreeSet<String> = mails
            .iter()
            .map(|m| m["message_id"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(mails.len(), N);
        assert_eq!(ids.len(), N, "no message twice");
        t.finish().await;
    }
}

/// The SMTP sender keeps its connections for the next messages (a burst does not open one per
/// message), and a kept connection the server closed meanwhile is noticed before it carries a
/// message, so that message still goes on its first attempt.
#[tokio::test]
async fn smtp_connections_are_kept_and_one_the_server_closed_is_replaced() {
    const N: usize = 24;
    for backend in crate::helpers::backends().await {
        let mut sink = Peer::smtp();
        let t = TestApp::spawn_with(&backend, |c| c.smtp_url = Some(smtp_url(&sink))).await;
        eprintln!("-- on {}", t.backend);
        t.app.clock.set("2026-04-01T10:00:00+08:00").expect("clock");
        crate::helpers::queue_mails(&t, "kept", N).await;
        let mut settings = t.app.settings.delivery.clone();
        settings.parallel = 3;
        let d = Deliverer::new(settings).expect("deliverer");
        assert_eq!(deliver_once(&t.app, &d, "w").await.expect("deliver"), N);
        let sessions = |mails: &[serde_json::Value]| -> std::collections::BTreeSet<i64> {
            mails
                .iter()
                .filter_map(|m| m["client_port"].as_i64())
                .collect()
        };
        let mails = sink.mails();
        assert_eq!(mails.len(), N);
        let first = sessions(&mails);
        assert!(
            (1..=3).contains(&first.len()),
            "{N} messages over {} connections, not at most 3",
            first.len()
        );

        // The server restarts: every kept connection is closed on its side. After a second
        // idle, the next message checks its connection first and opens a new one.
        sink.restart_smtp();
        tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
        crate::helpers::queue_mails(&t, "after-restart", 1).await;
        assert_eq!(deliver_once(&t.app, &d, "w").await.expect("deliver"), 1);
        let (status, attempts): (String, i64) = sqlx::query_as(
            "SELECT status, attempts FROM outbox WHERE idem_key = 'after-restart:0'",
        )
        .fetch_one(t.app.db.pool())
        .await
        .expect("outbox");
        assert_eq!((status.as_str(), attempts), ("sent", 1));
        let mails = sink.mails();
        assert_eq!(mails.len(), N + 1);
        let last = sessions(&mails);
        assert_eq!(last.difference(&first).count(), 1, "one new connection");
        t.finish().await;
    }
}

/// A server that asks for AUTH gets the user and password of `HUIKE_SMTP_URL` (percent-encoded
/// there); a wrong password keeps the message waiting for another attempt instead of giving it
/// up for good, since the message itself was not refused.
#[tokio::test]
async fn smtp_auth_uses_the_urls_credentials_and_a_wrong_password_is_retried() {
    for backend in crate::helpers::backends().await {
        let sink = Peer::smtp_with_auth("huike:s3cret:p@ss");
        let good = format!("smtp://huike:s3cret%3Ap%40ss@127.0.0.1:{}", sink.port);
        let bad = format!("smtp://huike:wrong@127.0.0.1:{}", sink.port);
        let t = TestApp::spawn_with(&backend, |c| c.smtp_url = Some(bad.clone())).await;
        eprintln!("-- on {}", t.backend);
        t.app.clock.set("2026-04-01T10:00:00+08:00").expect("clock");
        crate::helpers::queue_mails(&t, "auth", 1).await;
        let row = || async {
            sqlx::query_as::<_, (String, i64, String)>(
                "SELECT status, attempts, last_error FROM outbox WHERE idem_key = 'auth:0'",
            )
            .fetch_one(t.app.db.pool())
            .await
            .expect("outbox")
        };

        let d = Deliverer::new(t.app.settings.delivery.clone()).expect("deliverer");
        assert_eq!(deliver_once(&t.app, &d, "w").await.expect("deliver"), 1);
        let (status, attempts, why) = row().await;
        assert_eq!((status.as_str(), attempts), ("pending", 1), "{why}");
        assert!(why.contains("535"), "the server's answer is kept: {why}");
        assert!(sink.mails().is_empty());

        // The setting mended, the retry goes through.
        let mut settings = t.app.settings.delivery.clone();
        settings.smtp_url = Some(good.clone());
        let d = Deliverer::new(settings).expect("deliverer");
        t.app.clock.advance(chrono::Duration::minutes(5));
        assert_eq!(deliver_once(&t.app, &d, "w").await.expect("deliver"), 1);
        let (status, attempts, _) = row().await;
        assert_eq!((status.as_str(), attempts), ("sent", 2));
        let mails = sink.mails();
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0]["rcpt_tos"][0], "customer0@example.com");
        t.finish().await;
    }
}
