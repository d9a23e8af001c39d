/** The rows a simulated test logged, in columns. Currents positive on charge. */
export interface RecordTable {
  length: number;
  /** Time since the start of the test and of the step, s. */
  testTimeS: Float64Array;
  stepTimeS: Float64Array;
  cycle: Int32Array;
  /** Schedule step number. */
  step: Int32Array;
  /** Running count of steps (1-based). */
  stepCount: Int32Array;
  currentA: Float64Array;
  voltageV: Float64Array;
  temperatureDegC: Float64Array;
  /** Charge and energy passed since the start of the step, magnitudes (Ah, Wh). */
  stepChargeAh: Float64Array;
  stepDischargeAh: Float64Array;
  stepChargeWh: Float64Array;
  stepDischargeWh: Float64Array;
  /** 0 rest, 1 charge, 2 discharge. */
  state: Uint8Array;
  /** 1 for constant-voltage steps. */
  constantVoltage: Uint8Array;
  /** Instrument DC resistance where reported, else NaN, Ohm. */
  dcirOhm: Float64Array;
}

const FLOATS = [
  'testTimeS',
  'stepTimeS',
  'currentA',
  'voltageV',
  'temperatureDegC',
  'stepChargeAh',
  'stepDischargeAh',
  'stepChargeWh',
  'stepDischargeWh',
  'dcirOhm',
] as const;
const INTS = ['cycle', 'step', 'stepCount'] as const;
const BYTES = ['state', 'constantVoltage'] as const;

/** One logged row. */
export type RecordRow = { [K in (typeof FLOATS)[number]]: number } & {
  [K in (typeof INTS)[number]]: number;
} & {
  [K in (typeof BYTES)[number]]: number;
};

/** Growable column store for RecordTable. */
export class RecordBuilder {
  private n = 0;
  private cap = 1024;
  private f = Object.fromEntries(FLOATS.map((c) => [c, new Float64Array(1024)])) as Record<
    (typeof FLOATS)[number],
    Float64Array
  >;
  private i = Object.fromEntries(INTS.map((c) => [c, new Int32Array(1024)])) as Record<
    (typeof INTS)[number],
    Int32Array
  >;
  private u = Object.fromEntries(BYTES.map((c) => [c, new Uint8Array(1024)])) as Record<
    (typeof BYTES)[number],
    Uint8Array
  >;

  /** Appends a row. */
  push(row: RecordRow): void {
    if (this.n === this.cap) this.grow();
    const k = this.n++;
    for (const c of FLOATS) this.f[c][k] = row[c];
    for (const c of INTS) this.i[c][k] = row[c];
    for (const c of BYTES) this.u[c][k] = row[c];
  }

  /** The rows so far, trimmed. */
  table(): RecordTable {
    const n = this.n;
    const pick = <T extends Float64Array | Int32Array | Uint8Array>(a: T): T => a.slice(0, n) as T;
    return {
      length: n,
      testTimeS: pick(this.f.testTimeS),
      stepTimeS: pick(this.f.stepTimeS),
      currentA: pick(this.f.currentA),
      voltageV: pick(this.f.voltageV),
      temperatureDegC: pick(this.f.temperatureDegC),
      stepChargeAh: pick(this.f.stepChargeAh),
      stepDischargeAh: pick(this.f.stepDischargeAh),
      stepChargeWh: pick(this.f.stepChargeWh),
      stepDischargeWh: pick(this.f.stepDischargeWh),
      dcirOhm: pick(this.f.dcirOhm),
      cycle: pick(this.i.cycle),
      step: pick(this.i.step),
      stepCount: pick(this.i.stepCount),
      state: pick(this.u.state),
      constantVoltage: pick(this.u.constantVoltage),
    };
  }

  private grow(): void {
    this.cap *= 2;
    for (const c of FLOATS) {
      const a = new Float64Array(this.cap);
      a.set(this.f[c]);
      this.f[c] = a;
    }
    for (const c of INTS) {
      const a = new Int32Array(this.cap);
      a.set(this.i[c]);
      this.i[c] = a;
    }
    for (const c of BYTES) {
      const a = new Uint8Array(this.cap);
      a.set(this.u[c]);
      this.u[c] = a;
    }
  }
}
