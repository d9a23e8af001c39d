// Memory for decoded columns that the decoder fills entirely: allocated without zeroing where Node's
// Buffer can do it (zeroing tens of MB costs as much as a third of a binary decoder's time).

/** Node's Buffer where there is one (allocates without zeroing); the browser has none. */
const NodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(size: number): Uint8Array } }).Buffer;

/**
 * An ArrayBuffer of `bytes` bytes whose contents are undefined (not zeroed in Node): the caller must
 * write every byte it lets anyone see.
 */
export function columnMemory(bytes: number): ArrayBuffer {
  if (NodeBuffer === undefined) return new ArrayBuffer(bytes);
  const b = NodeBuffer.allocUnsafeSlow(bytes);
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer
    ? b.buffer
    : new ArrayBuffer(bytes);
}

/** A Float64Array of `n` values, every one of which the caller writes (not zeroed first in Node). */
export function filledFloat64(n: number): Float64Array {
  return new Float64Array(columnMemory(n * 8));
}

/** An Int32Array of `n` values, every one of which the caller writes (not zeroed first in Node). */
export function filledInt32(n: number): Int32Array {
  return new Int32Array(columnMemory(n * 4));
}
