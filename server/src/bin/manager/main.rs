//! `manager`: the Manager's command-line client, over `/api/v1` with an API token.
//!
//! Exit codes: 0 done; 1 failed (unreachable server, server error, bad configuration);
//! 2 bad usage; 3 refused by the Manager (a rule, a permission, a missing transfer).

mod client;
mod config;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::{json, Value};

use client::{Client, Failure};

#[derive(Parser)]
#[command(
    name = "manager",
    version,
    about = "Move products between Organizations from scripts"
)]
struct Cli {
    /// The Manager's address (or `url = …` in the config file).
    #[arg(long, env = "MANAGER_URL", global = true)]
    url: Option<String>,
    /// Print JSON instead of tables.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The token's Organization's products.
    #[command(subcommand)]
    Products(ProductsCommand),
    /// Transfers of the token's Organization.
    #[command(subcommand)]
    Transfers(TransfersCommand),
}

#[derive(Subcommand)]
enum ProductsCommand {
    /// Lists products (every page).
    List {
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        kind: Option<String>,
    },
}

#[derive(Subcommand)]
enum TransfersCommand {
    /// Starts a transfer; prints it with its link.
    Start {
        /// A product id; repeat for several.
        #[arg(long = "product")]
        products: Vec<String>,
        /// Also every product whose name contains this text.
        #[arg(long)]
        all_matching: Option<String>,
        /// With --all-matching, only products of this kind.
        #[arg(long)]
        kind: Option<String>,
        /// Accept the general conditions of transfer (required).
        #[arg(long)]
        accept_conditions: bool,
    },
    /// Lists transfers, sent and received.
    List {
        /// in_progress, completed or all.
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        search: Option<String>,
    },
    /// Shows one transfer and its history.
    Show { id: String },
    /// Prints a transfer's link.
    Link { id: String },
    /// Emails a transfer's link.
    Email {
        id: String,
        address: String,
        #[arg(long)]
        language: Option<String>,
    },
    /// Moves a transfer's products into another Organization of yours.
    Move {
        id: String,
        #[arg(long = "to")]
        destination: String,
        /// Accept the general conditions of transfer (needed unless you started it).
        #[arg(long)]
        accept_conditions: bool,
    },
    /// Cancels a transfer in progress.
    Cancel { id: String },
    /// Receives a transfer link into the token's Organization.
    Receive {
        link: String,
        /// The receiving Organization: must be the token's.
        #[arg(long = "into")]
        organization: Option<String>,
        /// Accept the general conditions of transfer (required).
        #[arg(long)]
        accept_conditions: bool,
    },
    /// Declines a transfer link.
    Decline { link: String },
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match config::Settings::load(cli.url.clone()) {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("manager: {message}");
            return ExitCode::from(1);
        }
    };
    let client = Client::new(settings);
    match run(&client, cli.command, cli.json).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("manager: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

async fn run(client: &Client, command: Command, as_json: bool) -> Result<(), Failure> {
    let print = |value: &Value, table: fn(&Value) -> String| {
        if as_json {
            println!(
                "{}",
                serde_json::to_string_pretty(value).unwrap_or_default()
            );
        } else {
            print!("{}", table(value));
        }
    };
    match command {
        Command::Products(ProductsCommand::List { search, kind }) => {
            let items = client.all_products(search, kind, !as_json).await?;
            print(&Value::Array(items), output::products);
        }
        Command::Transfers(command) => match command {
            TransfersCommand::Start {
                mut products,
                all_matching,
                kind,
                accept_conditions,
            } => {
                if let Some(search) = all_matching {
                    let found = client.all_products(Some(search), kind, !as_json).await?;
                    products.extend(
                        found
                            .iter()
                            .filter_map(|product| product["id"].as_str().map(String::from)),
                    );
                }
                products.sort();
                products.dedup();
                let body = json!({"products": products, "accept_conditions": accept_conditions});
                let transfer = client.create("/transfers", &body).await?;
                print(&transfer, output::transfer);
            }
            TransfersCommand::List { status, search } => {
                let query = [("status", status), ("search", search)];
                let items = client.all_pages("/transfers", &query, !as_json).await?;
                print(&Value::Array(items), output::transfers);
            }
            TransfersCommand::Show { id } => {
                let transfer = client
                    .get(&format!("/transfers/{}", client::segment(&id)))
                    .await?;
                print(&transfer, output::transfer);
            }
            TransfersCommand::Link { id } => {
                let transfer = client
                    .get(&format!("/transfers/{}", client::segment(&id)))
                    .await?;
                match transfer["link"].as_str() {
                    Some(link) if !as_json => println!("{link}"),
                    Some(link) => println!("{}", json!({"link": link})),
                    None => return Err(Failure::NoLink),
                }
            }
            TransfersCommand::Email {
                id,
                address,
                language,
            } => {
                let path = format!("/transfers/{}/email", client::segment(&id));
                client
                    .create(&path, &json!({"email": address, "language": language}))
                    .await?;
                print(&json!({"emailed": address}), |_| "Link emailed.\n".into());
            }
            TransfersCommand::Move {
                id,
                destination,
                accept_conditions,
            } => {
                let path = format!("/transfers/{}/move", client::segment(&id));
                let body =
                    json!({"destination": destination, "accept_conditions": accept_conditions});
                let receipt = client.post(&path, &body).await?;
                print(&receipt, output::receipt);
            }
            TransfersCommand::Cancel { id } => {
                let path = format!("/transfers/{}/cancel", client::segment(&id));
                let transfer = client.post(&path, &json!({})).await?;
                print(&transfer, output::transfer);
            }
            TransfersCommand::Receive {
                link,
                organization,
                accept_conditions,
            } => {
                let body = json!({"link": link, "accept_conditions": accept_conditions, "organization": organization});
                let receipt = client.post("/links/receive", &body).await?;
                print(&receipt, output::receipt);
            }
            TransfersCommand::Decline { link } => {
                client
                    .post("/links/decline", &json!({"link": link}))
                    .await?;
                print(&json!({"declined": true}), |_| {
                    "Transfer declined.\n".into()
                });
            }
        },
    }
    Ok(())
}
