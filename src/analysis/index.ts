export { cycleSummary } from './cycles/cycle-summary.js';
export type { CycleSummaryOptions, CycleSummaryRow } from './cycles/cycle-summary.js';
