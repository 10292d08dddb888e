export * from './layers';
export * from './rules';
export * from './composites';
export * from './attributor';
