/**
 * The part of jsfive 0.4.2's API (a pure JavaScript HDF5 reader; the package ships no types)
 * that the HDF5 readers use. jsfive throws plain strings as well as Errors.
 */
declare module 'jsfive' {
  export class Group {
    /** Names of the links in this group, in storage order. */
    readonly keys: string[];
    /** Attributes of the group (strings, numbers, arrays; null for types jsfive cannot decode). */
    readonly attrs: Record<string, unknown>;
    readonly name: string;
    /** A member by name or path; throws when absent. */
    get(path: string): Group | Dataset | null;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }
  export class Dataset {
    readonly name: string;
    /** Dimensions, outermost first. */
    readonly shape: number[];
    /** numpy-style dtype string ("<f4", "<i8", "S20") or an array for compound/reference types. */
    readonly dtype: string | unknown[];
    /** All elements, row-major (C order), as numbers (integers up to 64 bits) or strings. */
    readonly value: (number | string | bigint)[];
    readonly attrs: Record<string, unknown>;
  }
}
