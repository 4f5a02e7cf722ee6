//! Who may see and change what: visibility by role, CSRF on cookie writes, token revocation.

use reqwest::StatusCode;
use serde_json::json;

use crate::on_each_backend;

#[tokio::test]
async fn a_sales_rep_cannot_list_read_edit_search_or_export_another_reps_customer() {
    on_each_backend!(|t| {
        let users = t.seed_users().await;
        let sales1 = t.api("sales1").await;
        let id = sales1.customer("北京华信科技有限公司").await;

        // Another rep in the same department, and one in another department: not visible.
        for other in ["sales2", "sales3"] {
            let api = t.api(other).await;
            let (st, list) = api.get("/customers").await;
            assert_eq!(st, StatusCode::OK);
            assert_eq!(list["total"], 0, "{other} must not see sales1's customer");
            assert_eq!(
                api.get(&format!("/customers/{id}")).await.0,
                StatusCode::NOT_FOUND
            );
            let (st, _) = api
                .put(&format!("/customers/{id}"), json!({ "name": "改名" }))
                .await;
            assert_eq!(st, StatusCode::NOT_FOUND);
            let (_, found) = api.get("/search?q=huaxin").await;
            assert_eq!(
                found["items"].as_array().map(Vec::len),
                Some(0),
                "{other} found it by search"
            );
            let (st, _) = api
                .post(
                    &format!("/customers/{id}/contacts"),
                    json!({ "name": "张三" }),
                )
                .await;
            assert_eq!(st, StatusCode::NOT_FOUND);
        }

        // The manager of the department and the admin see it; the other department's does not.
        let (_, list) = t.api("manager1").await.get("/customers").await;
        assert_eq!(list["total"], 1);
        let (_, list) = t.api("admin").await.get("/customers").await;
        assert_eq!(list["total"], 1);

        // Service agents see it but may not change the archive.
        let service = t.api("service1").await;
        assert_eq!(
            service.get(&format!("/customers/{id}")).await.0,
            StatusCode::OK
        );
        let (st, _) = service
            .put(&format!("/customers/{id}"), json!({ "name": "改名" }))
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN);

        // Sharing makes it visible to the colleague it is shared with, beside their own
        // customers, in the list, the contact list and the search; unsharing takes it away.
        let sales2 = t.api("sales2").await;
        let own = sales2.customer("广州南方贸易有限公司").await;
        let (st, _) = sales1
            .post(
                &format!("/customers/{id}/contacts"),
                json!({ "name": "黄欣" }),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED);
        let sales1_actor = huike_app::Actor {
            user_id: users.sales1.clone(),
            username: "sales1".into(),
            display_name: "sales1".into(),
            role: huike_app::Role::Sales,
            department_id: None,
            lang: huike_domain::Lang::ZhCn,
        };
        huike_app::customers::share(&t.app, &sales1_actor, &id, "sales2")
            .await
            .expect("share");
        let (_, list) = sales2.get("/customers?sort=created").await;
        assert_eq!(list["total"], 2);
        let ids: Vec<&str> = list["items"]
            .as_array()
            .map(|v| v.iter().filter_map(|c| c["id"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(ids, [id.as_str(), own.as_str()]);
        let (_, contacts) = sales2.get("/contacts").await;
        assert_eq!(contacts["total"], 1, "{contacts}");
        let (_, found) = sales2.get("/search?q=huaxin").await;
        assert_eq!(found["items"].as_array().map(Vec::len), Some(1));
        assert_eq!(found_by(&sales2, "黄欣").await, ["contact:黄欣"]);
        huike_app::customers::unshare(&t.app, &sales1_actor, &id, &users.sales2)
            .await
            .expect("unshare");
        let (_, list) = sales2.get("/customers").await;
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["id"], own.as_str());
        let (_, contacts) = sales2.get("/contacts").await;
        assert_eq!(contacts["total"], 0);
        let (_, found) = sales2.get("/search?q=huaxin").await;
        assert_eq!(found["items"].as_array().map(Vec::len), Some(0));
        assert!(found_by(&sales2, "黄欣").await.is_empty());
        let _ = (
            users.admin,
            users.manager1,
            users.sales2,
            users.sales3,
            users.service1,
        );
    });
}

#[tokio::test]
async fn a_cookie_write_without_the_csrf_token_is_refused() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let (client, csrf) = t.session("sales1").await;
        let url = format!("{}/api/v1/customers", t.base);
        let r = client
            .post(&url)
            .json(&json!({ "name": "无令牌公司" }))
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = client
            .post(&url)
            .header("x-csrf-token", "forged")
            .json(&json!({ "name": "无令牌公司" }))
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = client.get(&url).send().await.expect("get");
        assert_eq!(
            r.json::<serde_json::Value>().await.expect("json")["total"],
            0,
            "nothing was written"
        );
        let r = client
            .post(&url)
            .header("x-csrf-token", csrf)
            .json(&json!({ "name": "有令牌公司" }))
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), StatusCode::CREATED);
    });
}

#[tokio::test]
async fn a_revoked_api_token_is_refused() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let api = t.api("sales1").await;
        assert_eq!(api.get("/customers").await.0, StatusCode::OK);
        let (st, _) = api
            .post(&format!("/tokens/{}/revoke", api.token_id), json!({}))
            .await;
        assert_eq!(st, StatusCode::NO_CONTENT);
        let (st, body) = api.get("/customers").await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        assert_eq!(body["code"], "unauthenticated");
        // A made-up token is refused the same way.
        let fake = crate::helpers::Api {
            token: "hk_0000".into(),
            ..api
        };
        assert_eq!(fake.get("/customers").await.0, StatusCode::UNAUTHORIZED);
    });
}

#[tokio::test]
async fn logins_are_rate_limited_per_user_and_address() {
    on_each_backend!(|t| {
        t.seed_users().await;
        let client = reqwest::Client::new();
        let mut statuses = Vec::new();
        for _ in 0..25 {
            let r = client
                .post(format!("{}/api/v1/session", t.base))
                .json(&json!({ "username": "sales1", "password": "wrong" }))
                .send()
                .await
                .expect("login");
            statuses.push(r.status());
        }
        assert_eq!(statuses[0], StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS));
    });
}

#[tokio::test]
async fn contacts_follow_their_customer_to_a_new_owner_and_department() {
    on_each_backend!(|t| {
        let users = t.seed_users().await;
        let sales1 = t.api("sales1").await;
        let id = sales1.customer("杭州西湖茶业有限公司").await;
        let (st, _) = sales1
            .post(
                &format!("/customers/{id}/contacts"),
                json!({ "name": "龙井", "personality": "composed" }),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED);
        assert_eq!(contacts_of(&sales1, "").await, 1);
        assert_eq!(contacts_of(&sales1, "?personality=composed").await, 1);

        // The manager hands the customer to a colleague in the department: the contact goes too.
        let manager1 = t.api("manager1").await;
        let (st, body) = manager1
            .put(
                &format!("/customers/{id}"),
                json!({ "name": "杭州西湖茶业有限公司", "owner_id": users.sales2 }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{body}");
        let sales2 = t.api("sales2").await;
        assert_eq!(contacts_of(&sales1, "").await, 0);
        assert_eq!(contacts_of(&sales2, "").await, 1);
        assert_eq!(contacts_of(&sales2, "?personality=composed").await, 1);
        assert_eq!(contacts_of(&manager1, "").await, 1);
        // Search follows too: the customer and its contact by pinyin, for the new owner only.
        let both = ["contact:龙井", "customer:杭州西湖茶业有限公司"];
        assert!(found_by(&sales1, "longjing").await.is_empty());
        assert!(found_by(&sales1, "xihu").await.is_empty());
        assert_eq!(found_by(&sales2, "longjing").await, both[..1]);
        assert_eq!(found_by(&sales2, "xihu").await, both[1..]);
        assert_eq!(found_by(&manager1, "longjing").await, both[..1]);

        // The admin moves it to a rep of the other department: it leaves the manager's list.
        let (st, body) = t
            .api("admin")
            .await
            .put(
                &format!("/customers/{id}"),
                json!({ "name": "杭州西湖茶业有限公司", "owner_id": users.sales3 }),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{body}");
        assert_eq!(contacts_of(&manager1, "").await, 0);
        assert_eq!(contacts_of(&sales2, "").await, 0);
        assert!(found_by(&manager1, "xihu").await.is_empty());
        assert!(found_by(&sales2, "longjing").await.is_empty());
        assert_eq!(found_by(&t.api("sales3").await, "xihu").await, both[1..]);
        assert_eq!(
            contacts_of(&t.api("sales3").await, "?sort=customer").await,
            1
        );
    });
}

/// What `api`'s user finds by searching for `q`, as `type:name`. The search's scope is
/// tested twice, on the term index and on the records it names; both must agree, so a term
/// whose copied owner or department went stale fails here even where the record test hides it.
async fn found_by(api: &crate::helpers::Api, q: &str) -> Vec<String> {
    let (_, found) = api.get(&format!("/search?q={q}")).await;
    let items: Vec<String> = found["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| {
                    format!(
                        "{}:{}",
                        i["type"].as_str().unwrap_or(""),
                        i["name"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        found["total"],
        items.len(),
        "terms and records disagree on what {q} finds: {found}"
    );
    items
}

/// The number of contacts `api`'s user sees in the contact list with `query`.
async fn contacts_of(api: &crate::helpers::Api, query: &str) -> serde_json::Value {
    api.get(&format!("/contacts{query}")).await.1["total"].clone()
}
