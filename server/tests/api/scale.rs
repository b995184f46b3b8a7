//! Lists and warnings on the scale data set: every list comes a bounded page at a time,
//! sorted and filtered on the server, and the warnings of a large selection are exact.

use app::billing::InvoiceSummary;
use app::error::AppError;
use app::members::MemberSummary;
use app::paging::{Page, MAX_PAGE_SIZE};
use app::transfers::api::{FrozenProduct, ProductChoice, TransferDetail, TransferSummary};
use serde_json::json;
use transfer_rules::{
    group_warnings, NotTransferable, ProductKind, ProductRef, TransferId, WarningSubject, Warnings,
};

use crate::support::TestApp;
use crate::transfers::scalar;

const SCALE: &str = "org-scale";
/// Products of the scale Organization at `MANAGER_DEMO_SCALE=300`: 300 that can move,
/// 6 that cannot.
const PRODUCTS: u64 = 306;

async fn scale_app() -> TestApp {
    TestApp::spawn_with(&[("MANAGER_DEMO_SCALE", "300")]).await
}

async fn products(
    app: &TestApp,
    who: &reqwest::Client,
    params: &[(&str, &str)],
) -> Page<ProductRef> {
    let mut form = vec![("organization", SCALE)];
    form.extend_from_slice(params);
    app.call(who, "list_products", &form).await.unwrap()
}

async fn product_choices(
    app: &TestApp,
    who: &reqwest::Client,
) -> Result<Vec<ProductChoice>, AppError> {
    app.call(who, "list_product_choices", &[("organization", SCALE)])
        .await
}

fn sort_key(p: &ProductRef) -> (String, String) {
    (p.name.to_string(), p.id.to_string())
}

#[tokio::test]
async fn products_come_in_bounded_pages_sorted_by_name() {
    let app = scale_app().await;
    let alice = app.logged_in("alice@example.com").await;

    let first = products(&app, &alice, &[]).await;
    assert_eq!(
        (first.total, first.items.len(), first.request.size),
        (PRODUCTS, 50, 50)
    );
    // A million rows asked for: the maximum comes back.
    let huge = products(&app, &alice, &[("size", "1000000")]).await;
    assert_eq!(huge.items.len(), MAX_PAGE_SIZE as usize);
    assert_eq!(huge.request.size, MAX_PAGE_SIZE);

    // The pages, one after the other, are every product once, in name order.
    let mut all = Vec::new();
    for page in 1..=4 {
        let page = page.to_string();
        let got = products(&app, &alice, &[("page", &page), ("size", "100")]).await;
        all.extend(got.items);
    }
    assert_eq!(all.len() as u64, PRODUCTS);
    assert!(all.windows(2).all(|w| sort_key(&w[0]) < sort_key(&w[1])));
    assert_eq!(all[..50], first.items[..]);
    let past_the_end = products(&app, &alice, &[("page", "99")]).await;
    assert!(past_the_end.items.is_empty());
    assert_eq!(past_the_end.total, PRODUCTS);
}

#[tokio::test]
async fn products_are_searched_and_filtered_on_the_server() {
    let app = scale_app().await;
    let alice = app.logged_in("alice@example.com").await;

    let domains = products(&app, &alice, &[("kind", "domain"), ("size", "100")]).await;
    assert_eq!(domains.total, 30);
    assert!(domains.items.iter().all(|p| p.kind == ProductKind::Domain));

    // Any case, anywhere in the name.
    let found = products(&app, &alice, &[("search", "CLIENT10012")]).await;
    let names: Vec<_> = found.items.iter().map(|p| p.name.to_string()).collect();
    assert_eq!(found.total, 10, "{names:?}");
    assert!(names.iter().all(|n| n.starts_with("client10012")));
    let both = products(
        &app,
        &alice,
        &[("search", "client10012"), ("kind", "domain")],
    )
    .await;
    assert_eq!(both.total, 1);
    // Control characters are dropped (a NUL would be refused by PostgreSQL).
    let controlled = products(&app, &alice, &[("search", "\u{0}CLIENT10012\t")]).await;
    assert_eq!(controlled.total, 10);
    // Wildcards are plain characters.
    assert_eq!(products(&app, &alice, &[("search", "%")]).await.total, 0);
    assert_eq!(
        products(&app, &alice, &[("search", "client_")]).await.total,
        0
    );
    // An unknown kind is refused, not ignored.
    let refused = app
        .call::<Page<ProductRef>>(
            &alice,
            "list_products",
            &[("organization", SCALE), ("kind", "spaceship")],
        )
        .await;
    assert!(
        matches!(refused, Err(AppError::Transport(_))),
        "{refused:?}"
    );
}

#[tokio::test]
async fn members_and_invoices_come_in_bounded_pages() {
    let app = scale_app().await;
    let alice = app.logged_in("alice@example.com").await;
    let form = [("organization", SCALE), ("size", "1000000")];
    let members: Page<MemberSummary> = app.call(&alice, "list_members", &form).await.unwrap();
    // 30 users and alice.
    assert_eq!((members.total, members.items.len()), (31, 31));
    let invoices: Page<InvoiceSummary> = app.call(&alice, "list_invoices", &form).await.unwrap();
    assert_eq!(
        (invoices.total, invoices.items.len()),
        (150, MAX_PAGE_SIZE as usize)
    );
    let second: Page<InvoiceSummary> = app
        .call(
            &alice,
            "list_invoices",
            &[("organization", SCALE), ("page", "2"), ("size", "100")],
        )
        .await
        .unwrap();
    assert_eq!(second.items.len(), 50);
    assert!(invoices.items.iter().all(|i| !second.items.contains(i)));
}

#[tokio::test]
async fn the_wizard_gets_names_and_reasons_but_only_administrators_do() {
    let app = scale_app().await;
    let alice = app.logged_in("alice@example.com").await;
    let choices = product_choices(&app, &alice).await.unwrap();
    assert_eq!(choices.len() as u64, PRODUCTS);
    let blocked: Vec<_> = choices.iter().filter_map(|c| c.blocked).collect();
    assert_eq!(blocked.len(), 6);
    assert!(blocked.iter().all(|r| matches!(
        r,
        NotTransferable::NeverTransferable | NotTransferable::OwnProcedure
    )));

    let user = app.logged_in("user6@scale.example").await;
    assert_eq!(product_choices(&app, &user).await, Err(AppError::Forbidden));
    let bob = app.logged_in("bob@example.com").await;
    assert_eq!(product_choices(&app, &bob).await, Err(AppError::NotFound));
}

#[tokio::test]
async fn a_large_transfer_is_previewed_listed_and_paged_exactly() {
    let app = scale_app().await;
    let alice = app.logged_in("alice@example.com").await;
    let choices = product_choices(&app, &alice).await.unwrap();
    let movable: Vec<_> = choices
        .iter()
        .filter(|c| c.blocked.is_none())
        .map(|c| c.id.clone())
        .collect();
    assert_eq!(movable.len(), 300);

    let preview: Warnings = app
        .call_json(
            &alice,
            "preview_transfer",
            json!({"organization": SCALE, "products": movable}),
        )
        .await
        .unwrap();
    assert_eq!(preview.products.len(), 300);
    // The groups say what the database holds: every grant, team right and invoice.
    let groups = group_warnings(&preview);
    let in_groups = |wanted: fn(&WarningSubject) -> bool| -> i64 {
        groups
            .iter()
            .filter(|g| wanted(&g.subject))
            .map(|g| g.products.len() as i64)
            .sum()
    };
    let scale_products = "SELECT id FROM products WHERE organization_id = 'org-scale'";
    assert_eq!(
        in_groups(|s| matches!(
            s,
            WarningSubject::UserLosesAccess(_) | WarningSubject::KDriveUserIntegrated(_)
        )),
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM access_grants WHERE product_id IN ({scale_products})")
        )
        .await
    );
    assert_eq!(
        in_groups(|s| matches!(s, WarningSubject::TeamLosesRights(_))),
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM team_rights WHERE product_id IN ({scale_products})")
        )
        .await
    );
    assert_eq!(
        in_groups(|s| matches!(s, WarningSubject::InvoicesStaying)),
        scalar(
            &app,
            "SELECT COUNT(DISTINCT product_id) FROM invoices WHERE organization_id = 'org-scale'"
        )
        .await
    );
    // Everything moves together: no linked product is left behind.
    assert_eq!(
        in_groups(|s| matches!(s, WarningSubject::LinkedLeftBehind)),
        0
    );

    let id: TransferId = app
        .call_json(
            &alice,
            "start_transfer",
            json!({"organization": SCALE, "products": movable, "accepted_conditions": true}),
        )
        .await
        .unwrap();
    let detail: TransferDetail = app
        .call(&alice, "get_transfer", &[("transfer", id.as_str())])
        .await
        .unwrap();
    assert_eq!(detail.kinds.iter().map(|(_, n)| n).sum::<u64>(), 300);
    assert_eq!(detail.kinds.len(), 10);
    let token = detail.link.unwrap().rsplit('/').next().unwrap().to_string();

    // The receiver sees the same warnings through the link, and the products page by page.
    let bob = app.logged_in("bob@example.com").await;
    let by_link: Warnings = app
        .call_json(
            &bob,
            "get_transfer_warnings",
            json!({"transfer": {"link": token}}),
        )
        .await
        .unwrap();
    assert_eq!(by_link, preview);
    let page: Page<FrozenProduct> = app
        .call_json(
            &bob,
            "list_transfer_products",
            json!({"transfer": {"link": token}, "page": 3, "size": 100}),
        )
        .await
        .unwrap();
    assert_eq!((page.total, page.items.len()), (300, 100));
    assert!(page
        .items
        .windows(2)
        .all(|w| (&w[0].name, &w[0].id) < (&w[1].name, &w[1].id)));
    // Without the link, by id, bob sees nothing; a wrong link is unavailable.
    assert_eq!(
        app.call_json::<Page<FrozenProduct>>(
            &bob,
            "list_transfer_products",
            json!({"transfer": {"id": id}})
        )
        .await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        app.call_json::<Warnings>(
            &bob,
            "get_transfer_warnings",
            json!({"transfer": {"link": "x".repeat(43)}})
        )
        .await,
        Err(AppError::LinkUnavailable)
    );

    // The transfers list finds it by one product's name, and names only the first few.
    let list = |search: &'static str| {
        let (app, alice) = (&app, &alice);
        async move {
            app.call::<Page<TransferSummary>>(
                alice,
                "list_transfers",
                &[
                    ("organization", SCALE),
                    ("search", search),
                    ("size", "1000"),
                ],
            )
            .await
            .unwrap()
        }
    };
    let found = list("client100123").await;
    assert_eq!(found.total, 1);
    assert_eq!(found.request.size, MAX_PAGE_SIZE);
    assert_eq!(found.items[0].product_count, 300);
    assert_eq!(found.items[0].products.len(), 3);
    assert_eq!(list("no such product").await.total, 0);
}
