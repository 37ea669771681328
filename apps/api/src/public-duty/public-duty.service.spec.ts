import { PublicBoard, PublicDutyService, searchKey } from './public-duty.service';
import { gunzipSync } from 'node:zlib';
import { escapeHtml, parsePageInstant, renderDutyPage } from './duty-page';

describe('public duty serialization', () => {
  // A center object carrying more than the whitelist (as a careless refactor could pass).
  const leaky = {
    unit: 'Móng Cái',
    name: 'Trung tâm Chỉ huy <Móng Cái>',
    hotline: '0203 3002 102',
    address: 'Trụ sở UBND',
    centerId: 'secret-center-id',
    onDuty: [
      {
        position: 'commander',
        name: 'Lý Ngọc Việt',
        phone: '0203 3902 001',
        personalPhone: '0900 000 000',
        staffId: 'secret',
      },
    ],
    nextShiftAt: '2026-11-24T00:00:00.000Z',
    public: false,
  };
  const board: PublicBoard = {
    updatedAt: new Date('2026-11-23T16:34:12Z'),
    expiresAt: 0,
    centers: [
      {
        center: leaky,
        labels: new Map([['commander', { vi: 'Chỉ huy trực', en: 'Commander on duty' }]]),
        searchText: searchKey('Móng Cái'),
      },
    ],
  };

  it('keeps exactly the public fields, whatever the input carries', () => {
    expect(PublicDutyService.toResponse(board, board.centers)).toEqual({
      updatedAt: '2026-11-23T16:34:12.000Z',
      centers: [
        {
          unit: 'Móng Cái',
          name: 'Trung tâm Chỉ huy <Móng Cái>',
          hotline: '0203 3002 102',
          address: 'Trụ sở UBND',
          onDuty: [{ position: 'commander', name: 'Lý Ngọc Việt', phone: '0203 3902 001' }],
          nextShiftAt: '2026-11-24T00:00:00.000Z',
        },
      ],
    });
  });

  it('folds accents, case and spaces for search', () => {
    expect(searchKey('  Móng   CÁI ')).toBe('mong cai');
    expect(searchKey('Đông Triều')).toBe('dong trieu');
  });

  it('renders escaped HTML with tel: links and local times', () => {
    const html = renderDutyPage(board, board.centers, '"><script>', 'vi');
    expect(html).not.toContain('"><script>');
    expect(html).toContain(escapeHtml('"><script>'));
    expect(html).toContain('Trung tâm Chỉ huy &lt;Móng Cái&gt;');
    expect(html).toContain('href="tel:02033902001"');
    expect(html).toContain('Đổi ca tiếp theo: 07:00 24/11/2026');
    expect(html).toContain('Cập nhật lúc 23:34:12 23/11/2026');
    expect(html).not.toContain('0900 000 000');
    const en = renderDutyPage(board, board.centers, '', 'en');
    expect(en).toContain('Commander on duty');
    expect(en).toContain('hreflang="vi"');
    expect(en).toContain('href="/duty"');
  });
});

describe('PublicDutyService cache', () => {
  function service(nextShiftAt: string | null) {
    let calls = 0;
    let fail = false;
    const roster = {
      onDutyEverywhere: jest.fn(async () => {
        calls++;
        if (fail) throw new Error('database down');
        return {
          loaded: {
            centers: [{ id: 'c', unitCode: '194', name: 'TT', hotline: null, address: null }],
            positionNames: new Map(),
            staff: new Map(),
            data: {},
          },
          centers: [
            { centerId: 'c', unit: '194', name: 'TT', hotline: null, positions: [], nextShiftAt },
          ],
        };
      }),
    };
    const units = { fresh: async () => undefined, get: () => ({ name: 'Móng Cái' }) };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- minimal fakes of the two collaborators
    const svc = new PublicDutyService(roster as any, units as any);
    return { svc, calls: () => calls, breakDb: () => (fail = true) };
  }

  it('computes once per 20 s, or until the next shift change when that comes first', async () => {
    const t0 = Date.parse('2026-11-23T10:00:00Z');
    const a = service(new Date(t0 + 5_000).toISOString());
    await Promise.all([a.svc.current(t0), a.svc.current(t0), a.svc.current(t0 + 4_000)]);
    expect(a.calls()).toBe(1);
    await a.svc.current(t0 + 5_000);
    expect(a.calls()).toBe(2);

    const b = service(null);
    await b.svc.current(t0);
    await b.svc.current(t0 + 19_999);
    expect(b.calls()).toBe(1);
    // Past the 20 s refresh, with no shift change: the last board at once, one refresh behind it.
    const before = await b.svc.current(t0 + 19_999);
    expect(await b.svc.current(t0 + 20_000)).toBe(before);
    await new Promise((resolve) => setImmediate(resolve));
    expect(b.calls()).toBe(2);
    expect(await b.svc.current(t0 + 20_001)).not.toBe(before);
    expect(b.calls()).toBe(2);
  });

  it('serves the last board while the database fails, for up to 10 minutes', async () => {
    const t0 = Date.parse('2026-11-23T10:00:00Z');
    const s = service(null);
    const first = await s.svc.current(t0);
    s.breakDb();
    expect(await s.svc.current(t0 + 60_000)).toBe(first);
    await expect(s.svc.current(t0 + 11 * 60_000)).rejects.toThrow('database down');
  });
});

describe('the past-time view', () => {
  it('reads the picker as Asia/Ho_Chi_Minh local time, or an ISO instant; ignores the rest', () => {
    expect(parsePageInstant('2021-09-02T08:00')?.toISOString()).toBe('2021-09-02T01:00:00.000Z');
    expect(parsePageInstant('2022-02-01T00:30:15')?.toISOString()).toBe('2022-01-31T17:30:15.000Z');
    expect(parsePageInstant('2021-09-02T08:00:00Z')?.toISOString()).toBe(
      '2021-09-02T08:00:00.000Z',
    );
    expect(parsePageInstant('2021-09-02T08:00:00+07:00')?.toISOString()).toBe(
      '2021-09-02T01:00:00.000Z',
    );
    for (const bad of [
      '',
      'yesterday',
      '2021-02-30T08:00',
      '2021-09-02',
      42,
      undefined,
      'x'.repeat(50),
    ])
      expect(parsePageInstant(bad)).toBeNull();
  });

  it('renders the page of a past instant with its heading and keeps it in the links', () => {
    const board: PublicBoard = {
      updatedAt: new Date('2026-11-23T10:00:00Z'),
      at: new Date('2021-09-02T01:00:00Z'),
      expiresAt: 0,
      centers: [],
    };
    const html = renderDutyPage(board, [], 'mong cai', 'en');
    expect(html).toContain('On duty at 08:00 02/09/2021 (GMT+7)');
    expect(html).toContain('value="2021-09-02T08:00"');
    expect(html).toContain('href="/duty?q=mong+cai&amp;at=2021-09-02T08%3A00"');
    expect(PublicDutyService.toResponse(board, []).at).toBe('2021-09-02T01:00:00.000Z');
  });

  it('renders and gzips once per cached board and key; a past board every time', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- no collaborator is used
    const svc = new PublicDutyService({} as any, {} as any);
    const board: PublicBoard = { updatedAt: new Date(), expiresAt: 0, centers: [] };
    let renders = 0;
    const render = () => `body ${++renders}`;
    const a = await svc.renderOnce(board, 'k', render);
    const b = await svc.renderOnce(board, 'k', render);
    expect(b).toBe(a);
    expect(renders).toBe(1);
    expect(gunzipSync(a.gzip).toString()).toBe('body 1');
    expect(a.etag).toMatch(/^W\/"[\w-]{27}"$/);
    const past = { ...board, at: new Date(0) };
    await svc.renderOnce(past, 'k', render);
    await svc.renderOnce(past, 'k', render);
    expect(renders).toBe(3);
  });
});
