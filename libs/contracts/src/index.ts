export * from './roles';
export * from './units';
export * from './events';
export * from './api';
export * from './text';
export * from './console';
export * from './roster';
export * from './event-parts';
