export { maccorAsciiReader } from './ascii.js';
export { maccorTextReader } from './text-export.js';
export { maccorEisReader } from './eis.js';
export { joinMaccorParts } from './join.js';
export { parseMaccorDuration } from './table.js';
