#!/usr/bin/env python3
"""Build ro.txt, the Romanian passphrase word list (7776 words, one a line).

Words that are both a headword of the Romanian thesaurus (Debian mythes-ro,
th_ro_RO_v2.dat: headword lines are `word|n`) and a stem of the Romanian spelling
dictionary (Debian hunspell-ro, ro_RO.dic: `word/flags`), written as [a-z]{4,8}
(no diacritics, no capitals: they type the same on any keyboard), sorted by
(length, word), the first 7776. Run from this folder: python3 make_ro.py
"""
import re
import sys

MYTHES = "/usr/share/mythes/th_ro_RO_v2.dat"
HUNSPELL = "/usr/share/hunspell/ro_RO.dic"
COUNT = 6**5
PLAIN = re.compile(r"[a-z]{4,8}")


def headwords(path):
    with open(path, encoding="utf-8") as f:
        next(f)  # the encoding line
        for line in f:
            if not line.startswith("(") and "|" in line:
                word, _, n = line.rstrip("\n").rpartition("|")
                if n.isdigit():
                    yield word


def stems(path):
    with open(path, encoding="utf-8") as f:
        next(f)  # the word count
        for line in f:
            yield line.split("/", 1)[0].strip()


def main():
    both = {w for w in headwords(MYTHES) if PLAIN.fullmatch(w)} & {
        w for w in stems(HUNSPELL) if PLAIN.fullmatch(w)
    }
    words = sorted(both, key=lambda w: (len(w), w))
    if len(words) < COUNT:
        sys.exit(f"only {len(words)} words, {COUNT} needed")
    with open("ro.txt", "w", encoding="utf-8", newline="\n") as out:
        out.write("".join(w + "\n" for w in words[:COUNT]))


if __name__ == "__main__":
    main()
