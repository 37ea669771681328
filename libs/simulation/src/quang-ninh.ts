/**
 * Where Covid-19 cases concentrated in Quảng Ninh (docs quang-ninh.md): the cities, the
 * western road entry, ports and the border gates. Coordinates are APPROXIMATE, from general
 * knowledge, good to a few kilometres; the simulator moves each point into its district's
 * (itself approximate) seed geometry, so nothing here is fit for any operational use.
 * Units are the 2021 district-level GSO codes of the seed.
 */

export type HotspotKind =
  'city' | 'market' | 'tourism' | 'industrial' | 'port' | 'airport' | 'border-gate' | 'road-entry';

export interface Hotspot {
  /** How reports name the place (Vietnamese). */
  name: string;
  unitCode: string;
  /** Approximate. */
  lat: number;
  lon: number;
  kind: HotspotKind;
  /** Relative chance that a community cluster starts here. */
  clusterWeight: number;
  /** Relative chance that an imported case enters here (0: not an entry point). */
  entryWeight: number;
}

type Row = [
  name: string,
  unit: string,
  lat: number,
  lon: number,
  kind: HotspotKind,
  cluster: number,
  entry: number,
];

// prettier-ignore
const ROWS: Row[] = [
  // name (as reports say it)                   unit   lat (approx.) lon        kind          cluster entry
  // Hạ Long: provincial capital, Cái Lân port, Bãi Cháy tourist area
  ['trung tâm thành phố Hạ Long',               '193', 20.953,  107.083, 'city',        4,   0],
  ['chợ Hạ Long I',                             '193', 20.951,  107.09,  'market',      2,   0],
  ['khu du lịch Bãi Cháy',                      '193', 20.957,  107.05,  'tourism',     1.5, 0],
  ['cảng Cái Lân',                              '193', 20.975,  107.045, 'port',        1.5, 1.5],
  // Cẩm Phả: coal mining, port
  ['trung tâm thành phố Cẩm Phả',               '195', 21.01,   107.28,  'city',        3,   0],
  ['cảng Cẩm Phả (Cửa Ông)',                    '195', 21.03,   107.36,  'port',        1,   1],
  ['khu mỏ than Mông Dương',                    '195', 21.07,   107.33,  'industrial',  1.5, 0],
  // Uông Bí
  ['trung tâm thành phố Uông Bí',               '196', 21.035,  106.77,  'city',        2.5, 0],
  // Móng Cái: international border gate (Bắc Luân bridge), land and sea border
  ['trung tâm thành phố Móng Cái',              '194', 21.525,  107.965, 'city',        2.5, 0],
  ['cửa khẩu quốc tế Móng Cái (cầu Bắc Luân)',  '194', 21.545,  107.962, 'border-gate', 1.5, 4],
  ['khu chuyển tải Vạn Gia',                    '194', 21.49,   107.99,  'port',        0.5, 1],
  // Đông Triều: western road entry from Hải Dương (QL18)
  ['cửa ngõ QL18 giáp Hải Dương',               '205', 21.056,  106.46,  'road-entry',  2,   2],
  ['thị trấn Mạo Khê',                          '205', 21.06,   106.6,   'industrial',  1.5, 0],
  // Quảng Yên: shipyards
  ['nhà máy sửa chữa tàu biển Quảng Yên',       '206', 20.93,   106.79,  'industrial',  1.2, 0.5],
  // Vân Đồn: international airport (repatriation flights)
  ['sân bay Vân Đồn',                           '203', 21.118,  107.414, 'airport',     1.2, 3],
  // Hải Hà: Bắc Phong Sinh border gate, seaport
  ['cửa khẩu Bắc Phong Sinh',                   '201', 21.61,   107.62,  'border-gate', 0.8, 1.5],
  ['cảng biển Hải Hà',                          '201', 21.42,   107.8,   'port',        0.5, 0.8],
  // Bình Liêu: Hoành Mô border gate
  ['cửa khẩu Hoành Mô',                         '198', 21.566,  107.467, 'border-gate', 0.6, 1.2],
  // Tiên Yên: road junction to the border districts
  ['ngã ba Tiên Yên (QL18 - QL4B)',             '199', 21.33,   107.4,   'road-entry',  0.8, 0],
];

export const QUANG_NINH_HOTSPOTS: readonly Hotspot[] = ROWS.map(
  ([name, unitCode, lat, lon, kind, clusterWeight, entryWeight]) => ({
    name,
    unitCode,
    lat,
    lon,
    kind,
    clusterWeight,
    entryWeight,
  }),
);

/** Land-border districts named in the directive of Tết 2021: Móng Cái, Hải Hà, Bình Liêu. */
export const BORDER_UNIT_CODES: readonly string[] = ['194', '201', '198'];
/** Coastal districts where people may land by boat (illegal entry by sea). */
export const COASTAL_UNIT_CODES: readonly string[] = [
  '194',
  '201',
  '200',
  '199',
  '203',
  '207',
  '193',
  '195',
  '206',
];
