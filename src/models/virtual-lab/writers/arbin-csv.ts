import type { RecordTable } from '../simulate.js';
import { usDateTime, wallClock, type WriteContext } from './clock.js';

/**
 * An Arbin MITS Pro CSV export (UTF-8 BOM, CRLF, `Date_Time` as quoted text with a leading tab,
 * capacities and energies cumulative within a cycle, current positive on charge), as
 * docs/formats/arbin.md describes the real ones.
 * @example const text = writeArbinCsv(rows, context);
 */
export function writeArbinCsv(t: RecordTable, ctx: WriteContext): string {
  const header =
    'Data_Point,Test_Time(s),Date_Time,Step_Time(s),Step_Index,Cycle_Index,Current(A),Voltage(V),' +
    'Charge_Capacity(Ah),Discharge_Capacity(Ah),Charge_Energy(Wh),Discharge_Energy(Wh),dV/dt(V/s),' +
    'Internal_Resistance(Ohm),Aux_Temperature_1(C)';
  const out: string[] = ['\ufeff' + header];
  let cycle = t.cycle[0] ?? 0;
  let step = -1;
  // Cycle-cumulative counters: the sum of the finished steps of the cycle plus the running step.
  let baseQc = 0;
  let baseQd = 0;
  let baseEc = 0;
  let baseEd = 0;
  let prev = { qc: 0, qd: 0, ec: 0, ed: 0 };
  for (let i = 0; i < t.length; i++) {
    if (t.stepCount[i] !== step) {
      baseQc += prev.qc;
      baseQd += prev.qd;
      baseEc += prev.ec;
      baseEd += prev.ed;
      step = t.stepCount[i]!;
      if (t.cycle[i] !== cycle) {
        cycle = t.cycle[i]!;
        baseQc = baseQd = baseEc = baseEd = 0;
      }
    }
    prev = {
      qc: t.stepChargeAh[i]!,
      qd: t.stepDischargeAh[i]!,
      ec: t.stepChargeWh[i]!,
      ed: t.stepDischargeWh[i]!,
    };
    const dvdt =
      i > 0 && t.testTimeS[i]! > t.testTimeS[i - 1]!
        ? (t.voltageV[i]! - t.voltageV[i - 1]!) / (t.testTimeS[i]! - t.testTimeS[i - 1]!)
        : 0;
    const ir = t.dcirOhm[i]!;
    out.push(
      [
        i + 1,
        t.testTimeS[i]!.toFixed(4),
        `"\t${usDateTime(wallClock(ctx.startUnixS + t.testTimeS[i]!, ctx.timeZone), true)}"`,
        t.stepTimeS[i]!.toFixed(4),
        t.step[i],
        t.cycle[i],
        t.currentA[i]!.toFixed(6),
        t.voltageV[i]!.toFixed(6),
        (baseQc + prev.qc).toFixed(7),
        (baseQd + prev.qd).toFixed(7),
        (baseEc + prev.ec).toFixed(7),
        (baseEd + prev.ed).toFixed(7),
        dvdt.toExponential(4),
        Number.isNaN(ir) ? '0' : ir.toFixed(7),
        t.temperatureDegC[i]!.toFixed(3),
      ].join(','),
    );
  }
  return out.join('\r\n') + '\r\n';
}
