export { gamryDtaReader } from './dta.js';
