//! Rendering templates (Jinja syntax, via minijinja) for a prospect.
//!
//! Undefined values are errors (strict mode), and the context leaves out empty
//! fields, so `Hi {{ first_name }},` for a prospect without a first name is a
//! blocked draft naming `first_name`, never "Hi ,". `default(...)` and
//! `{% if x is defined %}` still work.

use std::collections::{BTreeMap, BTreeSet};

use minijinja::{Environment, ErrorKind, UndefinedBehavior};

/// Values a template can use, by name. Empty values must not be inserted.
pub type Fields = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// Fields the template needs that have no value and no default.
    Missing(Vec<String>),
    /// The template rendered to a greeting with no name ("Hi ,").
    EmptyGreeting(String),
    Other(String),
}

fn env() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(false);
    env
}

/// Checks syntax only. On error: the line within the template and a message.
pub fn check_syntax(src: &str) -> Result<(), (usize, String)> {
    let env = env();
    env.template_from_str(src).map(|_| ()).map_err(|e| (e.line().unwrap_or(1), e.detail().unwrap_or("invalid syntax").to_string()))
}

/// The top-level names a template refers to.
pub fn referenced_fields(src: &str) -> BTreeSet<String> {
    let env = env();
    match env.template_from_str(src) {
        Ok(t) => t.undeclared_variables(false).into_iter().collect(),
        Err(_) => BTreeSet::new(),
    }
}

/// Renders `src` with `fields`.
pub fn render(src: &str, fields: &Fields) -> Result<String, RenderError> {
    let env = env();
    let tmpl = env.template_from_str(src).map_err(|e| RenderError::Other(e.to_string()))?;
    match tmpl.render(fields) {
        Ok(text) => {
            let text = tidy(&text);
            match empty_greeting(&text) {
                Some(line) => Err(RenderError::EmptyGreeting(line)),
                None => Ok(text),
            }
        }
        Err(e) if e.kind() == ErrorKind::UndefinedError => Err(RenderError::Missing(blocking_fields(&tmpl, fields))),
        Err(e) => Err(RenderError::Other(e.detail().unwrap_or("could not render").to_string())),
    }
}

/// Which of the absent fields actually stop the render: each absent field is
/// tried alone, with every other absent field filled in.
fn blocking_fields(tmpl: &minijinja::Template<'_, '_>, fields: &Fields) -> Vec<String> {
    let absent: Vec<String> = tmpl.undeclared_variables(false).into_iter().filter(|v| !fields.contains_key(v)).collect();
    let mut blocking: Vec<String> = absent
        .iter()
        .filter(|candidate| {
            let mut trial = fields.clone();
            for other in absent.iter().filter(|o| o != candidate) {
                trial.insert(other.clone(), "x".into());
            }
            tmpl.render(&trial).is_err()
        })
        .cloned()
        .collect();
    if blocking.is_empty() {
        // Only a combination fails (e.g. `{{ a or b }}` style); name them all.
        blocking = absent;
    }
    blocking.sort();
    blocking
}

/// Trailing spaces off each line, no run of more than one blank line, no
/// leading or trailing blank lines: what a conditional block leaves behind.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.trim_matches('\n').lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// A line that opens with a greeting word and then no name: "Hi ,", "Hello,".
pub(crate) fn empty_greeting(text: &str) -> Option<String> {
    const GREETINGS: &[&str] = &["hi", "hello", "hey", "dear", "hallo", "hola", "bonjour", "ciao", "olá", "ola", "beste"];
    text.lines().take(3).find_map(|line| {
        let trimmed = line.trim();
        let lower = trimmed.to_lowercase();
        let word = lower.split(|c: char| !c.is_alphabetic()).next()?;
        let rest = lower[word.len()..].trim();
        (GREETINGS.contains(&word) && matches!(rest, "," | "" | "!" | ",," | ":")).then(|| trimmed.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn renders_and_blocks() {
        let check = |src: &str, f: &[(&str, &str)], expect: Result<&str, RenderError>| {
            assert_eq!(render(src, &fields(f)), expect.map(str::to_string), "{src}");
        };
        check("Hi {{ first_name }},", &[("first_name", "Lucía")], Ok("Hi Lucía,"));
        check("Hi {{ first_name }},", &[], Err(RenderError::Missing(vec!["first_name".into()])));
        check("Hi {{ first_name | default('there') }},", &[], Ok("Hi there,"));
        check("{% if company is defined %}At {{ company }}{% endif %}.", &[], Ok("."));
        check("{{ a }} {{ b | default('x') }} {{ c }}", &[], Err(RenderError::Missing(vec!["a".into(), "c".into()])));
        check("Hi {{ first_name | default('') }},", &[], Err(RenderError::EmptyGreeting("Hi ,".into())));
        check("Hello {{ name }}", &[("name", "<img src=x>")], Ok("Hello <img src=x>"));
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let (line, msg) = check_syntax("one\ntwo {{ x | }}\nthree").unwrap_err();
        assert_eq!(line, 2, "{msg}");
        assert!(check_syntax("fine {{ x | default('y') }}").is_ok());
    }
}
