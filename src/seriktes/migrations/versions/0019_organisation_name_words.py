"""a text index of organisation names: every word of name_ru and name_kk, folded as the
name search folds its words, found by its beginning

Revision ID: 0019_organisation_name_words
Revises: 0018_memorandum_parties
Create Date: 2026-12-05 19:40:00

SQLite: `organisation_words`, a contentless FTS5 table whose rowid is the organisation's id,
kept in step by triggers on `organisations` (so core `insert()` statements are covered as
well as the ORM). PostgreSQL: the function `organisation_name_words(name_ru, name_kk)`, a
tsvector of the words, and a GIN index on it; the search asks the same function, so the
planner finds the index.

Words are what `registry.repository.folded_words` makes of a name: lower case, ё as е,
runs of the characters Python's `[^\\W_]` matches (letters and digits; «», hyphens, quotes,
dots and underscores separate words). Neither backend's tokenizer is told that by default,
so the character sets below say it; they were derived by tokenising every assigned code
point of Python 3.11's Unicode (14.0) both ways, and
`tests/registry/test_name_words.py` checks the agreement.

A later batch migration that rebuilds `organisations` on SQLite drops its triggers: it must
create them again (`tests/test_migrations.py` checks that they are there at head).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0019_organisation_name_words"
down_revision: str | None = "0018_memorandum_parties"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Code points as hexadecimal numbers and ranges. FTS5's unicode61 tokenizer classifies
# characters by Unicode 6.1: these it keeps in words and Python does not (made separators;
# emoji, marks and punctuation of later Unicode versions, bidi isolates) ...
SEPARATORS = (
    "058D-058E 0605 061C-061D 07FD-07FF 0888 0890-0891 0898-089F 08CA-08E3 08FF 09FD-09FE "
    "0A76 0AFA-0AFF 0B55 0C00 0C04 0C3C 0C77 0C81 0C84 0D00-0D01 0D3B-0D3C 0D4F 0D81 0EBA "
    "1715 180F 1885-1886 1AB0-1ACE 1B7D-1B7E 1CF7-1CF9 1DE7-1DFB 2066-2069 20BA-20C0 "
    "218A-218B 23F4-23FF 2700 2B4D-2B4F 2B5A-2B73 2B76-2B95 2B97-2BFF 2E3C-2E5D 32FF A69E "
    "A82C A8C5 A8FC A8FF A9E5 AA7C-AA7D AB5B AB6A-AB6B FBC2 FD40-FD4F FDCF FDFE-FDFF "
    "FE27-FE2F 1018C-1018E 1019C 101A0 102E0 10376-1037A 1056F 10877-10878 10AC8 "
    "10AE5-10AE6 10AF0-10AF6 10B99-10B9C 10D24-10D27 10EAB-10EAD 10F46-10F50 10F55-10F59 "
    "10F82-10F89 11070 11073-11074 1107F 110C2 110CD 11145-11146 11173-11175 111C9-111CF "
    "111DB 111DD-111DF 1122C-1123E 112A9 112DF-112EA 11300-11303 1133B-1133C 1133E-11344 "
    "11347-11348 1134B-1134D 11357 11362-11363 11366-1136C 11370-11374 11435-11446 "
    "1144B-1144F 1145A-1145B 1145D-1145E 114B0-114C3 114C6 115AF-115B5 115B8-115D7 "
    "115DC-115DD 11630-11643 11660-1166C 116B9 1171D-1172B 1173C-1173F 1182C-1183B "
    "11930-11935 11937-11938 1193B-1193E 11940 11942-11946 119D1-119D7 119DA-119E0 119E2 "
    "119E4 11A01-11A0A 11A33-11A39 11A3B-11A47 11A51-11A5B 11A8A-11A9C 11A9E-11AA2 "
    "11C2F-11C36 11C38-11C3F 11C41-11C45 11C70-11C71 11C92-11CA7 11CA9-11CB6 11D31-11D36 "
    "11D3A 11D3C-11D3D 11D3F-11D45 11D47 11D8A-11D8E 11D90-11D91 11D93-11D97 11EF3-11EF8 "
    "11FD5-11FF1 11FFF 12474 12FF1-12FF2 13430-13438 16A6E-16A6F 16AF0-16AF5 16B30-16B3F "
    "16B44-16B45 16E97-16E9A 16F4F 16F7F-16F87 16FE2 16FE4 16FF0-16FF1 1BC9C-1BCA3 "
    "1CF00-1CF2D 1CF30-1CF46 1CF50-1CFC3 1D1DE-1D1EA 1D800-1DA8B 1DA9B-1DA9F 1DAA1-1DAAF "
    "1E000-1E006 1E008-1E018 1E01B-1E021 1E023-1E024 1E026-1E02A 1E130-1E136 1E14F 1E2AE "
    "1E2EC-1E2EF 1E2FF 1E8D0-1E8D6 1E944-1E94A 1E95E-1E95F 1ECAC 1ECB0 1ED2E 1F0BF "
    "1F0E0-1F0F5 1F10D-1F10F 1F12F 1F16C-1F16F 1F19B-1F1AD 1F23B 1F260-1F265 1F321-1F32F "
    "1F336 1F37D-1F37F 1F394-1F39F 1F3C5 1F3CB-1F3DF 1F3F1-1F3FF 1F43F 1F441 1F4F8 "
    "1F4FD-1F4FF 1F53E-1F53F 1F544-1F54F 1F568-1F5FA 1F641-1F644 1F650-1F67F 1F6C6-1F6D7 "
    "1F6DD-1F6EC 1F6F0-1F6FC 1F780-1F7D8 1F7E0-1F7EB 1F7F0 1F800-1F80B 1F810-1F847 "
    "1F850-1F859 1F860-1F887 1F890-1F8AD 1F8B0-1F8B1 1F900-1FA53 1FA60-1FA6D 1FA70-1FA74 "
    "1FA78-1FA7C 1FA80-1FA86 1FA90-1FAAC 1FAB0-1FABA 1FAC0-1FAC5 1FAD0-1FAD9 1FAE0-1FAE7 "
    "1FAF0-1FAF6 1FB00-1FB92 1FB94-1FBCA "
)
# ... these Python keeps in words and unicode61 does not (made token characters) ...
TOKENCHARS = "19B0-19C0 19C8-19C9 1CF2-1CF3 "
# ... and these combining diacritics unicode61 always keeps in a word (its separators option
# ignores them), so the triggers replace them with spaces: a decomposed «й» (и + U+0306)
# ends a word for Python.
DIACRITICS = "0300-0304 0306-030C 030F 0311 031B 0323-0328 032D-032E 0330-0331 "
# PostgreSQL: every character Python's `[^\W_]` matches (unassigned code points between
# them included), spelt out rather than `[[:alnum:]]`, whose meaning depends on the locale.
WORDCHARS = (
    "0030-0039 0041-005A 0061-007A 00AA 00B2-00B3 00B5 00B9-00BA 00BC-00BE 00C0-00D6 "
    "00D8-00F6 00F8-012F 0131-02C1 02C6-02D1 02E0-02E4 02EC 02EE 0370-0374 0376-037D 037F "
    "0386 0388-03F5 03F7-0481 048A-0559 0560-0588 05D0-05F2 0620-064A 0660-0669 066E-066F "
    "0671-06D3 06D5 06E5-06E6 06EE-06FC 06FF 0710 0712-072F 074D-07A5 07B1-07EA 07F4-07F5 "
    "07FA 0800-0815 081A 0824 0828 0840-0858 0860-0887 0889-088E 08A0-08C9 0904-0939 093D "
    "0950 0958-0961 0966-096F 0971-0980 0985-09B9 09BD 09CE 09DC-09E1 09E6-09F1 09F4-09F9 "
    "09FC 0A05-0A39 0A59-0A6F 0A72-0A74 0A85-0AB9 0ABD 0AD0-0AE1 0AE6-0AEF 0AF9 0B05-0B39 "
    "0B3D 0B5C-0B61 0B66-0B6F 0B71-0B77 0B83-0BB9 0BD0 0BE6-0BF2 0C05-0C39 0C3D 0C58-0C61 "
    "0C66-0C6F 0C78-0C7E 0C80 0C85-0CB9 0CBD 0CDD-0CE1 0CE6-0CF2 0D04-0D3A 0D3D 0D4E "
    "0D54-0D56 0D58-0D61 0D66-0D78 0D7A-0D7F 0D85-0DC6 0DE6-0DEF 0E01-0E30 0E32-0E33 "
    "0E40-0E46 0E50-0E59 0E81-0EB0 0EB2-0EB3 0EBD-0EC6 0ED0-0F00 0F20-0F33 0F40-0F6C "
    "0F88-0F8C 1000-102A 103F-1049 1050-1055 105A-105D 1061 1065-1066 106E-1070 1075-1081 "
    "108E 1090-1099 10A0-10FA 10FC-135A 1369-138F 13A0-13FD 1401-166C 166F-167F 1681-169A "
    "16A0-16EA 16EE-1711 171F-1731 1740-1751 1760-1770 1780-17B3 17D7 17DC 17E0-17F9 "
    "1810-1884 1887-18A8 18AA-191E 1946-19DA 1A00-1A16 1A20-1A54 1A80-1A99 1AA7 1B05-1B33 "
    "1B45-1B59 1B83-1BA0 1BAE-1BE5 1C00-1C23 1C40-1C7D 1C80-1CBF 1CE9-1CEC 1CEE-1CF3 "
    "1CF5-1CF6 1CFA-1DBF 1E00-1FBC 1FBE 1FC2-1FCC 1FD0-1FDB 1FE0-1FEC 1FF2-1FFC 2070-2079 "
    "207F-2089 2090-209C 2102 2107 210A-2113 2115 2119-211D 2124 2126 2128 212A-212D "
    "212F-2139 213C-213F 2145-2149 214E 2150-2189 2460-249B 24EA-24FF 2776-2793 2C00-2CE4 "
    "2CEB-2CEE 2CF2-2CF3 2CFD 2D00-2D6F 2D80-2DDE 2E2F 3005-3007 3021-3029 3031-3035 "
    "3038-303C 3041-3096 309D-309F 30A1-30FA 30FC-318E 3192-3195 31A0-31BF 31F0-31FF "
    "3220-3229 3248-324F 3251-325F 3280-3289 32B1-32BF 3400-4DBF 4E00-A48C A4D0-A4FD "
    "A500-A60C A610-A66E A67F-A69D A6A0-A6EF A717-A71F A722-A788 A78B-A801 A803-A805 "
    "A807-A80A A80C-A822 A830-A835 A840-A873 A882-A8B3 A8D0-A8D9 A8F2-A8F7 A8FB A8FD-A8FE "
    "A900-A925 A930-A946 A960-A97C A984-A9B2 A9CF-A9D9 A9E0-A9E4 A9E6-AA28 AA40-AA42 "
    "AA44-AA4B AA50-AA59 AA60-AA76 AA7A AA7E-AAAF AAB1 AAB5-AAB6 AAB9-AABD AAC0 AAC2-AADD "
    "AAE0-AAEA AAF2-AAF4 AB01-AB5A AB5C-AB69 AB70-ABE2 ABF0-D7FB F900-FB1D FB1F-FB28 "
    "FB2A-FBB1 FBD3-FD3D FD50-FDC7 FDF0-FDFB FE70-FEFC FF10-FF19 FF21-FF3A FF41-FF5A "
    "FF66-FFDC 10000-100FA 10107-10133 10140-10178 1018A-1018B 10280-102D0 102E1-10375 "
    "10380-1039D 103A0-103CF 103D1-10563 10570-10855 10858-10876 10879-1091B 10920-10939 "
    "10980-10A00 10A10-10A35 10A40-10A48 10A60-10A7E 10A80-10AC7 10AC9-10AE4 10AEB-10AEF "
    "10B00-10B35 10B40-10B91 10BA9-10D23 10D30-10EA9 10EB0-10F45 10F51-10F54 10F70-10F81 "
    "10FB0-10FF6 11003-11037 11052-1106F 11071-11072 11075 11083-110AF 110D0-110F9 "
    "11103-11126 11136-1113F 11144 11147-11172 11176 11183-111B2 111C1-111C4 111D0-111DA "
    "111DC 111E1-1122B 11280-112A8 112B0-112DE 112F0-112F9 11305-11339 1133D 11350 "
    "1135D-11361 11400-11434 11447-1144A 11450-11459 1145F-114AF 114C4-114C5 114C7-115AE "
    "115D8-115DB 11600-1162F 11644-11659 11680-116AA 116B8 116C0-1171A 11730-1173B "
    "11740-1182B 118A0-1192F 1193F 11941 11950-119D0 119E1 119E3 11A00 11A0B-11A32 11A3A "
    "11A50 11A5C-11A89 11A9D 11AB0-11C2E 11C40 11C50-11C6C 11C72-11C8F 11D00-11D30 11D46 "
    "11D50-11D89 11D98-11EF2 11FB0-11FD4 12000-1246E 12480-12FF0 13000-1342E 14400-16A69 "
    "16A70-16AED 16B00-16B2F 16B40-16B43 16B50-16E96 16F00-16F4A 16F50 16F93-16FE1 16FE3 "
    "17000-1BC99 1D2E0-1D2F3 1D360-1D6C0 1D6C2-1D6DA 1D6DC-1D6FA 1D6FC-1D714 1D716-1D734 "
    "1D736-1D74E 1D750-1D76E 1D770-1D788 1D78A-1D7A8 1D7AA-1D7C2 1D7C4-1D7FF 1DF00-1DF1E "
    "1E100-1E12C 1E137-1E14E 1E290-1E2AD 1E2C0-1E2EB 1E2F0-1E2F9 1E7E0-1E8CF 1E900-1E943 "
    "1E94B-1E959 1EC71-1ECAB 1ECAD-1ECAF 1ECB1-1ED2D 1ED2F-1EEBB 1F100-1F10C 1FBF0-3134A "
)


def _chars(spec: str) -> str:
    """The characters of a list of hexadecimal code points and ranges («0300-0304 0306»)."""
    found: list[str] = []
    for part in spec.split():
        first, _, last = part.partition("-")
        found.extend(chr(c) for c in range(int(first, 16), int(last or first, 16) + 1))
    return "".join(found)


def _class(spec: str) -> str:
    """A regular expression's bracket content of the code points and ranges of `spec`."""
    return "".join(
        chr(int(part[:idx], 16)) + "-" + chr(int(part[idx + 1 :], 16))
        if (idx := part.find("-")) > 0
        else chr(int(part, 16))
        for part in spec.split()
    )


def _replaced(value: str, pairs: Sequence[tuple[str, str]]) -> str:
    for old, new in pairs:
        value = f"replace({value}, '{old}', '{new}')"
    return value


def _words_rows(row: str, source: str = "", command: str = "") -> str:
    """SQLite: a SELECT of id, name_ru, name_kk as the FTS5 table is given them — ё as е
    (unicode61 folds case but keeps ё), «İ» as Python lower-cases it (i and a mark that
    ends the word), the diacritics that end a word for Python as spaces — for the
    organisation `row` ("new.", "old.", or "" with `source`), after `command` ("'delete', "
    for FTS5's delete command). Two steps, as SQLite's parser refuses a few dozen nested
    calls."""
    marks = [(mark, " ") for mark in _chars(DIACRITICS)]
    first = [("ё", "е"), ("Ё", "е"), ("İ", "i "), *marks[: len(marks) // 2]]
    rest = marks[len(marks) // 2 :]
    inner = (
        f"SELECT {row}id AS id, {_replaced(row + 'name_ru', first)} AS ru, "
        f"{_replaced(row + 'name_kk', first)} AS kk {source}"
    )
    return f"SELECT {command}id, {_replaced('ru', rest)}, {_replaced('kk', rest)} FROM ({inner})"


SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE organisation_words USING fts5(name_ru, name_kk, content='', "
    "tokenize=\"unicode61 remove_diacritics 0 separators '%s' tokenchars '%s'\")"
)
SQLITE_ADD = "INSERT INTO organisation_words(rowid, name_ru, name_kk) "
SQLITE_REMOVE = "INSERT INTO organisation_words(organisation_words, rowid, name_ru, name_kk) "
SQLITE_TRIGGERS = {
    "organisation_words_insert": "AFTER INSERT ON organisations BEGIN {add}; END",
    "organisation_words_delete": "AFTER DELETE ON organisations BEGIN {remove}; END",
    "organisation_words_update": (
        "AFTER UPDATE OF id, name_ru, name_kk ON organisations BEGIN {remove}; {add}; END"
    ),
}
# PL/pgSQL, not SQL: an SQL function would be inlined, and the planner costs its regular
# expression as nearly free — with a table's statistics stale it evaluated it on every row
# (0.4 s at 100,000 organisations) instead of reading the index. COST says what a call costs.
POSTGRES_FUNCTION = """
CREATE FUNCTION organisation_name_words(name_ru text, name_kk text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000 AS $$
BEGIN
  RETURN array_to_tsvector(array_remove(regexp_split_to_array(
    replace(lower(replace(coalesce(name_ru, '') || ' ' || coalesce(name_kk, ''), 'İ', 'i ')),
            'ё', 'е'),
    '[^%s]+'), ''));
END
$$
"""
POSTGRES_INDEX = (
    "CREATE INDEX ix_organisations_name_words ON organisations "
    "USING gin (organisation_name_words(name_ru, name_kk))"
)


def upgrade() -> None:
    """Apply this revision: the index of names, filled from the organisations stored."""
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(POSTGRES_FUNCTION % _class(WORDCHARS))
        op.execute(POSTGRES_INDEX)
        return
    op.execute(SQLITE_TABLE % (_chars(SEPARATORS), _chars(TOKENCHARS)))
    statements = {
        "add": SQLITE_ADD + _words_rows("new."),
        "remove": SQLITE_REMOVE + _words_rows("old.", command="'delete', "),
    }
    for name, body in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body.format(**statements)}")
    op.execute(SQLITE_ADD + _words_rows("", "FROM organisations"))


def downgrade() -> None:
    """Revert this revision: the index of names is dropped (names are searched by a scan)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_organisations_name_words")
        op.execute("DROP FUNCTION organisation_name_words(text, text)")
        return
    for name in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE organisation_words")
