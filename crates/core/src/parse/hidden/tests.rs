//! Unit tests of [`super`] (a file of their own to keep `src/hidden.rs` to its code).
use super::*;
use proptest::prelude::*;

fn kinds(text: &str) -> Vec<(HiddenKind, &str)> {
    find_hidden(text)
        .into_iter()
        .map(|h| (h.kind, &text[h.range]))
        .collect()
}

#[test]
fn comment_alone_is_an_html_comment_block() {
    let text = "Para.\n\n<!-- x -->\n\nMore.\n";
    assert_eq!(
        find_hidden(text),
        vec![Hidden {
            range: 7..17,
            kind: HiddenKind::HtmlComment
        }]
    );
}

#[test]
fn comment_inside_a_paragraph_is_found() {
    let text = "Before <!-- x --> after.\n";
    assert_eq!(
        find_hidden(text),
        vec![Hidden {
            range: 7..17,
            kind: HiddenKind::HtmlComment
        }]
    );
}

#[test]
fn unterminated_comment_runs_to_the_end() {
    let text = "Para.\n\n<!-- x\n\nThe rest is hidden.\n";
    assert_eq!(
        find_hidden(text),
        vec![Hidden {
            range: 7..text.len(),
            kind: HiddenKind::HtmlComment
        }]
    );
    // Inside a block quote the block ends with the quote; a browser still hides the rest.
    let quoted = "> <!-- x\n\nz\n";
    assert_eq!(
        find_hidden(quoted),
        vec![Hidden {
            range: 2..quoted.len(),
            kind: HiddenKind::HtmlComment
        }]
    );
    // An HTML block that opens a comment it does not close: block, then comment to the end.
    let div = "<div>\n<!-- x\n\ny\n";
    assert_eq!(
        kinds(div),
        vec![
            (HiddenKind::HtmlBlock, "<div>\n"),
            (HiddenKind::HtmlComment, "<!-- x\n\ny\n")
        ]
    );
}

#[test]
fn closed_and_empty_comments_do_not_run_on() {
    let text = "<!--> <!---> <!-- a --!> <!-- b -->\n\nVisible.\n";
    assert_eq!(
        kinds(text),
        vec![(
            HiddenKind::HtmlComment,
            "<!--> <!---> <!-- a --!> <!-- b -->"
        )]
    );
}

#[test]
fn comment_idiom_definitions_are_found() {
    assert_eq!(
        find_hidden("[//]: # (hidden)\n"),
        vec![Hidden {
            range: 0..16,
            kind: HiddenKind::LinkReferenceDefinition
        }]
    );
    assert_eq!(
        kinds("Text.\n\n[x]: <> (secret)\n"),
        vec![(HiddenKind::LinkReferenceDefinition, "[x]: <> (secret)")]
    );
}

#[test]
fn definition_with_title_is_found_even_when_used() {
    let text = "See [a].\n\n[a]: http://x \"title\"\n";
    assert_eq!(
        find_hidden(text),
        vec![Hidden {
            range: 10..text.len() - 1,
            kind: HiddenKind::LinkReferenceDefinition
        }]
    );
}

#[test]
fn repeated_labels_are_all_found() {
    // The parser keeps only the first `[//]` definition; the second is just as hidden.
    let text = "[//]: # (one)\n[//]: # (two)\n\nText.\n\n[//]: # (three)\n";
    assert_eq!(
        kinds(text),
        vec![
            (
                HiddenKind::LinkReferenceDefinition,
                "[//]: # (one)\n[//]: # (two)"
            ),
            (HiddenKind::LinkReferenceDefinition, "[//]: # (three)")
        ]
    );
}

#[test]
fn definitions_in_containers_are_found() {
    let text = "> [a]: /x (quoted)\n\n- [b]: /y (listed)\n- item\n";
    assert_eq!(
        kinds(text),
        vec![
            (HiddenKind::LinkReferenceDefinition, "[a]: /x (quoted)"),
            (HiddenKind::LinkReferenceDefinition, "[b]: /y (listed)")
        ]
    );
}

#[test]
fn html_block_is_found() {
    let text = "Text.\n\n<div style=\"display:none\">secret</div>\n\nMore.\n";
    assert_eq!(
        find_hidden(text),
        vec![Hidden {
            range: 7..45,
            kind: HiddenKind::HtmlBlock
        }]
    );
}

#[test]
fn inline_tags_are_found_without_their_content() {
    let text = "text <span hidden>x</span> text\n";
    assert_eq!(
        find_hidden(text),
        vec![
            Hidden {
                range: 5..18,
                kind: HiddenKind::InlineHtml
            },
            Hidden {
                range: 19..26,
                kind: HiddenKind::InlineHtml
            }
        ]
    );
    assert_eq!(
        kinds("Line<br>break\n"),
        vec![(HiddenKind::InlineHtml, "<br>")]
    );
}

#[test]
fn the_example_has_no_hidden_text() {
    let example = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/kfor-2017-q3.md"
    ));
    let text = crate::format::canonical::canonicalize_str(example);
    assert_eq!(find_hidden(text.as_str()), vec![]);
    assert_eq!(whitespace_only_lines(example), Vec::<u32>::new());
}

#[test]
fn displayed_markup_is_not_hidden() {
    for text in [
        "Code `<!-- x -->` span.\n",
        "```\n<!-- x -->\n[a]: /b\n```\n",
        "    <!-- x -->\n",
        "Escaped \\<!-- x --> text.\n",
        "Entity &lt;!-- x --> text.\n",
        "Autolink <http://example.org> and <a@example.org>.\n",
        "An unclosed <!-- in a paragraph is text.\n",
        "A [link](http://x \"t\") and ![image](i.png).\n",
        "- tight \\[item]\n- [x] two\n\n1. one\n2. two\n",
        "> quote\n> > nested\n\n---\n\nTitle\n=====\n",
        "[not a definition]: \n",
    ] {
        assert_eq!(find_hidden(text), vec![], "{text:?}");
    }
}

#[test]
fn ranges_of_one_kind_on_consecutive_lines_merge() {
    let text = "a <b>\n</b> c\n";
    assert_eq!(kinds(text), vec![(HiddenKind::InlineHtml, "<b>\n</b>")]);
    // A line that starts with `<!--` is an HTML block, to the end of its line.
    assert_eq!(
        kinds("a <!-- x -->\n<!-- y --> b\n"),
        vec![(HiddenKind::HtmlComment, "<!-- x -->\n<!-- y --> b")]
    );
    // A blank line between keeps them apart.
    assert_eq!(find_hidden("<!-- x -->\n\n<!-- y -->\n").len(), 2);
}

#[test]
fn many_openers_stay_one_comment() {
    let text = "<!--".repeat(50_000);
    assert_eq!(
        find_hidden(&text),
        vec![Hidden {
            range: 0..text.len(),
            kind: HiddenKind::HtmlComment
        }]
    );
}

#[test]
fn excerpt_is_cut_at_200_characters() {
    let text = format!("<!-- {} -->\n", "é".repeat(300));
    let found = find_hidden(&text);
    assert_eq!(found.len(), 1);
    let excerpt = found[0].excerpt(&text);
    assert_eq!(excerpt.chars().count(), EXCERPT_CHARS + 1);
    assert!(excerpt.starts_with("<!-- éé"));
    assert!(excerpt.ends_with('…'));
    let short = Hidden {
        range: 0..4,
        kind: HiddenKind::HtmlComment,
    };
    assert_eq!(short.excerpt("<br> x"), "<br>");
    assert_eq!(short.excerpt("<b"), "");
}

#[test]
fn non_breaking_space_lines_are_found() {
    assert_eq!(whitespace_only_lines("a\n\u{a0}\nb"), vec![2]);
    assert_eq!(whitespace_only_lines("a\r\n\u{3000}\r\nb"), vec![2]);
    assert_eq!(
        whitespace_only_lines("a\r\u{a0} \t\r\n\u{2003}"),
        vec![2, 3]
    );
    assert_eq!(whitespace_only_lines("\u{feff}\u{a0}\nx\n"), vec![1]);
}

#[test]
fn ordinary_blank_lines_are_not_found() {
    assert_eq!(whitespace_only_lines("a\n \t\nb"), Vec::<u32>::new());
    assert_eq!(whitespace_only_lines("a\n\u{a0}x\nb"), Vec::<u32>::new());
    assert_eq!(whitespace_only_lines("a\n\n\r\n\rb\n"), Vec::<u32>::new());
    assert_eq!(whitespace_only_lines(""), Vec::<u32>::new());
}

fn assert_well_formed(text: &str) {
    let found = find_hidden(text);
    let mut end = 0;
    for h in &found {
        assert!(h.range.start < h.range.end, "{h:?} in {text:?}");
        assert!(h.range.start >= end, "{found:?} in {text:?}");
        assert!(text.get(h.range.clone()).is_some(), "{h:?} in {text:?}");
        end = h.range.end;
    }
    let lines = whitespace_only_lines(text);
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "{lines:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_bytes_give_well_formed_ranges(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        assert_well_formed(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn markdown_like_text_gives_well_formed_ranges(
        text in "([<>!\\-\\[\\]:#() \n\r\t`*\\\\/\"a-c1.]|\u{a0}|é|<!--|-->|\\[//\\]: # ){0,60}"
    ) {
        assert_well_formed(&text);
    }
}

#[test]
fn characters_nfc_turns_into_markup_are_found() {
    assert_eq!(
        ambiguous_character_lines("a\n\u{1fef}\u{1fef}\u{1fef}\nb\r\nc\u{37e}\rd"),
        vec![2, 4]
    );
    assert_eq!(ambiguous_character_lines(">\u{338} x\n"), vec![1]);
    assert!(ambiguous_character_lines("e\u{301} \u{338} ≯ é\n").is_empty());
    // The list is exactly the characters whose NFC is ASCII.
    use unicode_normalization::UnicodeNormalization;
    let found: Vec<char> = (0x80u32..0x11_0000)
        .filter_map(char::from_u32)
        .filter(|c| {
            let n: String = std::iter::once(*c).nfc().collect();
            n.is_ascii()
        })
        .collect();
    assert_eq!(found, NFC_TO_ASCII);
}

#[test]
fn ambiguous_characters_agree_with_a_character_by_character_scan() {
    fn naive(text: &str) -> Vec<u32> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (mut out, mut line, mut prev) = (Vec::new(), 1u32, '\n');
        for c in text.chars() {
            let bad =
                NFC_TO_ASCII.contains(&c) || (c == '\u{338}' && matches!(prev, '<' | '=' | '>'));
            if bad && out.last() != Some(&line) {
                out.push(line);
            }
            if c == '\r' || (c == '\n' && prev != '\r') {
                line += 1;
            }
            prev = c;
        }
        out
    }
    let alphabet = [
        'a', '<', '=', '\u{338}', '\u{37e}', '\u{1fef}', '\u{212a}', '\n', '\r', '’', 'é',
    ];
    let mut rng = 0x1234_5678_9abc_def1u64;
    for _ in 0..3000 {
        let mut t = String::new();
        for _ in 0..(rng % 24) {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            t.push(alphabet[(rng % alphabet.len() as u64) as usize]);
        }
        assert_eq!(ambiguous_character_lines(&t), naive(&t), "{t:?}");
    }
}
