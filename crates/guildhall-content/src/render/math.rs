//! TeX as MathML (pulldown-latex), or as code when it is too long or too nested.

use super::escape;

/// TeX longer than this, or with braces nested deeper, is shown as code rather than handed to
/// the MathML renderer (which recurses on nesting).
const MAX_TEX_BYTES: usize = 8 * 1024;
const MAX_TEX_NESTING: usize = 32;

/// TeX as MathML, made here in Rust (pulldown-latex) and sanitized with the rest of the page:
/// no script, no style sheet, nothing inline that the CSP would refuse. TeX the renderer
/// cannot take is shown as code.
pub(super) fn math_html(tex: &str, display: bool) -> String {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for b in tex.bytes() {
        match b {
            b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let as_code = || {
        let (open, close) = if display {
            ("<pre><code class=\"math\">", "</code></pre>")
        } else {
            ("<code class=\"math\">", "</code>")
        };
        format!("{open}{}{close}", escape(tex))
    };
    if tex.len() > MAX_TEX_BYTES || deepest > MAX_TEX_NESTING {
        return as_code();
    }
    let storage = pulldown_latex::Storage::new();
    let parser = pulldown_latex::Parser::new(tex, &storage);
    let config = pulldown_latex::RenderConfig {
        display_mode: if display {
            pulldown_latex::config::DisplayMode::Block
        } else {
            pulldown_latex::config::DisplayMode::Inline
        },
        annotation: Some(tex),
        ..Default::default()
    };
    let mut out = String::new();
    match pulldown_latex::push_mathml(&mut out, parser, config) {
        Ok(()) => out,
        Err(_) => as_code(),
    }
}
