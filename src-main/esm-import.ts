// Packages published as ES modules only (h5wasm, hyparquet-writer, druidjs) from GaitLab's CommonJS build: a real
// import(), which TypeScript would otherwise turn into require() under CommonJS.
const importer = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

export function importEsm<T>(specifier: string): Promise<T> {
  return importer(specifier) as Promise<T>;
}
