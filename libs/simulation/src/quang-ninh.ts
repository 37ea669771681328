/**
 * Where Covid-19 cases concentrated in Quảng Ninh (docs quang-ninh.md): the cities, the
 * western road entry, ports and the border gates. Coordinates are APPROXIMATE, from general
 * knowledge, good to a few kilometres; the simulator moves each point into its district's
 * (itself approximate) seed geometry, so nothing here is fit for any operational use.
 * Units are the 2021 district-level GSO codes of the seed.
 */

export type HotspotKind =
  | 'city'
  | 'market'
  | 'tourism'
  | 'industrial'
  | 'port'
  | 'airport'
  | 'border-gate'
  | 'road-entry';

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

export const QUANG_NINH_HOTSPOTS: readonly Hotspot[] = [
  // Hạ Long (193): provincial capital, Cái Lân port, Bãi Cháy tourist area
  { name: 'trung tâm thành phố Hạ Long', unitCode: '193', lat: 20.953, lon: 107.083, kind: 'city', clusterWeight: 4, entryWeight: 0 },
  { name: 'chợ Hạ Long I', unitCode: '193', lat: 20.951, lon: 107.09, kind: 'market', clusterWeight: 2, entryWeight: 0 },
  { name: 'khu du lịch Bãi Cháy', unitCode: '193', lat: 20.957, lon: 107.05, kind: 'tourism', clusterWeight: 1.5, entryWeight: 0 },
  { name: 'cảng Cái Lân', unitCode: '193', lat: 20.975, lon: 107.045, kind: 'port', clusterWeight: 1.5, entryWeight: 1.5 },
  // Cẩm Phả (195): coal mining, port
  { name: 'trung tâm thành phố Cẩm Phả', unitCode: '195', lat: 21.01, lon: 107.28, kind: 'city', clusterWeight: 3, entryWeight: 0 },
  { name: 'cảng Cẩm Phả (Cửa Ông)', unitCode: '195', lat: 21.03, lon: 107.36, kind: 'port', clusterWeight: 1, entryWeight: 1 },
  { name: 'khu mỏ than Mông Dương', unitCode: '195', lat: 21.07, lon: 107.33, kind: 'industrial', clusterWeight: 1.5, entryWeight: 0 },
  // Uông Bí (196)
  { name: 'trung tâm thành phố Uông Bí', unitCode: '196', lat: 21.035, lon: 106.77, kind: 'city', clusterWeight: 2.5, entryWeight: 0 },
  // Móng Cái (194): international border gate (Bắc Luân bridge), land and sea border
  { name: 'trung tâm thành phố Móng Cái', unitCode: '194', lat: 21.525, lon: 107.965, kind: 'city', clusterWeight: 2.5, entryWeight: 0 },
  { name: 'cửa khẩu quốc tế Móng Cái (cầu Bắc Luân)', unitCode: '194', lat: 21.545, lon: 107.962, kind: 'border-gate', clusterWeight: 1.5, entryWeight: 4 },
  { name: 'khu chuyển tải Vạn Gia', unitCode: '194', lat: 21.49, lon: 107.99, kind: 'port', clusterWeight: 0.5, entryWeight: 1 },
  // Đông Triều (205): western road entry from Hải Dương (QL18)
  { name: 'cửa ngõ QL18 giáp Hải Dương', unitCode: '205', lat: 21.056, lon: 106.46, kind: 'road-entry', clusterWeight: 2, entryWeight: 2 },
  { name: 'thị trấn Mạo Khê', unitCode: '205', lat: 21.06, lon: 106.6, kind: 'industrial', clusterWeight: 1.5, entryWeight: 0 },
  // Quảng Yên (206): shipyards
  { name: 'nhà máy sửa chữa tàu biển Quảng Yên', unitCode: '206', lat: 20.93, lon: 106.79, kind: 'industrial', clusterWeight: 1.2, entryWeight: 0.5 },
  // Vân Đồn (203): international airport (repatriation flights)
  { name: 'sân bay Vân Đồn', unitCode: '203', lat: 21.118, lon: 107.414, kind: 'airport', clusterWeight: 1.2, entryWeight: 3 },
  // Hải Hà (201): Bắc Phong Sinh border gate, seaport
  { name: 'cửa khẩu Bắc Phong Sinh', unitCode: '201', lat: 21.61, lon: 107.62, kind: 'border-gate', clusterWeight: 0.8, entryWeight: 1.5 },
  { name: 'cảng biển Hải Hà', unitCode: '201', lat: 21.42, lon: 107.8, kind: 'port', clusterWeight: 0.5, entryWeight: 0.8 },
  // Bình Liêu (198): Hoành Mô border gate
  { name: 'cửa khẩu Hoành Mô', unitCode: '198', lat: 21.566, lon: 107.467, kind: 'border-gate', clusterWeight: 0.6, entryWeight: 1.2 },
  // Tiên Yên (199): road junction to the border districts
  { name: 'ngã ba Tiên Yên (QL18 - QL4B)', unitCode: '199', lat: 21.33, lon: 107.4, kind: 'road-entry', clusterWeight: 0.8, entryWeight: 0 },
];

/** Land-border districts named in the directive of Tết 2021: Móng Cái, Hải Hà, Bình Liêu. */
export const BORDER_UNIT_CODES: readonly string[] = ['194', '201', '198'];
/** Coastal districts where people may land by boat (illegal entry by sea). */
export const COASTAL_UNIT_CODES: readonly string[] = ['194', '201', '200', '199', '203', '207'];
