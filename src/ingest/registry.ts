import type { FormatReader } from './types.js';
import { BINARY_PLACEHOLDERS } from './binary-placeholders.js';

/**
 * Every reader discern knows, in no particular order: the detector asks each to sniff the file
 * and takes the highest score. Add a reader here when it lands.
 */
export const READERS: readonly FormatReader[] = [...BINARY_PLACEHOLDERS];
