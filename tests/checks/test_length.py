"""Checks that read the meaning: length (omission, addition), answered questions, source idioms
and CJK glossary terms, in several languages, true and false cases."""

from __future__ import annotations

from pathlib import Path

from conftest import shared_data
from relecture.checks import check_info, run_checks
from relecture.checks.length import Model
from relecture.model import ReviewDocument, Segment


def doc_of(pairs: list[tuple[str, str]], source_lang: str, target_lang: str) -> ReviewDocument:
    segments = [Segment(id=str(i + 1), source=s, target=t, paragraph=i) for i, (s, t) in enumerate(pairs)]
    return ReviewDocument(id="t", title="t", segments=segments, source_lang=source_lang, target_lang=target_lang)


def flags(doc: ReviewDocument, only: str, glossary: Path | None = None) -> list[tuple[str, str, str, str]]:
    return [(sid, f.check, f.side, f.text) for sid, fl in run_checks(doc, only=only, glossary=glossary).items() for f in fl]


# --- length ---------------------------------------------------------------------------------------

ZH_FR = [
    ("人工智能短片在今年的电影节上获得了观众的广泛关注和好评。", "Les courts métrages d'IA ont été très remarqués et appréciés du public au festival cette année."),
    ("导演表示，这部作品的制作周期只有三个月，成本也比传统动画低得多。", "Le réalisateur a indiqué que la production n'avait duré que trois mois et coûté bien moins qu'une animation classique."),
    ("许多业内人士认为，生成式视频技术将在未来几年内改变整个行业。", "De nombreux professionnels estiment que la vidéo générative transformera tout le secteur dans les prochaines années."),
    ("不过，也有评论家担心版权和创作者权益问题尚未得到妥善解决。", "Certains critiques craignent toutefois que les questions de droits d'auteur et de droits des créateurs ne soient pas réglées."),
    ("平台方面表示，将在下个月推出新的审核机制，以保护原创内容。", "La plateforme a annoncé un nouveau mécanisme de contrôle le mois prochain pour protéger les contenus originaux."),
    ("这部短片讲述了一位老人和他的机器人伙伴在乡村生活的故事。", "Le court métrage raconte l'histoire d'un vieil homme et de son compagnon robot à la campagne."),
]
OMITTED = (
    "报道称，该公司计划在明年第一季度发布新一代视频生成模型，并同时向企业客户开放接口，价格将比现有产品降低一半以上，以吸引更多开发者使用。",
    "L'entreprise publiera un nouveau modèle.",
)
ADDED = (
    "观众对这部短片的反应非常热烈。",
    "Le public a réagi avec enthousiasme. Il faut rappeler que ce festival, fondé il y a plus de vingt ans, "
    "est devenu l'un des rendez-vous majeurs du cinéma d'animation en Asie et attire chaque année des milliers de visiteurs.",
)


def test_an_omitted_clause_from_chinese_is_short_with_expected_and_actual_lengths() -> None:
    doc = doc_of([*ZH_FR, OMITTED], "zh", "fr")
    got = run_checks(doc, only="length")
    assert list(got) == [str(len(ZH_FR) + 1)]
    flag = got[str(len(ZH_FR) + 1)][0]
    assert (flag.check, flag.severity, flag.category) == ("length.short", "minor", "Accuracy/Omission")
    assert "expected about" in flag.message and "units for a source of" in flag.message


def test_an_added_sentence_is_long_and_faithful_translations_pass() -> None:
    doc = doc_of([*ZH_FR, ADDED], "zh", "fr")
    assert flags(doc, "length") == [(str(len(ZH_FR) + 1), "length.long", "target", ADDED[1])]
    assert flags(doc_of(ZH_FR, "zh", "fr"), "length") == []


def test_length_units_weigh_han_characters_and_kana_fairly() -> None:
    model = Model("zh", "fr")
    han = model.units("人工智能短片")  # 6 Han characters
    assert 12 <= han <= 20  # about 2.4 letters each, not 6 and not 6 bytes x 3
    assert model.units("Hello, world!") == 12  # spaces are free
    assert model.units("カタカナ") < han


def test_english_german_uses_the_pair_fitted_on_wmt_and_short_labels_are_not_judged() -> None:
    en_de = [
        ("The committee will publish its final report on the new energy policy next spring.",
         "Der Ausschuss wird seinen Abschlussbericht zur neuen Energiepolitik im nächsten Frühjahr veröffentlichen."),
        ("Save", "Speichern"),  # too short to judge, though much longer
        ("Researchers at the university found that the new material conducts heat twice as well as copper, which could make it useful for cooling computer chips.",
         "Das Material leitet Wärme."),
    ]
    assert [(s, c) for s, c, _, _ in flags(doc_of(en_de, "en", "de"), "length")] == [("3", "length.short")]


def test_superseded_length_ids_still_describe_stored_flags() -> None:
    assert check_info("mismatch.too-short").id == "length.short"
    assert check_info("mismatch.too-long").id == "length.long"


def test_wmt_omissions_are_found_with_the_shipped_defaults() -> None:
    """The figures of bench/length.py hold: on the WMT21 TED file, no false alarm on most data."""
    path = shared_data("wmt-mqm", "mqm_ted_ende.tsv")
    from relecture.importers import import_document

    doc = import_document(path)
    results = run_checks(doc, only="length")
    # 7,406 system outputs of professional-quality text: a handful of flags, not hundreds.
    assert 0 < sum(len(v) for v in results.values()) < 60


# --- answered, not translated ----------------------------------------------------------------------


def test_a_chinese_question_answered_in_french_is_flagged_and_a_translated_one_is_not() -> None:
    doc = doc_of(
        [
            ("你认为Sora什么时候会正式发布？", "Sora devrait être officiellement lancé à la fin de l'année."),
            ("你认为Sora什么时候会正式发布？", "Quand pensez-vous que Sora sera officiellement lancé ?"),
        ],
        "zh", "fr",
    )
    assert flags(doc, "question") == [("1", "question.answered", "source", "你认为Sora什么时候会正式发布？")]


def test_questions_in_every_script_count_as_questions() -> None:
    cases = [
        ("en", "es", "Where is the station?", "¿Dónde está la estación?", "La estación está en el centro."),
        ("en", "ar", "Where is the station?", "أين المحطة؟", "المحطة في وسط المدينة."),
        ("en", "el", "Where is the station?", "Πού είναι ο σταθμός;", "Ο σταθμός είναι στο κέντρο."),
        ("en", "ja", "Is it ready?", "準備はできましたか。", "準備はできました。"),
        ("fr", "zh", "Où est la gare ?", "车站在哪里？", "车站在市中心。"),
    ]
    for source_lang, target_lang, source, asked, answered in cases:
        doc = doc_of([(source, asked), (source, answered)], source_lang, target_lang)
        assert [(s, c) for s, c, _, _ in flags(doc, "question")] == [("2", "question.answered")], target_lang


def test_instructions_carried_out_and_questions_added() -> None:
    doc = doc_of(
        [
            ("请总结这篇文章的主要观点。", "L'article montre que les modèles vidéo progressent très vite."),
            ("请总结这篇文章的主要观点。", "Résumez les principaux points de cet article."),
            ("这是一个测试。", "Voulez-vous que je traduise aussi la suite ?"),
            ("删除", "Supprimer ?"),  # a label: no final punctuation, no judgement
            ("访问 https://example.com/?page=2 了解更多。", "Voir https://example.com/?page=2 pour en savoir plus."),
        ],
        "zh", "fr",
    )
    assert [(s, c) for s, c, _, _ in flags(doc, "question")] == [("1", "question.answered"), ("3", "question.added")]


def test_django_catalogues_raise_few_meaning_flags_in_fr_de_ja_zh() -> None:
    from relecture.importers import import_document

    for lang in ("fr", "de", "ja", "zh_Hans"):
        doc = import_document(shared_data("real-catalogues", "django-5.2.19", lang, "django.po"))
        results = run_checks(doc, only="question,idiom,length")
        assert all(f.severity == "minor" for v in results.values() for f in v)
        assert sum(len(v) for v in results.values()) <= 3, lang  # of about 340 entries


# --- idioms and glossary for CJK sources ----------------------------------------------------------


def test_chengyu_rendered_word_for_word_is_flagged_on_the_target() -> None:
    doc = doc_of(
        [
            ("他再加一段解释，简直是画蛇添足。", "Ajouter une explication, c'est dessiner un serpent et lui ajouter des pattes."),
            ("他再加一段解释，简直是画蛇添足。", "Ajouter une explication, c'est vraiment en faire trop."),
            ("这是一个测试。", "C'est un test."),
        ],
        "zh", "fr",
    )
    got = run_checks(doc, only="idiom")
    assert [f.check for f in got["1"]] == ["idiom.literal"]
    assert "serpent" in got["1"][0].text and "en faire trop" in got["1"][0].message
    assert [(f.check, f.side, f.text) for f in got["2"]] == [("idiom.source", "source", "画蛇添足")]
    assert "3" not in got


def test_english_source_idioms_and_their_literal_rendering() -> None:
    doc = doc_of([("This is only the tip of the iceberg.", "Ce n'est que le début.")], "en", "fr")
    assert flags(doc, "idiom") == [("1", "idiom.source", "source", "tip of the iceberg")]


def test_glossary_terms_match_inside_chinese_text_and_inflected_targets_pass(tmp_path: Path) -> None:
    glossary = tmp_path / "terms.csv"
    glossary.write_text("source,target\n大模型,grand modèle de langage\nsmart contract,Smart Contract\n", encoding="utf-8")
    doc = doc_of(
        [
            ("国内大模型的发展很快。", "Les gros modèles chinois progressent vite."),
            ("国内大模型的发展很快。", "Les grands modèles de langage chinois progressent vite."),
            ("国内大模型的发展很快。", "Le grand modèle de langage chinois progresse vite."),
        ],
        "zh", "fr",
    )
    assert flags(doc, "glossary", glossary) == [("1", "glossary.missing-term", "source", "大模型")]
    de = doc_of([("Every smart contract is audited.", "Alle Smart Contracts werden geprüft.")], "en", "de")
    assert flags(de, "glossary", glossary) == []  # a plural on a German target


def test_large_glossaries_find_cjk_terms_too(tmp_path: Path) -> None:
    rows = [f"term{i},terme{i}" for i in range(100)] + ["大模型,grand modèle de langage"]
    glossary = tmp_path / "big.csv"
    glossary.write_text("source,target\n" + "\n".join(rows) + "\n", encoding="utf-8")
    doc = doc_of([("国内大模型的发展很快。", "Les gros modèles chinois progressent vite.")], "zh", "fr")
    assert flags(doc, "glossary", glossary) == [("1", "glossary.missing-term", "source", "大模型")]


def test_glossary_targets_in_chinese_match_without_word_boundaries(tmp_path: Path) -> None:
    glossary = tmp_path / "terms.csv"
    glossary.write_text("source,target\nlarge model,大模型\n", encoding="utf-8")
    doc = doc_of(
        [("The large model is fast.", "这个大模型很快。"), ("The large model is fast.", "这个模型很快。")], "en", "zh"
    )
    assert flags(doc, "glossary", glossary) == [("2", "glossary.missing-term", "source", "large model")]
