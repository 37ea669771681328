export * from './derived-id';
export * from './lab-result-writer';
export * from './upload-rows';
export * from './upload-job';
export * from './screening-status';
export * from './screening-queries';
export * from './registry-references';
export * from './event-results';
