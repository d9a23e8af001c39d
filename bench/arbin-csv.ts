import { createWriteStream } from 'node:fs';

/** Header of the old Arbin "ArbinResult" CSV export (as in the beep fixtures). */
export const ARBIN_HEADER =
  'Data_Point,Test_Time,DateTime,Step_Time,Step_Index,Cycle_Index,Current,Voltage,Charge_Capacity,Discharge_Capacity,Charge_Energy,Discharge_Energy,dV/dt,Internal_Resistance,Temperature';

/**
 * Writes a synthetic Arbin-style CSV of `rows` rows: 1 s sampling, cycles of a 1 h CC charge at
 * 2.5 A and a 1 h CC discharge at -2.5 A (7200 rows per cycle), capacities reset per cycle.
 * Values are printed like Arbin prints them (up to 16 significant digits). Returns the byte size.
 */
export async function writeArbinCsv(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path, { highWaterMark: 1 << 22 });
  let bytes = 0;
  const write = (s: string): Promise<void> =>
    new Promise((resolve) => {
      bytes += s.length;
      if (out.write(s)) resolve();
      else out.once('drain', () => resolve());
    });
  await write(`${ARBIN_HEADER}\n`);
  const t0 = 1_700_000_000;
  let block: string[] = [];
  for (let k = 0; k < rows; k++) {
    const inCycle = k % 7200;
    const cycle = 1 + Math.floor(k / 7200);
    const charging = inCycle < 3600;
    const stepTime = charging ? inCycle : inCycle - 3600;
    const current = charging ? 2.5 : -2.5;
    const q = (2.5 * stepTime) / 3600;
    const v = charging ? 3.4 + 0.8 * (stepTime / 3600) : 4.2 - 0.9 * (stepTime / 3600);
    const qc = charging ? q : 2.5;
    const qd = charging ? 0 : q;
    block.push(
      `${k},${k}.0,${t0 + k}.25,${stepTime}.0,${charging ? 2 : 4},${cycle},${current},${v.toFixed(7)},${qc.toFixed(9)},${qd.toFixed(9)},${(qc * 3.8).toFixed(9)},${(qd * 3.7).toFixed(9)},${(charging ? 2.2e-4 : -2.5e-4).toExponential(3)},0.0213,${(25 + (k % 100) / 100).toFixed(4)}\n`,
    );
    if (block.length === 10_000) {
      await write(block.join(''));
      block = [];
    }
  }
  if (block.length > 0) await write(block.join(''));
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return bytes;
}
