//! Unit tests of the parser: layers, headings, marks, dates and evidence on small documents.

use super::words::*;
use super::*;
use crate::format::canonical::canonicalize_str;
use crate::format::dates::format_iso;

fn parse(t: &str) -> (CanonicalText, Structure) {
    let doc = canonicalize_str(t);
    let s = propose(&doc);
    check_conventions(&doc, &s);
    (doc, s)
}

/// The boundary conventions other modules rely on.
fn check_conventions(doc: &CanonicalText, s: &Structure) {
    let text = doc.as_str();
    let l0 = &s.layers[0];
    assert_eq!(l0.start, s.header.as_ref().map_or(0, |h| h.end));
    assert_eq!(l0.content_start, l0.start);
    assert_eq!(l0.kind, LayerKind::Cover);
    assert_eq!(l0.confidence, Confidence::Certain);
    for (i, l) in s.layers.iter().enumerate() {
        assert!(l.start <= l.content_start && l.content_start <= l.end);
        assert!(text.is_char_boundary(l.start) && text.is_char_boundary(l.content_start));
        if i > 0 {
            assert_eq!(l.start, s.layers[i - 1].end);
            let markers = &text[l.start..l.content_start];
            assert_eq!(LayerKind::from_markers(i, markers), l.kind, "{markers:?}");
        }
    }
    assert_eq!(s.layers.last().map(|l| l.end), Some(text.len()));
}

fn kinds(s: &Structure) -> Vec<&'static str> {
    s.layers.iter().map(|l| l.kind.as_str()).collect()
}

fn markers<'a>(doc: &'a CanonicalText, l: &LayerProposal) -> &'a str {
    &doc.as_str()[l.start..l.content_start]
}

fn date(l: &LayerProposal) -> Option<String> {
    l.date.map(format_iso)
}

#[test]
fn no_structure_is_one_cover_layer() {
    let (doc, s) = parse("Some text without any structure.\nAnother line of it.\n");
    assert!(s.header.is_none());
    assert_eq!(kinds(&s), ["cover"]);
    assert_eq!((s.layers[0].start, s.layers[0].end), (0, doc.len()));
    assert!(s.layers[0].signatories.is_empty());
    let (_, s) = parse("");
    assert_eq!(kinds(&s), ["cover"]);
    assert_eq!((s.layers[0].start, s.layers[0].end), (0, 0));
}

#[test]
fn appendix_heading_gives_its_kind() {
    let t = "Letter dated 1 May 2016 from A addressed to B\n\nI transmit the report.\n\n(Signed) Alpha Beta\n\nAppendix\n\nReport on the operations\n\n1. Text.\n";
    let (doc, s) = parse(t);
    assert_eq!(kinds(&s), ["cover", "appendix"]);
    assert_eq!(markers(&doc, &s.layers[1]), "Appendix\n\n");
    assert_eq!(s.layers[1].confidence, Confidence::Certain);
    assert_eq!(
        s.layers[1].title.as_deref(),
        Some("Report on the operations")
    );
    // An appendix below an annex keeps its own word; an enclosure by depth otherwise.
    let t2 = "Cover text.\n\n(Signed) A B\n\nAnnex\n\nLetter text.\n\n(Signed) C D\n\nAPPENDIX II\n\nTables\n";
    let (doc, s) = parse(t2);
    assert_eq!(kinds(&s), ["cover", "annex", "appendix"]);
    assert_eq!(markers(&doc, &s.layers[2]), "APPENDIX II\n\n");
}

#[test]
fn headings_on_their_own_line_and_run_in() {
    // Own line, with the "[Original: X]" line and the blank lines after it.
    let t = "Cover.\n\n(Signed) A B\n\nAnnex\n\n[Original: Spanish]\n\nText of the annex.\n";
    let (doc, s) = parse(t);
    assert_eq!(
        markers(&doc, &s.layers[1]),
        "Annex\n\n[Original: Spanish]\n\n"
    );
    assert_eq!(s.layers[1].original_language.as_deref(), Some("Spanish"));
    assert_eq!(s.layers[0].original_language, None);
    // Run in with a period, and "[Original: …]" after the title line.
    let t = "Cover.\n(Signed) A B\nAnnex. Monthly report on operations\n[Original: English]\n1. Text.\n";
    let (doc, s) = parse(t);
    assert_eq!(markers(&doc, &s.layers[1]), "Annex. ");
    assert_eq!(s.layers[1].original_language.as_deref(), Some("English"));
    assert_eq!(
        s.layers[1].title.as_deref(),
        Some("Monthly report on operations")
    );
    // Run into a bold title.
    let t = "Cover.\n\n(Signed) A B\n\nEnclosure**Report to the United Nations**\n\n1. Text.\n";
    let (doc, s) = parse(t);
    // The document's own heading word wins over depth.
    assert_eq!(kinds(&s), ["cover", "enclosure"]);
    assert_eq!(markers(&doc, &s.layers[1]), "Enclosure");
    assert!(doc.as_str()[s.layers[1].content_start..].starts_with("**Report"));
    // Long form: its date is the date of the letter above, not of the annex.
    let t = "Letter dated 21 September 2000 from the Secretary-General addressed to the President of the Security Council\nText.\n(Signed) Kofi A. Annan\nAnnex to the letter dated 21 September 2000 from the Secretary-General addressed to the President of the Security Council\nMonthly report\n1. Text.\n";
    let (doc, s) = parse(t);
    assert_eq!(kinds(&s), ["cover", "annex"]);
    assert!(markers(&doc, &s.layers[1]).starts_with("Annex to the letter dated"));
    assert_eq!(date(&s.layers[0]).as_deref(), Some("2000-09-21"));
    assert_eq!(s.layers[1].date, None);
}

#[test]
fn heading_words_in_prose_are_not_headings() {
    let t = "Letter dated 1 May 2016 from A addressed to B\nThe text is contained in\nAnnex I to the Agreement and in\nAnnex 10 to the General Framework Agreement, see annex II.\nAnnex I contains a list. Enclosure of documents is common.\n(Signed) A B\n";
    let (_, s) = parse(t);
    assert_eq!(kinds(&s), ["cover"]);
    assert_eq!(s.layers[0].signatories, ["A B"]);
    // "Annex I wish …": the "I" is the pronoun that starts the annex's text.
    let t = "Cover.\n\n(Signed) A B\n\nAnnex I wish to inform you of the following.\n";
    let (doc, s) = parse(t);
    assert_eq!(markers(&doc, &s.layers[1]), "Annex ");
}

#[test]
fn spaced_signed_marks_and_several_signers_with_titles() {
    let t = "Letter of transmittal\n\nWe transmit the report (see enclosure).\n\n( Signed ) Virginia **Gamba**\nHead\nJoint Investigative Mechanism\n\n(SIGNED) Adrian Neritani\nLeadership Panel\n\n( Signed)  Eberhard Schanze\nLeadership Panel\n\nEnclosure\n\nFirst report\n";
    let (_, s) = parse(t);
    assert_eq!(kinds(&s), ["cover", "enclosure"]);
    assert_eq!(
        s.layers[0].signatories,
        ["Virginia Gamba", "Adrian Neritani", "Eberhard Schanze"]
    );
    let ev: Vec<&Evidence> = s.layers[0]
        .evidence
        .iter()
        .filter(|e| e.what == "signatory")
        .collect();
    assert_eq!(ev.len(), 3);
    assert!(ev.iter().all(|e| e.confidence == Confidence::Certain));
    assert_eq!((ev[0].line, ev[0].column), (5, 12));
    // A title run in after the name in flattened text, and a quoted mark that is not one.
    let t = "He wrote \"(Signed) Someone Else\". I have the honour to transmit the report. (Signed) Jens Stoltenberg Secretary General 17-12345 S/2017/1 Enclosure Report on the operations 1. The text goes on and on about the operations of the force in the period.";
    let (_, s) = parse(t);
    assert_eq!(s.layers[0].signatories, ["Jens Stoltenberg"]);
    assert_eq!(kinds(&s), ["cover", "enclosure"]);
}

#[test]
fn bold_headings_wrapped_over_two_lines() {
    let t = "**Security Council**\n\nDistr.: General\n31 October 2017\nEnglish\nOriginal: French\n\n**Letter dated 25 October 2017 from the Secretary-General\naddressed to the President of the Security Council**\n\nI have the honour to transmit the attached letter dated 18 October 2017 (see annex).\n\n(Signed) António **Guterres**\n\n**Annex**\n\n**Letter from the Secretary\nGeneral of NATO**\n\nText (see enclosure).\n\n(Signed) Jens **Stoltenberg**\n\n## Enclosure\n\nReport\n";
    let (doc, s) = parse(t);
    let h = s.header.as_ref().unwrap();
    assert_eq!(h.symbol, None);
    assert_eq!(h.date.map(format_iso).as_deref(), Some("2017-10-31"));
    assert_eq!(h.original_language.as_deref(), Some("French"));
    assert_eq!(kinds(&s), ["cover", "annex", "enclosure"]);
    assert_eq!(
        s.layers[0].title.as_deref(),
        Some("Letter dated 25 October 2017 from the Secretary-General addressed to the President of the Security Council")
    );
    assert_eq!(date(&s.layers[0]).as_deref(), Some("2017-10-25"));
    assert_eq!(date(&s.layers[1]).as_deref(), Some("2017-10-18"));
    assert_eq!(markers(&doc, &s.layers[1]), "**Annex**\n\n");
    assert_eq!(markers(&doc, &s.layers[2]), "## Enclosure\n\n");
    assert_eq!(s.layers[0].signatories, ["António Guterres"]);
    assert_eq!(s.layers[1].signatories, ["Jens Stoltenberg"]);
    let d = s.layers[1]
        .evidence
        .iter()
        .find(|e| e.what == "date")
        .unwrap();
    assert_eq!(d.confidence, Confidence::Inferred);
}

#[test]
fn note_verbale_layers() {
    // A note verbale annex with its own dated heading and "[Original: Spanish]" after it.
    let t = "S/2016/1\n\nSecurity Council Distr.: General 13 April 2016\n\nOriginal: English\n\nLetter dated 13 April 2016 from the Secretary-General addressed to the President of the Security Council\n\nI have the honour to transmit the attached note verbale dated 1 April 2016 (see annex).\n\n(Signed) BAN Ki-moon\n\n16-06091 (E) 140416 *1606091*\n\nS/2016/1\n\nAnnex\n\nNote verbale dated 1 April 2016 from the Permanent Mission of Spain to the United Nations addressed to the Secretary-General\n\n[Original: Spanish]\n\nThe Permanent Mission presents its compliments and transmits the report (see enclosure). The Permanent Mission avails itself of this opportunity to renew the assurances of its highest consideration.\n\nReport on the operations\n\n1. Text.\n";
    let (doc, s) = parse(t);
    assert_eq!(
        s.header.as_ref().unwrap().symbol.as_deref(),
        Some("S/2016/1")
    );
    assert_eq!(kinds(&s), ["cover", "annex", "enclosure"]);
    // Page furniture before the heading stays with the cover.
    assert!(doc.as_str()[..s.layers[1].start].ends_with("S/2016/1\n\n"));
    assert_eq!(date(&s.layers[1]).as_deref(), Some("2016-04-01"));
    assert!(s.layers[1].signatories.is_empty());
    assert_eq!(s.layers[1].original_language.as_deref(), Some("Spanish"));
    // The closing formula ends the note; the report is inferred, with empty markers.
    assert_eq!(s.layers[2].content_start, s.layers[2].start);
    assert_eq!(s.layers[2].confidence, Confidence::Inferred);
    // An unheaded note verbale dated by the cover ("a note verbale … dated …").
    let t = "Letter dated 10 April 2015 from the Secretary-General addressed to the President of the Security Council\n\nI have the honour to transmit herewith a note verbale from the Permanent Mission of France to the United Nations dated 31 March 2015 (see annex).\n\n(Signed) BAN Ki-moon\n\nThe Permanent Mission of France presents its compliments to the Secretary-General.\n";
    let (_, s) = parse(t);
    assert_eq!(kinds(&s), ["cover", "annex"]);
    assert_eq!(date(&s.layers[1]).as_deref(), Some("2015-03-31"));
    assert_eq!(s.layers[1].confidence, Confidence::Inferred);
}

#[test]
fn no_headings_layers_from_signature_blocks_and_letter_headings() {
    let t = "Monthly report on the operations (13 Jan - 12 Feb 2000)\n\nI have the honour to convey the attached communication, dated 6 March 2000, which I have received (see annex).\n\n(Signed) Kofi A. ANNAN\n\nLetter dated 6 March 2000 from the Secretary-General of NATO addressed to the Secretary-General\n\nI attach the monthly report.\n\n(Signed) The Rt. Hon. Lord ROBERTSON of Port Ellen, PC\n\nMonthly report on the operations\n\n1. Text.\n";
    let (doc, s) = parse(t);
    assert!(s.header.is_none());
    assert_eq!(kinds(&s), ["cover", "annex", "enclosure"]);
    assert_eq!(s.layers[0].date, None);
    assert_eq!(date(&s.layers[1]).as_deref(), Some("2000-03-06"));
    assert_eq!(
        s.layers[1].signatories,
        ["The Rt. Hon. Lord ROBERTSON of Port Ellen, PC"]
    );
    // The blank line after a signature belongs to the layer above.
    assert!(doc.as_str()[..s.layers[1].start].ends_with("ANNAN\n\n"));
    assert!(s.layers[1..].iter().all(|l| l.start == l.content_start));
    // A letter heading after body text starts a layer even without a signature.
    let t = "Letter dated 1 May 2016 from A addressed to B\n\nI transmit the letter of 2 May 2016 from C (see annex).\n\nLetter dated 2 May 2016 from C addressed to A\n\nText of C.\n";
    let (_, s) = parse(t);
    assert_eq!(kinds(&s), ["cover", "annex"]);
    assert_eq!(date(&s.layers[1]).as_deref(), Some("2016-05-02"));
    // A report title followed by numbered paragraphs, in a letter that refers to it.
    let t = "Letter dated 1 May 2016 from A addressed to B\n\nI have the honour to transmit herewith the report (see enclosure).\n\nReport on the operations of the force\n\n1. Over the period.\n";
    let (_, s) = parse(t);
    assert_eq!(kinds(&s), ["cover", "annex"]);
    assert_eq!(
        s.layers[1].title.as_deref(),
        Some("Report on the operations of the force")
    );
}

#[test]
fn flattened_text_with_page_furniture() {
    let t = "United Nations S/2001/1001 Security Council Distr.: General 24 October 2001 Original: English Letter dated 23 October 2001 from the Secretary-General addressed to the President of the Security Council I have the honour to convey the attached communication, dated 19 October 2001 (see annex). (Signed) Kofi A. Annan 01-59943 (E) 251001 *0159943* S/2001/1001 Annex [Original: French] Letter dated 19 October 2001 from the Secretary-General of the North Atlantic Treaty Organization to the Secretary-General In accordance with resolution 1088, I attach the report (see enclosure). (Signed) George Robertson 2 S/2001/1001 Enclosure Monthly report to the Security Council 1. Over the reporting period.";
    let (doc, s) = parse(t);
    let text = doc.as_str();
    let h = s.header.as_ref().unwrap();
    assert!(text[h.end..].starts_with("Letter dated 23 October"));
    assert_eq!(kinds(&s), ["cover", "annex", "enclosure"]);
    assert_eq!(markers(&doc, &s.layers[1]), "Annex [Original: French] ");
    assert_eq!(markers(&doc, &s.layers[2]), "Enclosure ");
    assert!(text[..s.layers[1].start].ends_with("S/2001/1001 "));
    assert_eq!(s.layers[0].signatories, ["Kofi A. Annan"]);
    assert_eq!(s.layers[1].signatories, ["George Robertson"]);
    assert_eq!(s.layers[1].original_language.as_deref(), Some("French"));
    assert_eq!(date(&s.layers[1]).as_deref(), Some("2001-10-19"));
    assert_eq!(
        s.layers[1].title.as_deref(),
        Some("Letter dated 19 October 2001 from the Secretary-General of the North Atlantic Treaty Organization to the Secretary-General")
    );
    // Evidence columns on a single line.
    let b = &s.layers[1].evidence[0];
    assert_eq!((b.what, b.line), ("boundary", 1));
    assert_eq!(
        b.column as usize,
        text[..s.layers[1].start].chars().count() + 1
    );
}

#[test]
fn reliefweb_title_line_is_the_cover_heading() {
    let t = "Kosovo: Letter dated 2 Oct 2008 from the UN SG to the President of the UN SC - Monthly report (S/2008/638)\n\nPursuant to resolution 1244 (1999), dated 10 June 1999, I have the honour to transmit the attached report (see annex).\n\n(Signed) Ban Ki-moon\n\nMonthly report to the United Nations\n\n1. Text.\n";
    let (_, s) = parse(t);
    assert!(s.header.is_none());
    assert_eq!(kinds(&s), ["cover", "annex"]);
    assert_eq!(date(&s.layers[0]).as_deref(), Some("2008-10-02"));
    // "resolution …, dated …" is not the date of what the letter transmits.
    assert_eq!(s.layers[1].date, None);
}

#[test]
fn ocr_noise() {
    let t = "United Nations\n\nS/2003/1\n\nJStM\n\nSecurity Council\n\nDistr.: General\n3 May 2003\n\nOriginal: English\n\nLetter dated 31 January2003 from the Secretary-General to the\nPresident of the Security Council\n\nText.\n\n( Signed) Kofi A. Annan\n\n03-33080 (E)\n\nmi min\n\n160503\n\nS/2003/1\n\nAnnex\n\nLetter dated 23 April 2003 from X addressed to the Secretary-General\n\nText.\n\n( Signed) Christian Schwarz-Schilling\n\n2\n\nS/2003/1\n\nEnclosure\n\nReport\n";
    let (_, s) = parse(t);
    let h = s.header.as_ref().unwrap();
    assert_eq!(h.symbol.as_deref(), Some("S/2003/1"));
    assert_eq!(h.date.map(format_iso).as_deref(), Some("2003-05-03"));
    assert_eq!(kinds(&s), ["cover", "annex", "enclosure"]);
    assert_eq!(date(&s.layers[0]).as_deref(), Some("2003-01-31"));
    assert_eq!(s.layers[0].signatories, ["Kofi A. Annan"]);
    assert_eq!(s.layers[1].signatories, ["Christian Schwarz-Schilling"]);
    assert_eq!(
        s.layers[0].title.as_deref(),
        Some("Letter dated 31 January2003 from the Secretary-General to the President of the Security Council")
    );
}

#[test]
fn evidence_for_every_finding() {
    let t = "S/2016/459\n\nDistr.: General\n19 May 2016\n\nLetter dated 19 May 2016 from A addressed to B\n\nText.\n\n(Signed) BAN Ki-moon\n\nAnnex\n\n[Original: French]\n\nText.\n";
    let (_, s) = parse(t);
    let whats: Vec<&str> = s.layers[0].evidence.iter().map(|e| e.what).collect();
    assert_eq!(
        whats,
        ["header", "header", "boundary", "title", "date", "signatory"]
    );
    let l1: Vec<(&str, &str, Confidence)> = s.layers[1]
        .evidence
        .iter()
        .map(|e| (e.what, e.value.as_str(), e.confidence))
        .collect();
    assert_eq!(
        l1,
        [
            ("boundary", "Annex", Confidence::Certain),
            ("original_language", "French", Confidence::Certain)
        ]
    );
    let b = &s.layers[1].evidence[0];
    assert_eq!((b.line, b.column), (12, 1));
    assert_eq!(b.cue, "heading \"Annex\"");
}

#[test]
fn datelines_split_headings_web_titles_and_damaged_names() {
    // A date alone on a line, followed by the salutation; a place before the date.
    let t = "\n3 March 2004\n\nExcellency,\n\nI have the honour to transmit the report (see enclosure).\n\n(Signed) A B\n\nEnclosure\n\nReport\n";
    let (_, s) = parse(t);
    assert_eq!(date(&s.layers[0]).as_deref(), Some("2004-03-03"));
    let d = s.layers[0]
        .evidence
        .iter()
        .find(|e| e.what == "date")
        .unwrap();
    assert_eq!((d.line, d.confidence), (2, Confidence::Inferred));
    let t = "The President of the Security Council\nNew York\n\nNew York, 12 June 1998\n\nText of the letter.\n";
    let (_, s) = parse(t);
    assert_eq!(date(&s.layers[0]).as_deref(), Some("1998-06-12"));
    // A date line that is not a letter's (no place, no salutation after it) is no date.
    let t = "Report\n\n12 June 1998\n\nThe period was calm.\n";
    let (_, s) = parse(t);
    assert_eq!(s.layers[0].date, None);
    // A title-case heading broken by a blank line.
    let t = "Letter Dated 12 May 1999\n\nfrom the Secretary-General addressed to the President of the Security Council\n\nText.\n";
    let (_, s) = parse(t);
    assert_eq!(date(&s.layers[0]).as_deref(), Some("1999-05-12"));
    assert_eq!(
        s.layers[0].title.as_deref(),
        Some("Letter Dated 12 May 1999 from the Secretary-General addressed to the President of the Security Council")
    );
    // A web page's title above the document's heading: the heading's date.
    let t = "Letter dated 19 May 2016 from the Secretary-General (S/2016/459) - Serbia | ReliefWeb\n\nLetter dated 18 May 2016 from the Secretary-General addressed to the President of the Security Council\n\nText.\n";
    let (_, s) = parse(t);
    assert_eq!(date(&s.layers[0]).as_deref(), Some("2016-05-18"));
    assert!(s.layers[0]
        .title
        .as_deref()
        .unwrap()
        .starts_with("Letter dated 18 May"));
    // Damaged encodings and a title on the signature line.
    let t = "Text.\n\n(Signed) AntÃ³nio Guterres Secretary-General\n\n(Signed) Jens Stolten\u{fffd}berg\n";
    let (_, s) = parse(t);
    assert_eq!(
        s.layers[0].signatories,
        ["António Guterres", "Jens Stoltenberg"]
    );
    assert_eq!(repair_encoding("Ã‰mile"), "Émile");
    assert_eq!(repair_encoding("Ça va"), "Ça va");
}

#[test]
fn furniture_and_names() {
    assert!(is_furniture_str("01-59943"));
    assert!(is_furniture_str("(E)"));
    assert!(is_furniture_str("*0159943*"));
    assert!(is_furniture_str("2/5"));
    assert!(is_furniture_str("S/2001/1001"));
    assert!(is_furniture_str("—"));
    assert!(!is_furniture_str("("));
    assert!(!is_furniture_str("Annan"));
    assert!(!is_furniture_str("1244-related"));
    assert!(is_symbol("A/70/123"));
    assert!(!is_symbol("EN/AR"));
    assert_eq!(clean_name("Jens **Stoltenberg**,"), "Jens Stoltenberg");
    assert_eq!(clean_name("Kofi A. Annan."), "Kofi A. Annan");
    assert_eq!(clean_name("  António   Guterres "), "António Guterres");
    assert_eq!(plain("Anto\u{301}nio"), "António");
    assert_eq!(month_num(b"Oct"), Some(10));
    assert_eq!(month_num(b"sept"), Some(9));
    assert_eq!(month_num(b"Ma"), None);
}
