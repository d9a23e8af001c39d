import type { RecordTable } from '../simulate.js';
import { isoDateTime, pad, wallClock, type WriteContext } from './clock.js';

function hms(s: number): string {
  const whole = Math.floor(s);
  const frac = s - whole;
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const sec = whole % 60;
  const ms = Math.round(frac * 1000);
  return `${pad(h)}:${pad(m)}:${pad(sec)}` + (ms > 0 ? `.${pad(Math.min(ms, 999), 3)}` : '');
}

/**
 * A Neware BTSDA record-layer CSV export: `DataPoint, Cycle Index, Step Index, Step Type, Time,
 * Total Time, ...` with per-step capacities and energies, signed current, `Date` in local time and
 * the cell temperature in `T1(℃)` (docs/formats/neware-csv.md).
 * @example const text = writeNewareCsv(rows, context);
 */
export function writeNewareCsv(t: RecordTable, ctx: WriteContext): string {
  const header =
    'DataPoint,Cycle Index,Step Index,Step Type,Time,Total Time,Current(A),Voltage(V),Capacity(Ah),' +
    'Chg. Cap.(Ah),DChg. Cap.(Ah),Energy(Wh),Chg. Energy(Wh),DChg. Energy(Wh),Date,Power(W),T1(℃)';
  const out: string[] = [header];
  for (let i = 0; i < t.length; i++) {
    const s = t.state[i]!;
    const type = s === 0 ? 'Rest' : s === 1 ? (t.constantVoltage[i] ? 'CV Chg' : 'CC Chg') : 'CC DChg';
    const qc = t.stepChargeAh[i]!;
    const qd = t.stepDischargeAh[i]!;
    const ec = t.stepChargeWh[i]!;
    const ed = t.stepDischargeWh[i]!;
    out.push(
      [
        i + 1,
        t.cycle[i],
        t.stepCount[i],
        type,
        hms(t.stepTimeS[i]!),
        hms(t.testTimeS[i]!),
        t.currentA[i]!.toFixed(5),
        t.voltageV[i]!.toFixed(5),
        (qc + qd).toFixed(6),
        qc.toFixed(6),
        qd.toFixed(6),
        (ec + ed).toFixed(6),
        ec.toFixed(6),
        ed.toFixed(6),
        isoDateTime(wallClock(ctx.startUnixS + Math.floor(t.testTimeS[i]!), ctx.timeZone)),
        (t.currentA[i]! * t.voltageV[i]!).toFixed(5),
        t.temperatureDegC[i]!.toFixed(1),
      ].join(','),
    );
  }
  return out.join('\r\n') + '\r\n';
}
