use app::billing::InvoiceSummary;
use app::error::AppError;
use app::members::MemberSummary;
use app::paging::Page;
use app::products::ProductDetail;
use transfer_rules::ProductRef;

use crate::support::TestApp;
use crate::transfers::{receive, start};

#[tokio::test]
async fn members_see_their_organization() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let products: Page<ProductRef> = app
        .call(
            &alice,
            "list_products",
            &[("organization", "org-alice-studio")],
        )
        .await
        .unwrap();
    let names: Vec<_> = products.items.iter().map(|p| &*p.name).collect();
    assert!(
        names.contains(&"Studio Drive") && names.contains(&"studio-env"),
        "{names:?}"
    );
    assert_eq!((products.total, products.items.len()), (9, 9));

    let drive: ProductDetail = app
        .call(&alice, "get_product", &[("product", "prd-studio-drive")])
        .await
        .unwrap();
    assert_eq!(drive.organization_name, "Alice Studio SA");
    assert_eq!(drive.access.len(), 1);

    let invoices: Page<InvoiceSummary> = app
        .call(
            &alice,
            "list_invoices",
            &[("organization", "org-alice-studio")],
        )
        .await
        .unwrap();
    assert_eq!(invoices.total, 4);
}

#[tokio::test]
async fn another_organization_is_indistinguishable_from_a_missing_one() {
    let app = TestApp::spawn().await;
    let bob = app.logged_in("bob@example.com").await;
    for organization in ["org-alice-studio", "org-does-not-exist"] {
        let form = [("organization", organization)];
        assert_eq!(
            app.call::<Page<ProductRef>>(&bob, "list_products", &form)
                .await,
            Err(AppError::NotFound)
        );
        assert_eq!(
            app.call::<Page<MemberSummary>>(&bob, "list_members", &form)
                .await,
            Err(AppError::NotFound)
        );
        assert_eq!(
            app.call::<Page<InvoiceSummary>>(&bob, "list_invoices", &form)
                .await,
            Err(AppError::NotFound)
        );
    }
    for product in ["prd-studio-drive", "prd-does-not-exist"] {
        assert_eq!(
            app.call::<ProductDetail>(&bob, "get_product", &[("product", product)])
                .await,
            Err(AppError::NotFound)
        );
    }
}

#[tokio::test]
async fn plain_users_see_only_the_products_they_were_given() {
    let app = TestApp::spawn().await;
    let carol = app.logged_in("carol@example.com").await;
    let products: Page<ProductRef> = app
        .call(
            &carol,
            "list_products",
            &[("organization", "org-alice-studio")],
        )
        .await
        .unwrap();
    let mut names: Vec<_> = products.items.iter().map(|p| &*p.name).collect();
    names.sort();
    assert_eq!(names, ["Studio Drive", "studio.example hosting"]);
    assert_eq!(
        app.call::<ProductDetail>(&carol, "get_product", &[("product", "prd-build-vps")])
            .await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        app.call::<Page<InvoiceSummary>>(
            &carol,
            "list_invoices",
            &[("organization", "org-alice-studio")]
        )
        .await,
        Err(AppError::Forbidden)
    );
}

#[tokio::test]
async fn linked_products_are_named_only_to_those_who_may_see_them() {
    let app = TestApp::spawn().await;
    let linked = |detail: &ProductDetail| {
        let names: Vec<String> = detail.linked.iter().map(|p| p.name.to_string()).collect();
        (names, detail.linked_elsewhere)
    };
    let product = |who, id: &'static str| {
        let app = &app;
        async move {
            app.call::<ProductDetail>(who, "get_product", &[("product", id)])
                .await
                .unwrap()
        }
    };
    // Carol was given the hosting, not the domain it is linked to.
    let carol = app.logged_in("carol@example.com").await;
    assert_eq!(
        linked(&product(&carol, "prd-studio-hosting").await),
        (vec![], 0)
    );
    let alice = app.logged_in("alice@example.com").await;
    assert_eq!(
        linked(&product(&alice, "prd-studio-hosting").await),
        (vec!["studio.example".to_string()], 0)
    );

    // Once the domain is Bob's, each side counts the other's products without naming them.
    let (_, token) = start(&app, &alice, &["prd-studio-domain"]).await;
    let bob = app.logged_in("bob@example.com").await;
    receive(&app, &bob, &token, "org-bob-consulting")
        .await
        .expect("bob receives the domain alone");
    assert_eq!(
        linked(&product(&bob, "prd-studio-domain").await),
        (vec![], 2)
    );
    assert_eq!(
        linked(&product(&alice, "prd-studio-mail").await),
        (vec![], 1)
    );
}

#[tokio::test]
async fn malformed_ids_are_refused_without_reaching_the_database() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    let response = app
        .post(&alice, "list_products", &[("organization", "x' OR '1'='1")])
        .await;
    assert!(!response.status().is_success());
    let body = response.text().await.unwrap();
    let error: AppError = serde_json::from_str(&body).unwrap();
    assert!(matches!(error, AppError::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn cross_site_posts_to_server_functions_are_refused() {
    let app = TestApp::spawn().await;
    let alice = app.logged_in("alice@example.com").await;
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let response = alice
            .post(format!("{}/api/logout", app.address))
            .header(name, value)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{name}: {value}");
    }
    // The refused logout did not happen.
    assert!(app
        .call::<app::session::Me>(&alice, "get_me", &[])
        .await
        .is_ok());
    let same_origin = alice
        .post(format!("{}/api/get_me", app.address))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert!(same_origin.status().is_success());
}
