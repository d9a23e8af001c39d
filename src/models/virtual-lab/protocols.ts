import type { ProtocolStep } from './simulate.js';

/** What the lab knows about a cell when it writes a schedule: the datasheet, not the truth. */
export interface ScheduleCell {
  nominalCapacityAh: number;
  minVoltageV: number;
  maxVoltageV: number;
}

const END_CURRENT_C = 0.05;

function chargeCccv(
  c: ScheduleCell,
  cycle: number,
  cRate: number,
  ambientDegC: number,
  first: number,
  logEveryS = 60,
): ProtocolStep[] {
  const q = c.nominalCapacityAh;
  return [
    {
      kind: 'cc',
      cycle,
      step: first,
      ambientDegC,
      currentA: cRate * q,
      limitVoltageV: c.maxVoltageV,
      logEveryS,
      ...(logEveryS <= 60 ? { logDeltaV: 0.01 } : {}),
    },
    {
      kind: 'cv',
      cycle,
      step: first + 1,
      ambientDegC,
      voltageV: c.maxVoltageV,
      endCurrentA: END_CURRENT_C * q,
      maxCurrentA: cRate * q,
      durationS: 3 * 3600,
      logEveryS,
    },
  ];
}

function rest(
  cycle: number,
  step: number,
  ambientDegC: number,
  durationS: number,
  logEveryS: number,
): ProtocolStep {
  return { kind: 'rest', cycle, step, ambientDegC, durationS, logEveryS };
}

function discharge(
  c: ScheduleCell,
  cycle: number,
  step: number,
  cRate: number,
  ambientDegC: number,
  logEveryS = 60,
): ProtocolStep {
  return {
    kind: 'cc',
    cycle,
    step,
    ambientDegC,
    currentA: -cRate * c.nominalCapacityAh,
    limitVoltageV: c.minVoltageV,
    logEveryS,
    ...(logEveryS <= 60 ? { logDeltaV: 0.01 } : {}),
  };
}

/**
 * Check-in capacity test at 25 degC: full discharge at C/3, then two C/3 CC-CV charge / C/3
 * discharge cycles (reference capacity, energy and round-trip efficiency; cycles 2 and 3).
 */
export function capacityCheckSteps(c: ScheduleCell, ambientDegC = 25): ProtocolStep[] {
  const s: ProtocolStep[] = [
    rest(1, 1, ambientDegC, 600, 60),
    discharge(c, 1, 2, 1 / 3, ambientDegC),
    rest(1, 3, ambientDegC, 1800, 120),
  ];
  for (const cycle of [2, 3]) {
    s.push(...chargeCccv(c, cycle, 1 / 3, ambientDegC, 4), rest(cycle, 6, ambientDegC, 1800, 120));
    s.push(discharge(c, cycle, 7, 1 / 3, ambientDegC), rest(cycle, 8, ambientDegC, 1800, 120));
  }
  return s;
}

/**
 * Rate test at 25 degC: full discharge at C/3, then for each rate a C/3 CC-CV charge and a CC
 * discharge at that rate (cycle 2, 3, ...), logged every 20 s.
 */
export function rateTestSteps(
  c: ScheduleCell,
  rates: readonly number[] = [0.5, 1, 2],
  ambientDegC = 25,
): ProtocolStep[] {
  const s: ProtocolStep[] = [
    rest(1, 1, ambientDegC, 600, 60),
    discharge(c, 1, 2, 1 / 3, ambientDegC),
    rest(1, 3, ambientDegC, 1800, 120),
  ];
  rates.forEach((rate, k) => {
    const cycle = 2 + k;
    s.push(...chargeCccv(c, cycle, 1 / 3, ambientDegC, 4), rest(cycle, 6, ambientDegC, 1800, 120));
    s.push(discharge(c, cycle, 7, rate, ambientDegC, 20), rest(cycle, 8, ambientDegC, 1800, 120));
  });
  return s;
}

/**
 * Low-temperature capacity: charged at 25 degC, soaked 4 h at `coldDegC`, discharged at C/3 there,
 * warmed up, then a reference C/3 cycle at 25 degC (the ratio of the two discharges is the result).
 */
export function coldCapacitySteps(c: ScheduleCell, coldDegC: number): ProtocolStep[] {
  return [
    rest(1, 1, 25, 600, 60),
    discharge(c, 1, 2, 1 / 3, 25),
    rest(1, 3, 25, 1800, 120),
    ...chargeCccv(c, 2, 1 / 3, 25, 4),
    rest(2, 6, 25, 1800, 120),
    rest(2, 7, coldDegC, 4 * 3600, 300),
    discharge(c, 2, 8, 1 / 3, coldDegC),
    rest(2, 9, coldDegC, 1800, 300),
    rest(2, 10, 25, 3 * 3600, 300),
    ...chargeCccv(c, 3, 1 / 3, 25, 4),
    rest(3, 6, 25, 1800, 120),
    discharge(c, 3, 11, 1 / 3, 25),
    rest(3, 12, 25, 1800, 120),
  ];
}

/**
 * HPPC at 25 degC (FreedomCAR-style): from full charge, at SOC 90 … 10 % (10 % steps at C/3, 30 min
 * rest) a 10 s discharge pulse at `pulseCRate`, 40 s rest, a 10 s charge pulse at 0.75 × that, 40 s rest.
 */
export function hppcSteps(c: ScheduleCell, pulseCRate = 1, ambientDegC = 25): ProtocolStep[] {
  const q = c.nominalCapacityAh;
  const s: ProtocolStep[] = [
    rest(1, 1, ambientDegC, 600, 60),
    discharge(c, 1, 2, 1 / 3, ambientDegC),
    rest(1, 3, ambientDegC, 1800, 120),
    ...chargeCccv(c, 1, 1 / 3, ambientDegC, 4),
    rest(1, 6, ambientDegC, 3600, 120),
  ];
  for (let level = 0; level < 9; level++) {
    s.push({
      kind: 'cc',
      cycle: 2,
      step: 7,
      ambientDegC,
      currentA: -q / 3,
      limitChargeAh: 0.1 * q,
      limitVoltageV: c.minVoltageV,
      logEveryS: 60,
    });
    s.push(rest(2, 8, ambientDegC, 1800, 60));
    s.push({
      kind: 'cc',
      cycle: 2,
      step: 9,
      ambientDegC,
      currentA: -pulseCRate * q,
      durationS: 10,
      limitVoltageV: c.minVoltageV,
      logEveryS: 0.5,
    });
    s.push(rest(2, 10, ambientDegC, 40, 1));
    s.push({
      kind: 'cc',
      cycle: 2,
      step: 11,
      ambientDegC,
      currentA: 0.75 * pulseCRate * q,
      durationS: 10,
      limitVoltageV: c.maxVoltageV,
      logEveryS: 0.5,
    });
    s.push(rest(2, 12, ambientDegC, 40, 1));
  }
  return s;
}

/**
 * Fast-charge test at 25 degC: from empty (C/3 discharge), `cycles` times a CC charge at `cRate` to
 * the upper voltage, CV to C/20, 30 min rest (logged every 10 s for the relaxation analysis) and a
 * C/3 discharge (the reference capacity for SOC).
 */
export function fastChargeSteps(
  c: ScheduleCell,
  cRate: number,
  cycles = 2,
  ambientDegC = 25,
): ProtocolStep[] {
  const q = c.nominalCapacityAh;
  const s: ProtocolStep[] = [
    rest(1, 1, ambientDegC, 600, 60),
    discharge(c, 1, 2, 1 / 3, ambientDegC),
    rest(1, 3, ambientDegC, 3600, 120),
  ];
  for (let k = 0; k < cycles; k++) {
    const cycle = 2 + k;
    s.push({
      kind: 'cc',
      cycle,
      step: 4,
      ambientDegC,
      currentA: cRate * q,
      limitVoltageV: c.maxVoltageV,
      logEveryS: 5,
      logDeltaV: 0.005,
    });
    s.push({
      kind: 'cv',
      cycle,
      step: 5,
      ambientDegC,
      voltageV: c.maxVoltageV,
      endCurrentA: END_CURRENT_C * q,
      maxCurrentA: cRate * q,
      durationS: 2 * 3600,
      logEveryS: 10,
    });
    s.push(rest(cycle, 6, ambientDegC, 1800, 10));
    s.push(discharge(c, cycle, 7, 1 / 3, ambientDegC));
    s.push(rest(cycle, 8, ambientDegC, 1800, 120));
  }
  return s;
}

/**
 * Cycle-life test: a C/3 check-in discharge (cycle 0), then `cycles` CC-CV charges at
 * `chargeCRate` and CC discharges at `dischargeCRate` over the full voltage window (100 % depth
 * of discharge) with 10 min rests. Decimated as a long test is: a row at the start and end of
 * every charge and discharge step, at the end of every rest, and every `logEveryS` in between; the instrument reports a DC resistance at the end
 * of each rest after charge.
 */
export function cycleLifeSteps(
  c: ScheduleCell,
  cycles: number,
  chargeCRate: number,
  dischargeCRate: number,
  ambientDegC = 25,
  logEveryS = 3600,
): ProtocolStep[] {
  const s: ProtocolStep[] = [
    rest(0, 1, ambientDegC, 600, 600),
    discharge(c, 0, 2, 1 / 3, ambientDegC, logEveryS),
    rest(0, 3, ambientDegC, 1800, 1800),
  ];
  for (let cycle = 1; cycle <= cycles; cycle++) {
    const cycleSteps: ProtocolStep[] = [
      ...chargeCccv(c, cycle, chargeCRate, ambientDegC, 4, logEveryS),
      { ...rest(cycle, 6, ambientDegC, 600, 600), dcir: true },
      discharge(c, cycle, 7, dischargeCRate, ambientDegC, logEveryS),
      rest(cycle, 8, ambientDegC, 600, 600),
    ];
    s.push(...cycleSteps.map((x) => (x.kind === 'rest' ? { ...x, logFirst: false } : x)));
  }
  return s;
}
