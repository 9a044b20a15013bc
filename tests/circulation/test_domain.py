"""The circulation domain without I/O: categories, member numbers, due dates, refusals, holds, lists."""

import datetime as dt

import pytest

from kernel.ddc import ddc_class
from pustaka.errors import Conflict, Invalid
from services.circulation.domain import holds, member_list
from services.circulation.domain.loans import (
    CopyState,
    LoanState,
    MemberState,
    ensure_can_check_out,
    ensure_can_renew,
    ensure_renewal_extends,
)
from services.circulation.domain.members import (
    category_of,
    is_valid_member_number,
    member_number,
    parse_gender,
    renewed_expiry,
)
from services.circulation.domain.policy import (
    DEFAULT_POLICIES,
    Calendar,
    LoanPolicy,
    check_closed_weekdays,
    due_date,
    fine,
    late_days,
    pickup_deadline,
    renewed_due_date,
)
from services.circulation.domain.titles import clean_isbn13

TODAY = dt.date(2026, 11, 25)  # a Wednesday
ADULT = DEFAULT_POLICIES["dewasa"]


@pytest.mark.parametrize(
    ("birth_year", "category"),
    [
        (2026, "anak"),
        (2014, "anak"),
        (2013, "remaja"),
        (2009, "remaja"),
        (2008, "dewasa"),
        (1967, "dewasa"),
        (1966, "lansia"),
        (1930, "lansia"),
    ],
)
def test_the_category_follows_the_age_reached_this_year(birth_year, category):
    assert category_of(birth_year, TODAY) == category


def test_a_child_becomes_a_teenager_on_new_year():
    assert category_of(2014, dt.date(2026, 12, 31)) == "anak"
    assert category_of(2014, dt.date(2027, 1, 1)) == "remaja"


def test_member_numbers_are_printable_scoped_and_checked():
    number = member_number("35.20.01.2002", 17)
    assert number.startswith("3520012002-00017") and len(number) == 17
    assert is_valid_member_number(number)
    assert not is_valid_member_number(number[:-1] + str((int(number[-1]) + 1) % 10))
    tbm = member_number("35.20.05.2003-TBM1", 1)
    assert tbm.startswith("3520052003T1-00001") and is_valid_member_number(tbm)


@pytest.mark.parametrize(
    ("text", "gender"), [("L", "L"), ("p", "P"), ("Laki-laki", "L"), ("Perempuan", "P"), ("F", "P"), ("male", "L")]
)
def test_gender_is_read_as_indonesian_forms_write_it(text, gender):
    assert parse_gender(text) == gender


def test_an_unknown_gender_is_refused_with_its_field():
    with pytest.raises(Invalid) as refusal:
        parse_gender("X")
    assert (refusal.value.code, refusal.value.field) == ("gender_invalid", "gender")


def test_a_due_date_never_falls_on_a_closed_day():
    sunday_closed = Calendar()
    assert due_date(dt.date(2026, 11, 22), ADULT, sunday_closed) == dt.date(2026, 12, 7)  # Sun+14 = Sun -> Mon
    holiday = Calendar(closed_dates=frozenset({dt.date(2026, 12, 9)}))
    assert due_date(TODAY, ADULT, holiday) == dt.date(2026, 12, 10)
    weekend = Calendar(closed_weekdays=check_closed_weekdays([6, 7]), closed_dates=frozenset({dt.date(2026, 12, 7)}))
    assert due_date(dt.date(2026, 11, 21), ADULT, weekend) == dt.date(2026, 12, 8)


def test_a_library_must_open_at_least_one_day():
    with pytest.raises(ValueError):
        check_closed_weekdays([1, 2, 3, 4, 5, 6, 7])
    with pytest.raises(ValueError):
        check_closed_weekdays([0])


def test_children_borrow_fewer_books_for_a_shorter_time_and_nobody_is_fined_by_default():
    child = DEFAULT_POLICIES["anak"]
    assert (child.loan_days, child.max_open_loans, child.max_renewals) == (7, 3, 2)
    assert (ADULT.loan_days, ADULT.max_open_loans) == (14, 5)
    assert fine(ADULT, 10) == 0
    fining = LoanPolicy(loan_days=14, max_open_loans=5, max_renewals=2, fines_enabled=True, fine_per_day=500)
    assert fine(fining, 3) == 1500


def test_late_days_renewal_and_pickup_dates():
    assert late_days(TODAY, TODAY) == 0 and late_days(TODAY, TODAY + dt.timedelta(days=4)) == 4
    calendar = Calendar()
    assert renewed_due_date(dt.date(2026, 12, 30), TODAY, ADULT, calendar) == dt.date(2026, 12, 30)
    assert renewed_due_date(TODAY, TODAY, ADULT, calendar) == dt.date(2026, 12, 9)
    assert pickup_deadline(dt.date(2026, 11, 26), ADULT, calendar) == dt.date(2026, 11, 30)  # Sun -> Mon


def test_membership_renewal_extends_from_the_expiry_or_from_today():
    assert renewed_expiry(dt.date(2027, 1, 1), TODAY, 3) == dt.date(2030, 1, 1)
    assert renewed_expiry(dt.date(2020, 2, 29), TODAY, 1) == dt.date(2027, 11, 25)


def member(**kw) -> MemberState:
    return MemberState(**{"id": 1, "status": "active", "expires_on": dt.date(2030, 1, 1), **kw})


def copy(**kw) -> CopyState:
    return CopyState(**{"barcode": "000000000018", "library": "35.20.01.2002", "status": "available", **kw})


@pytest.mark.parametrize(
    ("the_copy", "the_member", "code"),
    [
        (copy(), member(status="suspended"), "member_suspended"),
        (copy(), member(expires_on=dt.date(2026, 11, 24)), "member_expired"),
        (copy(status="on_loan"), member(), "item_not_available"),
        (copy(status="lost"), member(), "item_not_available"),
        (copy(status="withdrawn"), member(), "item_not_available"),
        (copy(status="awaiting_pickup", held_for=2), member(), "item_held_for_another"),
        (copy(), member(has_overdue=True), "member_has_overdue"),
        (copy(), member(open_loans=5), "loan_limit_reached"),
    ],
)
def test_each_check_out_refusal_has_its_code(the_copy, the_member, code):
    with pytest.raises(Conflict) as refusal:
        ensure_can_check_out(the_copy, the_member, ADULT, TODAY)
    assert refusal.value.code == code


def test_an_unavailable_copy_says_why():
    with pytest.raises(Conflict) as refusal:
        ensure_can_check_out(copy(status="damaged"), member(), ADULT, TODAY)
    assert refusal.value.extra == {"item_status": "damaged"}


def test_the_member_a_copy_waits_for_may_take_it():
    ensure_can_check_out(copy(status="awaiting_pickup", held_for=1), member(), ADULT, TODAY)
    ensure_can_check_out(copy(), member(open_loans=4), ADULT, TODAY)


def test_renewal_refusals():
    loan = LoanState(id=7, status="open", due_date=TODAY, renewals=0)
    ensure_can_renew(loan, member(), ADULT, False, TODAY)
    for state, waiting, code in [
        (LoanState(7, "open", TODAY, 2), False, "renewals_exhausted"),
        (loan, True, "renewal_blocked_by_hold"),
        (LoanState(7, "closed", TODAY, 0), False, "loan_closed"),
    ]:
        with pytest.raises(Conflict) as refusal:
            ensure_can_renew(state, member(), ADULT, waiting, TODAY)
        assert refusal.value.code == code


def test_the_hold_queue_and_pickup_expiry():
    queue = [
        holds.HoldState(1, 10, holds.AWAITING_PICKUP, TODAY),
        holds.HoldState(2, 11, holds.NOT_YET_FILLED),
        holds.HoldState(3, 12, holds.NOT_YET_FILLED),
    ]
    assert holds.next_in_queue(queue).id == 2
    assert not holds.pickup_expired(queue[0], TODAY)
    assert holds.pickup_expired(queue[0], TODAY + dt.timedelta(days=1))
    with pytest.raises(Conflict):
        holds.ensure_can_cancel(holds.HoldState(4, 10, holds.FILLED))


def test_title_facts():
    assert ddc_class("899.221") == "800" and ddc_class(None) is None and ddc_class("X") is None
    assert clean_isbn13("978-979-168-047-9") == "9789791680479"
    assert clean_isbn13("979-413-921-1") == "9789794139219" and clean_isbn13("006054094x") == "9780060540944"
    for bad, code in [
        ("978-979-168-047-8", "isbn_checksum"),
        ("12345", "isbn_length"),
        ("ISBN 978-979-168-047-8", "isbn_checksum"),
        ("979-413-921-2", "isbn_checksum"),
    ]:
        with pytest.raises(Invalid) as refusal:
            clean_isbn13(bad)
        assert refusal.value.code == code


def test_a_member_list_keeps_valid_rows_and_reports_the_others():
    data = (
        "No;Nama;Tahun Lahir;Jenis Kelamin;Disabilitas;No. HP\n"
        "1;Budi Santoso;2015;L;tidak;0812\n"
        "2;;1990;P;;\n"
        "3;Sri Wahyuni;19x0;P;;\n"
        "\n"
        "4;Ahmad;1950;Q;;\n"
        "5;Wati;1988;Perempuan;ya;\n"
    ).encode("cp1252")
    valid, rejected, rows = member_list.check_list(data, TODAY)
    assert rows == 5
    assert [(m.name, m.gender, m.disability) for m in valid] == [("Budi Santoso", "L", False), ("Wati", "P", True)]
    assert [(r.row, r.field, r.code) for r in rejected] == [
        (2, "name", "name_invalid"),
        (3, "birth_year", "birth_year_invalid"),
        (4, "gender", "gender_invalid"),
    ]


def test_a_member_list_without_the_needed_columns_is_refused_whole():
    with pytest.raises(Invalid) as refusal:
        member_list.check_list(b"Nama,Alamat\nBudi,Plaosan\n", TODAY)
    assert refusal.value.code == "columns_missing"


def test_a_renewal_must_move_the_due_date():
    loan = LoanState(id=7, status="open", due_date=dt.date(2026, 12, 9), renewals=0)
    ensure_renewal_extends(loan, dt.date(2026, 12, 10))
    with pytest.raises(Conflict) as refusal:
        ensure_renewal_extends(loan, dt.date(2026, 12, 9))
    assert (refusal.value.code, refusal.value.extra) == ("renewal_would_not_extend", {"due_date": "2026-12-09"})


def test_a_copy_on_loan_is_refused_with_until_when_and_to_whom():
    on_loan = CopyState("000000000017", "35.20.01.2002", "on_loan", borrower=2, due_date=dt.date(2026, 12, 7))
    with pytest.raises(Conflict) as refusal:
        ensure_can_check_out(on_loan, member(), ADULT, TODAY)
    assert refusal.value.extra == {"item_status": "on_loan", "due_date": "2026-12-07", "same_member": False}
