//! Tables for people; `--json` prints the API's own answers instead.

use serde_json::Value;

fn text(value: &Value) -> String {
    match value {
        Value::Null => "—".into(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Columns padded to their widest cell.
fn table(headers: &[&str], rows: Vec<Vec<String>>) -> String {
    let widths: Vec<usize> = (0..headers.len())
        .map(|column| {
            rows.iter()
                .map(|row| row[column].chars().count())
                .chain([headers[column].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(headers.iter().map(|h| h.to_string()).collect());
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

fn items(value: &Value) -> &[Value] {
    value.as_array().map(Vec::as_slice).unwrap_or_default()
}

pub fn products(value: &Value) -> String {
    let rows = items(value)
        .iter()
        .map(|p| vec![text(&p["id"]), text(&p["kind"]), text(&p["name"])])
        .collect();
    table(&["ID", "KIND", "NAME"], rows)
}

pub fn transfers(value: &Value) -> String {
    let rows = items(value)
        .iter()
        .map(|t| {
            vec![
                text(&t["id"]),
                text(&t["direction"]),
                text(&t["status"]),
                text(&t["product_count"]),
                text(&t["other_organization"]),
                text(&t["created_at"]),
            ]
        })
        .collect();
    table(
        &[
            "ID",
            "DIRECTION",
            "STATUS",
            "PRODUCTS",
            "OTHER ORGANIZATION",
            "CREATED",
        ],
        rows,
    )
}

pub fn transfer(t: &Value) -> String {
    let kinds = items(&t["kinds"])
        .iter()
        .map(|k| format!("{} {}", text(&k["count"]), text(&k["kind"])))
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = table(
        &["FIELD", "VALUE"],
        [
            ("id", text(&t["id"])),
            ("status", text(&t["status"])),
            ("from", text(&t["source_name"])),
            ("to", text(&t["destination_name"])),
            ("products", kinds),
            ("created", text(&t["created_at"])),
            ("expires", text(&t["expires_at"])),
            ("link", text(&t["link"])),
        ]
        .into_iter()
        .map(|(name, value)| vec![name.to_string(), value])
        .collect(),
    );
    out.push('\n');
    out.push_str(&table(
        &["WHEN", "EVENT", "BY"],
        items(&t["events"])
            .iter()
            .map(|e| vec![text(&e["at"]), text(&e["kind"]), text(&e["actor"])])
            .collect(),
    ));
    out
}

pub fn receipt(r: &Value) -> String {
    format!(
        "Transfer {} received into {}.\n",
        text(&r["transfer"]),
        text(&r["destination"])
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tables_align_their_columns() {
        let out = products(&json!([
            {"id": "prd-1", "kind": "kdrive", "name": "Drive"},
            {"id": "prd-22", "kind": "domain", "name": "example.org"}
        ]));
        assert_eq!(
            out,
            "ID      KIND    NAME\nprd-1   kdrive  Drive\nprd-22  domain  example.org\n"
        );
    }
}
