#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets: tests/fuzz/corpus/TARGET/seed-*.

    python3 tests/fuzz/make_corpus.py

Small inputs: the heads of datasets/ and the edge cases each reader documents. The control bytes at
the start of an input are described at the top of each target's source (tests/fuzz/TARGET.cpp).
The model_loader seeds (models written by logreg train and cv on heads of datasets/) are files of
their own in corpus/model_loader/ and are not written here; crash reproducers found by fuzzing are
kept in corpus/TARGET/ as crash-* (the ctests fuzz.replay.TARGET replay every file).
"""
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fuzz" / "corpus"


def head(name, rows):
    lines = (ROOT / "datasets" / name).read_bytes().split(b"\n")
    return b"\n".join(lines[: rows + 1]) + b"\n"


def write(target, seeds):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    for old in d.glob("seed-*"):
        old.unlink()
    for name, data in seeds.items():
        (d / f"seed-{name}").write_bytes(data)


def csv_reader():
    # control byte 0: bits 0-1 delimiter (, ; tab, or byte 1), bit 2 header, bit 3 BOM, bit 4 pad.
    H, BOM, PAD = 4, 8, 16
    s = {
        "iris-header": bytes([H, 0]) + head("iris.csv", 6),
        "admissions-records": bytes([0, 0]) + head("admissions.csv", 6),
        "semicolon": bytes([1 | H, 0]) + b"a;b\n1;2\n3;4\n",
        "tab-bom": bytes([2 | H | BOM, 0]) + b"a\tb\n1\t2\n",
        "pipe": bytes([3 | H, ord("|")]) + b"a|b\n1|2\n",
        "bad-delimiter-quote": bytes([3, ord('"')]) + b"a,b\n",
        "quoted": bytes([H, 0]) + b'x,"y ""q"""\n"1,5","a\nb"\n"",2\n',
        "crlf": bytes([H, 0]) + b"a,b\r\n1,2\r\n\r\n3,4\r\n",
        "cr-only": bytes([H, 0]) + b"a,b\r1,2\r3,4",
        "no-final-newline": bytes([H, 0]) + b"a,b\n1,2",
        "blank-lines": bytes([0, 0]) + b"\n\n1,2\n\n\n3\n",
        "unclosed-quote": bytes([H, 0]) + b'a,b\n1,"2\n3,4\n',
        "after-closing-quote": bytes([H, 0]) + b'a,b\n1,"2"x\n',
        "field-count": bytes([H, 0]) + b"a,b,c\n1,2\n",
        "duplicate-name": bytes([H, 0]) + b"a,b,a\n1,2,3\n",
        "empty-name": bytes([H, 0]) + b"a,,c\n1,2,3\n",
        "empty": bytes([H, 0]),
        "nul-and-latin1": bytes([H, 0]) + b"a\x00,b\xe9\n1,2\n",
        "padded-straddle": bytes([PAD, 7]) + b'1,"long\nquoted",3\r\n4,5,6\n',
        "padded-crlf-split": bytes([PAD, 3]) + b"ab\r\ncd\r\n",
    }
    write("csv_reader", s)


def csv_fast_path():
    # control byte 0: bits 0-1 threads-1, bits 2-3 missing (error drop impute impute+NA,-999),
    # bit 4 --weight w, bit 5 --categorical c, bits 6-7 parser (scalar sse best best).
    # control byte 1: bits 0-1 delimiter (, ; tab |), bit 2 --drop-first, bit 3 --ignore id,
    # bit 4 --target y.
    DROP, IMPUTE, NA = 4, 8, 12
    W, CAT, SSE, BEST = 16, 32, 64, 128
    FIRST, IGNORE, Y = 4, 8, 16
    s = {
        "iris": bytes([1 | BEST, 0]) + head("iris.csv", 12),
        "iris-scalar": bytes([1, 0]) + head("iris.csv", 12),
        "admissions": bytes([3 | SSE, Y]) + head("admissions.csv", 20).replace(b"admit", b"y", 1),
        "anes": bytes([1 | BEST, 0]) + head("anes96.csv", 10),
        "breast-cancer": bytes([2 | BEST, 0]) + head("breast_cancer.csv", 3),
        "exponents": bytes([1 | BEST, 0]) + b"a,b,y\n1e5,-2.5E-3,0\n1.7976931348623157e308,4.9e-324,1\n"
        b"0.000012345678901234567,-0,0\n12345678901234567890,1e400,1\n",
        "long-mantissas": bytes([1 | BEST, 0]) + b"a,y\n0.10000000000000001,0\n-3.1415926535897932,1\n"
        b"1234567890123456.7,0\n.5,1\n5.,0\n",
        "weights": bytes([1 | W | BEST, 0]) + b"x,w,y\n1,0.5,0\n2,1,1\n3,-1,0\n",
        "categorical": bytes([1 | CAT | BEST, FIRST]) + b"x,c,y\n1,a,0\n2,b,1\n3,a,1\n4,7,0\n",
        "missing-drop": bytes([1 | DROP | BEST, 0]) + b"x,z,y\n1,,0\nNA,2,1\n3,4,\n5,6,1\n",
        "missing-impute": bytes([1 | IMPUTE | BEST, 0]) + b"x,z,y\n1,,0\n?,2,1\n3,null,1\n",
        "na-999": bytes([1 | NA | BEST, 0]) + b"x,y\n-999,0\n1,1\nNA,0\n",
        "ignore-id-tab": bytes([1 | BEST, 2 | IGNORE]) + b"id\tx\ty\n1\t2.5\ta\n2\t3.5\tb\n",
        "semicolon": bytes([0, 1]) + b"x;y\n1;0\n2;1\n",
        "pipe-quotes": bytes([1 | BEST, 3]) + b'x|y\n"1"|0\n2|"1"\n',
        "crlf": bytes([1 | BEST, 0]) + b"x,y\r\n1,0\r\n2,1\r\n",
        "cr-only": bytes([1 | BEST, 0]) + b"x,y\r1,0\r2,1\r",
        "mixed-line-ends": bytes([1 | BEST, 0]) + b"x,y\n1,0\r\n2,1\n",
        "no-final-newline": bytes([1 | BEST, 0]) + b"x,y\n1,0\n2,1",
        "blank-line": bytes([1 | BEST, 0]) + b"x,y\n1,0\n\n2,1\n",
        "field-count": bytes([1 | BEST, 0]) + b"x,y\n1,0\n2,1,3\n",
        "text-late": bytes([1 | BEST, 0]) + b"x,y\n1,0\n2,1\nabc,0\n",
        "blanks-plus": bytes([1 | BEST, 0]) + b"x,y\n +1 ,0\n\t2,1\n",
        "inf-nan": bytes([1 | BEST, 0]) + b"x,y\n1,0\ninf,1\n",
        "header-only": bytes([1 | BEST, 0]) + b"x,y\n",
        "target-missing": bytes([1 | BEST, Y]) + b"x,z\n1,0\n",
        "r-write-csv": bytes([1 | BEST, 0]) + b'"x","c","y"\n1.5,"red","yes"\n-2,"dark ""blue""","no"\n'
        b'3,NA,"yes"\n4,"green","no"\n',
        "pandas-quote-all": bytes([1 | SSE, IGNORE]) + b'"id","x","y"\r\n"1","0.5","a"\r\n"2","1e-3","b"\r\n'
        b'"3","-7","a"\r\n',
        "quoted-delimiter": bytes([1 | DROP | BEST, 0]) + b'x,c,y\n1,"a,b",0\n2,"",1\n3,"""",0\n',
        "quoted-line-end": bytes([1 | CAT | BEST, 0]) + b'x,c,y\n1,"a\nb",0\n2,"c",1\n',
        "quote-stray": bytes([1, 0]) + b'x,c,y\n1,a"b,0\n2,"c"d,1\n',
        "blank-lines-crlf": bytes([2 | CAT | SSE, 0]) + b"x,c,y\r\n\r\n1,a,0\r\n\r\n\r\n2,b,1\r\n3,a,1\r\n\r\n",
        "blank-lines-drop": bytes([1 | DROP | BEST, 0]) + b"x,z,y\n1,,0\n\n2,3,1\n\n\n,4,0\n5,6,1\n",
        "many-labels": bytes([1 | BEST, 0]) + b"x,y\n" + b"".join(b"%d,l%d\n" % (i, i % 37) for i in range(80)),
    }
    write("csv_fast_path", s)


def libsvm_reader():
    # control byte: bits 0-1 threads-1, bits 2-7 block size 64 * (1 + value).
    sparse = (ROOT / "tests" / "fixtures" / "sparse_synthetic.svm").read_bytes().split(b"\n")
    s = {
        "sparse-synthetic": bytes([1]) + b"\n".join(sparse[:8]) + b"\n",
        "sparse-synthetic-small-blocks": bytes([3]) + b"\n".join(sparse[:8]) + b"\n",
        "basic": bytes([0]) + b"+1 1:0.5 3:-2\n-1 2:1e-3\n0\n",
        "comments-qid": bytes([1]) + b"# comment\n1 qid:3 1:1 # tail\n2 qid:3 2:2\n\n",
        "crlf-tabs": bytes([1]) + b"1\t1:1\r\n0 2:2\r\n",
        "zeros-leading": bytes([1]) + b"a 0001:0 2:-0 3:+1.5\n",
        "index-order": bytes([0]) + b"1 2:1 2:1\n",
        "index-zero": bytes([0]) + b"1 0:1\n",
        "index-max": bytes([0]) + b"1 2147483647:1\n1 2147483648:1\n",
        "bad-value": bytes([0]) + b"1 1:abc\n",
        "empty-value": bytes([0]) + b"1 1:\n",
        "non-finite": bytes([0]) + b"1 1:inf\n",
        "label-colon": bytes([0]) + b"1:2 3:4\n",
        "no-colon": bytes([0]) + b"1 3\n",
        "qid-late": bytes([0]) + b"1 1:1 qid:2\n",
        "na-label": bytes([0]) + b"NA 1:1\n",
        "empty": bytes([0]),
        "long-line": bytes([0]) + b"1" + b"".join(b" %d:%d.25" % (i, i) for i in range(1, 60)) + b"\n",
    }
    write("libsvm_reader", s)


def number_parser():
    cells = [
        "0", "-0", "1", "-1.5", "3.14159", ".5", "5.", "-.5", "1e5", "1E-5", "1e+5", "2.5e-3",
        "-4.43995e-06", "0.1", "0.30000000000000004", "1.7976931348623157e308", "1.7976931348623159e308",
        "4.9e-324", "2.4703282292062327e-324", "1e-400", "1e400", "123456789012345678", "1234567890123456789",
        "12345678901234567890", "9007199254740993", "0.000000000000000000000000001",
        "00000000000000000000001.5", "1.00000000000000000000000000001", " 1 ", "\t-2\t", "+1", "+-1", "++1",
        "+", "-", "", "  ", "inf", "-Infinity", "NaN", "nan(123)", "+inf", "NA", "n/a", "null", "None", "?",
        ".", "0x1p3", "1e", "1e+", "1.5x", "1,5", "1_000", "\n1", "1\r", "e5", ".e5", "1..2", "--1",
        "1e0000", "1e9999", "-0.0e5", "7" * 40, "0." + "0" * 30 + "1",
    ]
    write("number_parser", {f"{i:02d}": c.encode() for i, c in enumerate(cells)})


if __name__ == "__main__":
    os.chdir(ROOT)
    csv_reader()
    csv_fast_path()
    libsvm_reader()
    number_parser()
