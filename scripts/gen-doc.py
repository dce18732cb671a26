#!/usr/bin/env python3
"""Generate a deterministic, seed-like Markdown document of about N MB, for benchmarks.

Usage: scripts/gen-doc.py N_MB OUT      (OUT may be '-' for standard output)

The document looks like the seed transmittal (tests/data/corpus/kfor-2017-q3.md) as published:
a publication header, cover letters with "(Signed)" lines, and a long report of numbered
paragraphs, each paragraph one long line (Markdown as published, not hard-wrapped), blank lines
between paragraphs, headings in bold, some accented names (NFC). The text varies (sentences drawn
from a fixed vocabulary, numbers and dates changing throughout), so no two paragraphs are equal.

The same N gives byte-for-byte the same file on every run and every Python 3 version: the only
randomness is a fixed xorshift generator, not the `random` module.
"""

import sys

MB = 1 << 20


class XorShift:
    """xorshift64*: tiny, fast enough, identical everywhere."""

    def __init__(self, seed):
        self.s = seed & 0xFFFFFFFFFFFFFFFF or 1

    def next(self):
        s = self.s
        s ^= s >> 12
        s ^= (s << 25) & 0xFFFFFFFFFFFFFFFF
        s ^= s >> 27
        self.s = s
        return (s * 0x2545F4914F6CDD1D) & 0xFFFFFFFFFFFFFFFF

    def below(self, n):
        return (self.next() >> 11) % n

    def pick(self, items):
        return items[self.below(len(items))]


SUBJECTS = [
    "The Kosovo Force (KFOR)", "The Mission", "The Special Representative of the Secretary-General",
    "The European Union Rule of Law Mission (EULEX)", "The Kosovo Police", "The joint regional detachment",
    "The Security Council", "The Office of the High Commissioner", "The multinational battle group",
    "The Organization for Security and Cooperation in Europe", "The liaison and monitoring team",
    "The Secretary-General", "The Commander of KFOR", "The United Nations Interim Administration Mission",
]
VERBS = [
    "continued to monitor", "reported on", "conducted", "supported", "maintained", "coordinated",
    "assessed", "welcomed", "completed", "facilitated", "observed", "reviewed", "strengthened",
    "contributed to", "organized", "remained committed to",
]
OBJECTS = [
    "the overall security situation", "framework operations across the area of operations",
    "the refurbishment works on the Austerlitz Bridge", "a multi-faceted medical evacuation exercise",
    "the dialogue between Belgrade and Pristina", "the freedom of movement of all communities",
    "the protection of designated special zones", "close contact with the local population",
    "the interoperability of the security organizations", "the implementation of resolution 1244 (1999)",
    "the return of displaced persons", "the training of the Kosovo Security Force",
    "the situation in the northern municipalities", "patrols along the administrative boundary line",
]
TAILS = [
    "in close cooperation with EULEX", "during the reporting period", "without any major incident",
    "in accordance with its mandate", "as requested by the Security Council", "in Mitrovica North",
    "in the area of Pristina", "with the support of troop-contributing countries",
    "to ensure adequate security measures", "in line with the agreed procedures",
    "despite limited resources", "in all five regions",
]
PLACES = ["Pristina", "Mitrovica", "Prizren", "Peć", "Gjilan", "Ferizaj", "Gjakova", "Zvečan", "Leposavić", "Štrpce"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
HEADINGS = ["Security situation update and operations", "Summary", "Cooperation with international organizations",
            "Freedom of movement", "Support to the security sector", "Observations", "Political developments",
            "Rule of law", "Returns and reconciliation", "Cultural heritage sites"]
SIGNERS = ["António **Guterres**", "Jens **Stoltenberg**", "BAN Ki-moon", "Kofi A. **Annan**",
           "Anders Fogh **Rasmussen**", "Jaap de Hoop **Scheffer**"]


def sentence(rng, n):
    s = f"{rng.pick(SUBJECTS)} {rng.pick(VERBS)} {rng.pick(OBJECTS)} {rng.pick(TAILS)}"
    r = rng.below(4)
    if r == 0:
        s += f", on {1 + rng.below(28)} {rng.pick(MONTHS)} {1999 + rng.below(25)}"
    elif r == 1:
        s += f", with approximately {100 + rng.below(9000):,} personnel from {2 + rng.below(40)} countries"
    elif r == 2:
        s += f" in {rng.pick(PLACES)} (see paragraph {1 + n // 2})"
    return s + "."


def letter(rng, year, month, day):
    d = f"{day} {MONTHS[month]} {year}"
    return (
        f"**Letter dated {d} from the Secretary-General addressed to the President of the Security Council**\n\n"
        f"In accordance with Security Council resolution [1244 \\(1999\\)](#), I have the honour to transmit "
        f"the attached report on the international security presence in Kosovo for the period ending {d} "
        f"(see annex).\n\n"
        f"I would be grateful if you could bring this letter and its annex to the attention of the members "
        f"of the Security Council.\n\n"
        f"(Signed) {rng.pick(SIGNERS)}\n\n\n\n"
        f"Annex\n\n[Original: English]\n\n"
    )


def generate(target, out):
    rng = XorShift(0x9E3779B97F4A7C15)
    written = 0
    part = 0

    def emit(s):
        nonlocal written
        b = s.encode("utf-8")
        out.write(b)
        written += len(b)

    emit("\n\n**Security Council**\n\nDistr.: General\n31 October 2017\nEnglish\nOriginal: French\n\n")
    while written < target:
        part += 1
        year, month, day = 2000 + part % 25, part % 12, 1 + part % 28
        emit(letter(rng, year, month, day))
        emit(f"Enclosure**Report to the United Nations on the operations of the Kosovo Force, part {part}**\n\n")
        paragraphs = 20 + rng.below(60)
        for n in range(1, paragraphs + 1):
            if n % 9 == 0:
                emit(f"{rng.pick(HEADINGS)}\n\n")
            text = " ".join(sentence(rng, n) for _ in range(1 + rng.below(4)))
            emit(f"{n}. {text}\n")
            # Numbered paragraphs are sometimes separated by a blank line, sometimes not (as in
            # the seed), and sometimes by several.
            emit(["\n", "", "\n", "\n\n\n"][rng.below(4)])
        emit("\n")


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: gen-doc.py N_MB OUT\n")
        return 2
    try:
        target = int(float(argv[1]) * MB)
    except ValueError:
        sys.stderr.write(f"gen-doc.py: not a size in MB: {argv[1]!r}\n")
        return 2
    if argv[2] == "-":
        generate(target, sys.stdout.buffer)
    else:
        with open(argv[2], "wb") as f:
            generate(target, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
