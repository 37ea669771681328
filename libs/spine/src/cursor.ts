/**
 * A console cursor is `<epoch>:<stream id>`. The epoch changes when Redis loses its data, so a
 * cursor from before the loss can be recognised and answered with `resync` instead of a gap.
 */
export interface Cursor {
  epoch: string;
  streamId: string;
}

const STREAM_ID = /^\d+-\d+$/;

export function formatCursor(epoch: string, streamId: string): string {
  return `${epoch}:${streamId}`;
}

export function parseCursor(value: unknown): Cursor | null {
  if (typeof value !== 'string') return null;
  const sep = value.indexOf(':');
  if (sep <= 0) return null;
  const epoch = value.slice(0, sep);
  const streamId = value.slice(sep + 1);
  return STREAM_ID.test(streamId) ? { epoch, streamId } : null;
}

/** Orders Redis stream ids ("ms-seq") numerically. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(BigInt);
  const [bMs, bSeq] = b.split('-').map(BigInt);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;
}
