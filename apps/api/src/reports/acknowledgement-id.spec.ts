import { z } from 'zod';
import { acknowledgementId } from './acknowledgement-id';

describe('acknowledgementId', () => {
  const report = '0f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b12';

  it('is a version-5 UUID, the same for the same report whatever its letter case', () => {
    const id = acknowledgementId(report);
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(id[14]).toBe('5');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(acknowledgementId(report.toUpperCase())).toBe(id);
  });

  it('keeps the ids acknowledgements already have', () => {
    expect(acknowledgementId(report)).toBe('1bb86bba-79b9-5a5f-b565-d3efbf8ec8fa');
  });

  it('differs between reports and from the report id', () => {
    const other = '0f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b13';
    expect(acknowledgementId(other)).not.toBe(acknowledgementId(report));
    expect(acknowledgementId(report)).not.toBe(report);
  });
});
