export * from './prng';
export * from './geo';
export * from './units';
export * from './quang-ninh';
export * from './scenario';
export * from './templates';
export * from './generator';
