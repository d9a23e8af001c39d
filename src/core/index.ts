export { CHANNELS, AUX_PATTERNS, isCanonicalChannel, unitOf } from './channels.js';
export type { CanonicalChannel, ChannelKind, ChannelSpec } from './channels.js';
export {
  DiscernError,
  ERROR_CODES,
  exitCodeFor,
  httpStatusFor,
  isDiscernError,
  toDiscernError,
} from './errors.js';
export type { ErrorCode, ErrorLocation } from './errors.js';
export { WARNING_CODES } from './warnings.js';
export type { DataWarning, WarningCode } from './warnings.js';
export {
  createFrame,
  columnLength,
  floatColumn,
  intColumn,
  categoryColumn,
  cellValue,
  rowObject,
  withColumns,
  withWarnings,
  takeRows,
} from './frame.js';
export type {
  CategoryColumn,
  ChannelInfo,
  Column,
  ColumnInput,
  CreateFrameInput,
  Frame,
  FrameKind,
  FrameMeta,
  StartTime,
} from './frame.js';
export { concatFrames } from './concat.js';
export {
  assertTimeZone,
  formatInZone,
  naiveMsToUnixS,
  oleDaysToNaiveMs,
  OLE_EPOCH_DAYS,
  parseDateTime,
  toUnixS,
  zoneOffsetMs,
} from './time.js';
export type { DateOrder, ParsedDateTime } from './time.js';
export { seededRandom, type SeededRandom } from './random.js';
