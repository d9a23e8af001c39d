export { gitt, weppnerHugginsD } from './gitt.js';
export type { GittOptions, GittPulse, GittResult } from './gitt.js';
