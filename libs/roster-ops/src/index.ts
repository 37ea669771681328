export * from './roster-loader';
export * from './roster-checks';
