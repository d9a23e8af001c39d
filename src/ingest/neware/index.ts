export { newareNdaReader, NDA_VERSIONS } from './nda.js';
export { newareNdaxReader } from './ndax.js';
export { NDC_VERSIONS } from './ndc.js';
export { chargeFirstCycles } from './cycles.js';
export { NEWARE_STATUS } from './status.js';
