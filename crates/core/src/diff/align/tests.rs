//! Unit tests of [`super`] (a file of their own to keep `src/align.rs` to its code).
use super::*;

fn parts(texts: &[&str]) -> Vec<PartRecord> {
    texts.iter().map(|t| PartRecord::of(t)).collect()
}

#[test]
fn finds_a_changed_line() {
    let p = parts(&["A\nB\n\n", "Annex\n\n", "C\nD\n"]);
    let refs: Vec<&PartRecord> = p.iter().collect();
    let doc = "H\n\nA\nB\n\nAnnex\n\nC\nX\n";
    let d = diagnose(doc, &refs);
    assert_eq!(d.prefix_end, 3);
    assert_eq!(d.changes.len(), 1);
    assert_eq!(d.changes[0].part, 2);
    assert_eq!(d.changes[0].kind, ChangeKind::Changed);
    assert_eq!(&doc[d.changes[0].doc.clone()], "X\n");
}

#[test]
fn finds_added_and_removed_and_missing() {
    let p = parts(&["A\nB\n\n", "Annex\n\n", "C\nD\n"]);
    let refs: Vec<&PartRecord> = p.iter().collect();
    let d = diagnose("A\nB\n\nAnnex\n\nC\nD\nE\n", &refs);
    assert_eq!(d.changes.len(), 1);
    assert_eq!(d.changes[0].kind, ChangeKind::Added);
    assert_eq!(d.changes[0].part, 2);
    let d = diagnose("A\n\nAnnex\n\nC\nD\n", &refs);
    assert!(d
        .changes
        .iter()
        .any(|c| c.kind == ChangeKind::Removed || c.kind == ChangeKind::Changed));
    let d = diagnose("A\nB\n\n", &refs);
    assert!(d
        .changes
        .iter()
        .any(|c| c.kind == ChangeKind::PartMissing && c.part == 2));
}

#[test]
fn splits_run_in_lines() {
    let p = parts(&["L\n\n", "Enclosure", "**R**\n\n1. x\n"]);
    let refs: Vec<&PartRecord> = p.iter().collect();
    let d = diagnose("L\n\nEnclosure**R**\n\n1. y\n", &refs);
    assert_eq!(d.changes.len(), 1);
    assert_eq!(d.changes[0].part, 2);
    assert_eq!(d.spans[1], 3..12);
}

/// `n` parts, each one distinct line.
fn numbered(n: usize) -> Vec<PartRecord> {
    (0..n)
        .map(|i| PartRecord::of(&format!("Line {i} of the letter\n")))
        .collect()
}

#[test]
fn large_alignments_still_find_one_changed_line() {
    let n = 2 * MAX_EXACT_LEAVES;
    let line = |i: usize| format!("Paragraph {i} opens\nand paragraph {i} closes\n");
    let p: Vec<PartRecord> = (0..n).map(|i| PartRecord::of(&line(i))).collect();
    let refs: Vec<&PartRecord> = p.iter().collect();
    let doc: String = (0..n)
        .map(line)
        .collect::<String>()
        .replace("paragraph 3000 closes", "paragraph 3000 closes late");
    let d = diagnose(&doc, &refs);
    assert_eq!(d.changes.len(), 1, "{:?}", d.changes);
    assert_eq!(d.changes[0].part, 3000);
    assert_eq!(d.changes[0].kind, ChangeKind::Changed);
    assert_eq!(d.changes[0].signed_leaves, 1..2);
    assert_eq!(
        &doc[d.changes[0].doc.clone()],
        "and paragraph 3000 closes late\n"
    );
    assert!(d.incomplete.is_empty());
}

#[test]
fn shuffled_parts_are_reported_and_the_answer_is_reproducible() {
    let n = 2 * MAX_EXACT_LEAVES;
    let p = numbered(n);
    let refs: Vec<&PartRecord> = p.iter().collect();
    // A fixed permutation: i -> i * 7919 mod n (7919 is prime, n a power of two).
    let doc: String = (0..n)
        .map(|i| format!("Line {} of the letter\n", i * 7919 % n))
        .collect();
    let d = diagnose(&doc, &refs);
    let again = diagnose(&doc, &refs);
    assert_eq!(d.changes, again.changes);
    assert_eq!(d.spans, again.spans);
    assert_eq!(d.incomplete, again.incomplete);
    // Every part whose line is not where it was signed is named.
    let named: HashSet<usize> = d.changes.iter().map(|c| c.part).collect();
    assert!(named.len() > n / 2, "{} of {n} parts named", named.len());
    assert!(d.changes.iter().all(|c| matches!(
        c.kind,
        ChangeKind::PartMoved | ChangeKind::Added | ChangeKind::Changed
    )));
}

#[test]
fn a_gap_beyond_the_limits_is_one_hunk_and_says_so() {
    let h = |i: u32| leaf_hash(&i.to_le_bytes());
    let a: Vec<Hash> = (0..3 * MAX_GAP_LEAVES as u32).map(h).collect();
    // Nothing in common but the first and last leaf: one stretch beyond the limit.
    let mut b: Vec<Hash> = (0..3 * MAX_GAP_LEAVES as u32)
        .map(|i| h(i + (1 << 20)))
        .collect();
    b[0] = a[0];
    let last = b.len() - 1;
    b[last] = a[last];
    let (ops, limited) = bounded_diff(&a, &b);
    assert!(limited);
    let old: usize = ops.iter().map(|o| o.old_range().len()).sum();
    let new: usize = ops.iter().map(|o| o.new_range().len()).sum();
    assert_eq!((old, new), (a.len(), b.len()), "every leaf accounted for");
    let (ops, limited) = bounded_diff(&a, &a);
    assert!(!limited);
    assert_eq!(ops.len(), 1);
}

#[test]
fn splitting_at_hostile_midline_parts_is_bounded_and_says_so() {
    // Mid-line parts of every length 1..=300, none of which is a prefix of any line.
    let p: Vec<PartRecord> = (1..=300).map(|k| PartRecord::of(&"z".repeat(k))).collect();
    let known: HashSet<Hash> = p.iter().flat_map(|r| r.leaves.iter().copied()).collect();
    let midline: Vec<(usize, Hash)> = p.iter().map(|r| (r.tail as usize, r.leaves[0])).collect();
    let text: String = (0..200).map(|i| format!("{i:0>400}\n")).collect();
    let (leaves, _, limited) = document_leaves(&text, &known, &midline, MAX_SPLIT_BLOCKS);
    assert!(!limited);
    assert_eq!(leaves.len(), 200);
    let (leaves, _, limited) = document_leaves(&text, &known, &midline, 1000);
    assert!(limited);
    assert_eq!(leaves.len(), 200, "every line still a leaf");
    assert_eq!(leaves.last().map(|l| l.0.end), Some(text.len()));
    // A real run-in heading is still split off.
    let p = parts(&["Enclosure", "**R**\n"]);
    let refs: Vec<&PartRecord> = p.iter().collect();
    let d = diagnose("Enclosure**R**\n", &refs);
    assert!(d.changes.is_empty(), "{:?}", d.changes);
}
