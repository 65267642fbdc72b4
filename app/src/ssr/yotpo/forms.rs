//! Yotpo's own SMS sign-up forms. Each published form has a script,
//! `https://forms.smsbump.com/{user}/form_{id}.js`, which renders the form where it is
//! included; Yotpo's embed snippet is `<div><script src="…"></script></div>`.
//! A merchant may paste either; only scripts below the configured forms address are taken.

use crate::ssr::sms::FormScript;
use reqwest::Url;

/// Reads a form's script address, or Yotpo's embed snippet holding it, into the script URL.
pub fn parse_form_script(input: &str, forms_url: &Url) -> Result<FormScript, String> {
    let input = input.trim();
    if input.is_empty() {
        return Err("is empty: paste the form's code from Yotpo".into());
    }
    if input.len() > 2048 {
        return Err("is too long to be a Yotpo form's code".into());
    }
    let src = if input.contains('<') {
        script_src(input).ok_or("has no <script src=\"…\"> in it")?
    } else {
        input
    };
    let url = if let Some(rest) = src.strip_prefix("//") {
        Url::parse(&format!("{}://{rest}", forms_url.scheme()))
    } else {
        Url::parse(src)
    }
    .map_err(|_| format!("is not an address: {src}"))?;

    let base_path = forms_url.path().trim_end_matches('/');
    let same_host = url.scheme() == forms_url.scheme()
        && url.host_str() == forms_url.host_str()
        && url.port_or_known_default() == forms_url.port_or_known_default();
    let rest = url.path().strip_prefix(base_path).filter(|_| same_host);
    let (user, file) = rest
        .and_then(|r| r.strip_prefix('/'))
        .and_then(|r| r.split_once('/'))
        .ok_or_else(|| format!("is not a Yotpo form: it must load from {forms_url}"))?;
    let id = file
        .strip_prefix("form_")
        .and_then(|f| f.strip_suffix(".js"));
    let user_ok = (1..=64).contains(&user.len())
        && user
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let id_ok =
        id.is_some_and(|id| (1..=20).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit()));
    if !user_ok || !id_ok || url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "is not a Yotpo form script: expected {}/{{user}}/form_{{id}}.js",
            forms_url.as_str().trim_end_matches('/')
        ));
    }
    Ok(FormScript::checked(url.to_string()))
}

/// The `src` of the first `<script>` in a snippet.
fn script_src(snippet: &str) -> Option<&str> {
    let lower = snippet.to_ascii_lowercase();
    let tag = lower.find("<script")?;
    let tag_end = tag + lower[tag..].find('>')?;
    // ` src` inside the opening tag itself, not in the script's body.
    let at = tag
        + lower[tag..tag_end]
            .find(" src")
            .or_else(|| lower[tag..tag_end].find("\nsrc"))?
        + 1;
    let after = snippet[at + 3..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = after.chars().next()?;
    if quote == '"' || quote == '\'' {
        let body = &after[1..];
        body.find(quote).map(|end| body[..end].trim())
    } else {
        after.split(|c: char| c.is_whitespace() || c == '>').next()
    }
}

#[cfg(test)]
mod tests {
    use super::parse_form_script;
    use reqwest::Url;

    fn yotpo() -> Url {
        Url::parse("https://forms.smsbump.com").unwrap()
    }

    #[test]
    fn accepts_the_script_and_the_snippet() {
        let want = "https://forms.smsbump.com/12345/form_678.js";
        for input in [
            want,
            "  https://forms.smsbump.com/12345/form_678.js\n",
            "//forms.smsbump.com/12345/form_678.js",
            r#"<div><script src="https://forms.smsbump.com/12345/form_678.js"></script></div>"#,
            "<div>\n  <SCRIPT type='text/javascript' SRC='https://forms.smsbump.com/12345/form_678.js'></SCRIPT>\n</div>",
            "<script src=https://forms.smsbump.com/12345/form_678.js></script>",
        ] {
            assert_eq!(
                parse_form_script(input, &yotpo()).map(|s| s.as_str().to_owned()),
                Ok(want.to_owned()),
                "{input}"
            );
        }
    }

    #[test]
    fn refuses_anything_else() {
        for input in [
            "",
            "   ",
            "<div></div>",
            "not a url",
            "https://evil.example/12345/form_678.js",
            "http://forms.smsbump.com/12345/form_678.js",
            "https://forms.smsbump.com.evil.example/12345/form_678.js",
            "https://forms.smsbump.com/12345/form_678.js?x=1",
            "https://forms.smsbump.com/12345/form_678.js#x",
            "https://forms.smsbump.com/12345/form_abc.js",
            "https://forms.smsbump.com/12345/other.js",
            "https://forms.smsbump.com/a/b/form_1.js",
            "https://forms.smsbump.com/form_1.js",
            "javascript:alert(1)",
            r#"<script>alert("src=https://forms.smsbump.com/1/form_2.js")</script>"#,
        ] {
            assert!(parse_form_script(input, &yotpo()).is_err(), "{input}");
        }
    }

    #[test]
    fn a_forms_url_with_a_path_is_a_prefix() {
        let sandbox = Url::parse("http://127.0.0.1:4000/forms").unwrap();
        assert_eq!(
            parse_form_script("http://127.0.0.1:4000/forms/demo/form_5.js", &sandbox)
                .unwrap()
                .as_str(),
            "http://127.0.0.1:4000/forms/demo/form_5.js"
        );
        assert!(parse_form_script("http://127.0.0.1:4000/demo/form_5.js", &sandbox).is_err());
        assert!(parse_form_script("http://127.0.0.1:4001/forms/demo/form_5.js", &sandbox).is_err());
    }
}
