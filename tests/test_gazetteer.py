"""The gazetteer data, the matcher and the document's units list.

Spellings are real ones from the corpus and seeds (source noted)."""

import pytest

from vbextract.extract.unit_mentions import canonical_name
from vbextract.extract.unitlist import district_warnings, resolve, resolve_all
from vbextract.gazetteer import GazEntry, Gazetteer, check, gazetteer
from vbextract.schema import Meta, Recipient, Source, Task, UnitRef


def test_data_is_sound():
    g = gazetteer()
    assert len(g.entries) >= 100
    assert check(g) == []


def match(text: str):
    return gazetteer().match(canonical_name(text)).unit_id


# fmt: off
SPELLINGS = [
    ("Sở TT&TT", "so-thong-tin-va-truyen-thong"),
    ("Sở Thông tin - Truyền thông", "so-thong-tin-va-truyen-thong"),
    ("Sở Thông tin và Truyền thông tỉnh Quảng Trị", "so-thong-tin-va-truyen-thong"),
    ("Sở TTTT", "so-thong-tin-va-truyen-thong"),                 # S:003
    ("Sở KHĐT", "so-ke-hoach-va-dau-tu"),                        # S:003
    ("Sở Tài chính tỉnh Đắk Lắk", "so-tai-chinh"),
    ("Giám đốc Sở Y tế", "so-y-te"),
    ("Văn phòng UBND tỉnh", "van-phong-uy-ban-nhan-dan-tinh"),   # S:003
    ("Văn phòng Ủy ban nhân dân tỉnh", "van-phong-uy-ban-nhan-dan-tinh"),
    ("UBND cấp huyện", "uy-ban-nhan-dan-cap-huyen"),             # S:003
    ("UBND cấp xã", "uy-ban-nhan-dan-cap-xa"),
    ("Ủy ban nhân dân các xã, phường", "uy-ban-nhan-dan-cap-xa"),   # C:38
    ("Ủy ban nhân dân Thành phố", "uy-ban-nhan-dan-tinh"),        # C:22, a centrally governed city
    ("Công an Thành phố", "cong-an-tinh"),                        # C:10
    ("Bộ CHQS tỉnh", "bo-chi-huy-quan-su-tinh"),                  # C:05
    ("Trung tâm Phục vụ Hành chính công tỉnh", "trung-tam-phuc-vu-hanh-chinh-cong-tinh"),  # S:000
    ("Uỷ ban nhân dân tỉnh Lai Châu", "uy-ban-nhan-dan-tinh"),    # C:15, new tone style
    ("Bộ Tài nguyên và Môi trường", "bo-tai-nguyen-va-moi-truong"),  # C:50
    ("Thủ tướng Chính phủ", "thu-tuong-chinh-phu"),
    ("Phòng Nội chính", None),                                    # S:000: a body the gazetteer does not have
    ("Các phòng, ban, trung tâm trực thuộc", None),
]
NEAR_MISSES = [  # must never merge
    ("Sở Tư pháp", "Sở Tài chính"),
    ("Bộ Tài chính", "Sở Tài chính"),
    ("Sở Nội vụ", "Bộ Nội vụ"),
    ("Sở Nông nghiệp và Môi trường", "Sở Tài nguyên và Môi trường"),
    ("Ủy ban nhân dân cấp xã", "Ủy ban nhân dân cấp huyện"),
    ("Sở Văn hóa và Thể thao", "Sở Văn hóa, Thể thao và Du lịch"),
]
SUCCESSORS = [
    ("so-ke-hoach-va-dau-tu", "Sở Tài chính"),
    ("so-tai-nguyen-va-moi-truong", "Sở Nông nghiệp và Môi trường"),
    ("so-nong-nghiep-va-phat-trien-nong-thon", "Sở Nông nghiệp và Môi trường"),
    ("so-thong-tin-va-truyen-thong", "Sở Khoa học và Công nghệ"),
    ("bo-thong-tin-va-truyen-thong", "Bộ Khoa học và Công nghệ"),
    ("bo-ke-hoach-va-dau-tu", "Bộ Tài chính"),
    ("so-tai-chinh", None),
]
# fmt: on


@pytest.mark.parametrize("text,unit_id", SPELLINGS)
def test_real_spellings(text, unit_id):
    assert match(text) == unit_id


@pytest.mark.parametrize("a,b", NEAR_MISSES)
def test_near_misses_stay_apart(a, b):
    ida, idb = match(a), match(b)
    assert ida is not None and idb is not None and ida != idb


def test_fuzzy_never_crosses_the_head_word():
    g = Gazetteer([GazEntry(id="so-tai-chinh", name="Sở Tài chính", type="department", level="province")])
    assert g.match("Bộ Tài chính").unit_id is None
    assert g.match("Sở Tài chính.").unit_id == "so-tai-chinh"
    assert g.match("Sở Tài chinh").unit_id == "so-tai-chinh"  # a lost tone mark: fuzzy, same head


@pytest.mark.parametrize("unit_id,successor", SUCCESSORS)
def test_successors(unit_id, successor):
    s = gazetteer().successor_of(unit_id)
    assert (s.name if s else None) == successor


def test_a_dissolved_body_keeps_its_name_and_gets_a_successor():
    ref = resolve(UnitRef(text="Sở KH&ĐT", name="Sở KH&ĐT"))
    assert (ref.unit_id, ref.name) == ("so-ke-hoach-va-dau-tu", "Sở Kế hoạch và Đầu tư")
    src = Source(start=0, end=1)
    task = Task(id="T1", content="x", lead=[ref], origin="prose", source=src)
    (u,) = resolve_all(Meta(), [task])
    assert (u.name, u.successor, u.roles.lead) == ("Sở Kế hoạch và Đầu tư", "Sở Tài chính", 1)


def test_units_list_counts_roles_and_spellings():
    src = Source(start=0, end=1)
    t1 = Task(
        id="T1",
        content="a",
        lead=[UnitRef(text="Sở TTTT", name="Sở TTTT")],
        support=[UnitRef(text="UBND cấp xã", name="UBND cấp xã")],
        origin="table",
        source=src,
    )
    t2 = Task(
        id="T2",
        content="b",
        lead=[UnitRef(text="Sở Thông tin và Truyền thông", name="Sở Thông tin và Truyền thông")],
        origin="prose",
        source=src,
    )
    meta = Meta(
        recipients=[
            Recipient(text="UBND các xã, phường", unit=UnitRef(text="UBND các xã, phường", name="UBND các xã, phường"))
        ]
    )
    units = resolve_all(meta, [t1, t2])
    by_id = {u.unit_id: u for u in units}
    tt = by_id["so-thong-tin-va-truyen-thong"]
    assert tt.aliases == ["Sở TTTT", "Sở Thông tin và Truyền thông"] and tt.roles.lead == 2
    xa = by_id["uy-ban-nhan-dan-cap-xa"]
    assert (xa.roles.support, xa.roles.recipient) == (1, 1)


def test_unknown_unit_is_kept_with_its_cleaned_name():
    ref = resolve(UnitRef(text="Phòng Nội chính", name="Phòng Nội chính"))
    assert (ref.unit_id, ref.name) == (None, "Phòng Nội chính")


def test_district_level_after_july_2025_is_warned():
    src = Source(start=5, end=19)
    task = Task(
        id="T1",
        content="x",
        lead=[resolve(UnitRef(text="UBND cấp huyện", name="UBND cấp huyện", source=src))],
        origin="table",
        source=src,
    )
    assert [w.code for w in district_warnings(Meta(date="2025-11-18"), [task])] == ["W203"]
    assert district_warnings(Meta(date="2024-12-01"), [task]) == []
