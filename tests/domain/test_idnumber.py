"""ID numbers (GB 11643): what the clerk types is normalised, every refused number names its reason."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop import messages
from desktop.models.enums import Sex
from desktop.models.idnumber import IdNumberError, IdReason, check_character, mask, normalize, parse

VALID = "110105199001011232"  # Beijing Chaoyang, 1990-01-01, sequence 123 (male)
TODAY = dt.date(2026, 11, 29)


def test_a_valid_number_gives_birth_date_sex_and_area():
    """The register derives birth date and sex from the number, so the clerk never types them."""
    info = parse(VALID, today=TODAY)
    assert info.value == VALID
    assert info.birth_date == dt.date(1990, 1, 1)
    assert info.sex is Sex.MALE
    assert info.area_code == "110105"


@pytest.mark.parametrize(
    "typed",
    ["１１０１０５１９９００１０１１２３２", " 110105 19900101 1232 ", "110105\u300019900101-1232"],
)
def test_full_width_digits_spaces_and_dashes_are_normalised(typed):
    """A number typed with a Chinese input method (full-width, ideographic spaces) is accepted as the same."""
    assert parse(typed, today=TODAY).value == VALID


def test_lower_case_x_is_accepted_as_upper_case():
    first17 = "11010519900101103"
    assert check_character(first17) == "X"
    assert parse(first17 + "x", today=TODAY).value == first17 + "X"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", IdReason.EMPTY),
        ("110105900101123", IdReason.OLD_15_DIGITS),
        ("11010519900101123", IdReason.LENGTH),
        ("1101051990010112A7", IdReason.CHARACTERS),
        ("110105199001011238", IdReason.CHECKSUM),
        ("110105199002301234"[:17] + check_character("11010519900230123"), IdReason.BIRTH_DATE),
        ("11010520300101123" + check_character("11010520300101123"), IdReason.BIRTH_IN_FUTURE),
        ("99999919900101123" + check_character("99999919900101123"), IdReason.AREA_CODE),
    ],
)
def test_each_refusal_names_its_reason_in_chinese(raw, reason):
    with pytest.raises(IdNumberError) as caught:
        parse(raw, today=TODAY)
    assert caught.value.reason is reason
    text = messages.describe(caught.value)
    assert "身份证" in text and text == messages.ID_REASONS[reason]


def test_masking_hides_the_birth_date_and_two_sequence_digits():
    assert mask(VALID) == "110105**********32"
    assert "19900101" not in mask(VALID) and "12" not in mask(VALID)[6:16]


birth_dates = st.dates(min_value=dt.date(1920, 1, 1), max_value=TODAY)
areas = st.sampled_from(["110105", "430522", "510722", "360426", "411521"])


@given(area=areas, birth=birth_dates, seq=st.integers(0, 999))
def test_any_well_formed_number_round_trips(area, birth, seq):
    """Property: a number built by the rules parses back to its own birth date and the sex of its digit."""
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    info = parse(first17 + check_character(first17), today=TODAY)
    assert info.birth_date == birth
    assert info.sex is (Sex.MALE if seq % 2 else Sex.FEMALE)


@given(birth=birth_dates, seq=st.integers(0, 999), pos=st.integers(0, 16), delta=st.integers(1, 9))
def test_any_single_mistyped_digit_is_caught(birth, seq, pos, delta):
    """Property: changing one digit never yields another valid number for the same check character
    (MOD 11-2 catches every single-digit error), so a mistyped number is refused, not misfiled."""
    first17 = f"430522{birth:%Y%m%d}{seq:03d}"
    number = first17 + check_character(first17)
    digits = list(number)
    digits[pos] = str((int(digits[pos]) + delta) % 10)
    with pytest.raises(IdNumberError):
        parse("".join(digits), today=TODAY)


@given(st.text(max_size=30))
def test_arbitrary_input_is_refused_with_a_reason_or_accepted_never_crashes(text):
    try:
        info = parse(text, today=TODAY)
    except IdNumberError as exc:
        assert exc.reason in IdReason
    else:
        assert len(info.value) == 18 and normalize(text) == info.value
