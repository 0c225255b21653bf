"""Audit identification: a saved page's header, normalised agency names, the alias file, agency kinds."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from gongkai.audit.identify import (
    Aliases,
    AliasFileError,
    PageHeader,
    identify,
    kind_of,
    normalise,
    page_header,
)
from gongkai.cli import app

TEXT_PAGE = """标题: 平潭综合实验区公安局2020年政府信息公开工作年度报告
发布时间: 2021-01-28 11:10
文号:
发布机构: 平潭综合实验区公安局
栏目: 政府信息公开年报
==================== 正文 ====================
平潭综合实验区公安局2020年政府信息公开工作年度报告
"""

HTML_PAGE = """<!DOCTYPE html><html><head><title>某区2024年度政府信息公开工作年度报告_年报_某区管委会</title>
<meta name="ArticleTitle" content="某区2024年度政府信息公开工作年度报告"/>
<meta name="PubDate" content="2025-03-10 15:35"/>
<meta name="ContentSource" content="某区管委会办公室"/></head><body><p>本报告根据……</p></body></html>"""


def test_text_page_header(tmp_path):
    path = tmp_path / "a.page.txt"
    path.write_text(TEXT_PAGE, encoding="utf-8")
    header = page_header(path)
    assert header == PageHeader("平潭综合实验区公安局2020年政府信息公开工作年度报告", date(2021, 1, 28), "平潭综合实验区公安局")


def test_html_page_header(tmp_path):
    path = tmp_path / "a.page.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    assert page_header(path) == PageHeader("某区2024年度政府信息公开工作年度报告", date(2025, 3, 10), "某区管委会办公室")


def test_a_plain_report_has_no_header(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("某县教育局2023年政府信息公开工作年度报告\n一、总体情况\n……\n", encoding="utf-8")
    assert page_header(path) == PageHeader()


def test_the_page_title_wins_over_a_sentence_the_reader_took_for_a_title():
    header = PageHeader("某区2024年度政府信息公开工作年度报告", date(2025, 3, 10), "某区管委会办公室")
    flat = {"meta.agency": "本报告根据《中华人民共和国政府信息公开条例》编制", "meta.year": 2024}
    assert identify(flat, header, "x.html") == ("某区", 2024, "page_title")
    assert identify({"meta.agency": "某县教育局", "meta.year": 2023}, PageHeader(), "x.txt") == (
        "某县教育局", 2023, "report_title")
    assert identify(None, PageHeader(None, None, "某县公安局"), "某县公安局-2022.txt") == ("某县公安局", 2022, "page_publisher")


def test_names_are_normalised():
    assert normalise("沭阳县发改局") == normalise("沭阳县发展和改革局") == "沭阳县发展和改革局"
    assert normalise("上海市科委") == "上海市科学技术委员会"
    assert normalise("平潭综合实验区党工委管理委员会") == "平潭综合实验区管委会"
    assert normalise("北京市城市管理委员会") == "北京市城市管理委员会"  # a department, not a zone's 管委会
    assert normalise(" 关于某县 人民政府 ") == "某县人民政府"


def test_kinds_follow_article_49():
    aliases = Aliases()
    for name in ("某县人民政府", "平潭综合实验区", "平潭综合实验区管委会", "淮安市洪泽区人民政府"):
        assert kind_of(normalise(name), aliases) == "government", name
    for name in ("平潭综合实验区管委会办公室", "某县教育局", "上海市人民政府办公厅", "某县甲镇人民政府",
                 "某区某某街道办事处", "科学技术和工业信息化局", "北京市城市管理委员会"):
        assert kind_of(normalise(name), aliases) == "department", name


def test_the_alias_file_merges_names_and_sets_kinds(tmp_path):
    path = tmp_path / "aliases.toml"
    path.write_text('[aliases]\n"某区管委会办公室" = "某区管委会"\n"某县政府" = "某县人民政府"\n'
                    '[kinds]\n"某区海坛片区管理局" = "government"\n', encoding="utf-8")
    aliases = Aliases.load(path)
    assert aliases.canonical("某区管委会办公室") == "某区管委会"
    assert aliases.canonical("某县政府") == "某县人民政府"
    assert kind_of("某区海坛片区管理局", aliases) == "government"
    path.write_text('[kinds]\n"某局" = "bureau"\n', encoding="utf-8")
    with pytest.raises(AliasFileError, match="government"):
        Aliases.load(path)
    path.write_text('[aliases\n', encoding="utf-8")
    with pytest.raises(AliasFileError, match="格式错误"):
        Aliases.load(path)


def test_a_broken_alias_file_stops_the_command_with_one_line(tmp_path):
    (tmp_path / "aliases.toml").write_text("[aliases\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", str(tmp_path), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "aliases.toml" in result.stderr and "Traceback" not in result.output
