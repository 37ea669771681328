export * from './machine';
export * from './case-engine';
export * from './rules-config';
