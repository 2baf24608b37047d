"""The text index of organisation names (migration 0019) that a name search reads, on both
backends: it finds a name by the beginning of any of its words exactly as the Python check
(`starts_all`) reads words, and it follows every write — ORM or core, insert, rename,
delete."""

from __future__ import annotations

import unicodedata

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from seriktes.catalog.orgsearch import search_words
from seriktes.registry import repository
from seriktes.registry.models import Organisation
from tests.webkit import make_org


def found(session: Session, q: str) -> set[int]:
    """Ids of the organisations a name search for `q` finds."""
    hits = repository.look_up_organisations(session, search_words(q), None, 50)
    return {org.id for org, _rank in hits}


def test_kazakh_letters_are_letters_of_their_own(db_session: Session) -> None:
    org = make_org(db_session, name="ТОО «Адилет Курылыс»")
    org.name_kk = "«Әділет Құрылыс Өнімдері» ЖШС"
    db_session.flush()
    for q in ("әділ", "ӘДІЛЕТ", "құрылыс", "өнім", "Құр Әді", "жшс", "адилет"):
        assert org.id in found(db_session, q), q
    for q in ("кұр", "онім", "әдилет"):  # қ is not к, ө is not о
        assert org.id not in found(db_session, q), q


def test_yo_is_e_in_names_and_queries(db_session: Session) -> None:
    birch = make_org(db_session, name="ТОО «Берёзовая Роща»")
    fir = make_org(db_session, name="ТОО «ЕЛОВЫЙ БОР»")
    assert birch.id in found(db_session, "березов")
    assert birch.id in found(db_session, "БЕРЁЗ")
    assert fir.id in found(db_session, "ёлов")
    assert fir.id in found(db_session, "Еловый")


def test_hyphens_quotes_dots_and_digits_separate_words(db_session: Session) -> None:
    org = make_org(db_session, name='ТОО «Агро-Строй-Инвест» "Темір"Жол №7 Ltd.kz 100лет')
    for q in ("строй", "инвест агро", "темір", "жол", "7", "ltd", "kz", "100", "100л"):
        assert org.id in found(db_session, q), q
    for q in ("агрострой", "лет", "00"):
        assert org.id not in found(db_session, q), q


def test_a_word_in_the_middle_of_a_long_name(db_session: Session) -> None:
    org = make_org(
        db_session,
        name="Товарищество с ограниченной ответственностью «Восточный Сервисный Центр»",
    )
    for q in ("сервисн", "центр восточ", "ответствен"):
        assert org.id in found(db_session, q), q
    assert org.id not in found(db_session, "ервис")


def test_a_renamed_organisation_is_found_by_its_new_name_only(db_session: Session) -> None:
    org = make_org(db_session, name="ТОО «Старое Имя»")
    assert org.id in found(db_session, "старое")
    org.name_ru = "ТОО «Новое Название»"
    org.name_kk = "«Жаңа Атау» ЖШС"
    db_session.flush()
    assert org.id not in found(db_session, "старое")
    assert org.id in found(db_session, "новое назв")
    assert org.id in found(db_session, "жаңа")
    org.name_kk = None
    db_session.flush()
    assert org.id not in found(db_session, "жаңа")
    assert org.id in found(db_session, "новое")


def test_a_deleted_organisation_is_found_no_more(db_session: Session) -> None:
    org = make_org(db_session, name="ТОО «Удаляемая Фирма»")
    kept = make_org(db_session, name="ТОО «Удаляемая Фирма Два»")
    assert found(db_session, "удаляем") == {org.id, kept.id}
    db_session.delete(org)
    db_session.flush()
    assert found(db_session, "удаляем") == {kept.id}


def test_core_statements_are_followed_too(db_session: Session) -> None:
    """Imports and the benchmark write organisations with core insert() and update()."""
    row = {"identity_key": "core-1", "name_ru": "ТОО «Ядро Вставка»", "certificates": []}
    org_id = db_session.scalar(
        insert(Organisation).values(version=1, **row).returning(Organisation.id)
    )
    assert found(db_session, "вставка ядро") == {org_id}
    db_session.execute(
        update(Organisation).where(Organisation.id == org_id).values(name_ru="ТОО «Ядро Замена»")
    )
    assert found(db_session, "вставка") == set()
    assert found(db_session, "замена") == {org_id}
    db_session.execute(delete(Organisation).where(Organisation.id == org_id))
    assert found(db_session, "замена") == set()


def test_every_word_of_an_odd_name_finds_it(db_session: Session) -> None:
    """Names with characters the backends' tokenizers read otherwise than Python: a
    decomposed «й» and «ё» (a letter and a combining mark), Turkish «İ», bidi isolates,
    superscripts, fractions, emoji, an underscore."""
    names = [
        "ТОО «Мои\u0306ка Зе\u0308леная»",
        "İnşaat İÇTAŞ Kazakhstan",
        "ТОО \u2068Алем\u2069Трейд",
        "ИП «Квадрат м² ½ Доли»",
        "ТОО «Кофе🤔Хаус» snake_case",
    ]
    orgs = [make_org(db_session, name=name) for name in names]
    for org in orgs:
        for word in repository.folded_words(org.name_ru).split():
            assert org.id in found(db_session, word), (org.name_ru, word)


def _index_words(session: Session) -> dict[int, list[str]]:
    """The words the text index holds for each organisation."""
    if session.get_bind().dialect.name == "postgresql":
        stmt = text(
            "SELECT id, tsvector_to_array(organisation_name_words(name_ru, name_kk)) "
            "FROM organisations"
        )
        return {row_id: sorted(words) for row_id, words in session.execute(stmt)}
    session.execute(
        text(
            "CREATE VIRTUAL TABLE temp.sweep_vocab "
            "USING fts5vocab(main, organisation_words, instance)"
        )
    )
    held: dict[int, list[str]] = {}
    for term, doc in session.execute(text("SELECT term, doc FROM temp.sweep_vocab")):
        held.setdefault(doc, []).append(term)
    return {row_id: sorted(set(words)) for row_id, words in held.items()}


def test_the_index_splits_words_where_python_does_for_every_character(
    db_session: Session,
) -> None:
    """Every assigned character of the Basic Multilingual Plane between two letters: the
    index holds the words `folded_words` reads. SQLite's FTS5 folds case by its own
    Unicode 6.1 tables: it folds a few letters further than `lower` (µ as μ, ſ as s: a query
    folded alike still finds them) and keeps a capital whose small letter came later
    (Cherokee, Georgian Mtavruli, Ԩ) as it is — none of them Russian or Kazakh."""
    rows = [
        {"identity_key": f"sweep-{cp}", "name_ru": f"q{chr(cp)}q", "certificates": [], "version": 1}
        for cp in range(0x20, 0x10000)
        if unicodedata.category(chr(cp)) not in {"Cn", "Co", "Cs"}
    ]
    db_session.execute(insert(Organisation), rows)
    ids = dict(db_session.execute(select(Organisation.name_ru, Organisation.id)).all())
    held = _index_words(db_session)
    folded_otherwise: list[str] = []
    for row in rows:
        name = str(row["name_ru"])
        words = sorted(set(repository.folded_words(name).split()))
        index = held.get(ids[name], [])
        if index != words:
            assert [w.casefold() for w in index] == [w.casefold() for w in words], name
            folded_otherwise.append(name[1])
    assert not [c for c in folded_otherwise if "\u0400" <= c <= "\u04ff"]
    if db_session.get_bind().dialect.name == "postgresql":
        assert folded_otherwise == []


def test_the_sieve_reads_the_index(db_session: Session) -> None:
    """The planner takes the index (PostgreSQL: with sequential scans discouraged, as a
    table of a few rows would be scanned anyway), so the expression searched is the one
    indexed."""
    dialect = db_session.get_bind().dialect
    stmt = select(Organisation.id).where(repository.names_have_words(dialect.name, ["тоо", "а"]))
    sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    connection = db_session.connection()
    if dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = " ".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}"))
        assert "ix_organisations_name_words" in plan
    else:
        plan = " ".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
        assert "organisation_words VIRTUAL TABLE" in plan
