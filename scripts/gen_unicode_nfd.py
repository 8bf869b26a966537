#!/usr/bin/python3
"""Generate the Unicode NFD tables for src/text/unicode_nfd.cpp from UnicodeData.txt.

Piper splits espeak-ng's IPA into codepoints after Python's unicodedata.normalize("NFD", ...),
so the core needs the same canonical decomposition without pulling ICU (megabytes) into the wasm.
This script turns Debian's UnicodeData.txt (package `unicode-data`) into ~15 KB of sorted
constant arrays that the C++ side binary-searches.

Usage:
  /usr/bin/python3 scripts/gen_unicode_nfd.py OUT.inc [--unicode-data PATH]
  /usr/bin/python3 scripts/gen_unicode_nfd.py --check [--unicode-data PATH]

OUT.inc is a build output (CMake writes it into the build folder); never commit it.
--check rebuilds NFD in Python from the packed tables (so the packing is checked too) and compares
every codepoint with Python's unicodedata, then runs NormalizationTest.txt(.bz2) if it sits next
to UnicodeData.txt. Python's unicodedata may be an older Unicode version than the data file;
differences are listed and explained rather than treated as failures.

The output is deterministic: the same UnicodeData.txt always gives byte-identical tables.
"""

import argparse
import bz2
import os
import re
import sys
import unicodedata

DEFAULT_UNICODE_DATA = "/usr/share/unicode/UnicodeData.txt"

# Hangul syllables decompose arithmetically (Unicode 15, section 3.12); 11,172 entries would
# otherwise dominate the table.
HANGUL_S_BASE, HANGUL_L_BASE, HANGUL_V_BASE, HANGUL_T_BASE = 0xAC00, 0x1100, 0x1161, 0x11A7
HANGUL_V_COUNT, HANGUL_T_COUNT, HANGUL_S_COUNT = 21, 28, 11172

# Packed layouts; unicode_nfd.cpp reads them through the constants written into the .inc, and
# pack() checks every assumption so a future Unicode version fails the build instead of
# producing wrong tables.
#   decomposition key: (codepoint << 10) | (plane of first codepoint << 8) | tail index
#   combining range:   (first codepoint << 15) | ((count - 1) << 8) | combining class
DECOMP_KEY_SHIFT = 10
DECOMP_PLANE_SHIFT = 8
MAX_TAILS = 256          # tail index is 8 bits
MAX_FIRST_PLANE = 3      # plane is 2 bits
CCC_FIRST_SHIFT = 15
CCC_COUNT_SHIFT = 8
MAX_CCC_RUN = 128        # count - 1 is 7 bits
MAX_CCC_CODEPOINT = 1 << 17


def require(condition, message):
    # Not `assert`: the build must fail even under `python3 -O`.
    if not condition:
        sys.exit(f"gen_unicode_nfd.py: {message}")


def parse_unicode_data(path):
    """Returns ({cp: canonical mapping}, {cp: non-zero ccc}); skips compatibility (<tag>) ones."""
    decomposition, combining = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split(";")
            if len(fields) != 15:
                continue
            cp = int(fields[0], 16)
            if fields[3] != "0":
                combining[cp] = int(fields[3])
            mapping = fields[5]
            if mapping and not mapping.startswith("<"):
                decomposition[cp] = [int(x, 16) for x in mapping.split()]
    return decomposition, combining


def canonical_order(cps, combining):
    """Stable sort by combining class inside each run of non-starters (UAX #15 canonical order)."""
    out, i = list(cps), 0
    while i < len(out):
        if combining.get(out[i], 0) == 0:
            i += 1
            continue
        j = i
        while j < len(out) and combining.get(out[j], 0) != 0:
            j += 1
        out[i:j] = sorted(out[i:j], key=lambda c: combining[c])  # sorted() is stable
        i = j
    return out


def expand(decomposition, combining):
    """Full (recursive) canonical decomposition of every mapped codepoint, canonically ordered."""
    def full(cp):
        if cp not in decomposition:
            return [cp]
        return [c for part in decomposition[cp] for c in full(part)]
    return {cp: canonical_order(full(cp), combining) for cp in decomposition}


def pack(expanded, combining):
    """Builds the arrays written to the .inc; see the layout comment at the top."""
    tails = [()]  # index 0 = no tail, so singletons need no pool entry
    tail_index = {(): 0}
    keys, firsts = [], []
    for cp in sorted(expanded):
        first, tail = expanded[cp][0], tuple(expanded[cp][1:])
        if tail not in tail_index:
            tail_index[tail] = len(tails)
            tails.append(tail)
        plane = first >> 16
        require(plane <= MAX_FIRST_PLANE,
                f"U+{cp:04X}: first codepoint beyond plane {MAX_FIRST_PLANE}")
        require(cp < (1 << (32 - DECOMP_KEY_SHIFT)), f"U+{cp:04X} does not fit the key")
        keys.append((cp << DECOMP_KEY_SHIFT) | (plane << DECOMP_PLANE_SHIFT) | tail_index[tail])
        firsts.append(first & 0xFFFF)
    require(len(tails) <= MAX_TAILS,
            f"{len(tails)} distinct tails, the key has room for {MAX_TAILS}")

    tail_starts, tail_pool = [], []
    for tail in tails:
        tail_starts.append(len(tail_pool))
        tail_pool.extend(tail)
    tail_starts.append(len(tail_pool))
    require(tail_starts[-1] <= 0xFFFF, "tail pool does not fit uint16 offsets")

    ranges = []  # [first, count, ccc]
    for cp in sorted(combining):
        last = ranges[-1] if ranges else None
        if last and last[0] + last[1] == cp and last[2] == combining[cp] and last[1] < MAX_CCC_RUN:
            last[1] += 1
        else:
            require(cp < MAX_CCC_CODEPOINT, f"U+{cp:04X} has a combining class but does not fit")
            ranges.append([cp, 1, combining[cp]])
    packed_ranges = [(first << CCC_FIRST_SHIFT) | ((count - 1) << CCC_COUNT_SHIFT) | ccc
                     for first, count, ccc in ranges]
    return keys, firsts, tail_starts, tail_pool, packed_ranges


class PackedTables:
    """Reads the packed arrays back exactly like unicode_nfd.cpp does, for --check."""

    def __init__(self, keys, firsts, tail_starts, tail_pool, ranges):
        self.decomposition = {}
        for key, low in zip(keys, firsts):
            cp = key >> DECOMP_KEY_SHIFT
            first = (((key >> DECOMP_PLANE_SHIFT) & 3) << 16) | low
            tail = key & 0xFF
            self.decomposition[cp] = [first] + tail_pool[tail_starts[tail]:tail_starts[tail + 1]]
        self.combining = {}
        for r in ranges:
            first, count = r >> CCC_FIRST_SHIFT, ((r >> CCC_COUNT_SHIFT) & 0x7F) + 1
            for cp in range(first, first + count):
                self.combining[cp] = r & 0xFF

    def nfd(self, cps):
        out = []
        for cp in cps:
            s = cp - HANGUL_S_BASE
            if 0 <= s < HANGUL_S_COUNT:
                out += [HANGUL_L_BASE + s // (HANGUL_V_COUNT * HANGUL_T_COUNT),
                        HANGUL_V_BASE + (s % (HANGUL_V_COUNT * HANGUL_T_COUNT)) // HANGUL_T_COUNT]
                if s % HANGUL_T_COUNT:
                    out.append(HANGUL_T_BASE + s % HANGUL_T_COUNT)
            else:
                out += self.decomposition.get(cp, [cp])
        return canonical_order(out, self.combining)


def unicode_version_near(path):
    """Version of the UCD that UnicodeData.txt came from; UnicodeData.txt itself does not say."""
    derived_age = os.path.join(os.path.dirname(path), "DerivedAge.txt")
    try:
        with open(derived_age, encoding="utf-8") as f:
            match = re.search(r"DerivedAge-(\d+\.\d+\.\d+)\.txt", f.readline())
            return match.group(1) if match else "unknown"
    except OSError:
        return "unknown"


def c_array(ctype, name, values, per_line):
    width = 8 if ctype == "uint32_t" else 4
    lines = []
    for i in range(0, len(values), per_line):
        lines.append("    " + ", ".join(f"0x{v:0{width}X}" for v in values[i:i + per_line]) + ",")
    return f"constexpr {ctype} {name}[{len(values)}] = {{\n" + "\n".join(lines) + "\n};\n"


def write_inc(out_path, version, source, tables, expanded, combining):
    keys, firsts, tail_starts, tail_pool, ranges = tables
    first_decomposable = min(min(expanded), HANGUL_S_BASE)
    first_non_starter = min(combining)
    name = os.path.basename(source)
    text = f"""// Generated by scripts/gen_unicode_nfd.py from {name} (Unicode {version}).
// Do not edit and do not commit: the build regenerates it. Layouts are described in the script.
// Included inside a namespace by src/text/unicode_nfd.cpp, which includes <cstdint> first.

// Below these codepoints nothing decomposes / everything is a starter (the ASCII fast path).
constexpr char32_t kFirstDecomposable = 0x{first_decomposable:04X};
constexpr char32_t kFirstNonStarter = 0x{first_non_starter:04X};

constexpr unsigned kDecompositionKeyShift = {DECOMP_KEY_SHIFT};
constexpr unsigned kDecompositionPlaneShift = {DECOMP_PLANE_SHIFT};
constexpr unsigned kCombiningFirstShift = {CCC_FIRST_SHIFT};
constexpr unsigned kCombiningCountShift = {CCC_COUNT_SHIFT};
constexpr char32_t kCombiningEnd = 0x{MAX_CCC_CODEPOINT:X};

// {len(keys)} canonical decompositions, fully expanded; sorted by codepoint.
// (codepoint << {DECOMP_KEY_SHIFT}) | (plane of first codepoint << {DECOMP_PLANE_SHIFT}) | tail
{c_array("uint32_t", "kDecompositionKeys", keys, 8)}
// Low 16 bits of the first codepoint of each decomposition, parallel to kDecompositionKeys.
{c_array("uint16_t", "kDecompositionFirst", firsts, 12)}
// Tail i (the codepoints after the first) is kDecompositionTails[kDecompositionTailStart[i] ..
// kDecompositionTailStart[i + 1]); tail 0 is empty. {len(tail_starts) - 1} distinct tails.
{c_array("uint16_t", "kDecompositionTailStart", tail_starts, 12)}
{c_array("uint32_t", "kDecompositionTails", tail_pool, 8)}
// {len(ranges)} runs of codepoints with the same non-zero canonical combining class; sorted.
// (first codepoint << {CCC_FIRST_SHIFT}) | ((count - 1) << {CCC_COUNT_SHIFT}) | combining class
{c_array("uint32_t", "kCombiningClassRanges", ranges, 8)}"""
    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    # Write to a temp file and rename, so an interrupted build never leaves a half-written table.
    tmp = out_path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, out_path)


def print_sizes(tables, expanded, combining):
    keys, firsts, tail_starts, tail_pool, ranges = tables
    total = (4 * len(keys) + 2 * len(firsts) + 2 * len(tail_starts) + 4 * len(tail_pool)
             + 4 * len(ranges))
    expanded_size = sum(len(v) for v in expanded.values())
    print(f"decompositions: {len(keys)} (expanded to {expanded_size} codepoints)")
    print(f"  keys {4 * len(keys)} B + first {2 * len(firsts)} B + {len(tail_starts) - 1} tails "
          f"({len(tail_pool)} codepoints) {2 * len(tail_starts) + 4 * len(tail_pool)} B")
    print(f"combining classes: {len(combining)} codepoints in {len(ranges)} ranges, "
          f"{4 * len(ranges)} B")
    print(f"total table data: {total} B")


def explain(cp, ours, python):
    """One line saying why Python's answer differs, judged from Python's own database."""
    if unicodedata.category(chr(cp)) == "Cn":
        return "unassigned in Python's unicodedata (newer character in the data file)"
    missing = [c for c in ours if unicodedata.category(chr(c)) == "Cn"]
    if missing:
        unknown = " ".join(f"U+{c:04X}" for c in missing)
        return "decomposes to characters Python does not know: " + unknown
    if sorted(ours) == sorted(python):
        return "same codepoints, different order: combining classes differ between versions"
    return "mapping differs between Unicode versions"


def normalization_test_lines(data_path):
    directory = os.path.dirname(data_path)
    plain = os.path.join(directory, "NormalizationTest.txt")
    packed = plain + ".bz2"
    if os.path.exists(plain):
        return open(plain, encoding="utf-8")
    if os.path.exists(packed):
        return bz2.open(packed, "rt", encoding="utf-8")
    return None


def check(tables, data_path, version):
    packed = PackedTables(*tables)
    print(f"data file: Unicode {version}; Python {sys.version.split()[0]} unicodedata: "
          f"Unicode {unicodedata.unidata_version}")

    mismatches = []
    for cp in range(0x110000):
        ours = packed.nfd([cp])
        python = [ord(c) for c in unicodedata.normalize("NFD", chr(cp))]
        if ours != python:
            mismatches.append((cp, ours, python))
    print(f"NFD of every codepoint vs unicodedata.normalize: {len(mismatches)} mismatches")
    for cp, ours, python in mismatches:
        fmt = lambda cps: " ".join(f"{c:04X}" for c in cps)
        why = explain(cp, ours, python)
        print(f"  U+{cp:04X}: ours [{fmt(ours)}] python [{fmt(python)}]: {why}")

    ccc_diff = [cp for cp in range(0x110000)
                if packed.combining.get(cp, 0) != unicodedata.combining(chr(cp))]
    unknown = sum(1 for cp in ccc_diff if unicodedata.category(chr(cp)) == "Cn")
    print(f"combining class vs unicodedata.combining: {len(ccc_diff)} differ "
          f"({unknown} unassigned in Python's unicodedata)")
    for cp in ccc_diff:
        known = unicodedata.category(chr(cp)) != "Cn"
        why = "UNEXPLAINED" if known else "unassigned in Python's unicodedata"
        print(f"  U+{cp:04X}: ours {packed.combining.get(cp, 0)} "
              f"python {unicodedata.combining(chr(cp))}: {why}")
    if ccc_diff:
        print("  (a class only matters for ordering: a sequence holding one of these marks next to "
              "another mark can be ordered differently by Python's older database)")

    # NormalizationTest.txt is the conformance file of the same UCD release as the data file, so
    # here every difference is a real bug (unlike the version skew against Python above).
    lines = normalization_test_lines(data_path)
    failures = 0
    if lines is None:
        print("NormalizationTest.txt not found next to the data file; conformance test skipped")
    else:
        cases = 0
        with lines:
            for line in lines:
                line = line.split("#")[0].strip()
                if not line or line.startswith("@"):
                    continue
                cols = [[int(x, 16) for x in col.split()] for col in line.split(";")[:5]]
                cases += 1
                # NFD(c1) == NFD(c2) == NFD(c3) == c3 and NFD(c4) == NFD(c5) == c5.
                for source, expected in ((0, 2), (1, 2), (2, 2), (3, 4), (4, 4)):
                    if packed.nfd(cols[source]) != cols[expected]:
                        failures += 1
                        if failures <= 10:
                            print(f"  FAIL line: {line}")
        print(f"NormalizationTest NFD: {cases} cases, {failures} failures")

    unexplained = [m for m in mismatches
                   if explain(*m) == "mapping differs between Unicode versions"]
    unexplained += [cp for cp in ccc_diff if unicodedata.category(chr(cp)) != "Cn"]
    return 1 if failures or unexplained else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", help="path of the .inc to write")
    parser.add_argument("--unicode-data", default=DEFAULT_UNICODE_DATA)
    parser.add_argument("--check", action="store_true", help="compare against Python's unicodedata")
    args = parser.parse_args()
    if not args.out and not args.check:
        parser.error("give an output path, --check, or both")
    if not os.path.exists(args.unicode_data):
        sys.exit(f"{args.unicode_data} not found: apt-get install -y unicode-data")

    decomposition, combining = parse_unicode_data(args.unicode_data)
    expanded = expand(decomposition, combining)
    tables = pack(expanded, combining)
    version = unicode_version_near(args.unicode_data)
    if args.out:
        write_inc(args.out, version, args.unicode_data, tables, expanded, combining)
        print_sizes(tables, expanded, combining)
    if args.check:
        return check(tables, args.unicode_data, version)
    return 0


if __name__ == "__main__":
    sys.exit(main())
