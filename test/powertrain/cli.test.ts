import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { haveFixtures } from '../helpers/fixtures.js';

// Runs the real, built CLI (node bin/discern.js; `npm test` builds dist/ first).

describe.skipIf(!haveFixtures)('discern vehicle (WLTC 3b from the fixtures)', () => {
  it('vehicle range --json gives distance, DC/AC consumption and range', () => {
    const r = runCli(['vehicle', 'range', '--vehicle', 'renault-5-52kwh', '--cycle', 'wltc3b', '--json']);
    expect(r.status).toBe(0);
    const j = r.json() as Record<string, number | string>;
    expect(j).toMatchObject({ vehicle: 'renault-5-52kwh', cycle: 'wltc3b', model: 'constant-efficiency' });
    expect(j['distance_km'] as number).toBeCloseTo(23.266, 3);
    expect(Math.abs((j['range_km'] as number) / 410 - 1)).toBeLessThan(0.01);
    // range = usable energy / DC consumption; AC consumption above DC
    expect(j['range_km'] as number).toBeCloseTo(52_000 / (j['consumption_dc_Wh_per_km'] as number), 6);
    expect(j['consumption_ac_Wh_per_km'] as number).toBeGreaterThan(j['consumption_dc_Wh_per_km'] as number);
  });

  it('vehicle range --device uses the component model with inverter losses and junction temperature', () => {
    const r = runCli([
      'vehicle',
      'range',
      '--vehicle',
      'renault-5-52kwh',
      '--device',
      'infineon-fs03mr12a6ma1b',
      '--vdc',
      '800',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const j = r.json() as {
      model: string;
      inverter: { device: string; dc_link_V: number; loss_kWh: number; peak_junction_degC: number };
    };
    expect(j.model).toBe('component');
    expect(j.inverter).toMatchObject({ device: 'infineon-fs03mr12a6ma1b', dc_link_V: 800 });
    expect(j.inverter.loss_kWh).toBeGreaterThan(0);
    expect(j.inverter.peak_junction_degC).toBeGreaterThan(65);
  });

  it('vehicle compare --json: SiC loses less than Si at 400 V and at 800 V', () => {
    const r = runCli(['vehicle', 'compare', '--vehicle', 'renault-5-52kwh', '--json']);
    expect(r.status).toBe(0);
    const rows = (
      r.json() as {
        rows: {
          variant: string;
          dc_link_V: number;
          inverter_loss_Wh: number;
          range_change_percent: number;
        }[];
      }
    ).rows;
    expect(rows.map((x) => x.dc_link_V)).toEqual([400, 400, 800, 800]);
    expect(rows[1]!.inverter_loss_Wh).toBeLessThan(rows[0]!.inverter_loss_Wh);
    expect(rows[3]!.inverter_loss_Wh).toBeLessThan(rows[2]!.inverter_loss_Wh);
    expect(rows[0]!.range_change_percent).toBe(0);
  });
});

describe('discern powertrain commands without fixtures', () => {
  it('vehicle list --json lists the library vehicles with their published ranges', () => {
    const r = runCli(['vehicle', 'list', '--json']);
    expect(r.status).toBe(0);
    const rows = r.json() as { id: string; published: Record<string, number> }[];
    expect(rows.map((x) => x.id)).toEqual(
      expect.arrayContaining(['renault-5-52kwh', 'renault-5-40kwh', 'renault-zoe-ze50-r135']),
    );
    expect(rows.find((x) => x.id === 'renault-5-52kwh')!.published['wltpRangeKm']).toBe(410);
  });

  it('inverter losses --json at a fixed Tj obeys P_ac = 3 M V_dc I cos φ / (2√2) and P_dc = P_ac + loss', () => {
    const r = runCli([
      'inverter',
      'losses',
      '--device',
      'si-igbt-750v',
      '--vdc',
      '350',
      '--irms',
      '300',
      '--m',
      '0.9',
      '--pf',
      '0.85',
      '--modulation',
      'spwm',
      '--tj',
      '150',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const j = r.json() as {
      ac_power_W: number;
      dc_power_W: number;
      inverter_loss_W: number;
      efficiency: number;
      per_switch: { total_W: number; transistor_conduction_W: number };
    };
    expect(j.ac_power_W).toBeCloseTo((3 * 0.9 * 350 * 300 * 0.85) / (2 * Math.SQRT2), 6);
    expect(j.dc_power_W).toBeCloseTo(j.ac_power_W + j.inverter_loss_W, 6);
    expect(j.inverter_loss_W).toBeCloseTo(6 * j.per_switch.total_W, 6);
    // at 150 degC the library IGBT has the §1.7 vector A on-state values: 121.9 W
    expect(j.per_switch.transistor_conduction_W).toBeCloseTo(121.9, 1);
  });

  it('inverter losses without --tj iterates to the steady-state junction temperature', () => {
    const r = runCli([
      'inverter',
      'losses',
      '--device',
      'wolfspeed-cab450m12xm3',
      '--vdc',
      '700',
      '--irms',
      '150',
      '--m',
      '0.9',
      '--pf',
      '0.85',
      '--coolant',
      '65',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const j = r.json() as { thermal_converged: boolean; junction_transistor_degC: number };
    expect(j.thermal_converged).toBe(true);
    expect(j.junction_transistor_degC).toBeGreaterThan(65);
  });

  it('inverter losses rejects overmodulation with DISCERN_BAD_ARGUMENT and exit code 2', () => {
    const r = runCli([
      'inverter',
      'losses',
      '--device',
      'si-igbt-750v',
      '--vdc',
      '350',
      '--irms',
      '300',
      '--m',
      '1.2',
      '--pf',
      '0.85',
      '--modulation',
      'spwm',
      '--json',
    ]);
    expect(r.status).toBe(2);
    expect((r.json() as { error: { code: string } }).error.code).toBe('DISCERN_BAD_ARGUMENT');
  });

  it('inverter map --json gives torque rows × speed columns with null where unreachable', () => {
    const r = runCli([
      'inverter',
      'map',
      '--device',
      'infineon-fs03mr12a6ma1b',
      '--speeds',
      '1000,6000',
      '--torques',
      '50:250:100',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const j = r.json() as {
      speeds_rpm: number[];
      torques_Nm: number[];
      inverter_efficiency: (number | null)[][];
    };
    expect(j.torques_Nm).toEqual([50, 150, 250]);
    expect(j.inverter_efficiency).toHaveLength(3);
    expect(j.inverter_efficiency[0]).toHaveLength(2);
    expect(j.inverter_efficiency[2]![1]).toBeNull(); // 250 Nm is past the current limit
    expect(j.inverter_efficiency[0]![0]!).toBeGreaterThan(0.9);
  });

  it('charge-session --json: 400 V and 800 V layouts of the R5 pack, 100 kW peak, equal times when cell-limited', () => {
    const r = runCli(['charge-session', '--vehicle', 'renault-5-52kwh', '--voltage-class', 'both', '--json']);
    expect(r.status).toBe(0);
    const s = (
      r.json() as {
        sessions: {
          layout: string;
          duration_min: number;
          peak_power_kW: number;
          nominal_voltage_V: number;
        }[];
      }
    ).sessions;
    expect(s.map((x) => x.layout)).toEqual(['108s2p', '216s1p']);
    expect(s[1]!.nominal_voltage_V).toBeCloseTo(2 * s[0]!.nominal_voltage_V, 9);
    expect(s[0]!.peak_power_kW).toBeCloseTo(100, 3);
    expect(s[1]!.duration_min).toBeCloseTo(s[0]!.duration_min, 6);
  });

  it('charge-session with a cell and layout, and a 500 V charger that cannot take the 800 V pack', () => {
    const ok = runCli([
      'charge-session',
      '--cell',
      'nmc-62ah-e208-derived',
      '--series',
      '108',
      '--parallel',
      '2',
      '--charger',
      'ccs-50kw-500v',
      '--json',
    ]);
    expect(ok.status).toBe(0);
    const s = (ok.json() as { sessions: { peak_power_kW: number; limit_share: Record<string, number> }[] })
      .sessions[0]!;
    expect(s.peak_power_kW).toBeLessThanOrEqual(50 + 1e-9);
    const bad = runCli([
      'charge-session',
      '--cell',
      'nmc-62ah-e208-derived',
      '--series',
      '108',
      '--parallel',
      '2',
      '--charger',
      'ccs-50kw-500v',
      '--voltage-class',
      '800',
      '--json',
    ]);
    expect(bad.status).toBe(2);
    expect((bad.json() as { error: { code: string } }).error.code).toBe('DISCERN_BAD_ARGUMENT');
  });

  it('charger efficiency --json gives both directions of the bidirectional charger', () => {
    const r = runCli([
      'charger',
      'efficiency',
      '--charger',
      'obc-11kw-bidirectional',
      '--points',
      '4',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const p = (
      r.json() as { points: { direction: string; output_W: number; input_W: number; efficiency: number }[] }
    ).points;
    expect(p.filter((x) => x.direction === 'charge')).toHaveLength(4);
    expect(p.filter((x) => x.direction === 'discharge')).toHaveLength(4);
    for (const x of p) expect(x.efficiency).toBeCloseTo(x.output_W / x.input_W, 12);
  });

  it('an unknown vehicle is DISCERN_NOT_FOUND with exit code 3', () => {
    const r = runCli(['vehicle', 'range', '--vehicle', 'no-such-car', '--json']);
    expect(r.status).toBe(3);
    expect((r.json() as { error: { code: string } }).error.code).toBe('DISCERN_NOT_FOUND');
  });
});
