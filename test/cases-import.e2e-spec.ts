import { DISTRICTS } from './support/factories';
import { TestStack } from './support/stack';

const MC = DISTRICTS.mongCai;

const HEADER = 'ref,classification,full_name,birth_year,sex,phone,national_id,address,unit,source,exposure_date,setting,exposure_place,isolation,isolation_place,monitoring_start';
const d = (daysAgo: number) => {
  const t = new Date(Date.now() - daysAgo * 86_400_000);
  return `${String(t.getUTCDate()).padStart(2, '0')}/${String(t.getUTCMonth() + 1).padStart(2, '0')}/${t.getUTCFullYear()}`;
};
const nid = () => String(Math.floor(Math.random() * 1e12)).padStart(12, '0');

function file(withBadRows: boolean): string {
  const rows = [
    `A1,F0,Nguyễn Thị Nhập,1975,nữ,0912000001,${nid()},"Số 3, phố Hòa Bình\nkhu 2",${MC.code},,,,,facility,"Bệnh viện ""Đa khoa"" Móng Cái",`,
    `B1,F1,Trần Văn Nhập,1990,nam,,${nid()},,${MC.code},A1,${d(2)},household,nhà riêng,home,,`,
    `C1,F2,Lê Văn Nhập,2001,,,,,${MC.code},B1,${d(1)},workplace,,,,`,
  ];
  if (withBadRows) {
    rows.push(`X1,F1,Phạm Lỗi Ngày,1980,nam,,,,${MC.code},A1,31/02/2021,market,,,,`);
    rows.push(`X2,F9,Đỗ Lỗi Đơn Vị,1980,nam,,,,999,,,,,,,`);
    rows.push(`X3,F2,Vũ Lỗi Nguồn,1980,nam,,,,${MC.code},X1,${d(1)},market,,,,`);
  }
  return `\uFEFF${HEADER}\r\n${rows.join('\r\n')}\r\n`;
}

describe('CSV import of cases and contacts', () => {
  const stack = new TestStack();
  const cases = () => stack.count('SELECT count(*) FROM cases');

  beforeAll(async () => {
    await stack.start();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('all-or-nothing: every bad row reported by its row number, nothing written', async () => {
    const res = await stack.request('POST', '/api/v1/cases/import', MC.account, { csv: file(true) });
    expect(res.status).toBe(422);
    expect(res.body.committed).toBe(0);
    // Row numbers are the spreadsheet's: the header is row 1, the quoted address spans two lines.
    expect(res.body.errors).toEqual([
      { row: 6, column: 'exposure_date', message: '"31/02/2021" is not a date dd/MM/yyyy' },
      { row: 7, column: 'unit', message: 'unknown unit code "999"' },
      expect.objectContaining({ row: 7, column: 'classification' }),
      { row: 8, column: 'source', message: 'its source row "X1" (row 6) has errors' },
    ]);
    expect(await cases()).toBe(0);
    expect(await stack.count('SELECT count(*) FROM people')).toBe(0);
    expect(await stack.count('SELECT count(*) FROM audit_log')).toBe(0);
  });

  it('valid-rows: the good rows are committed with their links, the bad ones listed', async () => {
    const res = await stack.request('POST', '/api/v1/cases/import', MC.account, { csv: file(true), mode: 'valid-rows' });
    expect(res.status).toBe(201);
    expect(res.body.committed).toBe(3);
    expect(res.body.errors.map((e: { row: number }) => e.row)).toEqual([6, 7, 7, 8]);
    const [a, b, c] = res.body.cases as { row: number; ref: string; id: string }[];
    expect([a.row, b.row, c.row]).toEqual([2, 4, 5]);
    const chain = await stack.request('GET', `/api/v1/cases/${a.id}/chain?depth=3&direction=down`, MC.account);
    expect(chain.body.edges).toEqual([
      expect.objectContaining({ source: a.id, contact: b.id, setting: 'household' }),
      expect.objectContaining({ source: b.id, contact: c.id, setting: 'workplace' }),
    ]);
    const detail = await stack.request('GET', `/api/v1/cases/${a.id}`, MC.account);
    expect(detail.body.person.address).toBe('Số 3, phố Hòa Bình\nkhu 2');
    expect(detail.body.isolation).toEqual({ kind: 'facility', place: 'Bệnh viện "Đa khoa" Móng Cái' });
    expect(await stack.count(`SELECT count(*) FROM event_log WHERE type IN ('case.confirmed', 'contact.identified')`)).toBe(3);
  });

  it('a clean file in all-or-nothing mode commits every row; a broken quote or header is refused whole', async () => {
    const before = await cases();
    const res = await stack.request('POST', '/api/v1/cases/import', MC.account, { csv: file(false) });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(expect.objectContaining({ committed: 3, errors: [] }));
    expect(await cases()).toBe(before + 3);
    const broken = await stack.request('POST', '/api/v1/cases/import', MC.account, { csv: `${HEADER}\nA,"F0` });
    expect(broken.status).toBe(400);
    expect(broken.body.message).toMatch(/line 2: a quoted field is not closed/);
    const header = await stack.request('POST', '/api/v1/cases/import', MC.account, { csv: 'ref,name\nA,B' });
    expect(header.status).toBe(422);
    expect(header.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'row 1.name' }), expect.objectContaining({ path: 'row 1.full_name' })]),
    );
    // Another district's unit is refused by row.
    const foreign = await stack.request('POST', '/api/v1/cases/import', MC.account, {
      csv: `${HEADER}\nA,F0,Người Ngoài,1980,nam,,,,${DISTRICTS.haLong.code},,,,,,,`,
    });
    expect(foreign.body.errors).toEqual([{ row: 2, column: 'unit', message: `unit ${DISTRICTS.haLong.code} is outside your jurisdiction` }]);
  });
});
