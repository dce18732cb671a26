//! The one palette of the human renderers: named [`anstyle::Style`]s, and whether to colour at
//! all, decided through [`anstream`].
//!
//! Every human renderer of this crate (`verify`, `inspect`, `audit`) takes its colours from a
//! [`Palette`]. Without colour every style of the palette is [`anstyle::Style::new`], which
//! renders as nothing: the plain output is the text alone, byte for byte.

use anstream::stream::RawStream;
pub use anstream::ColorChoice;
use anstyle::{AnsiColor, Effects, Style};
use std::fmt;

/// Whether to colour output written to `stream` under `choice`: `always` and `never` are obeyed;
/// `auto` asks [`anstream::AutoStream::choice`], which colours a terminal unless `NO_COLOR` is set
/// (to anything but the empty string), `CLICOLOR=0` or `TERM=dumb`, and colours anything under
/// `CLICOLOR_FORCE`.
pub fn use_color<S: RawStream>(choice: ColorChoice, stream: &S) -> bool {
    match choice {
        ColorChoice::Always | ColorChoice::AlwaysAnsi => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => matches!(
            anstream::AutoStream::choice(stream),
            ColorChoice::Always | ColorChoice::AlwaysAnsi
        ),
    }
}

/// The named styles of human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// A valid verdict, layer or signature, a check that passed (`✓`).
    pub valid: Style,
    /// An invalid verdict, layer or signature, a failed check, an error (`✗`, `+`).
    pub invalid: Style,
    /// An indeterminate verdict, a warning (`?`, `!`), an inferred boundary.
    pub indeterminate: Style,
    /// An unsigned layer.
    pub unsigned: Style,
    /// Secondary text: explanations, evidence, "none".
    pub dim: Style,
    /// Names that head a block: the document, a layer's kind, `audit:`.
    pub heading: Style,
}

impl Palette {
    /// The colours of a terminal.
    pub const COLOR: Palette = Palette {
        valid: Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green))),
        invalid: Style::new()
            .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)))
            .effects(Effects::BOLD),
        indeterminate: Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow))),
        unsigned: Style::new().effects(Effects::DIMMED),
        dim: Style::new().effects(Effects::DIMMED),
        heading: Style::new().effects(Effects::BOLD),
    };

    /// No colour: every style renders as nothing.
    pub const PLAIN: Palette = Palette {
        valid: Style::new(),
        invalid: Style::new(),
        indeterminate: Style::new(),
        unsigned: Style::new(),
        dim: Style::new(),
        heading: Style::new(),
    };

    /// [`Palette::COLOR`] if `color`, else [`Palette::PLAIN`].
    pub const fn new(color: bool) -> Palette {
        if color {
            Palette::COLOR
        } else {
            Palette::PLAIN
        }
    }

    /// The palette for `stream` under `choice` (see [`use_color`]).
    pub fn for_stream<S: RawStream>(choice: ColorChoice, stream: &S) -> Palette {
        Palette::new(use_color(choice, stream))
    }
}

impl Default for Palette {
    fn default() -> Palette {
        Palette::PLAIN
    }
}

/// `text` in `style`: the style's escape codes, the text, a reset (nothing around the text when
/// the style is plain). Formats without allocating.
#[derive(Debug, Clone, Copy)]
pub struct Painted<'a> {
    style: Style,
    text: &'a str,
}

/// `text` in `style`, for `format!`/`write!`.
pub fn paint(style: Style, text: &str) -> Painted<'_> {
    Painted { style, text }
}

impl fmt::Display for Painted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{:#}", self.style, self.text, self.style)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_is_the_text_alone_and_colour_wraps_it() {
        let p = Palette::PLAIN;
        for s in [
            p.valid,
            p.invalid,
            p.indeterminate,
            p.unsigned,
            p.dim,
            p.heading,
        ] {
            assert_eq!(paint(s, "x ✓").to_string(), "x ✓");
        }
        let c = Palette::COLOR;
        assert_eq!(paint(c.valid, "ok").to_string(), "\x1b[32mok\x1b[0m");
        assert_eq!(paint(c.indeterminate, "?").to_string(), "\x1b[33m?\x1b[0m");
        assert_eq!(paint(c.dim, "d").to_string(), "\x1b[2md\x1b[0m");
        assert_eq!(paint(c.heading, "h").to_string(), "\x1b[1mh\x1b[0m");
        assert_eq!(paint(c.invalid, "✗").to_string(), "\x1b[1m\x1b[31m✗\x1b[0m");
    }

    #[test]
    fn explicit_choices_are_obeyed_and_a_file_is_not_coloured() {
        let file = tempfile::tempfile().unwrap();
        assert!(use_color(ColorChoice::Always, &file));
        assert!(!use_color(ColorChoice::Never, &file));
        // Not a terminal: no colour, unless CLICOLOR_FORCE is set in the environment.
        if std::env::var_os("CLICOLOR_FORCE").is_none() {
            assert!(!use_color(ColorChoice::Auto, &file));
        }
    }
}
