// The app's own IPC commands (file-system chores; the API itself is served through the
// `guildhall:` scheme, see src/protocol.rs). `build.rs` includes this file to generate one
// `allow-<name>` permission per command; `lib.rs` registers the handlers and a test checks that
// they, this list and permissions/app.toml agree.
pub const COMMANDS: &[&str] = &["save_path_certificate"];
