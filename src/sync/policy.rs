//! An account's retention settings as the planner takes them.

use super::plan::{self, Policy};
use crate::store::AccountSettings;

/// The account's retention policy as the planner takes it.
#[must_use]
pub fn policy_of(settings: &AccountSettings) -> Policy {
    Policy {
        keep_on_server: settings.keep_on_server,
        remove_after_days: settings.remove_after_days,
        remove_when_deleted: settings.remove_when_deleted,
        size_limit: settings.size_limit_kb.map(|kb| u64::from(kb) * 1024),
        never_delete: is_recent_mode(&settings.username),
        max_message_size: max_message_size(settings),
    }
}

/// The account's cap on a message downloaded in full, in bytes.
#[must_use]
pub fn max_message_size(settings: &AccountSettings) -> u64 {
    settings
        .max_message_mb
        .map_or(plan::DEFAULT_MAX_MESSAGE_SIZE, |mb| {
            u64::from(mb.max(1)) << 20
        })
}

/// Gmail's `recent:` usernames show the last 30 days again to every client: never delete there.
pub(super) fn is_recent_mode(username: &str) -> bool {
    username.to_ascii_lowercase().starts_with("recent:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_cap_defaults_and_never_drops_below_one_mib() {
        let mut settings = AccountSettings::default();
        assert_eq!(max_message_size(&settings), plan::DEFAULT_MAX_MESSAGE_SIZE);
        settings.max_message_mb = Some(0);
        assert_eq!(max_message_size(&settings), 1 << 20);
        settings.max_message_mb = Some(8);
        assert_eq!(max_message_size(&settings), 8 << 20);
    }

    #[test]
    fn a_recent_mode_username_never_deletes() {
        let settings = AccountSettings {
            username: "Recent:me@gmail.com".to_owned(),
            keep_on_server: false,
            size_limit_kb: Some(2),
            ..AccountSettings::default()
        };
        let policy = policy_of(&settings);
        assert!(policy.never_delete);
        assert!(!policy.keep_on_server);
        assert_eq!(policy.size_limit, Some(2048));
        assert!(!policy_of(&AccountSettings::default()).never_delete);
    }
}
