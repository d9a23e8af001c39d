import type { ChannelInfo, DataWarning, Frame, FrameMeta } from '../core/index.js';
import type { StreamColumn } from './stream/delimited-stream.js';

/** The bytes of one file and the name it is known by (used for detection and in error messages). */
export interface SourceFile {
  /** File name or path as the user gave it. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** What a sniffer sees: the name, the first bytes, and those bytes decoded as latin1 text. */
export interface SniffInput {
  readonly name: string;
  /** Lower-case extension without the dot ("csv", "mpt", "070"); "" when none. */
  readonly ext: string;
  /** Up to the first 64 KiB. */
  readonly head: Uint8Array;
  /** `head` decoded as latin1 (one char per byte), so byte offsets equal string offsets. */
  readonly headText: string;
  /** Total size in bytes. */
  readonly size: number;
}

/** A user's mapping of one source column to a canonical channel (generic CSV reader). */
export interface ColumnMappingEntry {
  /** Header text in the file (exact match after trimming), or 0-based column number. */
  readonly source: string | number;
  /** Canonical or auxiliary channel name, e.g. "voltage_V". */
  readonly channel: string;
  /** Unit of the source column, e.g. "mV", "mA", "h", "mAh", "degC", "K". */
  readonly unit?: string;
  /** Multiply by -1 after unit conversion (for instruments with current positive on discharge). */
  readonly invert?: boolean;
}

export interface ColumnMapping {
  readonly columns: readonly ColumnMappingEntry[];
  /** Field delimiter; detected when absent. */
  readonly delimiter?: string;
  /** Decimal separator; "." when absent. */
  readonly decimal?: '.' | ',';
  /** Number of lines before the header line. */
  readonly skipLines?: number;
  /** False when there is no header line (columns are then referred to by number). */
  readonly header?: boolean;
  /** Date order for date-time columns. */
  readonly dateOrder?: 'YMD' | 'MDY' | 'DMY';
}

export interface ReadOptions {
  /** IANA time zone of naive local times in the file. When absent, readers assume UTC and warn. */
  readonly timeZone?: string;
  /** Column mapping for the generic CSV reader. */
  readonly mapping?: ColumnMapping;
  /** Called now and then with the fraction done (0..1). */
  readonly onProgress?: (fraction: number) => void;
}

/** One instrument format. Readers are pure: bytes in, Frame out; no I/O. */
export interface FormatReader {
  /** Stable id, e.g. "arbin-csv". Also stored as the test's format. */
  readonly id: string;
  readonly vendor: string;
  readonly description: string;
  /** True for binary formats. */
  readonly binary: boolean;
  /**
   * Confidence in 0..1 that this reader can read the file; 0 = certainly not. The detector picks
   * the highest score. A score of 1 is reserved for unambiguous magic bytes or signature lines.
   */
  sniff(input: SniffInput): number;
  /**
   * Parses the file.
   * @throws DiscernError with a stable code and the line or byte offset on bad input.
   */
  read(file: SourceFile, options: ReadOptions): Frame;
  /**
   * Optional: how to stream a large file of this format with the byte-level delimited parser
   * (numeric columns only), so memory stays bounded. Undefined when this file cannot be streamed.
   */
  streamPlan?(input: SniffInput, options: ReadOptions): StreamPlan | undefined;
}

/** What the streaming ingest needs to parse a large delimited file. */
export interface StreamPlan {
  readonly delimiter: string;
  /** Lines before the first data line. */
  readonly skipLines: number;
  readonly columns: readonly StreamColumn[];
  /** Channels (canonical units) the parser produces, in order, with their source headers. */
  readonly channels: readonly ChannelInfo[];
  readonly meta: Omit<FrameMeta, 'warnings' | 'header' | 'kind'> &
    Partial<Pick<FrameMeta, 'warnings' | 'header' | 'kind'>>;
}

export type { DataWarning };
