//! The JS constants and TypeScript unions in pkg-template/generated/ are rendered from the Rust
//! tables (src/error.rs, src/api/catalog.rs, src/api/paths.rs, src/api/builders.rs). This test
//! renders them again and fails when the checked-in files differ; with
//! `WXKF_WRITE_GENERATED=1 cargo test --test generated` it rewrites them instead.

use std::fmt::Write as _;
use std::path::PathBuf;

use wechat_kf::api::{BUILDERS, CATALOG, ROUTES, UNKNOWN};
use wechat_kf::ErrorKind;

const REWRITE: &str = "WXKF_WRITE_GENERATED=1 cargo test --test generated";

fn header(comment: &str) -> String {
    format!(
        "{comment} GENERATED from the Rust tables (src/error.rs, src/api/catalog.rs, src/api/paths.rs,\n\
         {comment} src/api/builders.rs) by tests/generated.rs. Do not edit: change the Rust table and run\n\
         {comment} `{REWRITE}`.\n"
    )
}

fn js_list(names: impl Iterator<Item = String>) -> String {
    let mut out = String::new();
    for name in names {
        let _ = writeln!(out, "  '{name}',");
    }
    out
}

fn render_js() -> String {
    let mut out = header("//");
    out.push_str(
        "\n/** Error codes of the package by kind (WxkfError `code` for that `kind`). */\n",
    );
    out.push_str("export const ERR = Object.freeze({\n");
    for kind in ErrorKind::ALL {
        let _ = writeln!(out, "  {}: {},", kind.as_str(), kind.code());
    }
    out.push_str("});\n\n/** Platform errcodes by catalog kind (UnknownApiError keeps the errcode it got). */\n");
    out.push_str("export const CATALOG_KINDS = Object.freeze({\n");
    for info in CATALOG {
        let _ = writeln!(out, "  {}: {},", info.kind, info.code);
    }
    let _ = writeln!(out, "  {}: {},", UNKNOWN.kind, UNKNOWN.code);
    out.push_str("});\n\n/** Every endpoint the package calls: name -> { method, path } (host: the client's). */\n");
    out.push_str("export const ENDPOINTS = Object.freeze({\n");
    for route in ROUTES {
        let _ = writeln!(
            out,
            "  {}: Object.freeze({{ method: '{}', path: '{}' }}),",
            route.name,
            route.method.as_str(),
            route.path
        );
    }
    out.push_str("});\n\n/** The request builders of `requests` (src/api/builders.rs). */\n");
    out.push_str("export const BUILDER_NAMES = Object.freeze([\n");
    out.push_str(&js_list(BUILDERS.iter().map(|b| b.to_string())));
    out.push_str("]);\n");
    out
}

fn ts_union(name: &str, doc: &str, members: impl Iterator<Item = (String, String)>) -> String {
    let mut out = format!("/** {doc} */\nexport type {name} =\n");
    let members: Vec<_> = members.collect();
    for (i, (member, note)) in members.iter().enumerate() {
        let end = if i + 1 == members.len() { ";" } else { "" };
        let _ = writeln!(out, "  | '{member}'{end} // {note}");
    }
    out
}

fn render_dts() -> String {
    let mut out = header("//");
    out.push('\n');
    out.push_str(&ts_union(
        "ErrorKind",
        "The package's own error kinds (WXBizMsgCrypt -400xx, inbound -410xx, outbound -420xx, stores -430xx).",
        ErrorKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), k.code().to_string())),
    ));
    out.push('\n');
    out.push_str(&ts_union(
        "CatalogKind",
        "Kinds of platform errcodes (the error's code is the errcode).",
        CATALOG
            .iter()
            .chain(core::iter::once(&UNKNOWN))
            .map(|i| (i.kind.to_string(), i.code.to_string())),
    ));
    out.push('\n');
    out.push_str(&ts_union(
        "EndpointName",
        "Every endpoint the package calls.",
        ROUTES.iter().map(|r| {
            (
                r.name.to_string(),
                format!("{} {}", r.method.as_str(), r.path),
            )
        }),
    ));
    out.push('\n');
    out.push_str(&ts_union(
        "BuilderName",
        "The request builders of `requests`.",
        BUILDERS
            .iter()
            .map(|b| (b.to_string(), "builder".to_string())),
    ));
    out.push_str(
        "\nexport declare const ERR: { readonly [K in ErrorKind]: number };\n\
         export declare const CATALOG_KINDS: { readonly [K in CatalogKind]: number };\n\
         export declare const ENDPOINTS: {\n  readonly [K in EndpointName]: { readonly method: 'GET' | 'POST'; readonly path: string };\n};\n\
         export declare const BUILDER_NAMES: readonly BuilderName[];\n",
    );
    out
}

fn check(file: &str, expected: &str) -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("pkg-template/generated")
        .join(file);
    if std::env::var_os("WXKF_WRITE_GENERATED").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, expected).unwrap();
        return None;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    (actual != expected).then(|| format!("stale: pkg-template/generated/{file}: run `{REWRITE}`"))
}

#[test]
fn generated_tables_match_the_rust_tables() {
    let stale: Vec<String> = [
        check("tables.js", &render_js()),
        check("tables.d.ts", &render_dts()),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}

#[test]
fn every_kind_has_one_code_and_one_name() {
    let mut codes: Vec<i32> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
    codes.extend(CATALOG.iter().map(|i| i.code));
    let n = codes.len();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), n, "a code is used twice");
    let mut names: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
    names.extend(CATALOG.iter().map(|i| i.kind));
    names.push(UNKNOWN.kind);
    let n = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), n, "a kind name is used twice");
    assert!(!ErrorKind::ALL.contains(&ErrorKind::Api));
}
