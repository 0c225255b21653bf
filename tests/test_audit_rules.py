"""Audit rules one at a time: the deadline of 条例第四十九条, C1's method and threshold, N1–N3's phrases."""

from __future__ import annotations

from datetime import date

from gongkai.audit.collect import Record
from gongkai.audit.copied import copied_text, shingles
from gongkai.audit.narrative import narrative
from gongkai.audit.series import deadline, late

TEXT = ("今年我局坚持把政务公开作为转变职能的重要抓手持续推进决策执行管理服务结果公开。"
        "围绕群众关切的教育医疗住房等领域加大信息发布力度及时回应社会关切。"
        "加强政府网站和政务新媒体管理规范信息发布审核流程确保信息准确权威。"
        "完善依申请公开工作机制规范受理登记办理答复各环节按时答复率达到百分之百。")
OTHER = ("本年度区卫健委聚焦基层医疗资源下沉持续优化家庭医生签约服务流程。"
         "组织开展公共卫生应急演练三次覆盖辖区所有社区卫生服务中心和乡镇卫生院。"
         "推进电子健康档案开放查询方便居民通过手机随时了解自身健康信息。"
         "建立健全医疗机构信息公开目录动态调整机制按季度更新公开内容。")


def _record(agency, year, kind="department", published=None, **flat):
    base = {"meta.agency": agency, "meta.year": year, "meta.edition": "2021", "overview": None, "problems": None,
            "other": None}
    r = Record(f"{agency}-{year}.txt", "0" * 64, "txt", {**base, **flat}, None, [], 0.0, False)
    r.agency, r.year, r.kind, r.published, r.published_from = agency, year, kind, published, "report"
    return r


def test_deadlines_of_article_49():
    assert deadline("department", 2023) == date(2024, 1, 31)
    assert deadline("government", 2023) == date(2024, 3, 31)
    assert not list(late(_record("某局", 2023, published=date(2024, 1, 31))))
    assert [f.found for f in late(_record("某局", 2023, published=date(2024, 2, 1)))] == [date(2024, 2, 1)]
    assert not list(late(_record("某县", 2023, "government", published=date(2024, 3, 31))))
    unknown = list(late(_record("某局", 2023)))
    assert [f.severity for f in unknown] == ["not_assessable"]  # never a pass


def _pair(a_text, b_text, same_agency=False):
    a = _record("甲局", 2023, problems=a_text)
    b = _record("甲局" if same_agency else "乙局", 2022 if same_agency else 2023, problems=b_text)
    return list(copied_text({(a.agency, a.year): a, (b.agency, b.year): b}))


def test_copied_text_above_half_counts():
    sentences = [s + "。" for s in TEXT.split("。") if s]
    other = [s + "。" for s in OTHER.split("。") if s]
    assert _pair(TEXT, TEXT.replace("百分之百", "百分之九十"), same_agency=True)  # copied, one figure changed
    three_of_four = "".join(sentences[:3] + other[3:])
    shares = [f.evidence["share"] for f in _pair(three_of_four, TEXT)]
    assert len(shares) == 2 and all(0.6 < s < 0.85 for s in shares)  # both reports of the same year
    one_of_four = "".join(sentences[:1] + other[1:])
    assert _pair(one_of_four, TEXT) == []
    assert _pair(OTHER, TEXT) == []


def test_boilerplate_and_years_do_not_make_copies():
    legal = "根据《中华人民共和国政府信息公开条例》要求编制本报告。本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。"
    assert shingles(legal) == frozenset()
    assert shingles("2023年我局推进政务公开工作取得明显成效") == shingles("2024年我局推进政务公开工作取得明显成效")
    assert _pair(legal + OTHER, legal + TEXT) == []
    fee = ("按照《国务院办公厅关于印发<政府信息公开信息处理费管理办法>的通知》（国办函〔2020〕109号）规定的按件、"
           "按量收费标准，本年度没有产生信息处理费。")  # the prescribed statement of section 六, as two 平潭 offices print it
    assert shingles(fee) == frozenset()
    assert _pair(fee + OTHER, fee + TEXT) == []


def test_narrative_checks():
    empty = _record("某局", 2023, problems="无。", overview="统计期限自2023年1月1日至2023年12月31日。")
    assert [f.rule for f in narrative(empty)] == ["N1"]
    wrong_period = _record("某局", 2023, problems="问题。", overview="本报告统计期限为2022年1月1日至2022年12月31日。")
    assert [(f.rule, f.found) for f in narrative(wrong_period)] == [("N3", 2022)]
    no_period = _record("某局", 2023, problems="问题。", overview="总体情况。")
    assert [(f.rule, f.severity) for f in narrative(no_period)] == [("N3", "not_assessable")]
    missing = _record("某局", 2023, overview="统计期限自2023年1月1日起。")
    assert [(f.rule, f.severity) for f in narrative(missing)] == [("N1", "not_assessable")]


def test_fees_contradicted_only_about_the_same_fee():
    period = "统计期限自2023年1月1日至2023年12月31日。"

    def rules(amount, other):
        return [f.rule for f in narrative(_record("某局", 2023, problems="问题。", overview=period, other=other,
                                                   **{"proactive.fees.amount": amount}))]

    assert rules("12.5", "本年度未收取任何费用。") == ["N2"]
    assert rules("0", "本年度共收取费用1200元。") == ["N2"]
    assert rules("0", "本年度未收取任何费用。") == []
    # 信息处理费 is the request work's own fee, which table 2's 行政事业性收费 does not count (平潭 2024)
    assert rules("18651.06", "2024年，无收取信息处理费情况。") == []


def test_statistics_period_in_the_preamble_is_read_from_the_file(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("某局2023年政府信息公开工作年度报告\n本报告统计期限为2022年1月1日至2022年12月31日。\n一、总体情况\n……\n",
                    encoding="utf-8")
    record = _record("某局", 2023, problems="问题。", overview="总体情况。")
    record.source = str(path)
    assert [(f.rule, f.severity, f.found) for f in narrative(record)] == [("N3", "warning", 2022)]
    path.write_text(path.read_text("utf-8").replace("2022年", "2023年"), encoding="utf-8")
    assert list(narrative(record)) == []
