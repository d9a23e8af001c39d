export { hdf5Reader } from './reader.js';
export { indigoFrame, INDIGO_KEY } from './indigo.js';
export { readPandasFixedFrame, isPandasFixedFrame } from './pandas-fixed.js';
export type { PandasColumn, PandasFixedFrame } from './pandas-fixed.js';
export { openHdf5 } from './container.js';
export type { Hdf5Array, Hdf5Tree } from './container.js';
export { readSuperblock, hasHdf5Signature } from './superblock.js';
export type { Hdf5Superblock } from './superblock.js';
