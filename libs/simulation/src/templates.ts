import type { Rng } from './prng';

export type ReportCategory =
  'suspected-case' | 'illegal-entry' | 'quarantine-violation' | 'gathering' | 'other';

/** What a report description may mention: places and numbers only, never a person. */
export interface ReportContext {
  /** A named place ("chợ Hạ Long I", "cửa khẩu Hoành Mô") or the district's name. */
  place: string;
  district: string;
  /** For illegal entry: across the land border (default), landing by sea, or found inland. */
  entry?: 'border' | 'sea' | 'inland';
}

/**
 * Vietnamese descriptions of urgent reports, as a duty officer would type them from a call.
 * Slots: {place}, {district}, {n} (a small head count), {k} (a neighbourhood number), {h} (hour).
 */
const TEMPLATES: Record<ReportCategory, readonly string[]> = {
  'suspected-case': [
    'Người dân báo tại {place} có {n} người sốt, ho, mất vị giác sau khi đi từ vùng có dịch về, chưa khai báo y tế.',
    'Tổ Covid cộng đồng khu {k}, {district} phát hiện một hộ gia đình có người sốt cao, khó thở, đề nghị lấy mẫu xét nghiệm.',
    'Nhà thuốc gần {place} báo trong ngày có nhiều người mua thuốc hạ sốt, thuốc ho; nghi có ca mắc trong khu dân cư.',
    'Công nhân làm việc tại {place} báo có {n} người cùng tổ nghỉ làm vì sốt, đau họng.',
    'Lái xe chở hàng vừa về {district} có biểu hiện sốt, ho, đang ở nhà trọ khu {k}, chưa đi xét nghiệm.',
  ],
  'illegal-entry': [
    'Phát hiện {n} người lạ nghi nhập cảnh trái phép qua đường mòn, lối mở gần {place}, đang di chuyển về phía trung tâm {district}.',
    'Người dân báo có xe máy chở {n} người từ hướng biên giới về, không qua chốt kiểm soát, dừng lại ở khu {k}.',
    'Tổ tự quản phát hiện {n} người mới từ bên kia biên giới về, không khai báo, đang ở nhờ nhà người quen tại khu {k}, {district}.',
  ],
  'quarantine-violation': [
    'Người đang cách ly tại nhà ở khu {k}, {district} tự ý ra ngoài đi chợ, không đeo khẩu trang.',
    'Hộ gia đình có F1 cách ly tại nhà gần {place} vẫn tiếp khách, trong ngày có {n} người ra vào.',
    'Người cách ly tập trung tại {district} trèo tường ra ngoài khoảng {h} giờ, chưa rõ đi đâu.',
    'Cửa hàng tạp hóa trong khu phong tỏa gần {place} vẫn mở cửa bán hàng.',
  ],
  gathering: [
    'Quán karaoke gần {place} vẫn hoạt động, tụ tập khoảng {n} người, không thực hiện 5K.',
    'Đám cưới tại khu {k}, {district} tổ chức đông người, vượt quá số lượng cho phép.',
    'Nhóm khoảng {n} người tụ tập uống rượu tại nhà văn hóa khu {k}, {district}.',
    'Chợ tạm gần {place} họp đông người từ sáng sớm, không giữ khoảng cách.',
  ],
  other: [
    'Người dân hỏi thủ tục khai báo y tế khi đi từ {district} sang tỉnh khác.',
    'Đề nghị bố trí thêm điểm lấy mẫu xét nghiệm gần {place}, người dân phải chờ lâu.',
    'Báo rác thải y tế (khẩu trang, đồ bảo hộ) vứt bừa bãi gần {place}.',
    'Lái xe tải hỏi quy định xét nghiệm khi qua chốt kiểm soát tại {district}.',
  ],
};

/** Illegal entry away from the land border: landing on the coast, or people found inland. */
const ILLEGAL_ENTRY_ELSEWHERE: Record<'sea' | 'inland', readonly string[]> = {
  sea: [
    'Khoảng {h} giờ, thuyền cập bến gần {place} đưa {n} người lên bờ, nghi nhập cảnh trái phép.',
    'Ngư dân báo có tàu lạ neo ngoài khơi {district}, thả xuồng đưa {n} người vào bờ ban đêm.',
  ],
  inland: [
    'Chủ nhà trọ khu {k}, {district} báo có {n} người mới đến không có giấy tờ, nghi nhập cảnh trái phép.',
    'Tổ tự quản phát hiện {n} người mới từ bên kia biên giới về, không khai báo, đang ở nhờ nhà người quen tại khu {k}, {district}.',
  ],
};

export function describeReport(rng: Rng, category: ReportCategory, ctx: ReportContext): string {
  const elsewhere = category === 'illegal-entry' && ctx.entry && ctx.entry !== 'border';
  const templates = elsewhere
    ? ILLEGAL_ENTRY_ELSEWHERE[ctx.entry as 'sea' | 'inland']
    : TEMPLATES[category];
  const template = rng.pick(templates);
  const text = template.replace(/\{(place|district|n|k|h)\}/g, (_, slot: string) => {
    switch (slot) {
      case 'place':
        return ctx.place;
      case 'district':
        return ctx.district;
      case 'n':
        return String(rng.int(2, 15));
      case 'k':
        return String(rng.int(1, 12));
      default:
        return String(rng.pick([5, 6, 19, 20, 21, 22, 23]));
    }
  });
  return text.charAt(0).toUpperCase() + text.slice(1);
}
