export * from './zone';
export * from './model';
export * from './expand';
export * from './ical';
