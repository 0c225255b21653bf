"""身份证号 (GB 11643-1999) and 统一社会信用代码 (GB 32100-2015) validation, at their edges."""

from datetime import date

import pytest

from gongkai.ledger.identity import (
    IdentityNumberError,
    credit_code_check_character,
    id_card_check_character,
    organisation_code_check_character,
    validate_credit_code,
    validate_id_card,
    validate_identity,
)

# The standards' own examples: GB 11643-1999 附录 (11010519491231002X), GB 32100-2015 附录 (91350100M000100Y43).
ID_WITH_X = "11010519491231002X"
CREDIT_CODE = "91350100M000100Y43"


def test_the_standards_examples_are_valid():
    assert validate_id_card(ID_WITH_X) == ID_WITH_X
    assert validate_credit_code(CREDIT_CODE) == CREDIT_CODE
    assert id_card_check_character(ID_WITH_X[:17]) == "X"
    assert credit_code_check_character(CREDIT_CODE[:17]) == "3"
    assert organisation_code_check_character(CREDIT_CODE[8:16]) == CREDIT_CODE[16] == "4"  # M000100Y-4


@pytest.mark.parametrize(("body", "check"), [
    ("00000001", "9"),  # 1×2 = 2: 11 − 2
    ("00000006", "X"),  # 6×2 = 12 ≡ 1: 11 − 1 = 10, written X
    ("00000000", "0"),  # 0: 11 − 0 = 11, written 0
    ("A0000000", "3"),  # A = 10, ×3 = 30 ≡ 8: 11 − 8
])
def test_organisation_code_check_character_at_its_edges(body, check):
    """GB 11714-1997: weights 3, 7, 9, 10, 5, 8, 4, 2; letters A–Z count 10–35; 10 is written X, 11 is 0."""
    assert organisation_code_check_character(body) == check


def test_a_lowercase_x_and_spaces_are_accepted_and_written_in_capitals():
    assert validate_id_card(" 110105 19491231 002x ") == ID_WITH_X
    assert validate_credit_code("91350100m000100y43") == CREDIT_CODE


def test_every_single_digit_change_is_caught_by_the_id_check_character():
    for position in range(17):
        for digit in "0123456789":
            changed = ID_WITH_X[:position] + digit + ID_WITH_X[position + 1:]
            if changed == ID_WITH_X:
                continue
            with pytest.raises(IdentityNumberError):
                validate_id_card(changed)


@pytest.mark.parametrize(("number", "says"), [
    ("11010519491231002", "应为18位"),
    ("1101051949123100211", "应为18位"),
    ("11010519491231002Y", "应为数字或X"),
    ("1101051949123A002X", "前17位应为数字"),
    ("110105194912310021", "校验码不符：第18位应为X"),
    ("110105194902300020", "不是有效日期"),  # 30 February
    ("110105199913010020", "不是有效日期"),  # month 13
])
def test_id_numbers_refused_with_the_reason(number, says):
    with pytest.raises(IdentityNumberError, match=says):
        validate_id_card(number)


def test_a_birth_date_after_today_is_refused():
    first17 = "11010520300101002"
    number = first17 + id_card_check_character(first17)
    with pytest.raises(IdentityNumberError, match="不可能"):
        validate_id_card(number, today=date(2026, 12, 6))
    assert validate_id_card(number, today=date(2030, 1, 1)) == number


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_credit_code_letters_the_standard_leaves_out_are_refused(letter):
    code = CREDIT_CODE[:8] + letter + CREDIT_CODE[9:]
    with pytest.raises(IdentityNumberError, match=f"不能含有“{letter}”"):
        validate_credit_code(code)


def test_credit_code_check_character_and_length():
    with pytest.raises(IdentityNumberError, match="第18位应为3"):
        validate_credit_code(CREDIT_CODE[:17] + "4")
    with pytest.raises(IdentityNumberError, match="应为18位"):
        validate_credit_code(CREDIT_CODE[:17])
    with pytest.raises(IdentityNumberError, match="行政区划码"):
        first17 = "91AB0100M000100Y4"
        validate_credit_code(first17 + credit_code_check_character(first17))


def test_the_applicant_type_decides_which_number():
    assert validate_identity("natural_person", ID_WITH_X) == ID_WITH_X
    assert validate_identity("commercial", CREDIT_CODE) == CREDIT_CODE
    with pytest.raises(IdentityNumberError, match="统一社会信用代码"):
        validate_identity("research", ID_WITH_X)
