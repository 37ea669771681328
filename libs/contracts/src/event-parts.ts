import { z } from 'zod';

/** Building blocks shared by the event catalogue files. */
export const idSchema = z.string().min(1).max(64);
export const isoDate = z.iso.date();
export const uuid = z.uuid();
export const instant = z.iso.datetime({ offset: true });

/** Severity is a property of the type (events.md), used by the console to colour the feed. */
export type Severity = 'critical' | 'warning' | 'info';
