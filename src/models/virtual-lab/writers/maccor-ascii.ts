import type { RecordTable } from '../simulate.js';
import { pad, usDateTime, wallClock, type WriteContext } from './clock.js';

/**
 * A raw Maccor ASCII data file (`<test>.<channel>`): the one-line preamble, the `Rec#` header,
 * tab-separated rows with signed current, `Amp-hr` / `Watt-hr` counted per step, the State letter
 * (C, D, R), `DPt Time` in local time and the instrument's `DCIR/Ohms` (0 = not measured), as in
 * the beep fixtures (docs/formats/maccor.md). Cycles are numbered from 0 as Maccor does.
 * @example const text = writeMaccorAscii(rows, context);
 */
export function writeMaccorAscii(t: RecordTable, ctx: WriteContext): string {
  const today = wallClock(ctx.startUnixS + (t.testTimeS[t.length - 1] ?? 0), ctx.timeZone);
  const started = wallClock(ctx.startUnixS, ctx.timeZone);
  const ext = pad(ctx.channel, 3);
  const pre =
    `Today's Date ${pad(today.month)}/${pad(today.day)}/${today.year}  Date of Test:\t${pad(started.month)}/${pad(started.day)}/${started.year}` +
    `\t Filename:\tC:\\Data\\${ctx.testName}.${ext} Procedure:\t${ctx.procedure}.000\tComment/Barcode:\t${ctx.serial}`;
  const header =
    'Rec#\tCyc#\tStep\tTest (Sec)\tStep (Sec)\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\tES\tDPt Time\tACImp/Ohms\tDCIR/Ohms';
  const out: string[] = [pre, header];
  const letter = ['R', 'C', 'D'];
  for (let i = 0; i < t.length; i++) {
    const s = t.state[i]!;
    const ah = s === 2 ? t.stepDischargeAh[i]! : t.stepChargeAh[i]! + t.stepDischargeAh[i]!;
    const wh = s === 2 ? t.stepDischargeWh[i]! : t.stepChargeWh[i]! + t.stepDischargeWh[i]!;
    const endOfStep = i === t.length - 1 || t.stepCount[i + 1] !== t.stepCount[i];
    const dcir = t.dcirOhm[i]!;
    out.push(
      [
        i + 1,
        t.cycle[i],
        t.step[i],
        t.testTimeS[i]!.toFixed(4),
        t.stepTimeS[i]!.toFixed(4),
        ah.toFixed(10),
        wh.toFixed(10),
        t.currentA[i]!.toFixed(10),
        t.voltageV[i]!.toFixed(8),
        letter[s],
        endOfStep ? (s === 0 ? 5 : 133) : 0,
        usDateTime(wallClock(ctx.startUnixS + t.testTimeS[i]!, ctx.timeZone)),
        '0.00000',
        Number.isNaN(dcir) ? '0.00000' : dcir.toFixed(7),
      ].join('\t'),
    );
  }
  return out.join('\r\n') + '\r\n';
}
