//! Unit tests of the comparison: words, furniture, squashing, pairing and whole reports.

use super::compare::{compare, trim_common_punctuation};
use super::furniture::{doc_symbols, furniture};
use super::tokens::*;
use super::*;
use crate::format::canonical::{self, CanonicalText};
use crate::format::chain::LayerKind;
use crate::parse::parser::Structure;
use crate::parse::parser::{Confidence, HeaderProposal, LayerProposal};

fn words(text: &str) -> Vec<String> {
    let doc = canonical::canonicalize_str(text);
    let (raws, _) = raw_tokens(doc.as_str());
    let symbols = doc_symbols(&[&raws], &[]);
    tokenize(&doc, &raws, &furniture(&raws, &symbols))
        .words
        .into_iter()
        .map(|w| w.text)
        .collect()
}

fn furniture_count(text: &str) -> usize {
    let doc = canonical::canonicalize_str(text);
    let (raws, _) = raw_tokens(doc.as_str());
    let symbols = doc_symbols(&[&raws], &[]);
    tokenize(&doc, &raws, &furniture(&raws, &symbols)).furniture
}

#[test]
fn emphasis_links_and_escapes() {
    assert_eq!(
        words("(Signed) António **Guterres**"),
        ["(Signed)", "António", "Guterres"]
    );
    assert_eq!(
        words("resolution [1244 \\(1999\\)](#), please"),
        ["resolution", "1244", "(1999),", "please"]
    );
    assert_eq!(
        words("see ![the map](https://x.org/a_(b).png) and `code` _it_ snake_case 5\\*3"),
        [
            "see",
            "the",
            "map",
            "and",
            "code",
            "it",
            "snake_case",
            "5*3"
        ]
    );
    assert_eq!(words("[Original: English]"), ["[Original:", "English]"]);
    assert_eq!(
        words("## Summary\n\n- item one\n> quoted\n---\n| a | b |"),
        ["Summary", "item", "one", "quoted", "a", "b"]
    );
}

#[test]
fn hyphenation_at_line_end() {
    assert_eq!(words("the opera-\ntions of"), ["the", "operations", "of"]);
    assert_eq!(
        words("15 non-\nNATO countries"),
        ["15", "non-NATO", "countries"]
    );
    // Not at a line end, across a paragraph break, or after a digit: kept apart.
    assert_eq!(words("pre- and post-war"), ["pre-", "and", "post-war"]);
    assert_eq!(words("opera-\n\ntions"), ["opera-", "tions"]);
    assert_eq!(words("2016-\n2017"), ["2016-", "2017"]);
    // Across page furniture.
    assert_eq!(words("opera-\n17-19230 (E) 021117\ntions"), ["operations"]);
}

#[test]
fn furniture_is_dropped_in_context_only() {
    let flat = "(Signed) Kofi A. Annan 01-59943 (E) 251001 *0159943* S/2001/1001 Annex Letter \
                (Signed) George Robertson 2 S/2001/1001 Enclosure 1. Over";
    assert_eq!(
        words(flat),
        [
            "(Signed)",
            "Kofi",
            "A.",
            "Annan",
            "Annex",
            "Letter",
            "(Signed)",
            "George",
            "Robertson",
            "Enclosure",
            "1.",
            "Over"
        ]
    );
    assert_eq!(furniture_count(flat), 7);
    // Even-page footer with a page counter, then the running header; the symbol in running
    // text is kept.
    assert_eq!(
        words("Council. 2/5 15-05794 S/2015/248 Enclosure S/2015/248 and"),
        ["Council.", "Enclosure", "S/2015/248", "and"]
    );
    // Lines of their own in a wrapped text layer; the symbol alone on its line.
    assert_eq!(
        words("troops\n17-19230 (E) 021117\nS/2017/912\nin theatre\n\nS/2017/912\n\nnext"),
        ["troops", "in", "theatre", "next"]
    );
    // A page number alone on its line next to furniture; the masthead symbol is kept.
    assert_eq!(
        words("S/2007/253\n\nend of page\n\n2\n\n07-33080\n\nS/2007/253\n\nAnnex"),
        ["S/2007/253", "end", "of", "page", "Annex"]
    );
    // Never on their own: figures, years, a lone (E), a fraction, a number before a job number.
    assert_eq!(
        words("approximately 4,100 troops in 2017 (E) 1/2 paragraph 20 17-19230 (E) 021117"),
        [
            "approximately",
            "4,100",
            "troops",
            "in",
            "2017",
            "(E)",
            "1/2",
            "paragraph",
            "20"
        ]
    );
    assert_eq!(
        words("on 251001 and 01-59943 and S/2001/1001"),
        ["on", "251001", "and", "01-59943", "and", "S/2001/1001"]
    );
    // A symbol that occurs once and is not alone on its line is content.
    assert_eq!(words("see S/2017/912 and"), ["see", "S/2017/912", "and"]);
}

#[test]
fn squash_forgives_spacing_and_hyphenation_only() {
    let w = |s: &[&str]| -> Vec<Word> {
        s.iter()
            .map(|t| Word {
                text: (*t).to_owned(),
                start: 0,
                line: 1,
                column: 1,
                last_line: 1,
            })
            .collect()
    };
    assert_eq!(
        squash(&w(&["EnclosureReport"])),
        squash(&w(&["Enclosure", "Report"]))
    );
    assert_eq!(
        squash(&w(&["multi-faceted"])),
        squash(&w(&["multifaceted"]))
    );
    assert_eq!(squash(&w(&["non-", "NATO"])), squash(&w(&["non-NATO"])));
    assert_ne!(squash(&w(&["4,100"])), squash(&w(&["4,600"])));
    assert_ne!(squash(&w(&["1-2"])), squash(&w(&["12"])));
    assert_ne!(squash(&w(&["4", "100"])), squash(&w(&["4,100"])));
}

fn layer(kind: LayerKind, start: usize, end: usize) -> LayerProposal {
    LayerProposal {
        kind,
        start,
        content_start: start,
        end,
        title: None,
        date: None,
        original_language: None,
        signatories: Vec::new(),
        confidence: Confidence::Certain,
        evidence: Vec::new(),
    }
}

/// A structure from the byte offsets of the given marker strings.
fn structure(doc: &CanonicalText, header: bool, markers: &[(&str, LayerKind)]) -> Structure {
    let t = doc.as_str();
    let mut starts = Vec::new();
    for (m, k) in markers {
        starts.push((t.find(m).expect("marker"), *k));
    }
    let mut layers = Vec::new();
    for (n, (s, k)) in starts.iter().enumerate() {
        let end = starts.get(n + 1).map(|x| x.0).unwrap_or(t.len());
        layers.push(layer(*k, *s, end));
    }
    Structure {
        header: header.then(|| HeaderProposal {
            end: starts[0].0,
            symbol: None,
            date: None,
            original_language: None,
        }),
        layers,
    }
}

const A: &str = "Security Council\n\nLetter from the Secretary-General\n\nI transmit the annexed letter.\n\n(Signed) António **Guterres**\n\nAnnex\n\nPlease find enclosed the report.\n\n(Signed) Jens **Stoltenberg**\n\nEnclosure\n\n1. Troops remain approximately 4,100 in theatre.\n2. No incidents.\n";

fn run(a: &str, am: &[(&str, LayerKind)], b: &str, bm: &[(&str, LayerKind)]) -> DiffReport {
    let da = canonical::canonicalize_str(a);
    let db = canonical::canonicalize_str(b);
    let sa = structure(&da, true, am);
    let sb = structure(&db, true, bm);
    compare("a", &da, &sa, "b", &db, &sb)
}

const M3: &[(&str, LayerKind)] = &[
    ("Letter", LayerKind::Cover),
    ("Annex", LayerKind::Annex),
    ("Enclosure", LayerKind::Enclosure),
];

#[test]
fn reflowed_copy_is_the_same() {
    let b = "Security Council\nLetter from the\nSecretary-General I transmit the annexed\nletter. (Signed) António Guterres\n17-19230 (E) 021117\nS/2017/912\nAnnex\nPlease find en-\nclosed the report.\n(Signed) Jens Stoltenberg\nS/2017/912\nEnclosure\n1. Troops remain approximately 4,100 in theatre. 2. No incidents.\n";
    let d = run(A, M3, b, M3);
    assert!(d.same, "{d:#?}");
    assert_eq!(d.layers.len(), 3);
    assert!(d.layers.iter().all(|l| l.status == Status::Same));
    assert_eq!(d.ignored.furniture_b, 5);
    assert_eq!(d.exit_code(), 0);
}

#[test]
fn changed_figure_is_shown_exactly() {
    let b = A.replace("4,100", "4,600");
    let d = run(A, M3, &b, M3);
    assert!(!d.same);
    assert_eq!(d.layers[0].status, Status::Same);
    assert_eq!(d.layers[1].status, Status::Same);
    assert_eq!(d.layers[2].status, Status::Differs);
    let c = &d.layers[2].changes;
    assert_eq!(c.len(), 1);
    assert_eq!((c[0].a.as_str(), c[0].b.as_str()), ("4,100", "4,600"));
    assert_eq!(c[0].a_lines, Some([17, 17]));
    assert_eq!(c[0].before, "Enclosure 1. Troops remain approximately");
    assert_eq!(d.layers[2].kind, "enclosure");
}

#[test]
fn missing_middle_layer_is_named() {
    let b = A.replace(
        "Annex\n\nPlease find enclosed the report.\n\n(Signed) Jens **Stoltenberg**\n\n",
        "",
    );
    let d = run(
        A,
        M3,
        &b,
        &[
            ("Letter", LayerKind::Cover),
            ("Enclosure", LayerKind::Enclosure),
        ],
    );
    assert!(!d.same);
    let st: Vec<Status> = d.layers.iter().map(|l| l.status).collect();
    assert_eq!(st, [Status::Same, Status::Missing, Status::Same]);
    assert_eq!(d.layers[1].kind, "annex");
    assert_eq!(d.layers[2].index_b, Some(1));
    assert_eq!(d.layers[1].index, 1);
}

#[test]
fn boundary_read_differently_is_not_a_difference() {
    // B's parser found no annex boundary: the text is still the same.
    let d = run(
        A,
        M3,
        A,
        &[
            ("Letter", LayerKind::Cover),
            ("Enclosure", LayerKind::Enclosure),
        ],
    );
    assert!(d.same, "{d:#?}");
    assert!(d.layers.iter().any(|l| l.words_elsewhere > 0));
}

#[test]
fn case_only_and_header_not_counted() {
    let b = A
        .replace("Troops remain", "troops remain")
        .replace("Security Council", "United Nations Security Council");
    let d = run(A, M3, &b, M3);
    let h = d.header.as_ref().expect("header");
    assert_eq!(h.status, Status::Differs);
    assert!(!h.counted);
    assert!(d.layers[2].changes[0].case_only);
    let b = A.replace("Security Council", "United Nations Security Council");
    assert!(run(A, M3, &b, M3).same);
}

#[test]
fn shared_punctuation_is_not_shown_as_changed() {
    let t = |a: &str, b: &str| trim_common_punctuation(a.to_owned(), b.to_owned());
    assert_eq!(t("4,100,", "4,600,"), ("4,100".into(), "4,600".into()));
    assert_eq!(t("(1999),", "(2000),"), ("1999".into(), "2000".into()));
    assert_eq!(t("end.", "end!"), ("end.".into(), "end!".into()));
    assert_eq!(t("a,", ""), ("a,".into(), "".into()));
    assert_eq!(t("((", "(("), ("(".into(), "(".into()));
    assert_eq!(t("é,", "è,"), ("é".into(), "è".into()));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
    /// Any text: no panic, a copy is the same as itself, and the exit code follows `same`.
    #[test]
    fn never_panics_and_a_copy_is_itself(
        a in "[a-cES \\n\\[\\]()\\\\*_`#>/0-9,.é-]{0,200}",
        b in "[a-cES \\n\\[\\]()\\\\*_`#>/0-9,.é-]{0,200}",
    ) {
        let d = diff("a", a.as_bytes(), "b", b.as_bytes()).unwrap();
        proptest::prop_assert_eq!(d.exit_code(), if d.same { 0 } else { 1 });
        let d = diff("a", a.as_bytes(), "a", a.as_bytes()).unwrap();
        proptest::prop_assert!(d.same, "{:#?}", d);
    }
}

#[test]
fn not_utf8_names_the_file() {
    let e = diff("a.md", b"ok", "b.txt", b"bad \xff").unwrap_err();
    let m = e.to_string();
    assert!(m.contains("b.txt") && m.contains("not UTF-8"), "{m}");
}
