/** Redis keys of the event spine; every key carries the configured prefix (tests use their own). */
export interface StreamKeys {
  /** The event stream (`fl:events` with the default prefix). */
  events: string;
  /** A random id created with the stream; when Redis loses its data the epoch changes. */
  epoch: string;
}

export function streamKeys(prefix: string): StreamKeys {
  return { events: `${prefix}events`, epoch: `${prefix}events:epoch` };
}

