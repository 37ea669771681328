export * from './entities';
export * from './data-source';
export * from './migrate';
export * from './seeds/accounts.seed';
export * from './seeds/units.seed';
export * from './geo/import-units';
export * from './geo/unit-geojson';
export * from './seeds/roster.seed';
