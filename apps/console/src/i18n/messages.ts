/**
 * Every string the console shows. Vietnamese is the reference language; English must have the
 * same keys (the type below enforces it). `{name}` placeholders are filled by `t()`.
 */
const vi = {
  'app.name': 'Frontline',
  'app.subtitle': 'Trung tâm Chỉ huy phòng, chống dịch Covid-19',
  'app.skipToFeed': 'Chuyển đến danh sách sự kiện',

  'lang.switch': 'English',
  'lang.switchLabel': 'Chuyển giao diện sang tiếng Anh',

  'login.heading': 'Đăng nhập',
  'login.username': 'Tên đăng nhập',
  'login.password': 'Mật khẩu',
  'login.submit': 'Đăng nhập',
  'login.submitting': 'Đang đăng nhập…',
  'login.invalid': 'Sai tên đăng nhập hoặc mật khẩu.',
  'login.unreachable': 'Không kết nối được máy chủ. Vui lòng thử lại.',
  'login.failed': 'Đăng nhập không thành công (mã {status}). Vui lòng thử lại.',
  'login.expired': 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.',

  'header.jurisdiction': 'Địa bàn',
  'header.user': 'Người dùng',
  'header.logout': 'Đăng xuất',

  'role.commander': 'Chỉ huy trưởng',
  'role.duty-officer': 'Cán bộ trực ban',
  'role.field-team': 'Tổ công tác hiện trường',
  'role.lab': 'Cán bộ xét nghiệm',
  'role.admin': 'Quản trị hệ thống',

  'status.label': 'Trạng thái kết nối',
  'status.live': 'Trực tuyến',
  'status.reconnecting': 'Đang kết nối lại',
  'status.resyncing': 'Đang đồng bộ',
  'status.offline': 'Mất kết nối',
  'status.lastEvent': 'Sự kiện cuối: {time}',
  'status.noEvent': 'Chưa có sự kiện',

  'stale.reconnecting':
    'Kết nối bị gián đoạn từ {since}, đang kết nối lại. Sự kiện bị lỡ sẽ được bổ sung khi có kết nối.',
  'stale.offline':
    'MẤT KẾT NỐI từ {since}. Số liệu và danh sách dưới đây có thể đã cũ; hệ thống vẫn đang tự kết nối lại.',
  'stale.offlineNoData': 'Không tải được dữ liệu từ máy chủ. Hệ thống đang thử lại…',
  'stale.resyncing': 'Đang tải lại số liệu từ máy chủ. Dữ liệu dưới đây là lần cập nhật trước.',

  'counters.label': 'Số liệu trong địa bàn',
  'counters.asOf': 'Ngày {day} · số liệu lúc {time}',
  'counters.stale': 'có thể đã cũ',
  'counter.f0Today': 'F0 hôm nay',
  'counter.f0Last7Days': 'F0 7 ngày',
  'counter.f1Active': 'F1 đang theo dõi',
  'counter.testsToday': 'Xét nghiệm hôm nay',
  'counter.positivesToday': 'Dương tính hôm nay',
  'counter.openReports': 'Tin báo đang mở',

  'feed.title': 'Diễn biến trực tiếp',
  'feed.filterLabel': 'Lọc theo loại sự kiện',
  'feed.loading': 'Đang tải dữ liệu…',
  'feed.empty': 'Chưa có sự kiện nào trong địa bàn.',
  'feed.emptyFiltered': 'Không có sự kiện nào thuộc loại này.',
  'feed.count': '{shown} / {total} sự kiện gần nhất (giữ tối đa {max})',
  'feed.drill': 'DIỄN TẬP',

  'filter.all': 'Tất cả',
  'filter.case.confirmed': 'Ca F0',
  'filter.contact.identified': 'F1/F2',
  'filter.test.resulted': 'Xét nghiệm',
  'filter.report.received': 'Tin báo',
  'filter.report.acknowledged': 'Đã tiếp nhận',

  'event.case.confirmed': 'Ca F0 xác nhận',
  'event.contact.identified': 'F1/F2 được xác định',
  'event.test.resulted': 'Kết quả xét nghiệm',
  'event.report.received': 'Tin báo khẩn',
  'event.report.acknowledged': 'Tin báo đã được tiếp nhận',

  'severity.critical': 'Khẩn cấp',
  'severity.warning': 'Cảnh báo',
  'severity.info': 'Thông tin',

  'map.title': 'Bản đồ',
  'map.note':
    'Bản đồ tình hình (ca bệnh, vùng dịch, chốt kiểm soát) sẽ có khi hoàn thiện bảng điều khiển ở đợt phát triển tiếp theo.',

  'source.community': 'Cộng đồng',
  'source.quarantine': 'Trong khu cách ly',
  'source.imported': 'Nhập cảnh',
  'source.screening': 'Sàng lọc',
  'source.unknown': 'Chưa rõ nguồn lây',
  'method.rt-pcr': 'RT-PCR',
  'method.antigen': 'Test nhanh kháng nguyên',
  'result.positive': 'Dương tính',
  'result.negative': 'Âm tính',
  'result.inconclusive': 'Chưa xác định',
  'setting.household': 'Hộ gia đình',
  'setting.workplace': 'Nơi làm việc',
  'setting.market': 'Chợ',
  'setting.vehicle': 'Phương tiện',
  'setting.school': 'Trường học',
  'setting.healthcare': 'Cơ sở y tế',
  'setting.gathering': 'Tụ tập đông người',
  'setting.other': 'Khác',
  'channel.hotline': 'Đường dây nóng',
  'channel.officer': 'Cán bộ báo',
  'channel.public-form': 'Cổng tiếp nhận công khai',
  'channel.integration': 'Hệ thống liên thông',
  'category.suspected-case': 'Nghi nhiễm',
  'category.illegal-entry': 'Nhập cảnh trái phép',
  'category.quarantine-violation': 'Vi phạm cách ly',
  'category.gathering': 'Tụ tập đông người',
  'category.other': 'Khác',
  'summary.repositive': 'tái dương tính',
  'summary.pool': 'mẫu gộp {size}',
};

export type MessageKey = keyof typeof vi;
export type Messages = Record<MessageKey, string>;

const en: Messages = {
  'app.name': 'Frontline',
  'app.subtitle': 'Covid-19 Prevention and Control Command Center',
  'app.skipToFeed': 'Skip to the event list',

  'lang.switch': 'Tiếng Việt',
  'lang.switchLabel': 'Switch the interface to Vietnamese',

  'login.heading': 'Sign in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.invalid': 'Wrong username or password.',
  'login.unreachable': 'Cannot reach the server. Please try again.',
  'login.failed': 'Sign-in failed (code {status}). Please try again.',
  'login.expired': 'Your session has expired. Please sign in again.',

  'header.jurisdiction': 'Jurisdiction',
  'header.user': 'User',
  'header.logout': 'Sign out',

  'role.commander': 'Commander',
  'role.duty-officer': 'Duty officer',
  'role.field-team': 'Field team',
  'role.lab': 'Lab staff',
  'role.admin': 'Administrator',

  'status.label': 'Connection status',
  'status.live': 'Live',
  'status.reconnecting': 'Reconnecting',
  'status.resyncing': 'Syncing',
  'status.offline': 'Offline',
  'status.lastEvent': 'Last event: {time}',
  'status.noEvent': 'No events yet',

  'stale.reconnecting':
    'Connection interrupted at {since}, reconnecting. Missed events will be filled in once connected.',
  'stale.offline':
    'OFFLINE since {since}. Figures and events below may be out of date; reconnection continues automatically.',
  'stale.offlineNoData': 'Could not load data from the server. Retrying…',
  'stale.resyncing':
    'Reloading figures from the server. The data below is from the previous update.',

  'counters.label': 'Figures for the jurisdiction',
  'counters.asOf': 'Day {day} · figures as of {time}',
  'counters.stale': 'may be out of date',
  'counter.f0Today': 'F0 today',
  'counter.f0Last7Days': 'F0 last 7 days',
  'counter.f1Active': 'F1 under monitoring',
  'counter.testsToday': 'Tests today',
  'counter.positivesToday': 'Positives today',
  'counter.openReports': 'Open reports',

  'feed.title': 'Live feed',
  'feed.filterLabel': 'Filter by event type',
  'feed.loading': 'Loading data…',
  'feed.empty': 'No events in the jurisdiction yet.',
  'feed.emptyFiltered': 'No events of this type.',
  'feed.count': '{shown} / {total} latest events (at most {max} kept)',
  'feed.drill': 'DRILL',

  'filter.all': 'All',
  'filter.case.confirmed': 'F0 cases',
  'filter.contact.identified': 'F1/F2',
  'filter.test.resulted': 'Tests',
  'filter.report.received': 'Reports',
  'filter.report.acknowledged': 'Acknowledged',

  'event.case.confirmed': 'F0 case confirmed',
  'event.contact.identified': 'F1/F2 contact identified',
  'event.test.resulted': 'Test result',
  'event.report.received': 'Urgent report',
  'event.report.acknowledged': 'Report acknowledged',

  'severity.critical': 'Critical',
  'severity.warning': 'Warning',
  'severity.info': 'Information',

  'map.title': 'Map',
  'map.note':
    'The situation map (cases, epidemic zones, checkpoints) arrives with the full console in the next development issue.',

  'source.community': 'Community',
  'source.quarantine': 'In quarantine',
  'source.imported': 'Imported',
  'source.screening': 'Screening',
  'source.unknown': 'Unknown source',
  'method.rt-pcr': 'RT-PCR',
  'method.antigen': 'Rapid antigen',
  'result.positive': 'Positive',
  'result.negative': 'Negative',
  'result.inconclusive': 'Inconclusive',
  'setting.household': 'Household',
  'setting.workplace': 'Workplace',
  'setting.market': 'Market',
  'setting.vehicle': 'Vehicle',
  'setting.school': 'School',
  'setting.healthcare': 'Healthcare facility',
  'setting.gathering': 'Gathering',
  'setting.other': 'Other',
  'channel.hotline': 'Hotline',
  'channel.officer': 'Officer',
  'channel.public-form': 'Public form',
  'channel.integration': 'Connected system',
  'category.suspected-case': 'Suspected case',
  'category.illegal-entry': 'Illegal entry',
  'category.quarantine-violation': 'Quarantine violation',
  'category.gathering': 'Gathering',
  'category.other': 'Other',
  'summary.repositive': 're-positive',
  'summary.pool': 'pool of {size}',
};

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const MESSAGES: Record<Language, Messages> = { vi, en };
