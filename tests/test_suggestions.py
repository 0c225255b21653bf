"""条例第四十四条: requests for the same information by several applicants, grouped by their 申请内容."""

from __future__ import annotations

import random

from gongkai.ledger.suggestions import Entry, document_numbers, group_requests, normalise

CONTENTS = [
    (1, 101, "申请公开2025年某县义务教育阶段学校招生入学工作实施办法"),
    (2, 102, "请提供：2025年某县义务教育阶段学校招生入学工作实施办法全文"),
    (3, 103, "某县2025年义务教育学校招生入学工作实施办法"),
    (4, 104, "某县教育局2024年度部门预算及“三公”经费支出情况"),
    (5, 105, "关于某县第一中学新校区建设项目环境影响评价报告"),
    (6, 106, "申请公开某县教育局2024年部门预算和三公经费支出"),
    (7, 107, "某教发〔2025〕12号文件"),
    (8, 108, "某教发[2025]12号 关于调整课后服务收费标准的通知"),
    (9, 109, "某教发（2025）13号"),
]


def _groups(entries, **kw):
    return [s.request_ids for s in group_requests(entries, **kw)]


def test_alike_contents_by_different_applicants_are_grouped():
    suggestions = group_requests(CONTENTS)
    assert [s.request_ids for s in suggestions] == [(1, 2, 3), (4, 6), (7, 8)]
    assert [s.applicants for s in suggestions] == [3, 2, 2]
    assert suggestions[2].title == "某教发〔2025〕12号"  # the 文号 names the document, whatever else is written
    assert suggestions[0].title in {c for _, _, c in CONTENTS[:3]}


def test_one_applicant_asking_again_is_not_several_applicants():
    same_person = [(1, 7, "某县2025年中考体育考试方案"), (2, 7, "2025年某县中考体育考试方案"),
                   (3, 7, "申请公开某县2025年中考体育考试方案")]
    assert _groups(same_person) == []
    assert _groups([*same_person, (4, 8, "某县2025年中考体育考试方案")]) == [(1, 2, 3, 4)]
    assert group_requests([*same_person, (4, 8, "某县2025年中考体育考试方案")])[0].applicants == 2


def test_different_information_stays_apart():
    apart = [(1, 1, "某县第一中学食堂承包合同"), (2, 2, "某县第二中学校服采购合同"),
             (3, 3, "某县教育局2023年度决算"), (4, 4, "某教发〔2025〕13号"), (5, 5, "某教发〔2024〕13号")]
    assert _groups(apart) == []


def test_threshold_and_minimum():
    pair = [(1, 1, "某县教师招聘考试成绩"), (2, 2, "某县教师招聘考试面试成绩及排名")]
    assert _groups(pair, threshold=0.4) == [(1, 2)]
    assert _groups(pair, threshold=0.9) == []
    assert _groups(CONTENTS, min_applicants=3) == [(1, 2, 3)]


def test_chains_join_and_blank_contents_never_group():
    chain = [(1, 1, "甲乙丙丁戊己庚辛"), (2, 2, "甲乙丙丁戊己庚辛壬癸子丑"), (3, 3, "戊己庚辛壬癸子丑寅卯辰巳")]
    assert _groups(chain, threshold=0.45) == [(1, 2, 3)]  # 1~2 and 2~3, though 1 and 3 share little
    assert _groups([chain[0], chain[2]], threshold=0.45) == []
    assert _groups([(1, 1, ""), (2, 2, "  "), (3, 3, "。。")]) == []
    assert _groups([Entry(1, 1, "的信息"), Entry(2, 2, "相关文件")]) == []  # only stock phrases: nothing asked


def test_normalisation_and_document_numbers():
    assert normalise("申请公开：ＡＢＣ　2025年 预算！") == "abc2025年预算"
    assert document_numbers("某政办发(2025)007号和某政发【2024】3号") == {"某政办发〔2025〕7号", "某政发〔2024〕3号"}
    assert document_numbers("2025年第3季度") == set()


def test_many_requests_stay_fast_and_find_the_planted_group():
    import time

    rng = random.Random(44)
    alphabet = "教育财政环境交通规划住房卫生农业水利招生预算决算合同采购项目审批许可处罚名单标准补贴资金"
    entries = [(i, i, "".join(rng.choice(alphabet) for _ in range(18))) for i in range(4000)]
    entries += [(5000 + k, 9000 + k, "某县2025年农村危房改造补助资金发放名单") for k in range(4)]
    started = time.perf_counter()
    found = group_requests(entries)
    assert time.perf_counter() - started < 20
    assert (5000, 5001, 5002, 5003) in [s.request_ids for s in found]
