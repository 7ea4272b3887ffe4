#!/usr/bin/env python3
"""Writes the hostile inputs of tests/hostile.rs that need an archive or Parquet writer.

Usage: make_hostile.py CASE OUT [ARG]

Each case writes one file at OUT, quickly and with little memory: archive parts are deflated
piece by piece, and only the (small) compressed bytes are held. The zip archives are written by
hand (struct), because a zip bomb needs what no archive library writes: declared sizes that lie,
entry names that climb out of the folder. Only the standard library is used, and pyarrow for
Parquet.

Cases:
  xlsx-part-bomb      a sheet that inflates to 300 MiB, about 40 times its stored size
  xlsx-ratio-bomb     a sheet that inflates to 24 MiB, several hundred times its stored size
  xlsx-size-lie       a sheet that inflates to 300 MiB while its headers declare 4 KiB
  ods-part-bomb       content.xml that inflates to 300 MiB, about 40 times its stored size
  ods-ratio-bomb      content.xml that inflates to 24 MiB, several hundred times its size
  ods-entities        a "billion laughs" DTD in content.xml, used by a cell
  ods-repeat-bomb     one row of two cells repeated 200,000,000 times (number-rows-repeated)
  xlsx-entities-sheet a "billion laughs" DTD in the sheet, used by an inline string cell
  xlsx-entities-shared the same DTD in sharedStrings.xml, used by a shared string cell
  xlsx-shared-count-lie sharedStrings.xml declaring ARG strings (uniqueCount) and holding one
  xlsx-traversal      an ordinary workbook with entries named ../../evil.xml, /etc/x and ARG
                      (an absolute path), each holding XML
  xlsx-far-cell       two cells, A1 and XFD1048576: a sheet 16,384 x 1,048,576 cells wide
  parquet-many-rows   ARG rows (dictionary-encoded, one string column) in a few kilobytes
  parquet-wide        one row of ARG string columns
  parquet-big-cell    a 64 MiB text cell
  parquet-dict-bomb   kode, nilai; the dictionary page of kode claims to inflate to 2 GiB
"""

import random
import struct
import sys
import zlib

MIB = 1 << 20

# --- zip, by hand -------------------------------------------------------------------------------


class Part:
    """One archive entry: its name, its compressed bytes and what its headers declare."""

    def __init__(self, name, pieces, level=6, repeat=1, declared_size=None):
        self.name = name.encode("utf-8")
        crc = 0
        size = 0
        if level is None:
            self.method = 0
            data = b"".join(pieces) * repeat
            crc = zlib.crc32(data)
            size = len(data)
            self.data = data
        else:
            self.method = 8
            deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
            out = []
            for _ in range(repeat):
                for piece in pieces:
                    crc = zlib.crc32(piece, crc)
                    size += len(piece)
                    out.append(deflate.compress(piece))
            out.append(deflate.flush())
            self.data = b"".join(out)
        self.crc = crc
        self.size = size if declared_size is None else declared_size
        self.inflated = size


def write_zip(path, parts):
    """Writes the parts as a zip archive (no zip64: every part stays under 4 GiB)."""
    central = []
    with open(path, "wb") as f:
        for p in parts:
            offset = f.tell()
            f.write(
                struct.pack(
                    "<IHHHHHIIIHH",
                    0x04034B50,  # local file header
                    20,  # version needed
                    0,  # flags
                    p.method,
                    0,  # time
                    0x21,  # date: 1980-01-01
                    p.crc,
                    len(p.data),
                    p.size,
                    len(p.name),
                    0,  # extra field
                )
            )
            f.write(p.name)
            f.write(p.data)
            central.append(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,  # central directory header
                    20,  # made by
                    20,  # needed
                    0,
                    p.method,
                    0,
                    0x21,
                    p.crc,
                    len(p.data),
                    p.size,
                    len(p.name),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + p.name
            )
        start = f.tell()
        for c in central:
            f.write(c)
        end = f.tell()
        f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), end - start, start, 0))


# --- XLSX ---------------------------------------------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def xlsx_parts(sheet_pieces, repeat=1, level=6, declared_size=None, shared=None):
    """The parts of a one-sheet workbook: the sheet from pieces, optionally sharedStrings."""
    overrides = (
        f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/>'
    )
    relations = f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared is not None:
        overrides += f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>'
        relations += f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
    parts = [
        Part(
            "[Content_Types].xml",
            [
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'.encode()
            ],
        ),
        Part(
            "_rels/.rels",
            [
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
                f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>".encode()
            ],
        ),
        Part(
            "xl/workbook.xml",
            [
                f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}">'
                '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'.encode()
            ],
        ),
        Part(
            "xl/_rels/workbook.xml.rels",
            [f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">{relations}</Relationships>'.encode()],
        ),
        Part("xl/worksheets/sheet1.xml", sheet_pieces, level=level, repeat=repeat, declared_size=declared_size),
    ]
    if shared is not None:
        parts.append(Part("xl/sharedStrings.xml", [shared.encode()]))
    return parts


def inline(ref, text):
    """An inline string cell."""
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"
HEADER_ROW = '<row r="1">' + inline("A1", "kode") + inline("B1", "nilai") + "</row>"


def varied_rows(count, seed=7):
    """Rows that deflate about 40 times at level 1: one random number among 20 constant cells."""
    rnd = random.Random(seed)
    constant = "<c><v>1</v></c>" * 20
    return "".join(f"<row><c><v>{rnd.randrange(10**6)}</v></c>{constant}</row>" for _ in range(count)).encode()


def same_rows(count):
    """Rows that deflate several hundred times: the same row over and over."""
    return b'<row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row>' * count


def sheet_pieces(block, total):
    """The sheet XML as pieces: head, `block` repeated up to about `total` bytes, tail."""
    return [SHEET_HEAD.encode() + HEADER_ROW.encode()] + [block] * (total // len(block) + 1) + [SHEET_TAIL.encode()]


def xlsx_part_bomb(out):
    write_zip(out, xlsx_parts(sheet_pieces(varied_rows(60_000), 300 * MIB), level=1))


def xlsx_ratio_bomb(out):
    write_zip(out, xlsx_parts(sheet_pieces(same_rows(100_000), 24 * MIB), level=9))


def xlsx_size_lie(out):
    write_zip(out, xlsx_parts(sheet_pieces(same_rows(100_000), 300 * MIB), level=1, declared_size=4096))


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)


def xlsx_entities_sheet(out):
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?>{LAUGHS}<worksheet xmlns="{MAIN}"><sheetData>'
        f'{HEADER_ROW}<row r="2">{inline("A2", "&lol9;")}<c r="B2"><v>1</v></c></row>'
        f"{SHEET_TAIL}"
    )
    write_zip(out, xlsx_parts([sheet.encode()]))


def xlsx_entities_shared(out):
    shared = (
        f'<?xml version="1.0" encoding="UTF-8"?>{LAUGHS}<sst xmlns="{MAIN}" count="1" uniqueCount="1">'
        "<si><t>&lol9;</t></si></sst>"
    )
    sheet = (
        f"{SHEET_HEAD}{HEADER_ROW}"
        '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>1</v></c></row>'
        f"{SHEET_TAIL}"
    )
    write_zip(out, xlsx_parts([sheet.encode()], shared=shared))


def xlsx_shared_count_lie(out, count):
    """sharedStrings.xml declares `count` unique strings and holds one."""
    shared = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="1" uniqueCount="{int(count)}">'
        "<si><t>a</t></si></sst>"
    )
    sheet = f'{SHEET_HEAD}{HEADER_ROW}<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>1</v></c></row>{SHEET_TAIL}'
    write_zip(out, xlsx_parts([sheet.encode()], shared=shared))


def xlsx_traversal(out, absolute):
    sheet = f'{SHEET_HEAD}{HEADER_ROW}<row r="2">{inline("A2", "a")}<c r="B2"><v>1</v></c></row>{SHEET_TAIL}'
    evil = b'<?xml version="1.0"?><evil>satudata must never write this file</evil>'
    parts = xlsx_parts([sheet.encode()])
    for name in ("../../evil.xml", "/etc/x", absolute, "xl/../../../evil-2.xml", "..\\..\\evil-3.xml"):
        parts.append(Part(name, [evil]))
    write_zip(out, parts)


def xlsx_far_cell(out):
    sheet = (
        f'{SHEET_HEAD}<row r="1">{inline("A1", "kode")}{inline("B1", "nilai")}</row>'
        f'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>{SHEET_TAIL}'
    )
    write_zip(out, xlsx_parts([sheet.encode()]))


# --- ODS ----------------------------------------------------------------------------------------

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods_cell(text):
    return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'


def ods_parts(content_pieces, level):
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE.decode()}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return [
        Part("mimetype", [ODS_MIMETYPE], level=None),
        Part("META-INF/manifest.xml", [manifest.encode()]),
        Part("content.xml", content_pieces, level=level),
    ]


def ods_head(dtd=""):
    """content.xml up to the header row, with an optional DTD before the root element."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{dtd}<office:document-content {ODS_NS} office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Data">'
        f"<table:table-row>{ods_cell('kode')}{ods_cell('nilai')}</table:table-row>"
    ).encode()


ODS_TAIL = b"</table:table></office:spreadsheet></office:body></office:document-content>"


def ods_pieces(row, total):
    """content.xml as pieces: head, `row` repeated up to about `total` bytes, tail."""
    return [ods_head()] + [row] * (total // len(row) + 1) + [ODS_TAIL]


def ods_varied_rows(count, seed=11):
    """ODS rows that deflate about 40 times at level 1."""
    rnd = random.Random(seed)
    constant = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>' * 3
    return "".join(
        f"<table:table-row>{ods_cell(rnd.randrange(10**6))}{constant}</table:table-row>" for _ in range(count)
    ).encode()


def ods_part_bomb(out):
    write_zip(out, ods_parts(ods_pieces(ods_varied_rows(20_000), 300 * MIB), level=1))


def ods_ratio_bomb(out):
    row = f"<table:table-row>{ods_cell('a')}{ods_cell('1')}</table:table-row>".encode() * 20_000
    write_zip(out, ods_parts(ods_pieces(row, 24 * MIB), level=9))


def ods_entities(out):
    row = f"<table:table-row>{ods_cell('&lol9;')}{ods_cell('1')}</table:table-row>".encode()
    write_zip(out, ods_parts([ods_head(LAUGHS), row, ODS_TAIL], level=6))


def ods_repeat_bomb(out):
    """Two cells repeated over 200,000,000 rows: a 2 KB file that means 400,000,000 cells."""
    row = (
        '<table:table-row table:number-rows-repeated="200000000">'
        f"{ods_cell('a')}{ods_cell('1')}</table:table-row>"
    ).encode()
    write_zip(out, ods_parts([ods_head(), row, ODS_TAIL], level=6))


# --- XLS ----------------------------------------------------------------------------------------


def xls_far_cells(out):
    """Eight sheets, each with the header kode, nilai and one cell at IV65536: a 10 KB file whose
    sheets calamine would lay out as eight grids of 16.7 million cells (xlwt, PyPI)."""
    import xlwt

    book = xlwt.Workbook()
    for i in range(8):
        sheet = book.add_sheet(f"S{i}")
        sheet.write(0, 0, "kode")
        sheet.write(0, 1, "nilai")
        sheet.write(65535, 255, "x")
    book.save(out)


# --- Parquet ------------------------------------------------------------------------------------


def parquet_many_rows(out, rows):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = int(rows)
    # One value in every row: the dictionary indices are one run-length encoded run.
    indices = pa.repeat(pa.scalar(0, pa.int32()), rows)
    values = pa.DictionaryArray.from_arrays(indices, pa.array(["Kota Pontianak"]))
    table = pa.table({"nama": values})
    pq.write_table(table, out, use_dictionary=True, compression="zstd", row_group_size=1 << 20)


def parquet_wide(out, columns):
    """One row of ARG string columns, k1, k2 and on."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({f"k{i}": pa.array(["1"]) for i in range(1, int(columns) + 1)})
    pq.write_table(table, out)


def parquet_big_cell(out):
    """kode, nilai: a 64 MiB text cell in the first row, an ordinary second row."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"kode": pa.array(["x" * (64 * MIB), "a"]), "nilai": pa.array([1, 2], pa.int64())})
    pq.write_table(table, out)


def varint_at(data, at):
    """A ULEB128 varint at `at`: its value and the offset after it."""
    value, shift = 0, 0
    while True:
        b = data[at]
        at += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, at


def varint(value):
    out = bytearray()
    while True:
        b = value & 0x7F
        value >>= 7
        out.append(b | (0x80 if value else 0))
        if not value:
            return bytes(out)


def parquet_dict_bomb(out):
    """pyarrow's file, then the dictionary page header of kode (Thrift compact: type,
    uncompressed_page_size, compressed_page_size, the first three i32 fields) rewritten to
    claim 2^31 - 1 uncompressed bytes. The longer varint takes bytes from the end of the page's
    own data, so every offset in the footer still holds."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    kode = pa.array([f"61.71.01.{1001 + i % 50}" for i in range(5000)])
    table = pa.table({"kode": kode, "nilai": pa.array(range(5000), pa.int64())})
    pq.write_table(table, out, use_dictionary=["kode"], compression="zstd")
    offset = pq.ParquetFile(out).metadata.row_group(0).column(0).dictionary_page_offset
    data = bytearray(open(out, "rb").read())
    fields, at = [], offset
    for field in range(3):
        if data[at] != 0x15:  # field id delta 1, type i32
            sys.exit(f"unexpected page header at {at}: {data[at]:#x}")
        start = at + 1
        zigzag, at = varint_at(data, start)
        fields.append((start, at, zigzag >> 1))
    (_, _, kind), (u0, u1, _), (c0, c1, compressed) = fields
    assert kind == 2, "not a dictionary page"
    forged_size = varint((2**31 - 1) << 1)
    growth = len(forged_size) - (u1 - u0)
    forged_compressed = varint((compressed - growth) << 1)
    assert len(forged_compressed) == c1 - c0, "the compressed size's varint changed length"
    # The page's data starts after the header's stop byte: read on to it.
    page_start = header_tail(data, c1)
    page_end = page_start + compressed
    forged = (
        data[:u0]
        + forged_size
        + data[u1:c0]
        + forged_compressed
        + data[c1:page_end - growth]
        + data[page_end:]
    )
    assert len(forged) == len(data)
    open(out, "wb").write(forged)


def header_tail(data, at):
    """Skips the rest of a Thrift compact struct from `at` (after some of its fields): returns
    the offset after its stop byte."""
    while True:
        b = data[at]
        at += 1
        if b == 0:
            return at
        kind = b & 0x0F
        if b >> 4 == 0:  # long form: the field id follows as a zigzag varint
            _, at = varint_at(data, at)
        at = skip_value(data, at, kind)


def skip_value(data, at, kind):
    if kind in (1, 2):  # booleans live in the type nibble
        return at
    if kind == 3:  # byte
        return at + 1
    if kind in (4, 5, 6):  # i16, i32, i64
        return varint_at(data, at)[1]
    if kind == 7:  # double
        return at + 8
    if kind == 8:  # binary
        size, at = varint_at(data, at)
        return at + size
    if kind == 12:  # struct
        return header_tail(data, at)
    sys.exit(f"unexpected Thrift type {kind}")


CASES = {
    "xlsx-part-bomb": xlsx_part_bomb,
    "xlsx-ratio-bomb": xlsx_ratio_bomb,
    "xlsx-size-lie": xlsx_size_lie,
    "ods-part-bomb": ods_part_bomb,
    "ods-ratio-bomb": ods_ratio_bomb,
    "ods-entities": ods_entities,
    "ods-repeat-bomb": ods_repeat_bomb,
    "xlsx-entities-sheet": xlsx_entities_sheet,
    "xlsx-entities-shared": xlsx_entities_shared,
    "xlsx-shared-count-lie": xlsx_shared_count_lie,
    "xlsx-traversal": xlsx_traversal,
    "xlsx-far-cell": xlsx_far_cell,
    "xls-far-cells": xls_far_cells,
    "parquet-many-rows": parquet_many_rows,
    "parquet-wide": parquet_wide,
    "parquet-big-cell": parquet_big_cell,
    "parquet-dict-bomb": parquet_dict_bomb,
}


def main(argv):
    if len(argv) < 3 or argv[1] not in CASES:
        sys.exit(__doc__)
    CASES[argv[1]](*argv[2:])


if __name__ == "__main__":
    main(sys.argv)
