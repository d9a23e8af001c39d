import type { RecordTable } from '../simulate.js';
import { usDateTime, wallClock, type WriteContext } from './clock.js';

const COLUMNS = [
  'mode',
  'ox/red',
  'error',
  'control changes',
  'Ns changes',
  'counter inc.',
  'Ns',
  'time/s',
  'control/mA',
  'Ecell/V',
  'I/mA',
  '(Q-Qo)/mA.h',
  'Q charge/mA.h',
  'Q discharge/mA.h',
  'Energy charge/W.h',
  'Energy discharge/W.h',
  'half cycle',
  'cycle number',
  'Temperature/°C',
];

function sci(x: number, digits: number): string {
  // EC-Lab writes 1.2345678E+003.
  const [m, e] = x.toExponential(digits).split('e');
  const n = Number(e);
  return `${m}E${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(3, '0')}`;
}

/**
 * An EC-Lab ASCII file (`.mpt`) of a Modulo Bat run: the header block with `Nb header lines`,
 * `Acquisition started on` (local time, month first), channel and device, then tab-separated
 * columns in EC-Lab's units (mA, mA.h, W.h) with `Q charge` / `Q discharge` reset every half cycle,
 * encoded in windows-1252 as EC-Lab does (docs/formats/biologic.md).
 * @example const bytes = writeBiologicMpt(rows, context);
 */
export function writeBiologicMpt(t: RecordTable, ctx: WriteContext): Uint8Array {
  const start = usDateTime(wallClock(ctx.startUnixS, ctx.timeZone), true);
  const block = [
    'Modulo Bat',
    '',
    `Run on channel : ${ctx.channel} (SN 31${String(ctx.channel).padStart(3, '0')})`,
    'User : virtual lab',
    'Electrode connection : standard',
    'Ewe ctrl range : min = 0.00 V, max = 5.00 V',
    `Acquisition started on : ${start}`,
    `Loaded Setting File : ${ctx.procedure}.mps`,
    'Saved on :',
    `\tFile : ${ctx.testName}.mpr`,
    '\tDirectory : C:\\Data\\',
    'Device : BCS-815 (SN 0815)',
    'EC-Lab for windows v11.50 (software)',
    'Internet server v11.50 (firmware)',
    'Command interpretor v11.50 (firmware)',
    `Electrode material : ${ctx.serial}`,
    'Comments : discern virtual lab',
    'Cycle Definition : Charge/Discharge alternance',
  ];
  const nHeader = block.length + 5;
  const lines = [
    'EC-Lab ASCII FILE',
    `Nb header lines : ${nHeader}`.padEnd(46),
    '',
    ...block,
    '',
    COLUMNS.join('\t') + '\t',
  ];
  let halfCycle = 0;
  let lastDir = 0;
  let qc = 0;
  let qd = 0;
  let ec = 0;
  let ed = 0;
  let net = 0;
  let prevStep = -1;
  let prev = { qc: 0, qd: 0, ec: 0, ed: 0 };
  for (let i = 0; i < t.length; i++) {
    const s = t.state[i]!;
    if (t.stepCount[i] !== prevStep) {
      prevStep = t.stepCount[i]!;
      prev = { qc: 0, qd: 0, ec: 0, ed: 0 };
    }
    const dqc = t.stepChargeAh[i]! - prev.qc;
    const dqd = t.stepDischargeAh[i]! - prev.qd;
    const dec = t.stepChargeWh[i]! - prev.ec;
    const ded = t.stepDischargeWh[i]! - prev.ed;
    prev = {
      qc: t.stepChargeAh[i]!,
      qd: t.stepDischargeAh[i]!,
      ec: t.stepChargeWh[i]!,
      ed: t.stepDischargeWh[i]!,
    };
    const dir = s === 1 ? 1 : s === 2 ? -1 : 0;
    if (dir !== 0 && dir !== lastDir) {
      if (lastDir !== 0) halfCycle++;
      lastDir = dir;
      qc = qd = ec = ed = 0;
    }
    qc += dqc;
    qd += dqd;
    ec += dec;
    ed += ded;
    net += dqc - dqd;
    lines.push(
      [
        s === 0 ? 3 : 1,
        s === 1 ? 1 : 0,
        0,
        i === 0 || t.stepCount[i] !== t.stepCount[i - 1] ? 1 : 0,
        i > 0 && t.stepCount[i] !== t.stepCount[i - 1] ? 1 : 0,
        0,
        t.step[i],
        sci(t.testTimeS[i]!, 15),
        sci(t.currentA[i]! * 1000, 7),
        sci(t.voltageV[i]!, 7),
        sci(t.currentA[i]! * 1000, 7),
        sci(net * 1000, 15),
        sci(qc * 1000, 15),
        sci(qd * 1000, 15),
        sci(ec, 15),
        sci(ed, 15),
        halfCycle,
        sci(t.cycle[i]! - 1, 15),
        sci(t.temperatureDegC[i]!, 7),
      ].join('\t'),
    );
  }
  const text = lines.join('\r\n') + '\r\n';
  // windows-1252: every character here is ASCII except the degree sign (0xB0).
  const out = new Uint8Array(text.length);
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    out[k] = c === 0xb0 ? 0xb0 : c < 0x80 ? c : 0x3f;
  }
  return out;
}
