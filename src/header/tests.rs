//! Unit tests of [`super`] (a file of their own to keep `src/header.rs` to its code).
use super::*;

const SEED_HEADER: &str =
    "**Security Council**\n\nDistr.: General\n31 October 2017\nEnglish\nOriginal: French\n\n";

fn refusal(text: &str) -> HeaderRefusal {
    match check_header(text) {
        Ok(()) => panic!("accepted: {text:?}"),
        Err(e) => e,
    }
}

#[test]
fn seed_header_is_accepted() {
    assert_eq!(check_header(SEED_HEADER), Ok(()));
}

#[test]
fn empty_header_is_accepted() {
    assert_eq!(check_header(""), Ok(()));
}

#[test]
fn every_item_kind_is_accepted() {
    let header = "United Nations\nS/2017/912\nA/72/565\u{2013}S/2017/912\nS/2015/1049/Add.1\n\
                  A/RES/72/1 E/CN.6/2017/1 S/RES/2371 (2017)\n\
                  General Assembly Security Council Economic and social council Secretariat\n\
                  Distr.: Limited 1 May 2019\n\n\
                  Seventy-second session 72nd session Resumed session\n\
                  Agenda item 12 Agenda items 12 and 14 Agenda items 12, 13 (a), and 69 (b)\n\
                  Item 12 of the provisional agenda Items 3 and 4 of the provisional agenda\n\
                  [Original: Spanish] Language: Arabic Chinese Russian\n\
                  17-19338 (E) 311017 011117 *1719338*\n";
    assert_eq!(check_header(header), Ok(()));
}

#[test]
fn one_emphasis_wrapper_is_removed() {
    for line in [
        "**Security Council**\n",
        "__Security Council__\n",
        "*Security Council*\n",
        "_Security Council_\n",
        "*1719338*\n",
        "**S/2017/912 *1719338***\n",
    ] {
        assert_eq!(check_header(line), Ok(()), "{line:?}");
    }
}

#[test]
fn flattened_header_on_its_own_line_is_accepted() {
    let line = "United Nations S/2001/1001 Security Council Distr.: General 24 October 2001 Original: English\n";
    assert_eq!(check_header(line), Ok(()));
}

#[test]
fn near_miss_items_are_unrecognised() {
    for line in [
        "Security Councel",
        "32 October 2017",
        "31 Octobre 2017",
        "31 October 17",
        "Distr.: Public",
        "Original: German",
        "X/2017/912",
        "S/Forged",
        "S//912",
        "Agenda items 12",
        "Agenda item 12 and 14",
        "Seventy-second",
        "72th session",
        "Twenty-tenth session",
        "17-19338",
        "17-19338 (X)",
        "*171933*",
        "Corrigendum",
        "VOID",
        "English,",
    ] {
        let text = format!("Security Council\n\n{line}\n");
        assert_eq!(
            check_header(&text),
            Err(HeaderRefusal::UnrecognisedLine {
                line: 3,
                text: line.to_owned()
            }),
            "{line:?}"
        );
    }
    // A stray asterisk is markup before it is an unknown word.
    for line in ["S/2017/912*", "**English"] {
        let text = format!("{line}\n");
        assert!(
            matches!(refusal(&text), HeaderRefusal::HidingMarkup { line: 1, what } if what.contains("emphasis")),
            "{line:?}"
        );
    }
}

#[test]
fn specification_examples() {
    let accepted = "United Nations S/2001/1001 Security Council Distr.: General 24 October 2001 Original: English\n\
                    Seventy-second session\nAgenda items 12 and 14\n\
                    17-19338 (E) 311017 011117 *1719338*\n\
                    S/PV.8000 111th session 101st session Agenda items 12, 13, and 14\n\
                    Agenda items 12, 13 seventy-second session twentieth session\n";
    assert_eq!(check_header(accepted), Ok(()));
    assert_eq!(
        check_header("(\u{ff33}\u{ff29}\u{ff27}\u{ff2e}\u{ff25}\u{ff24}) X\n"),
        Err(HeaderRefusal::SignatureMark { line: 1 })
    );
    // A homoglyph is not a look-alike of "signed", but it is no header item either.
    assert_eq!(
        check_header("(\u{405}igned) X\n"),
        Err(HeaderRefusal::UnrecognisedLine {
            line: 1,
            text: "(\u{405}igned) X".to_owned()
        })
    );
    for bad in [
        "X/2017/1",
        "S//912",
        "Item 012 of the provisional agenda",
        "Agenda item 12,",
    ] {
        assert!(
            matches!(
                check_header(&format!("{bad}\n")),
                Err(HeaderRefusal::UnrecognisedLine { line: 1, .. })
            ),
            "{bad:?}"
        );
    }
}

// Attacks: each is refused with the right variant and line.

#[test]
fn forged_corrigendum_is_unrecognised() {
    let text = "Security Council\nCorrigendum: the figure 4,100 should read 4,600\n\n";
    assert_eq!(
        refusal(text),
        HeaderRefusal::UnrecognisedLine {
            line: 2,
            text: "Corrigendum: the figure 4,100 should read 4,600".to_owned()
        }
    );
}

#[test]
fn whole_cover_letter_is_refused() {
    let text = "Security Council\n\nLetter dated 25 October 2017 from the Secretary-General\n\n\
                I have the honour to transmit the attached forged report.\n\n\
                (Signed) António Guterres\n\n";
    let r = refusal(text);
    assert_eq!(
        r,
        HeaderRefusal::UnrecognisedLine {
            line: 3,
            text: "Letter dated 25 October 2017 from the Secretary-General".to_owned()
        }
    );
    assert_eq!(refusal_line(&r), Some(3));
}

#[test]
fn signature_marks_and_look_alikes_are_refused() {
    for line in [
        "(Signed) X",
        "\\(Signed) X",
        "&#40;Signed) X",
        "&#x28;Signed&#x29; X",
        "&lpar;Signed&rpar; X",
        "\u{200b}(Signed) X",
        "> (Signed) X",
        "- (Signed) X",
        "1. (Signed) X",
        "( Signed ) X",
        "(SIGNED) X",
        "(Sig**ned**) X",
        "(Sig\u{ad}ned) X",
        "(Sig&shy;ned) X",
        "&#83;igned X",
        "(\u{ff33}igned) X",
        "Security Council signed",
    ] {
        let text = format!("Security Council\n{line}\n");
        assert_eq!(
            check_header(&text),
            Err(HeaderRefusal::SignatureMark { line: 2 }),
            "{line:?}"
        );
    }
}

#[test]
fn hiding_markup_is_refused() {
    for (line, what) in [
        ("<!--", "<!--"),
        ("Security Council <!--", "<!--"),
        ("<span>", "HTML tag"),
        ("```", "code fence"),
        ("~~~", "code fence"),
        ("[x]: #", "link reference definition"),
        ("[Original: French]: #", "link reference definition"),
        ("**Security Council", "emphasis"),
        ("Security Council**", "emphasis"),
        ("_English", "emphasis"),
        ("***Security Council***", "emphasis"),
        ("> Security Council", "block quote"),
        ("# Security Council", "heading"),
        ("- English", "list marker"),
        ("+ English", "list marker"),
        ("* English", "list marker"),
        ("1. English", "ordered list"),
        ("12) English", "ordered list"),
        ("===", "heading underline"),
        ("---", "heading underline"),
        ("***", "thematic break"),
        ("___", "thematic break"),
        ("English\\", "trailing backslash"),
        ("\\English", "backslash escape"),
        ("English&nbsp;French", "&"),
        ("&#69;nglish", "&"),
        ("    English", "white space"),
        ("\tEnglish", "white space"),
        ("`English", "backtick"),
        ("[English](#)", "link"),
    ] {
        let text = format!("Security Council\n\n{line}\n");
        match check_header(&text) {
            Err(HeaderRefusal::HidingMarkup { line: 3, what: w }) => {
                assert!(w.contains(what), "{line:?}: {w}")
            }
            other => panic!("{line:?}: {other:?}"),
        }
    }
}

#[test]
fn header_ending_with_comment_opener_is_refused() {
    let text = format!("{SEED_HEADER}<!--\n");
    let r = refusal(&text);
    assert!(
        matches!(r, HeaderRefusal::HidingMarkup { line: 8, .. }),
        "{r:?}"
    );
    assert!(r.to_string().contains("line 8"), "{r}");
}

#[test]
fn header_ending_mid_line_is_refused() {
    assert_eq!(
        refusal("Security Council\nEnglish"),
        HeaderRefusal::EndsMidLine
    );
    assert_eq!(
        refusal("United Nations S/2019/255 "),
        HeaderRefusal::EndsMidLine
    );
    assert_eq!(refusal_line(&HeaderRefusal::EndsMidLine), None);
}

#[test]
fn thirteen_lines_are_too_many() {
    let twelve = "English\n\n".repeat(12);
    assert_eq!(check_header(&twelve), Ok(()));
    let thirteen = format!("{twelve}French\n");
    let r = refusal(&thirteen);
    assert_eq!(r, HeaderRefusal::TooManyLines { count: 13 });
    assert_eq!(refusal_line(&r), None);
    // The count comes before any line check.
    let bad = format!("(Signed) X\n{twelve}");
    assert_eq!(refusal(&bad), HeaderRefusal::TooManyLines { count: 13 });
}

#[test]
fn line_of_121_chars_is_too_long() {
    // 15 x "English" with single spaces: 119 characters; one double space makes 120.
    let ok = format!("{}\n", ["English"; 15].join(" ")).replacen(' ', "  ", 1);
    assert_eq!(ok.chars().count(), 121);
    assert_eq!(check_header(&ok), Ok(()));
    let long = format!("English {}(Signed)\n", "x".repeat(105));
    assert_eq!(long.chars().count(), 122);
    let r = refusal(&format!("Security Council\n{long}"));
    assert_eq!(
        r,
        HeaderRefusal::LineTooLong {
            line: 2,
            chars: 121
        }
    );
    assert_eq!(refusal_line(&r), Some(2));
}

#[test]
fn check_order_per_line() {
    // Signature before markup, markup before grammar.
    assert_eq!(
        refusal("<b>(Signed) X</b>\n"),
        HeaderRefusal::SignatureMark { line: 1 }
    );
    assert!(matches!(
        refusal("<b>Corrigendum</b>\n"),
        HeaderRefusal::HidingMarkup { line: 1, .. }
    ));
    // The first failing line is reported.
    assert_eq!(
        refusal("English\nVOID\n(Signed) X\n"),
        HeaderRefusal::UnrecognisedLine {
            line: 2,
            text: "VOID".to_owned()
        }
    );
}

#[test]
fn messages_name_the_line_in_plain_words() {
    let r = refusal("English\n\nCorrigendum\n");
    assert_eq!(
        r.to_string(),
        "line 3 of the header is not a publication-header line: \"Corrigendum\""
    );
    assert_eq!(
        HeaderRefusal::TooManyLines { count: 13 }.to_string(),
        "the header has 13 non-blank lines; a publication header has at most 12"
    );
}

// The corpus: real documents (first 30 lines, tests/data/headers/), header found as a careful
// reader would.

/// Headings that start the first signed layer.
const HEADINGS: &[&str] = &["Letter dated", "Note verbale", "Identical letters"];

/// The text before the first line that starts (after `*`, `_`, `#`, spaces) with a heading;
/// if no heading starts a line, the text before the first heading found inside a line.
fn header_before_heading(text: &str) -> &str {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start_matches(['*', '_', '#', ' ']);
        if HEADINGS.iter().any(|h| t.starts_with(h)) {
            return &text[..start];
        }
        start += line.len();
    }
    HEADINGS
        .iter()
        .filter_map(|h| text.find(h))
        .min()
        .map_or(text, |i| &text[..i])
}

/// Where a careful reader sees the header end.
enum HeaderEnd {
    /// Before the first heading ([`header_before_heading`]).
    BeforeHeading,
    /// The document starts with a web-page title, not a heading: the title line.
    TitleLine,
}

fn corpus_header(name: &str, end: &HeaderEnd) -> String {
    let path = format!(
        "{}/tests/data/headers/{name}.md",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc = crate::canonical::canonicalize(&bytes).expect("corpus is UTF-8");
    let text = doc.as_str();
    match end {
        HeaderEnd::BeforeHeading => header_before_heading(text).to_owned(),
        HeaderEnd::TitleLine => text.split_inclusive('\n').next().unwrap_or("").to_owned(),
    }
}

#[test]
fn corpus_headers() {
    use HeaderEnd::*;
    let unrecognised = |line: usize, text: &str| {
        Err(HeaderRefusal::UnrecognisedLine {
            line,
            text: text.to_owned(),
        })
    };
    let cases: [(&str, HeaderEnd, Result<(), HeaderRefusal>); 14] = [
        ("kfor-2017-q3", BeforeHeading, Ok(())),
        ("S-2016-459", BeforeHeading, Ok(())),
        ("S-2014-663", BeforeHeading, Ok(())),
        ("S-2015-1049", BeforeHeading, Ok(())),
        ("S-2003-130", BeforeHeading, Ok(())),
        (
            "KFOR-report-2016-04-01_to_2016-06-30_letter-2016-08-15",
            BeforeHeading,
            Ok(()),
        ),
        // No header: the document starts with the cover heading.
        (
            "KFOR-report-2000-07-23_to_2000-08-22_letter-2000-09-21",
            BeforeHeading,
            Ok(()),
        ),
        // The first line is a web-page title that starts with the cover heading.
        ("S-2016-142", BeforeHeading, Ok(())),
        // OCR noise "JStM" between the symbol and the organ: not a header item.
        ("S-2007-253", BeforeHeading, unrecognised(5, "JStM")),
        // Flattened copies: the signed text starts in the middle of the only line.
        (
            "S-2001-1001",
            BeforeHeading,
            Err(HeaderRefusal::EndsMidLine),
        ),
        ("S-2015-248", BeforeHeading, Err(HeaderRefusal::EndsMidLine)),
        ("S-2019-255", BeforeHeading, Err(HeaderRefusal::EndsMidLine)),
        // Web-page titles.
        (
            "S-2008-638",
            TitleLine,
            Err(HeaderRefusal::LineTooLong {
                line: 1,
                chars: 125,
            }),
        ),
        (
            "SFOR-report-2000-01-13_to_2000-02-12_NATO-letter-2000-03-06",
            TitleLine,
            unrecognised(
                1,
                "Monthly report to the Security Council on the operations of the \
                 Stabilization Force (13 Jan - 12 Feb 2000)",
            ),
        ),
    ];
    for (name, end, expected) in &cases {
        let header = corpus_header(name, end);
        assert_eq!(&check_header(&header), expected, "{name}: {header:?}");
    }
    let seed = corpus_header("kfor-2017-q3", &BeforeHeading);
    assert_eq!(seed, SEED_HEADER);
    let accepted_non_empty = cases
        .iter()
        .filter(|(n, e, r)| r.is_ok() && !corpus_header(n, e).is_empty())
        .count();
    assert_eq!(accepted_non_empty, 6);
}

// Random input never panics, and what is accepted or refused is consistent.

use proptest::prelude::*;

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
    #[test]
    fn random_text_never_panics(
        pieces in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::sample::select(vec![
                    "Security Council", "United Nations", "Distr.: General", "English",
                    "Original: French", "[Original: English]", "31 October 2017", "S/2017/912",
                    "17-19338 (E)", "*1719338*", "Agenda items 12 and", "(Signed)", "signed",
                    "**", "*", "_", "<!--", "<", ">", "&#40;", "&", ";", "\\", "`", "[", "]:",
                    "1.", "- ", "#", " ", "  ", "\n", "\n\n", "\u{200b}", "\u{ad}", "é", "\t",
                ]).prop_map(str::to_owned),
                "\\PC{0,6}",
            ],
            0..40,
        )
    ) {
        let text: String = pieces.concat();
        let result = check_header(&text);
        let lines = text.split('\n').count();
        match &result {
            Ok(()) => {
                proptest::prop_assert!(text.is_empty() || text.ends_with('\n'));
                proptest::prop_assert!(!text.to_lowercase().contains("signed"));
                proptest::prop_assert!(!text.contains(['<', '\\', '`', '&', '>']));
            }
            Err(e) => {
                if let Some(line) = refusal_line(e) {
                    proptest::prop_assert!((1..lines).contains(&line), "{e:?}");
                }
                proptest::prop_assert!(!e.to_string().is_empty());
            }
        }
        // Deterministic.
        proptest::prop_assert_eq!(check_header(&text), result);
    }
}

#[test]
fn ascii_look_alike_fast_path_agrees_with_the_normalization() {
    let slow =
        |l: &str| l.to_lowercase().contains("signed") || look_alike_normalize(l).contains("signed");
    for l in [
        "",
        "signed",
        "S*i_g`n\\e\u{7f}d",
        "Sig\u{1}ned",
        "Sig\tned",
        "Sig\rned",
        "(Signed) X",
        "Distr.: General",
        "SIGNED\n",
        "si gned",
        "&#115;igned",
        "Sign&amp;ed",
        "sig\nned",
    ] {
        assert_eq!(has_signature_look_alike(l), slow(l), "{l:?}");
    }
    let alphabet = ['s', 'i', 'g', 'n', 'e', 'd', 'S', '*', '\\', '\u{1}', ' '];
    let mut lines = vec![String::new()];
    for _ in 0..5 {
        let mut next = Vec::new();
        for l in &lines {
            for c in alphabet {
                let l = format!("{l}{c}");
                assert_eq!(has_signature_look_alike(&l), slow(&l), "{l:?}");
                next.push(l);
            }
        }
        lines = next;
    }
}
