"""Directives as data (spec: directives.md): agencies, deadlines, leaders and documents of one section.

Table-driven: each row is one sentence or short section written in the portals' official style.
The headings are neutral on purpose (nothing in them to extract), so every expectation comes
from the text.
"""

import datetime

import pytest

from scraper.pages.directives import parse_directive

HEADING = "Chỉ đạo, điều hành nổi bật trong tuần"


def week(year, month, day):
    """The digest's week (Monday to Sunday) starting on the given day."""
    start = datetime.date(year, month, day)
    return start, start + datetime.timedelta(days=6)


NO_WEEK = (None, None)
WEEK = week(2024, 3, 4)  # 04/3/2024 - 10/3/2024


def parse(text, wk=WEEK, heading=HEADING):
    return parse_directive(heading, text, *wk)


def names(agencies):
    return [a["name"] for a in agencies]


# ---------------------------------------------------------------------------------------------
# Agencies: (text, lead names, partner names)
# ---------------------------------------------------------------------------------------------
AGENCY_CASES = [
    pytest.param("UBND tỉnh giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ rà soát, tổng hợp nhu cầu kinh phí thực hiện chính sách tinh giản biên chế.",
                 ["Sở Tài chính"], ["Sở Nội vụ"], id="giao-X-chu-tri-phoi-hop-voi-Y"),
    pytest.param("Sở Y tế chủ trì, phối hợp với Công an tỉnh kiểm tra công tác bảo đảm an toàn thực phẩm tại các bếp ăn tập thể.",
                 ["Sở Y tế"], ["Công an tỉnh"], id="X-chu-tri-without-giao"),
    pytest.param("Đồng chí Lường Văn Quý, Phó Chủ tịch UBND tỉnh, Trưởng Ban Chỉ đạo phong trào chủ trì buổi làm việc.",
                 [], [], id="a-person-titled-Truong-Ban-chairs-no-agency-leads"),
    pytest.param("Chủ tịch UBND tỉnh yêu cầu Sở Công Thương tăng cường kiểm tra, kiểm soát thị trường, không để xảy ra tình trạng găm hàng, tăng giá bất hợp lý.",
                 ["Sở Công Thương"], [], id="yeu-cau-X"),
    pytest.param("UBND tỉnh đề nghị Công an tỉnh chỉ đạo lực lượng chức năng tăng cường tuần tra, kiểm soát, xử lý nghiêm các hành vi vi phạm trật tự an toàn giao thông.",
                 ["Công an tỉnh"], [], id="de-nghi-X-forces-not-agency"),
    pytest.param("Giao cho Sở Giáo dục và Đào tạo hướng dẫn các trường học xây dựng kế hoạch dạy học năm học 2024-2025.",
                 ["Sở Giáo dục và Đào tạo"], [], id="giao-cho-X-schools-not-agency"),
    pytest.param("Giao Sở KH&ĐT chủ trì tham mưu phân bổ chi tiết kế hoạch vốn đầu tư công năm 2025.",
                 ["Sở Kế hoạch và Đầu tư"], [], id="abbreviation-KH&ĐT"),
    pytest.param("UBND tỉnh giao Sở LĐ-TB&XH phối hợp với UBND các huyện, thành phố rà soát danh sách hộ nghèo, hộ cận nghèo.",
                 ["Sở Lao động - Thương binh và Xã hội"], ["UBND các huyện, thành phố"], id="abbreviation-LĐ-TB&XH-giao-X-phoi-hop-voi-Y"),
    pytest.param("UBND tỉnh giao Sở Tài chính, Sở Nội vụ và UBND các huyện, thành phố khẩn trương hoàn thiện hồ sơ, thủ tục theo quy định.",
                 ["Sở Tài chính", "Sở Nội vụ", "UBND các huyện, thành phố"], [], id="three-leads-comma-and-va"),
    pytest.param("Giao Sở Xây dựng; Sở Tư pháp; Sở Nội vụ theo dõi, đôn đốc việc thực hiện các kết luận kiểm tra.",
                 ["Sở Xây dựng", "Sở Tư pháp", "Sở Nội vụ"], [], id="three-leads-semicolons"),
    pytest.param("Đề nghị Sở Tài chính và Sở Nội vụ sớm có ý kiến thẩm định đối với đề án vị trí việc làm.",
                 ["Sở Tài chính", "Sở Nội vụ"], [], id="de-nghi-two-joined-by-va"),
    pytest.param("Giao Sở Giáo dục và Đào tạo và Sở Y tế hướng dẫn các cơ sở giáo dục triển khai công tác y tế trường học.",
                 ["Sở Giáo dục và Đào tạo", "Sở Y tế"], [], id="va-inside-a-name-and-between-names"),
    pytest.param("Sở Y tế bố trí tổ sơ cứu, xe cứu thương thường trực tại khu vực tổ chức lễ hội.",
                 [], [], id="agency-subject-without-trigger-is-not-lead"),
    pytest.param("Công an tỉnh phối hợp với Sở Tư pháp tổ chức tuyên truyền pháp luật về phòng, chống ma túy tại các thôn, bản.",
                 [], ["Sở Tư pháp"], id="no-trigger-but-partner-named"),
    pytest.param("Giao Sở Công Thương chủ trì, phối hợp với các cơ quan liên quan xây dựng phương án bảo đảm cung ứng hàng hóa dịp Tết Nguyên đán.",
                 ["Sở Công Thương"], ["Các cơ quan, đơn vị liên quan"], id="partner-cac-co-quan-lien-quan-collective"),
    pytest.param("Giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính, Sở Xây dựng và UBND thành phố Lạng Sơn hoàn thiện hồ sơ đề xuất dự án.",
                 ["Sở Kế hoạch và Đầu tư"], ["Sở Tài chính", "Sở Xây dựng", "UBND thành phố Lạng Sơn"], id="three-partners"),
    pytest.param("Yêu cầu các sở, ban, ngành tỉnh, UBND các huyện, thành phố nghiêm túc thực hiện chế độ báo cáo định kỳ.",
                 ["Các sở, ban, ngành tỉnh", "UBND các huyện, thành phố"], [], id="two-collectives-with-inner-commas"),
    pytest.param("Giao các sở, ban, ngành tổ chức quán triệt nội dung kế hoạch đến toàn thể cán bộ, công chức.",
                 ["Các sở, ban, ngành tỉnh"], [], id="collective-so-ban-nganh-without-tinh"),
    pytest.param("Đề nghị UBND các xã, phường, thị trấn tăng cường tuyên truyền để người dân chủ động phòng, chống dịch bệnh.",
                 ["UBND các xã, phường, thị trấn"], [], id="collective-xa-phuong-citizens-not-agency"),
    pytest.param("UBND tỉnh giao Văn phòng UBND tỉnh theo dõi, đôn đốc các cơ quan thực hiện nhiệm vụ được giao.",
                 ["Văn phòng UBND tỉnh"], [], id="ubnd-tinh-giving-order-not-extracted"),
    pytest.param("Yêu cầu các doanh nghiệp kinh doanh xăng dầu trên địa bàn bảo đảm nguồn cung, không để gián đoạn.",
                 [], [], id="businesses-not-agencies"),
    pytest.param("Yêu cầu Công an tỉnh và các cơ quan, đơn vị liên quan tăng cường bảo đảm an ninh trật tự tại khu vực cửa khẩu.",
                 ["Công an tỉnh", "Các cơ quan, đơn vị liên quan"], [], id="known-and-collective-leads"),
    pytest.param("Giao Sở Thông tin và Truyền thông chủ trì, phối hợp với Văn phòng UBND tỉnh vận hành hệ thống thông tin báo cáo của tỉnh.",
                 ["Sở Thông tin và Truyền thông"], ["Văn phòng UBND tỉnh"], id="van-phong-ubnd-as-partner"),
    pytest.param("Giao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính tham mưu phương án sắp xếp đơn vị sự nghiệp; yêu cầu Sở Nội vụ báo cáo kết quả thực hiện.",
                 ["Sở Nội vụ"], ["Sở Tài chính"], id="same-lead-twice-listed-once"),
    pytest.param("Thời gian qua, công tác cải cách hành chính có nhiều chuyển biến tích cực. Chủ tịch UBND tỉnh yêu cầu Sở Nội vụ tiếp tục tham mưu nâng cao chỉ số cải cách hành chính.",
                 ["Sở Nội vụ"], [], id="lead-in-second-sentence"),
    pytest.param("Trung tâm Điều phối Khí tượng Mẫu Sơn chủ trì, phối hợp với Sở Tài nguyên và Môi trường theo dõi diễn biến thời tiết.",
                 ["Trung tâm Điều phối Khí tượng Mẫu Sơn"], ["Sở Tài nguyên và Môi trường"], id="unknown-agency-kept-as-written"),
    pytest.param("UBND tỉnh giao Ban Chỉ đạo phòng, chống dịch bệnh tỉnh chủ trì, phối hợp với Sở Y tế chuẩn bị khu cách ly.",
                 ["Ban Chỉ đạo phòng, chống dịch bệnh tỉnh"], ["Sở Y tế"], id="phong-chong-comma-inside-a-committee-name"),
    pytest.param("Giao Sở Nội vụ, Ban Chỉ đạo phòng, chống tham nhũng, tiêu cực tỉnh và Thanh tra tỉnh rà soát các vụ việc tồn đọng.",
                 ["Sở Nội vụ", "Ban Chỉ đạo phòng, chống tham nhũng, tiêu cực tỉnh", "Thanh tra tỉnh"], [], id="two-fixed-phrase-commas-inside-a-listed-name"),
    pytest.param("Yêu cầu Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn tỉnh theo dõi sát diễn biến mưa lũ.",
                 ["Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn tỉnh"], [], id="long-committee-name-eleven-words"),
    pytest.param("Yêu cầu Ban tổ chức hội chợ bố trí lực lượng bảo vệ, phòng cháy tại các gian hàng.",
                 ["Ban tổ chức hội chợ"], [], id="committee-named-by-its-duty-in-lower-case"),
    pytest.param("Đề nghị Ban tổ chức các giải chạy không để xảy ra ùn tắc trên các tuyến phố.",
                 ["Ban tổ chức các giải chạy"], [], id="committee-name-with-cac-ends-before-khong"),
    pytest.param("Giao Ban quản lý chợ Đông Kinh phối hợp với Công an thành phố kiểm tra hệ thống điện.",
                 ["Ban quản lý chợ Đông Kinh"], ["Công an thành phố"], id="committee-of-a-market-then-partner"),
    pytest.param("Giao các Sở: Tài chính, Xây dựng, Nội vụ rà soát hồ sơ các dự án chậm tiến độ.",
                 ["Sở Tài chính", "Sở Xây dựng", "Sở Nội vụ"], [], id="one-head-word-for-a-list-with-a-colon"),
    pytest.param("Giao các Sở Kế hoạch và Đầu tư, Tài chính và Xây dựng thẩm định phương án.",
                 ["Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Sở Xây dựng"], [], id="one-head-word-va-inside-and-between"),
    pytest.param("Giao Sở Y tế chủ trì, phối hợp với các Sở: Tài chính; Nội vụ tham mưu cơ chế hỗ trợ.",
                 ["Sở Y tế"], ["Sở Tài chính", "Sở Nội vụ"], id="one-head-word-for-partners"),
    pytest.param("Yêu cầu UBND các huyện: Cao Lộc, Lộc Bình và Đình Lập tăng cường kiểm tra.",
                 ["UBND huyện Cao Lộc", "UBND huyện Lộc Bình", "UBND huyện Đình Lập"], [], id="one-head-word-for-districts"),
    pytest.param("Chủ tịch UBND tỉnh chỉ đạo Sở Y tế khẩn trương kiểm tra công tác phòng, chống dịch.",
                 ["Sở Y tế"], [], id="chi-dao-X-by-the-chairman"),
    pytest.param("UBND tỉnh chỉ đạo các sở, ngành tăng cường kiểm tra việc chấp hành kỷ luật hành chính.",
                 ["Các sở, ban, ngành tỉnh"], [], id="chi-dao-collective-by-the-committee"),
    pytest.param("Sở Xây dựng chỉ đạo Ban quản lý dự án hoàn thiện hồ sơ quyết toán.",
                 [], [], id="a-department-directing-its-unit-is-no-order-of-the-committee"),
    pytest.param("Phó Chủ tịch UBND tỉnh chỉ đạo (Công văn số 12/UBND-KT) về việc sửa chữa cầu treo.",
                 [], [], id="chi-dao-with-no-agency-after-it"),
    pytest.param("Yêu cầu Giám đốc các sở, Thủ trưởng các ban, ngành; Chủ tịch UBND các huyện, thành phố nghiêm túc thực hiện.",
                 ["Các sở, ban, ngành tỉnh", "UBND các huyện, thành phố"], [], id="heads-of-departments-and-of-districts"),
    pytest.param("Yêu cầu Công an huyện Cao Lộc tăng cường tuần tra tại các điểm giáp ranh.",
                 ["Công an huyện Cao Lộc"], [], id="agency-of-a-district-named-by-shape"),
    pytest.param("Yêu cầu Ban tổ chức chuẩn bị kịch bản chi tiết cho buổi lễ.",
                 ["Ban tổ chức"], [], id="committee-duty-alone"),
    pytest.param("Ban hành kế hoạch kiểm tra; yêu cầu Sở Xây dựng chủ trì thực hiện.",
                 ["Sở Xây dựng"], [], id="ban-hanh-at-a-sentence-start-is-no-committee"),
    pytest.param("Giao Công an tỉnh phối hợp cùng Bộ Chỉ huy Bộ đội Biên phòng tỉnh tăng cường tuần tra khu vực biên giới.",
                 ["Công an tỉnh"], ["Bộ Chỉ huy Bộ đội Biên phòng tỉnh"], id="phoi-hop-cung-Y"),
    pytest.param("UBND tỉnh giao: Sở Công Thương chủ trì; Sở Tài chính, Cục Thuế tỉnh phối hợp kiểm tra giá mặt hàng xăng dầu.",
                 ["Sở Công Thương"], ["Sở Tài chính", "Cục Thuế tỉnh"], id="partners-named-first-in-their-own-clause"),
    pytest.param("Sở Tài chính phối hợp với Sở Nội vụ rà soát nhu cầu kinh phí thực hiện chế độ phụ cấp.",
                 [], ["Sở Nội vụ"], id="X-phoi-hop-voi-Y-X-assists-no-one"),
    pytest.param("Sở Y tế điều phối vắc xin cho các địa phương; Sở Giáo dục và Đào tạo phối hợp vận động phụ huynh.",
                 [], [], id="partners-first-in-a-sentence-that-gives-no-order"),
    pytest.param("Sở Văn hóa, Thể thao và Du lịch được giao chủ trì tổ chức Lễ hội mùa xuân năm 2024.",
                 ["Sở Văn hóa, Thể thao và Du lịch"], [], id="X-duoc-giao-chu-tri"),
    pytest.param("Giao Sở Y tế chủ trì, có sự phối hợp của Sở Tài chính và Bảo hiểm xã hội tỉnh.",
                 ["Sở Y tế"], ["Sở Tài chính", "Bảo hiểm xã hội tỉnh"], id="co-su-phoi-hop-cua"),
    pytest.param("Giao Sở Y tế chủ trì, phối hợp với: Sở Tài chính, Sở Nội vụ triển khai.",
                 ["Sở Y tế"], ["Sở Tài chính", "Sở Nội vụ"], id="phoi-hop-voi-colon"),
    pytest.param("Sở Y tế chủ trì, Sở Tài chính phối hợp bố trí kinh phí.",
                 ["Sở Y tế"], ["Sở Tài chính"], id="partners-after-the-leads-chu-tri-comma"),
    pytest.param("Kết quả phối hợp của các ngành được đánh giá cao; Sở Y tế tổ chức, Sở Tài chính phối hợp.",
                 [], [], id="no-role-given-no-partner"),
    pytest.param("Sở Tư pháp có trách nhiệm chủ trì, phối hợp với Sở Nội vụ rà soát văn bản.",
                 ["Sở Tư pháp"], ["Sở Nội vụ"], id="X-co-trach-nhiem-chu-tri"),
    pytest.param("UBND tỉnh giao các cơ quan: Sở Tài chính, Sở Xây dựng, Sở Nội vụ rà soát định mức.",
                 ["Sở Tài chính", "Sở Xây dựng", "Sở Nội vụ"], [], id="a-colon-opens-the-list-of-leads"),
    pytest.param("UBND tỉnh chỉ đạo: Sở Y tế khẩn trương bố trí cơ số thuốc dự phòng.",
                 ["Sở Y tế"], [], id="chi-dao-colon"),
    pytest.param("UBND tỉnh ủy quyền cho Sở Xây dựng phê duyệt điều chỉnh thiết kế.",
                 ["Sở Xây dựng"], [], id="uy-quyen-cho"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "leads", "partners"), AGENCY_CASES)
def test_agencies(text, leads, partners):
    got = parse(text)
    assert (names(got["lead_agencies"]), names(got["partner_agencies"])) == (leads, partners)


# (text, which list, [(name, as_written, known), ...])
AGENCY_DETAIL_CASES = [
    pytest.param("Giao Sở KH&ĐT chủ trì tham mưu phân bổ chi tiết kế hoạch vốn đầu tư công năm 2025.",
                 "lead_agencies", [("Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", True)], id="abbreviation-as-written-known"),
    pytest.param("UBND tỉnh giao Sở LĐ-TB&XH phối hợp với UBND các huyện, thành phố rà soát danh sách hộ nghèo.",
                 "lead_agencies", [("Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH", True)], id="abbreviation-LĐ-TB&XH-known"),
    pytest.param("Giao Sở Công Thương chủ trì, phối hợp với các cơ quan liên quan xây dựng phương án bảo đảm cung ứng hàng hóa.",
                 "partner_agencies", [("Các cơ quan, đơn vị liên quan", "các cơ quan liên quan", True)], id="collective-partner-as-written"),
    pytest.param("Trung tâm Điều phối Khí tượng Mẫu Sơn chủ trì, phối hợp với Sở Tài nguyên và Môi trường theo dõi diễn biến thời tiết.",
                 "lead_agencies", [("Trung tâm Điều phối Khí tượng Mẫu Sơn", "Trung tâm Điều phối Khí tượng Mẫu Sơn", False)], id="unknown-agency-known-false"),
    pytest.param("Giao Chi cục  Kiểm soát Cửa khẩu Tân Thanh chủ trì, phối hợp với Công an tỉnh rà soát quy trình thông quan.",
                 # as written in the record's text, which is stored normalized (whitespace collapsed)
                 "lead_agencies", [("Chi cục Kiểm soát Cửa khẩu Tân Thanh", "Chi cục Kiểm soát Cửa khẩu Tân Thanh", False)], id="unknown-agency-spacing-as-the-record-holds-it"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "key", "expected"), AGENCY_DETAIL_CASES)
def test_agency_as_written_and_known(text, key, expected):
    got = [(a["name"], a["as_written"], a["known"]) for a in parse(text)[key]]
    assert got == expected


# ---------------------------------------------------------------------------------------------
# Deadlines: (text, week, [(date, text as written), ...])
# ---------------------------------------------------------------------------------------------
DEADLINE_CASES = [
    pytest.param("Giao Sở Tài chính hoàn thành không muộn hơn ngày 20/3/2024.", WEEK,
                 [("2024-03-20", "hoàn thành không muộn hơn ngày 20/3/2024")], id="khong-muon-hon"),
    pytest.param("Giao Sở Y tế tổng hợp, báo cáo, muộn nhất là ngày 18/3.", WEEK,
                 [("2024-03-18", "muộn nhất là ngày 18/3")], id="muon-nhat"),
    pytest.param("Giao Sở Nội vụ rà soát danh sách. Thời hạn hoàn thành: ngày 15/3/2024.", WEEK,
                 [("2024-03-15", "Thời hạn hoàn thành: ngày 15/3/2024")], id="thoi-han-colon"),
    pytest.param("Giao Sở Xây dựng kiểm tra hiện trạng; hạn báo cáo: 22/3/2024.", WEEK,
                 [("2024-03-22", "hạn báo cáo: 22/3/2024")], id="han-bao-cao"),
    pytest.param("Giao Sở Công Thương hạn chế 15/3 điểm bán; gia hạn thêm 10 ngày.", WEEK, [],
                 id="han-che-is-no-deadline"),
    pytest.param("Các huyện gửi báo cáo trước 17h00 thứ Sáu, ngày 15/3/2024.", WEEK,
                 [("2024-03-15", "trước 17h00 thứ Sáu, ngày 15/3/2024")], id="hour-and-weekday-before-the-date"),
    pytest.param("Sở Y tế báo cáo trước thứ Sáu (15/3/2024).", WEEK,
                 [("2024-03-15", "trước thứ Sáu (15/3/2024)")], id="weekday-then-the-date-in-parentheses"),
    pytest.param("Hạn cuối: ngày 20/3/2024.", WEEK, [("2024-03-20", "Hạn cuối: ngày 20/3/2024")], id="han-cuoi"),
    pytest.param("Các huyện báo cáo kết quả trước ngày 20 hằng tháng.", WEEK,
                 [(None, "trước ngày 20 hằng tháng")], id="recurring-monthly"),
    pytest.param("Gửi báo cáo quý trước ngày 15 của tháng cuối quý.", WEEK,
                 [(None, "trước ngày 15 của tháng cuối quý")], id="recurring-quarterly"),
    pytest.param("Các đơn vị báo cáo trước thứ Hai tuần sau.", WEEK, [], id="a-weekday-alone-is-no-date"),
    pytest.param("Giao Sở Tư pháp thẩm định, trả lời trong thời hạn 10 ngày làm việc kể từ ngày nhận được hồ sơ.", WEEK,
                 [(None, "trong thời hạn 10 ngày làm việc kể từ ngày nhận được hồ sơ")], id="within-days-from-an-event"),
    pytest.param("Chủ đầu tư phải hoàn thành chậm nhất sau 30 ngày, kể từ khi được bàn giao mặt bằng.", WEEK,
                 [(None, "chậm nhất sau 30 ngày, kể từ khi được bàn giao mặt bằng")], id="cham-nhat-sau-days"),
    pytest.param("Các huyện tổng hợp, báo cáo trong vòng 05 ngày.", WEEK,
                 [(None, "trong vòng 05 ngày")], id="trong-vong-tied-to-bao-cao"),
    pytest.param("Trong vòng 10 ngày qua, trên địa bàn tỉnh xảy ra 3 vụ cháy rừng.", WEEK, [],
                 id="trong-vong-a-span-is-no-deadline"),
    pytest.param("Sở Y tế gửi báo cáo trước ngày 15/3/2024; trong thời hạn 03 tháng phải hoàn thành việc sắp xếp.", WEEK,
                 [("2024-03-15", "trước ngày 15/3/2024"), (None, "trong thời hạn 03 tháng")], id="dated-then-relative"),
    pytest.param("Hồ sơ được giải quyết trong thời hạn quy định.", WEEK, [], id="trong-thoi-han-with-no-count"),
    pytest.param("Giao Sở Nông nghiệp báo cáo UBND tỉnh xong trước ngày 12-3-2024.", WEEK,
                 [("2024-03-12", "xong trước ngày 12-3-2024")], id="hyphenated-date"),
    pytest.param("Giao Sở Tài nguyên và Môi trường hoàn thành trước ngày 15.3.2024.", WEEK,
                 [("2024-03-15", "hoàn thành trước ngày 15.3.2024")], id="dotted-date"),
    pytest.param("Giao Sở Tài chính cân đối, bố trí trước 15.3 tỷ đồng cho dự án.", WEEK, [],
                 id="a-decimal-after-truoc-is-no-date"),
    pytest.param("Giao Sở Tài chính tổng hợp, báo cáo UBND tỉnh trước ngày 05/3/2024.", week(2024, 2, 26),
                 [("2024-03-05", "trước ngày 05/3/2024")], id="truoc-ngay"),
    pytest.param("Các đơn vị hoàn thiện hồ sơ, gửi Sở Nội vụ chậm nhất vào ngày 25/4/2019 để tổng hợp.", week(2019, 4, 8),
                 [("2019-04-25", "chậm nhất vào ngày 25/4/2019")], id="cham-nhat-vao-ngay"),
    pytest.param("Yêu cầu Sở Y tế gửi báo cáo kết quả chậm nhất là ngày 10/10/2024.", week(2024, 9, 30),
                 [("2024-10-10", "chậm nhất là ngày 10/10/2024")], id="cham-nhat-la-ngay"),
    pytest.param("UBND các huyện, thành phố gửi danh sách về Sở Nội vụ chậm nhất 15/11/2024.", week(2024, 11, 4),
                 [("2024-11-15", "chậm nhất 15/11/2024")], id="cham-nhat-bare"),
    pytest.param("Các cơ quan gửi văn bản góp ý về Sở Tư pháp, hạn chót là ngày 20/12/2024.", week(2024, 12, 9),
                 [("2024-12-20", "hạn chót là ngày 20/12/2024")], id="han-chot-la-ngay"),
    pytest.param("Sở Xây dựng tổng hợp ý kiến tham gia, hạn ngày 30/9/2024.", week(2024, 9, 16),
                 [("2024-09-30", "hạn ngày 30/9/2024")], id="han-ngay"),
    pytest.param("Giao Sở Giáo dục và Đào tạo hoàn thành trong tháng 7/2023 việc rà soát, sắp xếp mạng lưới trường lớp.", week(2023, 6, 12),
                 [("2023-07-31", "hoàn thành trong tháng 7/2023")], id="hoan-thanh-trong-thang-last-day"),
    pytest.param("Yêu cầu chủ đầu tư đẩy nhanh tiến độ, hoàn thành trong tháng 2/2024.", week(2024, 1, 15),
                 [("2024-02-29", "hoàn thành trong tháng 2/2024")], id="month-leap-february"),
    pytest.param("Công trình phải hoàn thành xong trước ngày 15/8/2024 để đưa vào sử dụng.", week(2024, 7, 1),
                 [("2024-08-15", "hoàn thành xong trước ngày 15/8/2024")], id="hoan-thanh-xong-truoc-ngay"),
    pytest.param("Việc giải phóng mặt bằng phải xong trước ngày 31/5/2024.", week(2024, 4, 22),
                 [("2024-05-31", "xong trước ngày 31/5/2024")], id="xong-truoc-ngay"),
    pytest.param("Giao Sở Tài nguyên và Môi trường cập nhật bảng giá đất, thời gian hoàn thành trước ngày 30/6/2024.", week(2024, 5, 6),
                 [("2024-06-30", "thời gian hoàn thành trước ngày 30/6/2024")], id="thoi-gian-hoan-thanh"),
    pytest.param("Phấn đấu hoàn thành trong quý III/2024 việc cấp giấy chứng nhận quyền sử dụng đất lần đầu.", week(2024, 5, 13),
                 [("2024-09-30", "hoàn thành trong quý III/2024")], id="quarter-roman-last-day"),
    pytest.param("Giao Sở Kế hoạch và Đầu tư xây dựng đề án, trình UBND tỉnh trong quý IV/2024.", week(2024, 8, 5),
                 [("2024-12-31", "trong quý IV/2024")], id="trong-quy-tied-to-trinh"),
    pytest.param("Các huyện báo cáo kết quả thực hiện trong quý 1/2025.", week(2024, 11, 18),
                 [("2025-03-31", "trong quý 1/2025")], id="quarter-arabic"),
    pytest.param("Phấn đấu phủ sóng 4G đến toàn bộ các thôn, bản trong năm 2024.", week(2024, 1, 22),
                 [("2024-12-31", "trong năm 2024")], id="trong-nam-dec-31"),
    pytest.param("Giao Sở Nội vụ hoàn thiện dự thảo, trình UBND tỉnh xem xét trong tháng 10/2024.", week(2024, 9, 9),
                 [("2024-10-31", "trong tháng 10/2024")], id="trong-thang-tied-to-trinh"),
    pytest.param("Yêu cầu các đơn vị nộp báo cáo trước ngày 30 tháng 6 năm 2024.", week(2024, 6, 3),
                 [("2024-06-30", "trước ngày 30 tháng 6 năm 2024")], id="date-in-words"),
    pytest.param("Các sở, ngành gửi báo cáo về Văn phòng UBND tỉnh trước ngày 20/3.", week(2024, 3, 4),
                 [("2024-03-20", "trước ngày 20/3")], id="year-omitted-from-week"),
    pytest.param("Các huyện báo cáo nhanh tình hình về Sở Nông nghiệp và Môi trường trước 16 giờ ngày 12/3/2024.", week(2024, 3, 4),
                 [("2024-03-12", "trước 16 giờ ngày 12/3/2024")], id="hour-before-the-day"),
    pytest.param("Các đơn vị gửi danh sách trước 15h00, ngày 14/3.", week(2024, 3, 4),
                 [("2024-03-14", "trước 15h00, ngày 14/3")], id="hour-h-and-comma-before-the-day"),
    pytest.param("Yêu cầu Sở Tài chính tham mưu phương án phân bổ kinh phí trước ngày 15/01.", week(2024, 12, 23),
                 [("2025-01-15", "trước ngày 15/01")], id="december-week-january-deadline-next-year"),
    pytest.param("Yêu cầu các xã hoàn thành trong tháng 7 việc kiện toàn tổ an ninh cơ sở.", week(2024, 6, 3),
                 [("2024-07-31", "hoàn thành trong tháng 7")], id="month-without-year-from-week"),
    pytest.param("Các sở, ngành gửi báo cáo về Văn phòng UBND tỉnh trước ngày 20/3.", NO_WEEK,
                 [(None, "trước ngày 20/3")], id="no-week-no-year-date-null"),
    pytest.param("Các sở, ngành gửi báo cáo về Văn phòng UBND tỉnh trước ngày 20/3/2024.", NO_WEEK,
                 [("2024-03-20", "trước ngày 20/3/2024")], id="no-week-explicit-year"),
    pytest.param("Yêu cầu hoàn thiện hồ sơ trước ngày 31/02/2024.", week(2024, 2, 5),
                 [(None, "trước ngày 31/02/2024")], id="impossible-date-null"),
    pytest.param("Tuần lễ Văn hóa, Du lịch tỉnh diễn ra từ ngày 15/11 đến ngày 21/11/2024 tại thành phố Lạng Sơn.", week(2024, 11, 4),
                 [], id="event-period-not-deadline"),
    pytest.param("Giải chạy việt dã dự kiến diễn ra trong tháng 12/2024 tại thành phố Lạng Sơn.", week(2024, 10, 7),
                 [], id="du-kien-dien-ra-not-deadline"),
    pytest.param("Trong năm 2023, toàn tỉnh đã giải ngân được 95% kế hoạch vốn đầu tư công.", week(2024, 1, 8),
                 [], id="trong-nam-not-tied-to-completion"),
    pytest.param("Giao Sở Y tế báo cáo trước ngày 10/4/2024; hoàn thành trong quý II/2024 việc mua sắm trang thiết bị.", week(2024, 3, 25),
                 [("2024-04-10", "trước ngày 10/4/2024"), ("2024-06-30", "hoàn thành trong quý II/2024")], id="two-deadlines-in-order"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "wk", "expected"), DEADLINE_CASES)
def test_deadlines(text, wk, expected):
    got = [(d["date"], d["text"]) for d in parse(text, wk)["deadlines"]]
    assert got == expected


# ---------------------------------------------------------------------------------------------
# Leaders: (text, [leader as written, ...])
# ---------------------------------------------------------------------------------------------
LEADER_CASES = [
    pytest.param("Chủ tịch UBND tỉnh yêu cầu các sở, ban, ngành tập trung tháo gỡ khó khăn cho doanh nghiệp.",
                 ["Chủ tịch UBND tỉnh"], id="role-chu-tich"),
    pytest.param("Sáng 12/3, Phó Chủ tịch UBND tỉnh chủ trì cuộc họp nghe báo cáo tiến độ dự án.",
                 ["Phó Chủ tịch UBND tỉnh"], id="role-pho-chu-tich-not-also-chu-tich"),
    pytest.param("Phó Chủ tịch Thường trực UBND tỉnh đã ký ban hành kế hoạch triển khai nhiệm vụ.",
                 ["Phó Chủ tịch Thường trực UBND tỉnh"], id="role-pho-chu-tich-thuong-truc"),
    pytest.param("Thực hiện ý kiến chỉ đạo của lãnh đạo UBND tỉnh, Văn phòng UBND tỉnh thông báo đến các cơ quan.",
                 ["lãnh đạo UBND tỉnh"], id="role-lanh-dao"),
    pytest.param("Chủ tịch Ủy ban nhân dân tỉnh ký ban hành Chỉ thị về tăng cường công tác phòng cháy, chữa cháy.",
                 ["Chủ tịch Ủy ban nhân dân tỉnh"], id="role-full-name-of-committee"),
    pytest.param("Đồng chí Hoàng Văn Minh, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh chủ trì hội nghị trực tuyến với các huyện.",
                 ["Đồng chí Hoàng Văn Minh, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"], id="named-official-with-roles-ends-before-chu-tri"),
    pytest.param("Tại buổi làm việc, đồng chí Vi Thị Lan, Phó Chủ tịch UBND tỉnh yêu cầu các đơn vị khẩn trương khắc phục tồn tại.",
                 ["đồng chí Vi Thị Lan, Phó Chủ tịch UBND tỉnh"], id="named-official-ends-before-yeu-cau"),
    pytest.param("Ngày 15/3, đồng chí  Nông Văn   Bình, Phó Chủ tịch UBND tỉnh đã ký Quyết định phê duyệt kế hoạch.",
                 ["đồng chí Nông Văn Bình, Phó Chủ tịch UBND tỉnh"], id="named-official-whitespace-collapsed-ends-before-da"),
    pytest.param("Thực hiện chỉ đạo của đồng chí Lương Thị Hà, Phó Chủ tịch UBND tỉnh; các sở, ngành đã tổ chức kiểm tra.",
                 ["đồng chí Lương Thị Hà, Phó Chủ tịch UBND tỉnh"], id="named-official-ends-at-semicolon"),
    pytest.param("Hội nghị sơ kết công tác quý I do đồng chí Hoàng Văn Minh, Chủ tịch UBND tỉnh chủ trì.",
                 ["đồng chí Hoàng Văn Minh, Chủ tịch UBND tỉnh"], id="role-inside-named-span-not-listed-again"),
    pytest.param("Phó Chủ tịch UBND tỉnh chỉ đạo Sở Y tế rà soát; Chủ tịch UBND tỉnh yêu cầu báo cáo kết quả. Phó Chủ tịch UBND tỉnh nhấn mạnh yêu cầu tiến độ.",
                 ["Phó Chủ tịch UBND tỉnh", "Chủ tịch UBND tỉnh"], id="two-roles-in-order-no-duplicates"),
    pytest.param("Đồng chí Hoàng Văn Minh, Chủ tịch UBND tỉnh chủ trì hội nghị. Chủ tịch UBND tỉnh yêu cầu Sở Tài chính bổ sung kinh phí.",
                 ["Đồng chí Hoàng Văn Minh, Chủ tịch UBND tỉnh"], id="named-official-then-the-same-role-alone-is-one-leader"),
    pytest.param("Phó Chủ tịch Ủy ban nhân dân tỉnh yêu cầu các huyện báo cáo. Sau đó đồng chí Vi Thị Lan, Phó Chủ tịch UBND tỉnh kiểm tra thực địa.",
                 ["đồng chí Vi Thị Lan, Phó Chủ tịch UBND tỉnh"], id="the-role-alone-first-and-in-full-is-the-same-leader"),
    pytest.param("Đồng chí Vi Thị Lan, Phó Chủ tịch UBND tỉnh chủ trì cuộc họp. Chủ tịch UBND tỉnh yêu cầu hoàn thành sớm.",
                 ["Đồng chí Vi Thị Lan, Phó Chủ tịch UBND tỉnh", "Chủ tịch UBND tỉnh"], id="another-role-alone-is-another-leader"),
    pytest.param("Đồng chí Đoàn Thu Hà, Phó Chủ tịch UBND tỉnh, Trưởng Ban Chỉ đạo phòng, chống thiên tai tỉnh chủ trì họp trực tuyến.",
                 ["Đồng chí Đoàn Thu Hà, Phó Chủ tịch UBND tỉnh, Trưởng Ban Chỉ đạo phòng, chống thiên tai tỉnh"], id="a-title-with-phong-chong-is-not-cut-at-its-comma"),
    pytest.param("Phó Chủ tịch Thường trực UBND tỉnh Đoàn Thu Hà chủ trì hội nghị giao ban.",
                 ["Phó Chủ tịch Thường trực UBND tỉnh Đoàn Thu Hà"], id="role-then-its-holder"),
    pytest.param("Chủ tịch UBND tỉnh Lạng Sơn yêu cầu các sở rà soát.",
                 ["Chủ tịch UBND tỉnh"], id="the-province-is-no-holder"),
    pytest.param("Tại buổi làm việc, đồng chí Phó Chủ tịch UBND tỉnh Nông Văn Bình yêu cầu khắc phục ngay.",
                 ["đồng chí Phó Chủ tịch UBND tỉnh Nông Văn Bình"], id="dong-chi-role-then-holder"),
    pytest.param("Đ/c Lương Thị Hà, Phó Chủ tịch UBND tỉnh đi kiểm tra công trình.",
                 ["Đ/c Lương Thị Hà, Phó Chủ tịch UBND tỉnh"], id="d-c-abbreviation-ends-before-di"),
    pytest.param("Ông Hoàng Văn Minh, Chủ tịch UBND tỉnh chủ trì cuộc họp.",
                 ["Ông Hoàng Văn Minh, Chủ tịch UBND tỉnh"], id="ong-with-a-role"),
    pytest.param("Ông Hoàng Văn Nam ở thôn Khuổi Phầy được hỗ trợ làm nhà.",
                 [], id="ong-without-a-role-is-no-official"),
    pytest.param("UBND tỉnh giao Sở Y tế chủ trì, phối hợp với các địa phương triển khai chiến dịch tiêm chủng.",
                 [], id="no-leader"),
    pytest.param("Văn phòng UBND tỉnh thông báo lịch tiếp công dân định kỳ của lãnh đạo UBND tỉnh trong tháng 4.",
                 [], id="a-role-owning-a-thing-gives-no-order"),
    pytest.param("Sở Tài chính tổng hợp, báo cáo Chủ tịch UBND tỉnh kết quả rà soát trước ngày 20/3/2024.",
                 [], id="a-role-reported-to-gives-no-order"),
    pytest.param("Giao Sở Nội vụ tham mưu, trình Phó Chủ tịch UBND tỉnh xem xét phương án sắp xếp.",
                 [], id="a-role-submitted-to-gives-no-order"),
    pytest.param("Các huyện báo cáo đồng chí Vi Thị Lan, Phó Chủ tịch UBND tỉnh tiến độ giải phóng mặt bằng.",
                 [], id="a-named-official-reported-to-gives-no-order"),
    pytest.param("Theo ý kiến kết luận của Phó Chủ tịch UBND tỉnh, các sở rà soát lại danh mục dự án.",
                 ["Phó Chủ tịch UBND tỉnh"], id="a-role-whose-conclusion-is-cited-gave-the-order"),
    pytest.param("Thực hiện Quyết định của Chủ tịch UBND tỉnh, Sở Xây dựng kiểm tra các công trình.",
                 ["Chủ tịch UBND tỉnh"], id="a-role-whose-decision-is-cited-signed-it"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), LEADER_CASES)
def test_leaders(text, expected):
    assert parse(text)["leaders"] == expected


# ---------------------------------------------------------------------------------------------
# Documents: (text, week, [doc_id, ...])
# ---------------------------------------------------------------------------------------------
DOCUMENT_CASES = [
    pytest.param("UBND tỉnh ban hành Quyết định số 379/QĐ-UBND ngày 27/02/2024 về việc phê duyệt danh mục dự án; đồng thời triển khai Kế hoạch số 51 /KH-UBND ngày 01/3/2024.",
                 WEEK, ["379/QD-UBND@2024", "51/KH-UBND@2024"], id="two-documents-in-order"),
    pytest.param("Thực hiện Quyết định số 379/QĐ-UBND ngày 27/02/2024, giao Sở Y tế tổ chức triển khai theo đúng nội dung Quyết định số 379/QD-UBND.",
                 WEEK, ["379/QD-UBND@2024"], id="same-document-different-spelling-once"),
    pytest.param("Triển khai Nghị quyết số 07/2023/NQ-HĐND của HĐND tỉnh và Chỉ thị số 28-CT/TW của Ban Bí thư, UBND tỉnh yêu cầu các sở, ban, ngành quán triệt thực hiện.",
                 WEEK, ["07/2023/NQ-HDND", "28-CT/TW"], id="normative-and-party"),
    pytest.param("UBND tỉnh ban hành Công văn số 1120 /UBND-KGVX đề nghị các huyện tăng cường công tác phòng, chống dịch bệnh.",
                 week(2023, 10, 9), ["1120/UBND-KGVX@2023"], id="cong-van-year-from-week"),
    pytest.param("UBND tỉnh ban hành Thông báo số 318/TB-UBND về kết luận của Chủ tịch UBND tỉnh tại cuộc họp.",
                 NO_WEEK, ["318/TB-UBND@?"], id="no-date-no-week"),
    pytest.param("Đến nay, toàn tỉnh đã hoàn thành 15/20 chỉ tiêu chủ yếu, đạt 75% kế hoạch năm.",
                 WEEK, [], id="no-documents"),
    pytest.param("Thực hiện Quyết định số 380/QÐ–UBND ngày 27/02/2024, UBND tỉnh giao Sở Y tế triển khai.",
                 WEEK, ["380/QD-UBND@2024"], id="look-alike-eth-and-dash"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "wk", "expected"), DOCUMENT_CASES)
def test_documents(text, wk, expected):
    assert parse(text, wk)["documents"] == expected


def test_result_has_the_five_keys():
    got = parse("Giao Sở Tài chính chủ trì, báo cáo UBND tỉnh trước ngày 20/3/2024.")
    assert set(got) == {"lead_agencies", "partner_agencies", "deadlines", "leaders", "documents"}
