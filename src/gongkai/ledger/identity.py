"""Applicants' identity numbers: the check a clerk's typing error fails before it reaches a letter.

- 公民身份号码 (GB 11643-1999《公民身份号码》): 18 characters — 6-digit address code, 8-digit birth date
  (YYYYMMDD, a real date not after today), 3-digit sequence, and a check character computed by ISO 7064
  MOD 11-2 (0–9 or X; a lowercase x is accepted and written as X).
- 统一社会信用代码 (GB 32100-2015《法人和其他组织统一社会信用代码编码规则》): 18 characters from the 31
  characters 0–9 and A–Y without I, O, Z, S, V — registration department (1), organisation type (1), the
  6-digit administrative division code, the 9-character organisation code, and a check character computed
  by the standard's weights modulo 31.

Pure functions, no Django: each returns the number as it must be stored (upper case, no spaces) or raises
``IdentityNumberError`` with a message in Chinese naming the standard.
"""

from __future__ import annotations

from datetime import date

ID_CARD_STANDARD = "GB 11643-1999"
CREDIT_CODE_STANDARD = "GB 32100-2015"

_ID_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]  # 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
_ID_CHECK = "10X98765432"  # check character for (weighted sum mod 11) = 0, 1, …, 10

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100 表1: no I, O, Z, S, V
_CREDIT_WEIGHTS = [3 ** i % 31 for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
_ORGANISATION_WEIGHTS = [2 ** i % 11 for i in range(8, 0, -1)]  # GB 11714: 3, 7, 9, 10, 5, 8, 4, 2


class IdentityNumberError(ValueError):
    """The number is not a valid 身份证号 / 统一社会信用代码; the message says why, in Chinese."""


def _clean(value: str) -> str:
    return "".join(value.split()).upper()


def id_card_check_character(first17: str) -> str:
    """The check character of a 公民身份号码 from its first 17 digits (GB 11643-1999, ISO 7064 MOD 11-2)."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def validate_id_card(value: str, *, today: date | None = None) -> str:
    """The 18-character 公民身份号码 in upper case, or ``IdentityNumberError`` (GB 11643-1999)."""
    number = _clean(value)
    if len(number) != 18:
        raise IdentityNumberError(f"身份证号应为18位，现为{len(number)}位（{ID_CARD_STANDARD}）")
    if not number[:17].isdecimal() or not number[:17].isascii():
        raise IdentityNumberError(f"身份证号前17位应为数字（{ID_CARD_STANDARD}）")
    if not (number[17].isdecimal() and number[17].isascii()) and number[17] != "X":
        raise IdentityNumberError(f"身份证号第18位（校验码）应为数字或X（{ID_CARD_STANDARD}）")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdentityNumberError(f"身份证号中的出生日期 {number[6:14]} 不是有效日期（{ID_CARD_STANDARD}）") from None
    if born > (today or date.today()) or born.year < 1800:
        raise IdentityNumberError(f"身份证号中的出生日期 {born:%Y-%m-%d} 不可能（{ID_CARD_STANDARD}）")
    expected = id_card_check_character(number[:17])
    if number[17] != expected:
        raise IdentityNumberError(f"身份证号校验码不符：第18位应为{expected}，请核对号码（{ID_CARD_STANDARD}）")
    return number


def credit_code_check_character(first17: str) -> str:
    """The check character of a 统一社会信用代码 from its first 17 characters (GB 32100-2015 5.2)."""
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def organisation_code_check_character(first8: str) -> str:
    """The check character of a 组织机构代码 (GB 11714-1997, the 9th to 17th characters of a 统一社会信用代码)
    from its first 8 characters: digits count as themselves, letters A–Z as 10–35, weighted 3, 7, 9, 10, 5, 8,
    4, 2; the check is 11 minus the sum modulo 11, written X for 10 and 0 for 11."""
    total = sum(int(c, 36) * w for c, w in zip(first8, _ORGANISATION_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def validate_credit_code(value: str) -> str:
    """The 18-character 统一社会信用代码 in upper case, or ``IdentityNumberError`` (GB 32100-2015)."""
    code = _clean(value)
    if len(code) != 18:
        raise IdentityNumberError(f"统一社会信用代码应为18位，现为{len(code)}位（{CREDIT_CODE_STANDARD}）")
    wrong = sorted({c for c in code if c not in CREDIT_CODE_CHARS})
    if wrong:
        raise IdentityNumberError(f"统一社会信用代码不能含有“{'、'.join(wrong)}”：只用数字和除I、O、Z、S、V以外的"
                                  f"大写字母（{CREDIT_CODE_STANDARD}）")
    if not code[2:8].isdecimal():
        raise IdentityNumberError(f"统一社会信用代码第3至8位应为登记管理机关行政区划码（数字）（{CREDIT_CODE_STANDARD}）")
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise IdentityNumberError(f"统一社会信用代码校验码不符：第18位应为{expected}，请核对代码（{CREDIT_CODE_STANDARD}）")
    return code


def validate_identity(applicant_type: str, value: str, *, today: date | None = None) -> str:
    """A natural person's 身份证号 or an organisation's 统一社会信用代码, by the table-3 applicant type."""
    if applicant_type == "natural_person":
        return validate_id_card(value, today=today)
    return validate_credit_code(value)
