//! Credentials without a prompt, and one attempt only.
//!
//! Where a token comes from, first match wins (one source per attempt, so a wrong token is sent
//! once, never once per source):
//! 1. a token given for this run: `GUILDHALL_TOKEN` (user name `GUILDHALL_USER`, else the one in
//!    the address, else `guildhall`: forges accept any user name with a personal access token);
//! 2. the OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows),
//!    under the service `guildhall` and the account `<user>@<host>`;
//! 3. git's credential helpers, as `git config credential.helper` sets them.
//!
//! Tokens live in memory for one operation and in the keyring; Guildhall never writes one to a file.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use git2::{Cred, CredentialType};

use crate::SyncError;

/// A token for this run.
pub const TOKEN_ENV: &str = "GUILDHALL_TOKEN";
/// The user name that goes with [`TOKEN_ENV`].
pub const USER_ENV: &str = "GUILDHALL_USER";
/// The keyring service Guildhall's tokens are stored under.
const KEYRING_SERVICE: &str = "guildhall";
/// The user name sent with a token when neither the address nor the settings give one.
const DEFAULT_USER: &str = "guildhall";

/// Where the credential sent to the server came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CredentialSource {
    /// A token given for this run (`GUILDHALL_TOKEN`, or the API).
    Token,
    /// The OS keyring.
    Keyring,
    /// git's credential helpers.
    GitHelper,
}

impl std::fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CredentialSource::Token => "the token given for this run",
            CredentialSource::Keyring => "the keyring",
            CredentialSource::GitHelper => "git's credential helper",
        })
    }
}

/// How to answer a server that asks for credentials.
#[derive(Clone)]
pub struct Auth {
    token: Option<(Option<String>, String)>,
    keyring: bool,
    git_helpers: bool,
    /// How many credentials this value (and its clones) handed to libgit2.
    given: Arc<AtomicU32>,
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth")
            .field("token", &self.token.as_ref().map(|(user, _)| (user, "<redacted>")))
            .field("keyring", &self.keyring)
            .field("git_helpers", &self.git_helpers)
            .field("given", &self.credentials_given())
            .finish()
    }
}

impl Default for Auth {
    fn default() -> Self {
        Auth::from_env()
    }
}

impl Auth {
    /// `GUILDHALL_TOKEN` (and `GUILDHALL_USER`) if set, then the keyring, then git's helpers.
    pub fn from_env() -> Auth {
        let token = std::env::var(TOKEN_ENV).ok().filter(|t| !t.is_empty());
        let user = std::env::var(USER_ENV).ok().filter(|u| !u.is_empty());
        Auth { token: token.map(|t| (user, t)), keyring: true, git_helpers: true, given: Arc::default() }
    }

    /// A token for this run only (user name: `user`, else the address's, else `guildhall`).
    pub fn token(user: Option<&str>, token: &str) -> Auth {
        Auth {
            token: Some((user.map(str::to_owned), token.to_owned())),
            keyring: false,
            git_helpers: false,
            given: Arc::default(),
        }
    }

    /// No credentials at all (anonymous `git://`, file paths, public HTTPS).
    pub fn none() -> Auth {
        Auth { token: None, keyring: false, git_helpers: false, given: Arc::default() }
    }

    /// Only the keyring and git's helpers, never the environment.
    pub fn stored() -> Auth {
        Auth { token: None, keyring: true, git_helpers: true, given: Arc::default() }
    }

    /// How many credentials were sent with this value so far (a wrong one: exactly one per
    /// operation, never a loop).
    pub fn credentials_given(&self) -> u32 {
        self.given.load(Ordering::SeqCst)
    }

    /// A credentials callback for one network operation, and what it saw.
    pub(crate) fn session(&self) -> AuthSession {
        AuthSession { auth: self.clone(), state: Arc::new(AuthState::default()) }
    }
}

#[derive(Debug, Default)]
pub(crate) struct AuthState {
    /// How many times the server asked for a user name and password.
    pub(crate) asked: AtomicU32,
    /// What we answered the first time (0: nothing yet, else 1 + the source's index).
    source: AtomicU32,
    /// The server asked again after our answer: it refused it.
    pub(crate) refused: std::sync::atomic::AtomicBool,
    /// The server asked and we had nothing to give.
    pub(crate) missing: std::sync::atomic::AtomicBool,
}

impl AuthState {
    pub(crate) fn source(&self) -> Option<CredentialSource> {
        match self.source.load(Ordering::SeqCst) {
            1 => Some(CredentialSource::Token),
            2 => Some(CredentialSource::Keyring),
            3 => Some(CredentialSource::GitHelper),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct AuthSession {
    auth: Auth,
    pub(crate) state: Arc<AuthState>,
}

impl AuthSession {
    /// libgit2's credentials callback. The second request for a password means the first was
    /// refused: answer with an error so that libgit2 stops instead of asking forever.
    pub(crate) fn credentials(
        &self,
        repo_config: Option<&git2::Config>,
        url: &str,
        user_from_url: Option<&str>,
        allowed: CredentialType,
    ) -> Result<Cred, git2::Error> {
        if allowed.contains(CredentialType::USER_PASS_PLAINTEXT) {
            let n = self.state.asked.fetch_add(1, Ordering::SeqCst);
            if n >= 1 {
                self.state.refused.store(true, Ordering::SeqCst);
                return Err(git2::Error::from_str("the server refused the credentials; not sending them again"));
            }
            if let Some((user, token)) = &self.auth.token {
                self.state.source.store(1, Ordering::SeqCst);
                self.auth.given.fetch_add(1, Ordering::SeqCst);
                let user = user.as_deref().or(user_from_url).unwrap_or(DEFAULT_USER);
                return Cred::userpass_plaintext(user, token);
            }
            if self.auth.keyring {
                let user = user_from_url.unwrap_or(DEFAULT_USER);
                if let Some(token) = keyring_token(url, user) {
                    self.state.source.store(2, Ordering::SeqCst);
                    self.auth.given.fetch_add(1, Ordering::SeqCst);
                    return Cred::userpass_plaintext(user, &token);
                }
            }
            if self.auth.git_helpers {
                let default;
                let config = match repo_config {
                    Some(c) => Some(c),
                    None => {
                        default = git2::Config::open_default().ok();
                        default.as_ref()
                    }
                };
                if let Some(config) = config
                    && let Ok(cred) = Cred::credential_helper(config, url, user_from_url)
                {
                    self.state.source.store(3, Ordering::SeqCst);
                    self.auth.given.fetch_add(1, Ordering::SeqCst);
                    return Ok(cred);
                }
            }
            self.state.missing.store(true, Ordering::SeqCst);
            return Err(git2::Error::from_str("no credentials configured for this address"));
        }
        if allowed.contains(CredentialType::USERNAME) {
            return Cred::username(user_from_url.unwrap_or(DEFAULT_USER));
        }
        if allowed.contains(CredentialType::DEFAULT) {
            return Cred::default();
        }
        self.state.missing.store(true, Ordering::SeqCst);
        Err(git2::Error::from_str(
            "this address needs a kind of credential Guildhall does not support (SSH keys: use HTTPS with a token)",
        ))
    }

    /// Turns a failed operation into a credential error when the callback saw one.
    pub(crate) fn classify(&self, url: &str) -> Option<SyncError> {
        if self.state.refused.load(Ordering::SeqCst) {
            return Some(SyncError::AuthRefused {
                url: redact(url),
                from: self.state.source().unwrap_or(CredentialSource::Token),
            });
        }
        if self.state.missing.load(Ordering::SeqCst) {
            return Some(SyncError::NoCredentials { url: redact(url) });
        }
        None
    }
}

/// The keyring account for an address and a user name: `<user>@<host>`.
pub fn keyring_account(url: &str, user: &str) -> String {
    format!("{user}@{}", host(url))
}

/// Stores a token in the OS keyring for `url` and `user` (replacing an older one).
pub fn store_token(url: &str, user: &str, token: &str) -> Result<(), SyncError> {
    let entry = keyring::Entry::new(KEYRING_SERVICE, &keyring_account(url, user)).map_err(keyring_error)?;
    entry.set_password(token).map_err(keyring_error)
}

/// Removes the token stored for `url` and `user`; `Ok(false)` when there was none.
pub fn forget_token(url: &str, user: &str) -> Result<bool, SyncError> {
    let entry = keyring::Entry::new(KEYRING_SERVICE, &keyring_account(url, user)).map_err(keyring_error)?;
    match entry.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(keyring_error(e)),
    }
}

fn keyring_token(url: &str, user: &str) -> Option<String> {
    keyring::Entry::new(KEYRING_SERVICE, &keyring_account(url, user)).ok()?.get_password().ok()
}

fn keyring_error(e: keyring::Error) -> SyncError {
    SyncError::Invalid(format!(
        "the OS keyring cannot be used ({e}): on Linux a Secret Service (GNOME Keyring, KWallet) must be running \
         in your session; or use git's credential helper instead"
    ))
}

/// The host (and port) of an address: `https://u:p@host:8080/x` gives `host:8080`.
fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    authority.rsplit_once('@').map_or(authority, |(_, h)| h)
}

/// An address without the password it may carry (`https://user:secret@host` → `https://user@host`).
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => format!("{}@{host}", userinfo.split(':').next().unwrap_or("")),
        None => authority.to_owned(),
    };
    if path.is_empty() && !rest.contains('/') {
        format!("{scheme}://{authority}")
    } else {
        format!("{scheme}://{authority}/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_redaction() {
        assert_eq!(host("https://alice:tok@git.example.org:8443/hub.git"), "git.example.org:8443");
        assert_eq!(host("git://127.0.0.1/hub.git"), "127.0.0.1");
        assert_eq!(keyring_account("https://git.example.org/hub.git", "alice"), "alice@git.example.org");
        assert_eq!(redact("https://alice:tok@host/x.git"), "https://alice@host/x.git");
        assert_eq!(redact("https://host/x.git"), "https://host/x.git");
        assert_eq!(redact("/srv/hub.git"), "/srv/hub.git");
    }

    #[test]
    fn debug_never_shows_the_token() {
        let auth = Auth::token(Some("alice"), "s3cret-token");
        assert!(!format!("{auth:?}").contains("s3cret"));
    }
}
