import { CHANNELS, createFrame, isCanonicalChannel, type ColumnInput, type Frame } from '../core/index.js';
import type { Store, TestRecord } from './store.js';

/**
 * Reads a stored test back into a Frame (the channels it was ingested with, same units).
 */
export async function loadFrame(store: Store, test: TestRecord): Promise<Frame> {
  const canonical = test.channels.filter((c) => isCanonicalChannel(c.name));
  const aux = test.channels.filter((c) => !isCanonicalChannel(c.name));
  const columns: Record<string, ColumnInput> = {};
  if (canonical.length > 0) {
    const sql = `SELECT ${canonical.map((c) => `"${c.name}"`).join(', ')} FROM measurements WHERE test_id = ${test.testId} ORDER BY row_index`;
    const reader = await store.connection.runAndReadAll(sql);
    const cols = reader.getColumnsJS();
    canonical.forEach((ch, k) => {
      const values = cols[k] ?? [];
      const spec = CHANNELS[ch.name as keyof typeof CHANNELS];
      const src = ch.source !== undefined ? { source: ch.source } : {};
      if (spec.kind === 'int') {
        const a = new Int32Array(values.length);
        for (let i = 0; i < values.length; i++) a[i] = values[i] === null ? -1 : Number(values[i]);
        columns[ch.name] = { values: a, unit: ch.unit, ...src };
      } else if (spec.kind === 'category') {
        const levels: string[] = [];
        const index = new Map<string, number>();
        const codes = new Int32Array(values.length);
        for (let i = 0; i < values.length; i++) {
          const v = values[i];
          if (v === null || v === undefined) {
            codes[i] = -1;
            continue;
          }
          const s = String(v);
          let c = index.get(s);
          if (c === undefined) {
            c = levels.length;
            levels.push(s);
            index.set(s, c);
          }
          codes[i] = c;
        }
        columns[ch.name] = { values: { codes, levels }, unit: '', ...src };
      } else {
        const a = new Float64Array(values.length);
        for (let i = 0; i < values.length; i++) a[i] = values[i] === null ? NaN : Number(values[i]);
        columns[ch.name] = { values: a, unit: ch.unit, ...src };
      }
    });
  }
  for (const ch of aux) {
    const reader = await store.connection.runAndReadAll(
      `SELECT a.value FROM aux_measurements a JOIN aux_channels c USING (test_id, channel_id)
       WHERE a.test_id = $1 AND c.channel = $2 ORDER BY a.row_index`,
      [test.testId, ch.name],
    );
    const values = reader.getColumnsJS()[0] ?? [];
    const a = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) a[i] = values[i] === null ? NaN : Number(values[i]);
    columns[ch.name] =
      ch.source !== undefined
        ? { values: a, unit: ch.unit, source: ch.source }
        : { values: a, unit: ch.unit };
  }
  const frame = createFrame({
    columns,
    meta: {
      vendor: test.vendor,
      format: test.format,
      kind: test.kind === 'impedance' || test.kind === 'arc' ? test.kind : 'timeseries',
      ...(test.instrument !== null ? { instrument: test.instrument } : {}),
      ...(test.softwareVersion !== null ? { softwareVersion: test.softwareVersion } : {}),
      ...(test.channel !== null ? { channel: test.channel } : {}),
      ...(test.technique !== null ? { technique: test.technique } : {}),
      ...(test.startUnixS !== null
        ? {
            startTime: {
              unixS: test.startUnixS,
              timeZone: test.timeZone ?? 'UTC',
              assumed: test.timeZoneAssumed ?? true,
            },
          }
        : {}),
      sourceSha256: test.sha256,
      header: test.header,
      warnings: test.warnings,
    },
  });
  return frame.length === test.rows ? frame : { ...frame, length: test.rows };
}
