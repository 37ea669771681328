import { derivedId } from './derived-id';

describe('derivedId', () => {
  it('keeps the ids already stored for uploaded rows (same namespace, same name)', () => {
    expect(derivedId('lab-upload-row', '7b0e4a0c-1f2d-4c3b-8a5e-6d7f8091a2b3', '42')).toBe(
      '7d2a60df-c058-5cca-a76c-48efe6ac2c98',
    );
  });

  it('is the same for the same parts and differs when any part differs', () => {
    expect(derivedId('retest', 'a', 'b')).toBe(derivedId('retest', 'a', 'b'));
    expect(derivedId('retest', 'a', 'b')).not.toBe(derivedId('retest', 'ab', ''));
  });
});
