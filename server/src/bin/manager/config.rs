//! Where the client finds the Manager and its token: flags and environment first, then a
//! config file of `key = value` lines (`url`, `token`).

use std::path::PathBuf;

pub struct Settings {
    pub url: String,
    pub token: String,
}

const DEFAULT_URL: &str = "http://127.0.0.1:3000";

fn config_file() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("MANAGER_CONFIG") {
        return Some(PathBuf::from(path));
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))?;
    Some(base.join("manager").join("config"))
}

fn file_value(text: &str, key: &str) -> Option<String> {
    text.lines()
        .filter_map(|line| line.split_once('='))
        .find(|(name, _)| name.trim() == key)
        .map(|(_, value)| value.trim().trim_matches('"').to_string())
        .filter(|value| !value.is_empty())
}

impl Settings {
    pub fn load(url: Option<String>) -> Result<Settings, String> {
        let file = config_file()
            .filter(|path| path.is_file())
            .map(|path| {
                std::fs::read_to_string(&path)
                    .map_err(|error| format!("cannot read {}: {error}", path.display()))
            })
            .transpose()?
            .unwrap_or_default();
        let token = std::env::var("MANAGER_TOKEN")
            .ok()
            .filter(|token| !token.is_empty())
            .or_else(|| file_value(&file, "token"))
            .ok_or("no API token: set MANAGER_TOKEN, or `token = …` in ~/.config/manager/config (create one on the Manager's API tokens page)")?;
        let url = url
            .or_else(|| file_value(&file, "url"))
            .unwrap_or_else(|| DEFAULT_URL.into());
        Ok(Settings {
            url: url.trim_end_matches('/').to_string(),
            token,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::file_value;

    #[test]
    fn reads_key_value_lines() {
        let text = "# mine\nurl = https://manager.example\ntoken=\"mgr_abc\"\nempty =\n";
        assert_eq!(
            file_value(text, "url").as_deref(),
            Some("https://manager.example")
        );
        assert_eq!(file_value(text, "token").as_deref(), Some("mgr_abc"));
        assert_eq!(file_value(text, "empty"), None);
        assert_eq!(file_value(text, "missing"), None);
    }
}
