"""Length against the source: omissions and additions in several languages, true and false
cases, with the length model fitted per pair."""

from __future__ import annotations

from tests.checks.helpers import pairs_doc, side_flags

from conftest import shared_data
from relecture.checks import check_info, run_checks
from relecture.checks.length import Model

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
    doc = pairs_doc([*ZH_FR, OMITTED], "zh", "fr")
    got = run_checks(doc, only="length")
    assert list(got) == [str(len(ZH_FR) + 1)]
    flag = got[str(len(ZH_FR) + 1)][0]
    assert (flag.check, flag.severity, flag.category) == ("length.short", "minor", "Accuracy/Omission")
    assert "expected about" in flag.message and "units for a source of" in flag.message


def test_an_added_sentence_is_long_and_faithful_translations_pass() -> None:
    doc = pairs_doc([*ZH_FR, ADDED], "zh", "fr")
    assert side_flags(doc, "length") == [(str(len(ZH_FR) + 1), "length.long", "target", ADDED[1])]
    assert side_flags(pairs_doc(ZH_FR, "zh", "fr"), "length") == []


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
    assert [(s, c) for s, c, _, _ in side_flags(pairs_doc(en_de, "en", "de"), "length")] == [("3", "length.short")]


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


# --- the meaning families on real catalogues ------------------------------------------------------


def test_django_catalogues_raise_few_meaning_flags_in_fr_de_ja_zh() -> None:
    from relecture.importers import import_document

    for lang in ("fr", "de", "ja", "zh_Hans"):
        doc = import_document(shared_data("real-catalogues", "django-5.2.19", lang, "django.po"))
        results = run_checks(doc, only="question,idiom,length")
        assert all(f.severity == "minor" for v in results.values() for f in v)
        assert sum(len(v) for v in results.values()) <= 3, lang  # of about 340 entries


def test_the_median_is_statistics_median_to_the_bit() -> None:
    """The length check computes its medians itself (statistics is not imported by a check):
    the same float as ``statistics.median``, odd and even counts, ties, negatives."""
    import random
    import statistics

    from relecture.checks.length import median

    rng = random.Random(17)
    for n in [*range(1, 12), 100, 101, 1000]:
        values = [rng.uniform(-3, 3) for _ in range(n)]
        values += values[: n // 3]  # ties
        rng.shuffle(values)
        assert median(iter(values)).hex() == statistics.median(values).hex()
