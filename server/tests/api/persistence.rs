use manager_server::auth::hash_password;

use crate::support::{fresh_database_url, test_config};

#[tokio::test]
async fn migrations_apply_from_scratch_and_the_seed_is_idempotent() {
    let data_dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(data_dir.path()).await;
    let config = test_config(data_dir.path(), &url);

    let first = manager_server::prepare(&config).await.unwrap();
    let counts = first.store.table_counts().await.unwrap();
    assert_eq!(counts.organizations, 3);
    assert_eq!(counts.products, 13);
    first.store.close().await;

    // A second start on the same database: migrations are already there, nothing is doubled.
    let second = manager_server::prepare(&config).await.unwrap();
    assert!(!second.store.seed_demo(hash_password).await.unwrap());
    assert_eq!(second.store.table_counts().await.unwrap(), counts);
}

#[tokio::test]
async fn servers_starting_together_on_an_empty_database_seed_it_once() {
    let (first_dir, second_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let url = fresh_database_url(first_dir.path()).await;
    // Two machines: each its own data folder, one shared database.
    let (first, second) = (
        test_config(first_dir.path(), &url),
        test_config(second_dir.path(), &url),
    );
    let (first, second) = tokio::join!(
        manager_server::prepare(&first),
        manager_server::prepare(&second)
    );
    let (first, second) = (first.unwrap(), second.unwrap());

    let counts = first.store.table_counts().await.unwrap();
    assert_eq!(counts.organizations, 3);
    assert_eq!(counts.products, 13);
    assert_eq!(second.store.table_counts().await.unwrap(), counts);
}
