"""Every check family in every language relecture has data for: LLM phrases, relative dates and
deixis, humour cues, idioms and typography, each with sentences that must be flagged and
sentences a careful writer of the language writes that must not be."""

from __future__ import annotations

from pathlib import Path

import pytest

from relecture.checks import Checker, run_checks
from relecture.checks.langdata import available_languages
from relecture.model import ReviewDocument, Segment


def flagged(target: str, lang: str, check: str, source: str | None = None, source_lang: str = "en") -> list[str]:
    """The texts ``check`` flags in one segment (target side unless the flag is on the source)."""
    doc = ReviewDocument(
        id="t", title="t",
        segments=[Segment(id="1", target=target, source=source, paragraph=0)],
        target_lang=lang, source_lang=source_lang if source is not None else None,
    )
    return [f.text for flags in run_checks(doc, only=check).values() for f in flags]


# (language, check, target sentence, what is flagged); a source is given where the check
# compares with it. Every sentence is what an LLM translation actually produces.
TRUE = [
    # German: the issue's own examples.
    ("de", "llm.translator-note", "Der Akku hält zwei Tage. (Hinweis: Ich habe „battery“ mit „Akku“ übersetzt.)", "(Hinweis:"),
    ("de", "llm.translator-note", "Ich habe den Begriff „Cloud“ beibehalten, da er im Deutschen üblich ist.", "Ich habe den Begriff „Cloud“ beibehalten"),
    ("de", "llm.refusal", "Es tut mir leid, aber ich kann diesen Text nicht übersetzen.", "Es tut mir leid, aber ich kann"),
    ("de", "llm.refusal", "Als KI-Sprachmodell kann ich keine Meinung äußern.", "Als KI-Sprachmodell"),
    ("de", "llm.preamble", "Hier ist die Übersetzung ins Deutsche:\nDer Vertrag endet im Mai.", "Hier ist die Übersetzung ins Deutsche:"),
    ("de", "llm.closing", "Ich hoffe, das hilft! Lassen Sie mich wissen, wenn Sie Änderungen wünschen.", "Ich hoffe, das hilft"),
    ("de", "cultural.relative-date", "Wir haben uns letzte Woche in Berlin getroffen.", "letzte Woche"),
    ("de", "cultural.relative-date", "Das Update erscheint morgen.", "morgen"),
    ("de", "cultural.relative-date", "Vor drei Tagen fiel der Server aus.", "Vor drei Tagen"),
    ("de", "cultural.date-without-year", "Der Film läuft seit dem 13. Juli in den Kinos.", "13. Juli"),
    ("de", "cultural.deixis", "Hierzulande nutzen immer mehr Menschen KI-Werkzeuge.", "Hierzulande"),
    ("de", "cultural.humour", "Mit einem Augenzwinkern nannte er es ein Wortspiel.", "Augenzwinkern"),
    ("de", "cultural.idiom", "Am Ende des Tages zählt nur das Ergebnis.", "Am Ende des Tages"),
    ("de", "typography.quotes", "Er nannte das Gerät “smart”.", "“smart”"),
    ("de", "typography.quotes", "Sie sprach von einem „Durchbruch”.", "„Durchbruch”"),
    ("de", "typography.straight-quotes", 'Das Modell heißt "Sora".', '"Sora"'),
    # Spanish
    ("es", "llm.preamble", "Aquí está la traducción al español:\nEl contrato vence en mayo.", "Aquí está la traducción al español:"),
    ("es", "llm.refusal", "Lo siento, pero no puedo traducir este contenido.", "Lo siento, pero no puedo"),
    ("es", "llm.closing", "Espero que esta traducción te sea útil.", "Espero que esta traducción te sea útil"),
    ("es", "llm.translator-note", "He mantenido el término «prompt» porque no tiene equivalente claro.", "He mantenido el término"),
    ("es", "cultural.relative-date", "La empresa lo anunció la semana pasada.", "la semana pasada"),
    ("es", "cultural.relative-date", "Hace tres días se cayó el servicio.", "Hace tres días"),
    ("es", "cultural.date-without-year", "El estreno fue el 13 de julio en Madrid.", "el 13 de julio"),
    ("es", "cultural.humour", "Lo dijo en broma, con un juego de palabras.", "broma"),
    ("es", "typography.inverted-marks", "Qué pasará con los datos?", "Qué pasará con los datos?"),
    ("es", "typography.inverted-marks", "Si no vienes, qué hago yo?", "Si no vienes, qué hago yo?"),
    ("es", "typography.inverted-marks", "Qué sorpresa!", "Qué sorpresa!"),
    ("es", "typography.quotes", "Lo llamó „inteligente“.", "„inteligente“"),
    # Italian
    ("it", "llm.preamble", "Ecco la traduzione in italiano:\nIl contratto scade a maggio.", "Ecco la traduzione in italiano:"),
    ("it", "llm.refusal", "Mi dispiace, ma non posso tradurre questo testo.", "Mi dispiace, ma non posso"),
    ("it", "llm.closing", "Fammi sapere se vuoi modifiche.", "Fammi sapere se"),
    ("it", "llm.translator-note", "(N.d.T.: il termine inglese è «prompt».)", "(N.d.T."),
    ("it", "cultural.relative-date", "Il servizio è stato sospeso la settimana scorsa.", "la settimana scorsa"),
    ("it", "cultural.relative-date", "L'ho visto tre giorni fa.", "tre giorni fa"),
    ("it", "cultural.humour", "Era solo una battuta, disse con ironia.", "battuta"),
    ("it", "cultural.date-without-year", "Il film è uscito il 13 luglio.", "il 13 luglio"),
    # Portuguese
    ("pt", "llm.preamble", "Aqui está a tradução para o português:\nO contrato termina em maio.", "Aqui está a tradução para o português:"),
    ("pt", "llm.refusal", "Desculpe, mas não posso traduzir este texto.", "Desculpe, mas não posso"),
    ("pt", "llm.translator-note", "(N. do T.: mantive o termo original.)", "(N. do T."),
    ("pt", "cultural.relative-date", "O produto foi lançado na semana passada.", "semana passada"),
    ("pt", "cultural.relative-date", "Há três dias o serviço caiu.", "Há três dias"),
    ("pt", "cultural.humour", "Foi só uma piada, um trocadilho com o nome.", "piada"),
    ("pt", "cultural.date-without-year", "A estreia foi em 13 de julho.", "13 de julho"),
    # Dutch
    ("nl", "llm.preamble", "Hier is de vertaling in het Nederlands:\nHet contract loopt af in mei.", "Hier is de vertaling in het Nederlands:"),
    ("nl", "llm.refusal", "Het spijt me, maar ik kan deze tekst niet vertalen.", "Het spijt me, maar ik kan deze tekst niet"),
    ("nl", "llm.closing", "Laat me weten als je nog iets wilt aanpassen.", "Laat me weten als"),
    ("nl", "cultural.relative-date", "Vorige week werd het bedrijf overgenomen.", "Vorige week"),
    ("nl", "cultural.relative-date", "Drie dagen geleden viel de stroom uit.", "Drie dagen geleden"),
    ("nl", "cultural.humour", "Hij zei het met een knipoog, als grap.", "knipoog"),
    # Russian
    ("ru", "llm.preamble", "Вот перевод на русский язык:\nДоговор истекает в мае.", "Вот перевод на русский язык:"),
    ("ru", "llm.refusal", "Извините, но я не могу перевести этот текст.", "Извините, но я не могу"),
    ("ru", "llm.refusal", "Как языковая модель, я не имею мнения.", "Как языковая модель"),
    ("ru", "llm.translator-note", "Это «умный дом» (прим. пер.: дословно «smart home»).", "(прим. пер."),
    ("ru", "cultural.relative-date", "На прошлой неделе компания объявила о сделке.", "На прошлой неделе"),
    ("ru", "cultural.relative-date", "Три дня назад сервис перестал работать.", "Три дня назад"),
    ("ru", "cultural.date-without-year", "Фильм вышел 13 июля.", "13 июля"),
    ("ru", "cultural.humour", "Он ответил шуткой, это был каламбур.", "шуткой"),
    ("ru", "cultural.deixis", "В нашей стране растёт интерес к ИИ.", "В нашей стране"),
    ("ru", "typography.dash", "Москва - столица России.", " - "),
    # Polish
    ("pl", "llm.preamble", "Oto tłumaczenie na język polski:\nUmowa wygasa w maju.", "Oto tłumaczenie na język polski:"),
    ("pl", "llm.refusal", "Przepraszam, ale nie mogę przetłumaczyć tego tekstu.", "Przepraszam, ale nie mogę"),
    ("pl", "llm.translator-note", "Przetłumaczyłem „prompt” jako „polecenie”.", "Przetłumaczyłem"),
    ("pl", "cultural.relative-date", "W zeszłym tygodniu firma ogłosiła fuzję.", "W zeszłym tygodniu"),
    ("pl", "cultural.relative-date", "Trzy dni temu serwis przestał działać.", "Trzy dni temu"),
    ("pl", "cultural.date-without-year", "Film wszedł do kin 13 lipca.", "13 lipca"),
    ("pl", "cultural.humour", "To był tylko żart, gra słów.", "żart"),
    ("pl", "typography.quotes", "Nazwał to „przełomem“.", "„przełomem“"),
    ("pl", "typography.quotes", "Nazwał to “przełomem”.", "“przełomem”"),
    # Chinese
    ("zh", "llm.preamble", "以下是翻译：\n合同于五月到期。", "以下是翻译："),
    ("zh", "llm.refusal", "抱歉，我无法翻译这段内容。", "抱歉，我无法"),
    ("zh", "llm.refusal", "作为一个AI语言模型，我没有个人观点。", "作为一个AI语言模型"),
    ("zh", "llm.closing", "希望这个翻译对您有帮助！", "希望这个翻译对您有帮助"),
    ("zh", "llm.translator-note", "这款电池续航两天（译者注：原文为“battery life”）。", "（译者注："),
    ("zh", "cultural.relative-date", "公司上周宣布了这一消息。", "上周"),
    ("zh", "cultural.relative-date", "OpenAI于本月9日停止了服务。", "本月9日"),
    ("zh", "cultural.date-without-year", "该短片自7月13日上线以来走红网络。", "7月13日"),
    ("zh", "cultural.deixis", "我国人工智能产业发展迅速。", "我国"),
    ("zh", "cultural.humour", "网友调侃说，GPT-5还远吗？", "调侃"),
    ("zh", "typography.fullwidth", "该模型发布于去年,引起了广泛关注.", ","),
    ("zh", "typography.cjk-space", "人工智能 的发展", " "),
    ("zh", "typography.straight-quotes", '他称之为"神作"。', '"神作"'),
    ("zh", "typography.unbalanced", "他说：「这是未来。", "「"),
    # Japanese
    ("ja", "llm.preamble", "以下は翻訳です：\n契約は5月に満了します。", "以下は翻訳です："),
    ("ja", "llm.refusal", "申し訳ありませんが、このテキストは翻訳できません。", "申し訳ありませんが、このテキストは翻訳できません"),
    ("ja", "llm.closing", "お役に立てれば幸いです。", "お役に立てれば幸いです"),
    ("ja", "llm.translator-note", "バッテリーは2日持ちます（訳注：原文は「battery」）。", "（訳注"),
    ("ja", "cultural.relative-date", "同社は先週、買収を発表した。", "先週"),
    ("ja", "cultural.date-without-year", "この映画は7月13日に公開された。", "7月13日"),
    ("ja", "cultural.deixis", "我が国のAI産業は急成長している。", "我が国"),
    ("ja", "cultural.humour", "彼は冗談で言っただけだ。", "冗談"),
    ("ja", "typography.fullwidth", "このモデルは去年発表され,注目を集めた.", ","),
    ("ja", "typography.cjk-space", "人工知能 の発展", " "),
    ("ja", "typography.straight-quotes", '彼は"傑作"と呼んだ。', '"傑作"'),
    ("ja", "llm.preamble", "以下は日本語訳です：\n契約は5月に満了します。", "以下は日本語訳です："),
    ("de", "llm.translator-note", "Der Vertrag endet im Mai.\nAnmerkung: „Vertrag“ steht hier für „contract“.", "Anmerkung:"),
    ("zh", "llm.translator-note", "合同于五月到期。\n注：此处“合同”对应“contract”。", "注："),
    ("de", "llm.refusal", "Ich kann diese Anfrage nicht erfüllen.", "Ich kann diese Anfrage nicht erfüllen"),
    # Czech, Ukrainian, Korean: the cheaper ones
    ("cs", "llm.refusal", "Omlouvám se, ale nemohu přeložit tento text.", "Omlouvám se, ale nemohu"),
    ("cs", "cultural.relative-date", "Minulý týden firma oznámila fúzi.", "Minulý týden"),
    ("cs", "cultural.date-without-year", "Film měl premiéru 13. července.", "13. července"),
    ("cs", "typography.quotes", "Nazval to “průlomem”.", "“průlomem”"),
    ("uk", "llm.refusal", "Вибачте, але я не можу перекласти цей текст.", "Вибачте, але я не можу"),
    ("uk", "cultural.relative-date", "Минулого тижня компанія оголосила про угоду.", "Минулого тижня"),
    ("uk", "cultural.date-without-year", "Фільм вийшов 13 липня.", "13 липня"),
    ("ko", "llm.closing", "도움이 되었으면 좋겠습니다.", "도움이 되었으면 좋겠습니다"),
    ("ko", "cultural.relative-date", "회사는 어제 인수를 발표했다.", "어제"),
    ("ko", "cultural.relative-date", "지난주에 서비스가 중단되었다.", "지난주에"),
    ("ko", "cultural.date-without-year", "이 영화는 7월 13일에 개봉했다.", "7월 13일에"),
]


# Sentences a careful writer of the language writes: nothing to flag.
FALSE = [
    ("de", "llm.translator-note", "Der Akku hält zwei Tage, sagte der Hersteller im Mai 2024."),
    ("de", "llm.refusal", "Die Firma bedauerte den Ausfall und entschädigte alle Kunden."),
    ("de", "cultural.relative-date", "Guten Morgen! Am Morgen des 3. Mai 2024 begann der Test."),
    ("de", "cultural.date-without-year", "Der Film läuft seit dem 13. Juli 2024 in den Kinos."),
    ("de", "typography.quotes", "Er nannte das Gerät „smart“ und sein Zubehör »elegant«."),
    ("de", "typography.quotes", "In Zürich heisst es «Natel» statt „Handy“."),
    ("de", "typography.straight-quotes", "Er nannte das Gerät „smart“."),
    ("de", "typography.repeated-word", "Die Frauen, die die Regeln kennen, bleiben."),
    ("es", "llm.refusal", "El ministro lo siente mucho y promete una solución."),
    ("es", "cultural.relative-date", "Por la mañana del 3 de mayo de 2024 empezó la prueba. Hoy en día es habitual."),
    ("es", "cultural.date-without-year", "El estreno fue el 13 de julio de 2024."),
    ("es", "typography.inverted-marks", "¿Qué pasará con los datos? ¡Nadie lo sabe! Si no vienes, ¿qué hago yo?"),
    ("es", "typography.inverted-marks", "Consulte https://example.com/buscar?q=datos para más información."),
    ("es", "typography.quotes", "Lo llamó «inteligente» y, según él, “revolucionario”."),
    ("it", "cultural.relative-date", "Il servizio è stato sospeso il 3 maggio 2024."),
    ("it", "cultural.humour", "Il battuto di carne è la base del ragù."),
    ("pt", "cultural.relative-date", "Hoje em dia, o serviço funciona bem desde 3 de maio de 2024."),
    ("pt", "cultural.date-without-year", "A estreia foi em 13 de julho de 2024."),
    ("nl", "cultural.relative-date", "Op 3 mei 2024 werd het bedrijf overgenomen."),
    ("ru", "cultural.date-without-year", "Фильм вышел 13 июля 2024 года."),
    ("ru", "cultural.humour", "Мембрана пропускает воду, а мемуары вышли в мае."),
    ("ru", "typography.quotes", "Он назвал это «прорывом», а коллеги — „чудом“."),
    ("ru", "typography.dash", "Москва — столица России, счёт 2 - 1."),
    ("pl", "typography.quotes", "Nazwał to „przełomem” i «cudem»."),
    ("pl", "cultural.date-without-year", "Film wszedł do kin 13 lipca 2024 r."),
    ("zh", "cultural.date-without-year", "该短片于2024年7月13日上线。"),
    ("zh", "cultural.humour", "这部电影的梗概很简单。"),
    ("zh", "llm.closing", "需要我们共同努力。"),
    ("zh", "typography.fullwidth", "该模型发布于去年，引起了广泛关注。版本号为 2.0。"),
    ("zh", "typography.fullwidth", "是,否,也许"),  # a separator software splits on (the source is "yes,no,maybe")
    ("zh", "typography.cjk-space", "使用 GPT-4 模型的 Sora 2 版本"),
    ("zh", "typography.quotes", "他称之为“神作”，也有人叫它「奇迹」。"),
    ("ja", "cultural.date-without-year", "この映画は2024年7月13日に公開された。"),
    ("ja", "typography.fullwidth", "ブール値 (真: True または偽: False)"),
    ("ja", "typography.quotes", "彼は「傑作」と呼び、『未来』という本を書いた。"),
    ("cs", "cultural.date-without-year", "Film měl premiéru 13. července 2024."),
    ("cs", "typography.quotes", "Nazval to „průlomem“."),
    ("uk", "cultural.date-without-year", "Фільм вийшов 13 липня 2024 року."),
    ("ko", "cultural.date-without-year", "이 영화는 2024년 7월 13일에 개봉했다."),
]


@pytest.mark.parametrize(("lang", "check", "target", "expected"), TRUE)
def test_flagged_in_the_target_language(lang: str, check: str, target: str, expected: str) -> None:
    source = "yes,no,maybe" if target == "是,否,也许" else None
    assert expected in flagged(target, lang, check, source)  # the exact span, among the flags


@pytest.mark.parametrize(("lang", "check", "target"), FALSE)
def test_clean_text_is_not_flagged(lang: str, check: str, target: str) -> None:
    source = "yes,no,maybe" if target == "是,否,也许" else None
    assert flagged(target, lang, check, source) == []


def test_llm_phrases_of_the_target_language_are_found_when_the_source_says_nothing_like_it() -> None:
    source = "The contract ends in May."
    assert flagged("Es tut mir leid, aber ich kann diesen Text nicht übersetzen.", "de", "llm.refusal", source)
    # The source apologises too: the target translates it, no flag.
    said = "I'm sorry, but I can't come tonight."
    assert flagged("Es tut mir leid, aber ich kann heute Abend nicht kommen.", "de", "llm.refusal", said) == []


@pytest.mark.parametrize(
    ("source", "target", "lang", "word"),
    [
        ("Installing it is a piece of cake.", "Die Installation ist ein Stück Kuchen.", "de", "Kuchen"),
        ("Installing it is a piece of cake.", "L'installation est un morceau de gâteau.", "fr", "gâteau"),
        ("It was raining cats and dogs.", "Llovía gatos y perros.", "es", "perros"),
        ("Sooner or later we all kick the bucket.", "Рано или поздно мы все пнуть ведро.", "ru", "ведро"),
        ("It only happens once in a blue moon.", "Das passiert nur einmal in einem blauen Mond.", "de", "Mond"),
    ],
)
def test_an_english_idiom_rendered_word_for_word_is_flagged_in_the_target(
    source: str, target: str, lang: str, word: str
) -> None:
    doc = ReviewDocument(
        id="t", title="t", segments=[Segment(id="1", target=target, source=source, paragraph=0)],
        target_lang=lang, source_lang="en",
    )
    flags = [f for fl in run_checks(doc, only="idiom").values() for f in fl]
    assert [f.check for f in flags] == ["idiom.literal"]
    assert flags[0].side == "target" and word in flags[0].text


def test_an_english_idiom_translated_well_is_pointed_at_on_the_source_side_only() -> None:
    doc = ReviewDocument(
        id="t", title="t",
        segments=[Segment(id="1", target="Die Installation ist kinderleicht.", source="Installing it is a piece of cake.", paragraph=0)],
        target_lang="de", source_lang="en",
    )
    flags = [f for fl in run_checks(doc, only="idiom").values() for f in fl]
    assert [(f.check, f.side, f.text) for f in flags] == [("idiom.source", "source", "a piece of cake")]


def test_a_literal_phrase_without_the_idiom_in_the_source_is_not_flagged() -> None:
    doc = ReviewDocument(
        id="t", title="t",
        segments=[Segment(id="1", target="Zum Kaffee gab es ein Stück Kuchen.", source="There was a slice of cake with the coffee.", paragraph=0)],
        target_lang="de", source_lang="en",
    )
    assert run_checks(doc, only="idiom,cultural.idiom") == {}


@pytest.mark.parametrize("lang", available_languages())
def test_every_language_builds_as_target_and_as_source(lang: str) -> None:
    doc = ReviewDocument(
        id="t", title="t", segments=[Segment(id="1", target="x", source="y", paragraph=0)],
        target_lang=lang, source_lang=lang,
    )
    Checker(doc)  # every pattern of the language compiles; a bad one is an InputError
    other = ReviewDocument(
        id="t", title="t", segments=[Segment(id="1", target="x", source="y", paragraph=0)],
        target_lang="en" if lang != "en" else "fr", source_lang=lang,
    )
    Checker(other)


def test_checks_lang_lists_what_a_language_has() -> None:
    from click.testing import CliRunner

    from relecture.cli import main

    result = CliRunner().invoke(main, ["checks", "--lang", "de-CH"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("German (de): built-in data ")
    assert any(line.split()[:1] == ["llm.refusal"] and line.endswith("patterns") for line in lines)
    assert any("typography.quotes" in line and "„…“" in line for line in lines)
    assert any(line.startswith("No data for: ") and "typography.fullwidth" in line for line in lines)
    unknown = CliRunner().invoke(main, ["checks", "--lang", "xx"])
    assert unknown.exit_code == 0 and "No language data" in unknown.output


def test_checks_lang_shows_the_configurations_own_data(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from relecture.cli import main

    config = tmp_path / "relecture.toml"
    config.write_text('[checks.data.sv]\nrelative_dates = ["i går", "i morgon"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["checks", "--lang", "sv", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert any("cultural.relative-date" in line and "2 patterns" in line for line in result.output.splitlines())


def test_the_readme_coverage_table_is_what_checks_lang_all_prints() -> None:
    from click.testing import CliRunner

    from conftest import REPO
    from relecture.cli import main

    result = CliRunner().invoke(main, ["checks", "--lang", "all"])
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == len(available_languages()) + 2
    assert result.output.strip() in (REPO / "README.md").read_text(encoding="utf-8")


# Checks driven by the language data that Django's reviewed catalogues must not trip: the text
# is clean (typography.fullwidth and straight-quotes do find a few real slips there, such as a
# Chinese sentence ending in "." in zh_Hans, listed in bench/RESULTS.md).
CLEAN_TEXT_CHECKS = (
    "llm.preamble,llm.closing,llm.translator-note,llm.refusal,cultural,mismatch.date,mismatch.date-order,"
    "typography.quotes,typography.inverted-marks,typography.cjk-space,typography.dash"
)


@pytest.mark.slow
def test_no_alarm_on_djangos_catalogues_in_98_languages() -> None:
    from conftest import shared_data
    from relecture.importers import import_document

    folder = shared_data("real-catalogues", "django-5.2.19")
    files = sorted(folder.glob("*/django.po"))
    assert len(files) == 98
    found: list[str] = []
    for path in files:
        doc = import_document(path)
        for seg_id, seg_flags in run_checks(doc, only=CLEAN_TEXT_CHECKS).items():
            found += [f"{path.parent.name}:{seg_id} {f.check} {f.text!r}" for f in seg_flags]
    assert found == []


@pytest.mark.parametrize(
    ("source", "target", "lang"),
    [
        ("2 engineers worked on it for 3 months.", "Zwei Ingenieure arbeiteten drei Monate daran.", "de"),
        ("2 engineers worked on it for 3 months.", "Dos ingenieros trabajaron tres meses en ello.", "es"),
        ("2 engineers worked on it for 3 months.", "Due ingegneri ci hanno lavorato per tre mesi.", "it"),
        ("2 engineers worked on it for 3 months.", "Dois engenheiros trabalharam nisso durante três meses.", "pt"),
        ("2 engineers worked on it for 3 months.", "Twee ingenieurs werkten er drie maanden aan.", "nl"),
        ("2 engineers worked on it for 3 months.", "Два инженера работали над этим три месяца.", "ru"),
        ("2 engineers worked on it for 3 months.", "Dwóch inżynierów pracowało nad tym trzy miesiące.", "pl"),
        ("2 engineers worked on it for 3 months.", "两名工程师为此工作了三个月。", "zh"),
        ("2 engineers worked on it for 3 months.", "二人のエンジニアが三か月取り組んだ。", "ja"),
    ],
)
def test_number_words_of_the_target_language_stand_for_digits(source: str, target: str, lang: str) -> None:
    assert flagged(target, lang, "mismatch.number", source) == []


@pytest.mark.parametrize(
    ("target", "lang"),
    [
        ("Zwei Ingenieure arbeiteten vier Monate daran.", "de"),
        ("Два инженера работали над этим четыре месяца.", "ru"),
        ("Dwóch inżynierów pracowało nad tym cztery miesiące.", "pl"),
        ("两名工程师为此工作了四个月。", "zh"),
    ],
)
def test_a_wrong_number_in_words_is_still_a_missing_number(target: str, lang: str) -> None:
    assert flagged(target, lang, "mismatch.number", "2 engineers worked on it for 3 months.") == ["3"]
