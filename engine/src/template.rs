//! Rendering templates (Jinja syntax, via minijinja) for a prospect.
//!
//! Undefined values are errors (strict mode), and the context leaves out empty
//! fields, so `Hi {{ first_name }},` for a prospect without a first name is a
//! blocked draft naming `first_name`, never "Hi ,". `default(...)` and
//! `{% if x is defined %}` still work.
//!
//! Sequence files come from anywhere, so templates are bounded: a render
//! gets [`FUEL`] VM instructions and [`MAX_OUTPUT`] bytes of text, and
//! [`check_syntax`] refuses the constructs that can build huge values in a
//! few instructions (`set`/`with`/`filter` blocks, `*` and `**` on anything
//! but number literals, calls other than `range`, filters outside
//! [`FILTERS`]).

use std::collections::{BTreeMap, BTreeSet};
use std::io;

use minijinja::machinery::{ast, parse, Span, WhitespaceConfig};
use minijinja::syntax::SyntaxConfig;
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

/// VM instructions one render may run: a real email takes a few hundred; a
/// loop of loops runs out in milliseconds.
pub const FUEL: u64 = 100_000;
/// Bytes one rendered template may produce (subject or body).
pub const MAX_OUTPUT: usize = 100 * 1024;
/// Filters a template may use: none of them makes its text much longer.
pub const FILTERS: &[&str] = &[
    "default",
    "d",
    "upper",
    "lower",
    "title",
    "capitalize",
    "trim",
    "striptags",
    "length",
    "count",
    "first",
    "last",
    "truncate",
    "wordcount",
    "int",
    "float",
    "round",
    "abs",
    "string",
    "safe",
    "bool",
    "escape",
    "e",
    "reverse",
    "possessive",
];
/// Why a render ran out of fuel, in the rep's words.
const OUT_OF_FUEL: &str = "the template does too much work (a loop that runs too long?)";

fn env() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(false);
    env.set_fuel(Some(FUEL));
    env.add_filter("possessive", possessive);
    env
}

/// "Acme" → "Acme's", "Velaworks" → "Velaworks'" (the form most style
/// guides give names that end in s).
pub fn possessive(name: String) -> String {
    let name = name.trim_end();
    if name.is_empty() {
        return String::new();
    }
    if name.ends_with(['s', 'S']) {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

/// An email body as its author wrapped it in the sequence file, with the
/// wrapping undone: the lines of a paragraph join with a space, so the text
/// flows in any mail window. Blank lines, list items (`- `, `* `, `• `,
/// `1. `), lines that are only a `{{ field }}` or a `{% tag %}`, and a line
/// ending in two spaces keep their breaks.
pub fn reflow(src: &str) -> String {
    fn alone(line: &str) -> bool {
        let t = line.trim();
        (t.starts_with("{{") && t.ends_with("}}") && t.matches("{{").count() == 1)
            || (t.starts_with("{%") && t.ends_with("%}") && t.matches("{%").count() == 1)
    }
    fn item(line: &str) -> bool {
        let t = line.trim_start();
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        ["- ", "* ", "• ", "– "].iter().any(|m| t.starts_with(m))
            || (digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") ")))
    }
    let mut out = String::with_capacity(src.len());
    let mut prev: Option<&str> = None;
    for line in src.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(p) = prev {
            let join = !p.trim().is_empty() && !line.trim().is_empty() && !p.ends_with("  ") && !alone(p) && !alone(line) && !item(line);
            if join {
                out.truncate(out.trim_end().len());
                out.push(' ');
                out.push_str(line.trim_start());
            } else {
                out.push('\n');
                out.push_str(line);
            }
        } else {
            out.push_str(line);
        }
        prev = Some(line);
    }
    out
}

/// Filters that change the case of what they are given.
pub const CASE_FILTERS: &[&str] = &["lower", "upper", "title", "capitalize"];

/// The fields whose case a template changes with a filter: (field, filter).
pub fn case_changed(src: &str) -> Vec<(String, String)> {
    let ws = WhitespaceConfig { keep_trailing_newline: false, ..Default::default() };
    #[allow(clippy::default_constructed_unit_structs)]
    let Ok(tree) = parse(src, "<template>", SyntaxConfig::default(), ws) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk_stmt(&tree, &mut |e| {
        if let ast::Expr::Filter(f) = e {
            if CASE_FILTERS.contains(&f.name) {
                if let Some(inner) = &f.expr {
                    for v in vars(inner) {
                        let hit = (v.to_string(), f.name.to_string());
                        if !out.contains(&hit) {
                            out.push(hit);
                        }
                    }
                }
            }
        }
    });
    out
}

/// The variables an expression reads (through filters like `default`).
fn vars<'a>(e: &'a ast::Expr<'a>) -> Vec<&'a str> {
    match e {
        ast::Expr::Var(v) => vec![v.id],
        ast::Expr::Filter(f) => f.expr.as_ref().map(vars).unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn walk_stmt<'a>(s: &'a ast::Stmt<'a>, f: &mut dyn FnMut(&'a ast::Expr<'a>)) {
    match s {
        ast::Stmt::Template(t) => t.children.iter().for_each(|c| walk_stmt(c, f)),
        ast::Stmt::EmitExpr(e) => walk_expr(&e.expr, f),
        ast::Stmt::IfCond(c) => {
            walk_expr(&c.expr, f);
            c.true_body.iter().chain(&c.false_body).for_each(|c| walk_stmt(c, f));
        }
        ast::Stmt::ForLoop(l) => l.body.iter().chain(&l.else_body).for_each(|c| walk_stmt(c, f)),
        _ => {}
    }
}

fn walk_expr<'a>(e: &'a ast::Expr<'a>, f: &mut dyn FnMut(&'a ast::Expr<'a>)) {
    f(e);
    match e {
        ast::Expr::Filter(x) => {
            if let Some(inner) = &x.expr {
                walk_expr(inner, f);
            }
        }
        ast::Expr::IfExpr(i) => {
            walk_expr(&i.true_expr, f);
            if let Some(x) = &i.false_expr {
                walk_expr(x, f);
            }
        }
        ast::Expr::BinOp(b) => {
            walk_expr(&b.left, f);
            walk_expr(&b.right, f);
        }
        _ => {}
    }
}

/// Checks syntax, the constructs a template may use, and that it renders
/// within the limits with every field it names set. On error: the line within
/// the template and a message.
pub fn check_syntax(src: &str) -> Result<(), (usize, String)> {
    if let Some(refused) = refused_construct(src) {
        return Err(refused);
    }
    let env = env();
    let tmpl = env.template_from_str(src).map_err(|e| (e.line().unwrap_or(1), e.detail().unwrap_or("invalid syntax").to_string()))?;
    let globals: BTreeSet<&str> = env.globals().map(|(name, _)| name).collect();
    let trial: Fields =
        tmpl.undeclared_variables(true).into_iter().filter(|v| !globals.contains(v.as_str())).map(|v| (v, "x".to_string())).collect();
    match render_capped(&tmpl, &trial) {
        Err(Limit::Render(e)) if e.kind() == ErrorKind::UndefinedError => Ok(()),
        Err(Limit::Render(e)) => Err((e.line().unwrap_or(1), e.detail().unwrap_or("could not render").to_string())),
        Err(limit) => Err((1, limit.message())),
        Ok(_) => Ok(()),
    }
}

/// Why a render stopped.
enum Limit {
    Fuel,
    Output,
    Render(minijinja::Error),
}

impl Limit {
    fn message(&self) -> String {
        match self {
            Limit::Fuel => OUT_OF_FUEL.to_string(),
            Limit::Output => format!("the template renders to more than {} KB of text", MAX_OUTPUT / 1024),
            Limit::Render(e) => e.detail().unwrap_or("could not render").to_string(),
        }
    }
}

/// Output that refuses to grow past [`MAX_OUTPUT`].
struct Capped {
    buf: Vec<u8>,
    full: bool,
}

impl io::Write for Capped {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buf.len() + data.len() > MAX_OUTPUT {
            self.full = true;
            return Err(io::Error::other("output limit"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The context a template sees: a dotted field (`signal.text`) is an
/// attribute of an object (`signal`), so `{{ signal.text }}` reads it and a
/// prospect with no signal leaves `signal` undefined (a blocked draft).
fn context(fields: &Fields) -> BTreeMap<&str, minijinja::Value> {
    let mut nested: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    let mut ctx: BTreeMap<&str, minijinja::Value> = BTreeMap::new();
    for (k, v) in fields {
        match k.split_once('.') {
            Some((object, attr)) => {
                nested.entry(object).or_default().insert(attr, v);
            }
            None => {
                ctx.insert(k, minijinja::Value::from(v.as_str()));
            }
        }
    }
    for (object, attrs) in nested {
        ctx.insert(object, minijinja::Value::from_serialize(attrs));
    }
    ctx
}

fn render_capped(tmpl: &minijinja::Template<'_, '_>, fields: &Fields) -> Result<String, Limit> {
    let mut out = Capped { buf: Vec::new(), full: false };
    match tmpl.render_captured_to(context(fields), &mut out) {
        Ok(_) => Ok(String::from_utf8_lossy(&out.buf).into_owned()),
        Err(_) if out.full => Err(Limit::Output),
        Err(e) if e.kind() == ErrorKind::OutOfFuel => Err(Limit::Fuel),
        Err(e) => Err(Limit::Render(e)),
    }
}

/// A construct the rules refuse (what can build a huge value in a few
/// instructions), found on the syntax tree alone. It must come
/// before compiling: minijinja's compiler folds constant expressions with no
/// fuel, so `'x' * 1000000 * 1000000` would be built while compiling (found by
/// fuzzing: fuzz/regressions/template/). A syntax error is left to the
/// compiler to report, as before.
fn refused_construct(src: &str) -> Option<(usize, String)> {
    let ws = WhitespaceConfig { keep_trailing_newline: false, ..Default::default() };
    // A unit struct unless minijinja's `custom_syntax` is on.
    #[allow(clippy::default_constructed_unit_structs)]
    let tree = parse(src, "<template>", SyntaxConfig::default(), ws).ok()?;
    stmt(&tree).err()
}

type Checked = Result<(), (usize, String)>;

fn refuse(span: Span, what: &str) -> Checked {
    Err((usize::from(span.start_line).max(1), format!("{what} is not allowed in a sequence template")))
}

fn stmt(s: &ast::Stmt<'_>) -> Checked {
    match s {
        ast::Stmt::Template(t) => t.children.iter().try_for_each(stmt),
        ast::Stmt::EmitRaw(_) => Ok(()),
        ast::Stmt::EmitExpr(e) => expr(&e.expr),
        ast::Stmt::IfCond(c) => {
            expr(&c.expr)?;
            c.true_body.iter().chain(&c.false_body).try_for_each(stmt)
        }
        ast::Stmt::ForLoop(l) => {
            if l.recursive {
                return refuse(l.span(), "a recursive loop");
            }
            expr(&l.iter)?;
            l.filter_expr.iter().try_for_each(expr)?;
            l.body.iter().chain(&l.else_body).try_for_each(stmt)
        }
        ast::Stmt::AutoEscape(a) => a.body.iter().try_for_each(stmt),
        ast::Stmt::Set(s) => refuse(s.span(), "`{% set %}`"),
        ast::Stmt::SetBlock(s) => refuse(s.span(), "`{% set %}`"),
        ast::Stmt::WithBlock(s) => refuse(s.span(), "`{% with %}`"),
        ast::Stmt::FilterBlock(s) => refuse(s.span(), "`{% filter %}`"),
        ast::Stmt::Do(s) => refuse(s.span(), "`{% do %}`"),
        #[allow(unreachable_patterns)]
        _ => Err((1, "this statement is not allowed in a sequence template".into())),
    }
}

fn is_number(e: &ast::Expr<'_>) -> bool {
    matches!(e, ast::Expr::Const(c) if c.value.is_number())
}

fn args(a: &[ast::CallArg<'_>]) -> Checked {
    a.iter().try_for_each(|a| match a {
        ast::CallArg::Pos(e) | ast::CallArg::Kwarg(_, e) | ast::CallArg::PosSplat(e) | ast::CallArg::KwargSplat(e) => expr(e),
    })
}

fn expr(e: &ast::Expr<'_>) -> Checked {
    match e {
        ast::Expr::Var(_) | ast::Expr::Const(_) => Ok(()),
        ast::Expr::Slice(s) => {
            expr(&s.expr)?;
            [&s.start, &s.stop, &s.step].into_iter().flatten().try_for_each(expr)
        }
        ast::Expr::UnaryOp(u) => expr(&u.expr),
        ast::Expr::BinOp(b) => {
            if matches!(b.op, ast::BinOpKind::Mul | ast::BinOpKind::Pow) && !(is_number(&b.left) && is_number(&b.right)) {
                return refuse(b.span(), "`*` or `**` (other than between two numbers)");
            }
            expr(&b.left)?;
            expr(&b.right)
        }
        ast::Expr::Compare(c) => {
            expr(&c.expr)?;
            c.ops.iter().try_for_each(|o| expr(&o.expr))
        }
        ast::Expr::IfExpr(i) => {
            expr(&i.test_expr)?;
            expr(&i.true_expr)?;
            i.false_expr.iter().try_for_each(expr)
        }
        ast::Expr::Filter(f) => {
            if !FILTERS.contains(&f.name) {
                return refuse(f.span(), &format!("the filter `{}`", f.name));
            }
            f.expr.iter().try_for_each(expr)?;
            args(&f.args)
        }
        ast::Expr::Test(t) => {
            expr(&t.expr)?;
            args(&t.args)
        }
        ast::Expr::GetAttr(g) => expr(&g.expr),
        ast::Expr::GetItem(g) => {
            expr(&g.expr)?;
            expr(&g.subscript_expr)
        }
        ast::Expr::Call(c) => {
            if !matches!(&c.expr, ast::Expr::Var(v) if v.id == "range") {
                return refuse(c.span(), "a call other than `range(...)`");
            }
            args(&c.args)
        }
        ast::Expr::List(l) => l.items.iter().try_for_each(expr),
        ast::Expr::Map(m) => m.keys.iter().chain(&m.values).try_for_each(expr),
    }
}

/// The top-level names a template refers to.
pub fn referenced_fields(src: &str) -> BTreeSet<String> {
    if refused_construct(src).is_some() {
        return BTreeSet::new();
    }
    let env = env();
    match env.template_from_str(src) {
        Ok(t) => t.undeclared_variables(true).into_iter().collect(),
        Err(_) => BTreeSet::new(),
    }
}

/// Renders `src` with `fields`.
pub fn render(src: &str, fields: &Fields) -> Result<String, RenderError> {
    // A stored sequence may predate these checks: refuse it here too.
    if let Some((line, msg)) = refused_construct(src) {
        return Err(RenderError::Other(format!("line {line}: {msg}")));
    }
    let env = env();
    let tmpl = env.template_from_str(src).map_err(|e| RenderError::Other(e.to_string()))?;
    match render_capped(&tmpl, fields) {
        Ok(text) => {
            let text = tidy(&text);
            match empty_greeting(&text) {
                Some(line) => Err(RenderError::EmptyGreeting(line)),
                None => Ok(text),
            }
        }
        Err(Limit::Render(e)) if e.kind() == ErrorKind::UndefinedError => Err(RenderError::Missing(blocking_fields(&tmpl, fields))),
        Err(limit) => Err(RenderError::Other(limit.message())),
    }
}

/// Which of the absent fields actually stop the render: each absent field is
/// tried alone, with every other absent field filled in.
fn blocking_fields(tmpl: &minijinja::Template<'_, '_>, fields: &Fields) -> Vec<String> {
    let absent: Vec<String> =
        tmpl.undeclared_variables(true).into_iter().filter(|v| !fields.contains_key(v) && !is_object(fields, v)).collect();
    let mut blocking: Vec<String> = absent
        .iter()
        .filter(|candidate| {
            let mut trial = fields.clone();
            for other in absent.iter().filter(|o| o != candidate) {
                trial.insert(other.clone(), "x".into());
            }
            render_capped(tmpl, &trial).is_err()
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

/// Whether `name` is an object some dotted field sets (`signal` for `signal.text`).
fn is_object(fields: &Fields, name: &str) -> bool {
    let prefix = format!("{name}.");
    fields.range(prefix.clone()..).next().is_some_and(|(k, _)| k.starts_with(&prefix))
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
