import { escapeText, foldLine, parseCalendar, serializeCalendar, utcStamp } from './ical';

const octets = (s: string) => Buffer.byteLength(s, 'utf8');

describe('iCal writer (RFC 5545)', () => {
  it('escapes backslash, semicolon, comma and newlines in TEXT', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds at 75 octets without splitting a multi-byte character', () => {
    const line = `SUMMARY:${'Trực chỉ huy Trung tâm Móng Cái – ca đêm; '.repeat(6)}`;
    const folded = foldLine(line);
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(3);
    for (const p of physical) expect(octets(p)).toBeLessThanOrEqual(75);
    for (const p of physical.slice(1)) expect(p.startsWith(' ')).toBe(true);
    // Unfolding gives the line back, character for character (no broken UTF-8).
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    expect(foldLine('SHORT:x')).toBe('SHORT:x');
  });

  it('writes UTC times', () => {
    expect(utcStamp(Date.parse('2022-02-01T00:00:00Z'))).toBe('20220201T000000Z');
  });

  it('serializes a calendar that parses back to the same events, CRLF throughout', () => {
    const text = serializeCalendar({
      prodId: '-//Frontline//Duty roster//VI',
      name: 'Lịch trực, Móng Cái',
      stamp: Date.parse('2026-11-23T10:00:00Z'),
      timeZone: 'Asia/Ho_Chi_Minh',
      events: [
        {
          uid: 'shift-c-commander-20220131T170000Z@frontline',
          // 00:00 → 08:00 local on Tết Nhâm Dần (01/02/2022): 17:00Z the day before.
          start: Date.parse('2022-01-31T17:00:00Z'),
          end: Date.parse('2022-02-01T01:00:00Z'),
          summary: 'Chỉ huy trực; Tết',
          description: 'Nguyễn Văn A, 0203 3900 001\nTrần Thị B',
          location: 'Trụ sở UBND, Móng Cái',
        },
      ],
    });
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75);
    expect(text).toContain('X-WR-CALNAME:Lịch trực\\, Móng Cái');
    expect(text).toContain('DTSTART:20220131T170000Z\r\nDTEND:20220201T010000Z');
    expect(text).toContain('DTSTAMP:20261123T100000Z');
    expect(parseCalendar(text)).toEqual([
      {
        UID: 'shift-c-commander-20220131T170000Z@frontline',
        DTSTAMP: '20261123T100000Z',
        DTSTART: '20220131T170000Z',
        DTEND: '20220201T010000Z',
        SUMMARY: 'Chỉ huy trực; Tết',
        DESCRIPTION: 'Nguyễn Văn A, 0203 3900 001\nTrần Thị B',
        LOCATION: 'Trụ sở UBND, Móng Cái',
        TRANSP: 'OPAQUE',
      },
    ]);
  });
});
