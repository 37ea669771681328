import type { z } from 'zod';
import type { Severity } from './event-parts';
import type { Role } from './roles';

/**
 * Who may put an event of a type in the log. Either roles that may send it through
 * `POST /api/v1/events` (always within their own jurisdiction), or `server`: the server creates
 * it itself after its checks, and the text names what creates it (quoted to a caller who tries).
 */
export type EventSubmission = { roles: readonly Role[] } | { server: string };

/** Everything the system knows about one event type, declared once (see EVENT_REGISTRY). */
export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  payload: S;
  /** Used by the console to colour the feed. */
  severity: Severity;
  /** Payload fields that are personal data: stored apart, read over REST only, never pushed. */
  personal: readonly string[];
  submit: EventSubmission;
  /**
   * false for types that report the progress of a job rather than a fact about the situation:
   * they reach the sockets (a screen follows them) but are never listed in the console's feed
   * nor in a snapshot's recent events, where a long job would push real events out.
   */
  feed: boolean;
}

/** Declares a type's facts; `personal` must name fields of its payload. */
export function defineEvent<S extends z.ZodType>(
  payload: S,
  facts: {
    severity: Severity;
    submit: EventSubmission;
    personal?: readonly (keyof z.output<S> & string)[];
    feed?: boolean;
  },
): EventDefinition<S> {
  return { payload, severity: facts.severity, submit: facts.submit, personal: facts.personal ?? [], feed: facts.feed ?? true };
}

/** The roles that run a command center: they may submit every type a client may submit. */
export const COMMAND_ROLES = ['admin', 'commander', 'duty-officer'] as const satisfies readonly Role[];

/** The i18n key of a type's label in the console (`event.task.created`). */
export function eventLabelKey<T extends string>(type: T): `event.${T}` {
  return `event.${type}`;
}
