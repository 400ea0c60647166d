// The app's IPC commands, by the names the UI's client uses (`ENDPOINTS` in
// `ui/src/api/client.ts`). `build.rs` includes this file to generate one `allow-<name>`
// permission per command; `lib.rs` registers the handlers and a test checks the three agree.
pub const COMMANDS: &[&str] = &[
    "get_hub",
    "get_governance",
    "list_documents",
    "get_document",
    "get_glossary",
    "glossary_lookup",
    "get_diagnostics",
    "search",
    "get_profile",
    "put_profile",
    "list_bookmarks",
    "put_bookmark",
    "delete_bookmark",
    "get_note",
    "put_note",
    "list_recent",
    "record_view",
    "list_paths",
    "get_path",
    "set_path_step",
    "set_path_current",
    "list_gaps",
    "answer_path_check",
    "get_path_certificate",
    // Desktop only (no HTTP twin): saves a certificate into the downloads folder.
    "save_path_certificate",
];
