export * from './machine';
export * from './case-engine';
export * from './rules-config';
export * from './case-intake';
export * from './case-references.repository';
