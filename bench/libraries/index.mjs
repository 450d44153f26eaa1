// Every library the bench compares, in table order: edgepix first, then the native reference, then the wasm peers.
export const libraryNames = [
  'edgepix-wasm', 'edgepix-native', 'sharp', 'wasm-vips', 'wasm-image-optimization', 'jsquash', 'photon',
];
export const importLibrary = (id) => import(`./${id}.mjs`);
