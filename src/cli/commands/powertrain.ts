import type { Command } from 'commander';
import { DiscernError } from '../../core/index.js';
import {
  chargeSession,
  chargerEfficiency,
  compareSiSic,
  inverterLossesAt,
  inverterMap,
  listChargers,
  listDevices,
  listVehicles,
  vehicleRange,
} from '../../app/powertrain.js';
import type { Modulation } from '../../powertrain/index.js';
import { printJson, printTable, reportError } from '../output.js';

/** A finite number from an option, or a DISCERN_BAD_ARGUMENT naming the option. */
function num(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `--${name} must be a number (got '${value}')`);
  return x;
}

function need(name: string, value: string | undefined): number {
  const x = num(name, value);
  if (x === undefined) throw new DiscernError('DISCERN_BAD_ARGUMENT', `--${name} is required`);
  return x;
}

/** `a:b:step` (inclusive) or a comma list. */
function grid(name: string, value: string): number[] {
  if (value.includes(':')) {
    const [a, b, s] = value.split(':').map((p) => need(name, p));
    if (!(s! > 0) || b! < a!)
      throw new DiscernError(
        'DISCERN_BAD_ARGUMENT',
        `--${name} ${value}: use start:end:step with end >= start, step > 0`,
      );
    const out: number[] = [];
    for (let k = 0; a! + k * s! <= b! + 1e-9 && k < 10_000; k++) out.push(a! + k * s!);
    return out;
  }
  return value.split(',').map((p) => need(name, p));
}

function modulation(value: string | undefined): Modulation | undefined {
  if (value === undefined) return undefined;
  if (value !== 'spwm' && value !== 'svpwm')
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `--modulation must be spwm or svpwm (got '${value}')`);
  return value;
}

const r1 = (x: number): number => Math.round(x * 10) / 10;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const nested = (a: Float64Array, rows: number, cols: number): (number | null)[][] =>
  Array.from({ length: rows }, (_, i) =>
    Array.from(a.subarray(i * cols, (i + 1) * cols), (x) => (Number.isFinite(x) ? x : null)),
  );

type Opts = Record<string, string | boolean | undefined> & { json?: boolean };
const str = (o: Opts, k: string): string | undefined =>
  typeof o[k] === 'string' ? (o[k] as string) : undefined;

/** `discern inverter ...`, `vehicle ...`, `charger ...`, `charge-session`. */
export function registerPowertrainCommands(program: Command): void {
  const inverter = program
    .command('inverter')
    .description('Traction-inverter losses, junction temperature and efficiency maps');

  inverter
    .command('devices')
    .description('List the power modules of the device library')
    .option('--json', 'print JSON (with every value and its source)')
    .action((o: Opts) => {
      try {
        const d = listDevices();
        if (o.json)
          printJson(
            d.map((x) => ({
              id: x.module.id,
              kind: x.module.kind,
              name: x.module.name,
              values: x.citations,
            })),
          );
        else
          printTable(
            d.map((x) => ({
              id: x.module.id,
              kind: x.module.kind,
              V: x.module.blockingVoltageV,
              A: x.module.nominalCurrentA,
              name: x.module.name,
            })),
          );
      } catch (e) {
        reportError(e, o.json === true);
      }
    });

  inverter
    .command('losses')
    .description('Losses of a two-level inverter at one operating point (steady-state Tj unless --tj)')
    .requiredOption('--device <id>', 'power module id (discern inverter devices)')
    .requiredOption('--vdc <V>', 'DC-link voltage, V')
    .requiredOption('--irms <A>', 'phase current, A rms')
    .requiredOption('--m <M>', 'modulation index V̂_phase / (V_dc/2)')
    .requiredOption('--pf <cos>', 'power factor cos φ (negative = regeneration)')
    .option('--fsw <Hz>', 'switching frequency, Hz', '10000')
    .option('--modulation <kind>', 'spwm or svpwm', 'svpwm')
    .option('--tj <degC>', 'fixed junction temperature (no thermal iteration)')
    .option('--coolant <degC>', 'coolant temperature for the steady state', '65')
    .option('--json', 'print JSON')
    .action((o: Opts) => {
      try {
        const tj = num('tj', str(o, 'tj'));
        const r = inverterLossesAt({
          device: str(o, 'device')!,
          dcLinkVoltageV: need('vdc', str(o, 'vdc')),
          phaseCurrentRmsA: need('irms', str(o, 'irms')),
          modulationIndex: need('m', str(o, 'm')),
          powerFactor: need('pf', str(o, 'pf')),
          switchingFrequencyHz: need('fsw', str(o, 'fsw')),
          modulation: modulation(str(o, 'modulation'))!,
          ...(tj !== undefined ? { junctionDegC: tj } : { coolantDegC: need('coolant', str(o, 'coolant')) }),
        });
        const p = r.perSwitch;
        const out = {
          device: r.module,
          modulation: r.modulation,
          junction_transistor_degC: r.junction.transistorDegC,
          junction_diode_degC: r.junction.diodeDegC,
          ...('converged' in r
            ? {
                thermal_iterations: r.iterations,
                thermal_converged: r.converged,
                over_temperature: r.overTemperature,
              }
            : {}),
          per_switch: {
            transistor_conduction_W: p.transistorConductionW,
            diode_conduction_W: p.diodeConductionW,
            transistor_switching_W: p.transistorSwitchingW,
            diode_switching_W: p.diodeSwitchingW,
            total_W: p.totalW,
          },
          inverter_loss_W: r.totalLossW,
          ac_power_W: r.acPowerW,
          dc_power_W: r.dcPowerW,
          efficiency: r.efficiency,
          dc_link_capacitor_rms_A: r.dcLinkCapacitorRmsA,
        };
        if (o.json) printJson(out);
        else {
          printTable([{ ...out.per_switch }]);
          process.stdout.write(
            `inverter loss ${r1(r.totalLossW)} W, AC ${r1(r.acPowerW / 1000)} kW, efficiency ${r3(r.efficiency * 100)} %, Tj ${r1(r.junction.transistorDegC)} / ${r1(r.junction.diodeDegC)} degC\n`,
          );
        }
      } catch (e) {
        reportError(e, o.json === true);
      }
    });

  inverter
    .command('map')
    .description("Inverter, machine and drive efficiency over a vehicle machine's torque-speed plane")
    .requiredOption('--device <id>', 'power module id')
    .option('--vehicle <id>', 'vehicle whose machine is used', 'renault-5-52kwh')
    .option('--vdc <V>', "DC-link voltage (default the vehicle's; the machine is rewound to match)")
    .option('--fsw <Hz>', 'switching frequency, Hz', '10000')
    .option('--speeds <rpm>', 'speeds: start:end:step or a list', '500:12000:500')
    .option('--torques <Nm>', 'torques: start:end:step or a list', '-200:240:20')
    .option('--modulation <kind>', 'spwm or svpwm', 'svpwm')
    .option('--coolant <degC>', 'coolant temperature', '65')
    .option('--json', 'print JSON')
    .action((o: Opts) => {
      try {
        const vdc = num('vdc', str(o, 'vdc'));
        const m = inverterMap({
          device: str(o, 'device')!,
          vehicle: str(o, 'vehicle')!,
          ...(vdc !== undefined ? { dcLinkVoltageV: vdc } : {}),
          switchingFrequencyHz: need('fsw', str(o, 'fsw')),
          speedsRpm: grid('speeds', str(o, 'speeds')!),
          torquesNm: grid('torques', str(o, 'torques')!),
          modulation: modulation(str(o, 'modulation'))!,
          coolantDegC: need('coolant', str(o, 'coolant')),
        });
        const rows = m.torquesNm.length;
        const cols = m.speedsRpm.length;
        if (o.json) {
          printJson({
            device: m.module,
            dc_link_V: m.dcLinkVoltageV,
            switching_frequency_Hz: m.switchingFrequencyHz,
            modulation: m.modulation,
            speeds_rpm: m.speedsRpm,
            torques_Nm: m.torquesNm,
            layout: 'rows = torques, columns = speeds; null = not reachable',
            inverter_efficiency: nested(m.inverterEfficiency, rows, cols),
            inverter_loss_W: nested(m.inverterLossW, rows, cols),
            machine_efficiency: nested(m.machineEfficiency, rows, cols),
            drive_efficiency: nested(m.driveEfficiency, rows, cols),
            junction_degC: nested(m.junctionDegC, rows, cols),
            phase_current_rms_A: nested(m.phaseCurrentRmsA, rows, cols),
            modulation_index: nested(m.modulationIndex, rows, cols),
            power_factor: nested(m.powerFactor, rows, cols),
          });
        } else {
          process.stdout.write(
            `inverter efficiency, % (rows: torque Nm, columns: speed rpm), ${m.module} at ${m.dcLinkVoltageV} V\n`,
          );
          const table = m.torquesNm.map((t, i) => {
            const row: Record<string, unknown> = { 'Nm\\rpm': t };
            // Fixed one-decimal text so the columns line up (printTable would print 95 next to 97.3000).
            m.speedsRpm.forEach((s, j) => {
              const e = m.inverterEfficiency[i * cols + j]!;
              row[String(s)] = Number.isFinite(e) ? (e * 100).toFixed(1) : null;
            });
            return row;
          });
          printTable(table.reverse());
        }
      } catch (e) {
        reportError(e, o.json === true);
      }
    });

  const vehicle = program.command('vehicle').description('Vehicle road load, drive-cycle energy and range');

  vehicle
    .command('list')
    .description('List the vehicles of the library with their published figures')
    .option('--json', 'print JSON')
    .action((o: Opts) => {
      try {
        const rows = listVehicles().map((e) => ({
          id: e.vehicle.id,
          name: e.vehicle.name,
          test_mass_kg: e.vehicle.testMassKg,
          drag_area_m2: e.vehicle.dragAreaM2,
          rolling_resistance: e.vehicle.rollingResistance,
          usable_energy_kWh: e.vehicle.usableEnergyWh / 1000,
          published: e.published,
          calibrated: e.calibrated,
        }));
        if (o.json) printJson(rows);
        else
          printTable(
            rows.map((r) => ({
              id: r.id,
              usable_kWh: r.usable_energy_kWh,
              wltp_km: r.published['wltpRangeKm'],
              test_mass_kg: r.test_mass_kg,
              CdA_m2: r.drag_area_m2,
              name: r.name,
            })),
          );
      } catch (e) {
        reportError(e, o.json === true);
      }
    });

  vehicle
    .command('range')
    .description('DC and AC energy per km and range over a drive cycle')
    .requiredOption('--vehicle <id>', 'vehicle id (discern vehicle list)')
    .option('--cycle <name|file>', 'wltc3b or a CSV speed trace (time_s + speed_kmh or speed_mps)', 'wltc3b')
    .option(
      '--device <id>',
      'use the component model (machine + this inverter module, 10 Hz) instead of the calibrated efficiencies',
    )
    .option('--vdc <V>', 'DC-link voltage for the component model')
    .option(
      '--ac-power <W>',
      'AC charging power for the AC consumption (default the on-board charger rating)',
    )
    .option('--json', 'print JSON')
    .action((o: Opts) => {
      try {
        const vdc = num('vdc', str(o, 'vdc'));
        const ac = num('ac-power', str(o, 'acPower'));
        const device = str(o, 'device');
        const r = vehicleRange({
          vehicle: str(o, 'vehicle')!,
          cycle: str(o, 'cycle')!,
          ...(device !== undefined ? { device } : {}),
          ...(vdc !== undefined ? { dcLinkVoltageV: vdc } : {}),
          ...(ac !== undefined ? { acChargePowerW: ac } : {}),
        });
        const e = r.energy;
        const kwh = (j: number): number => j / 3.6e6;
        const published = r.entry.published['wltpRangeKm'];
        const out = {
          vehicle: r.entry.vehicle.id,
          cycle: r.cycle.name,
          model: e.model,
          distance_km: e.distanceM / 1000,
          duration_s: e.durationS,
          consumption_dc_Wh_per_km: e.consumptionDcWhPerKm,
          consumption_ac_Wh_per_km: r.ac ? r.ac.consumptionAcWhPerKm : null,
          range_km: e.rangeKm,
          usable_energy_kWh: r.entry.vehicle.usableEnergyWh / 1000,
          published_range_km: published ?? null,
          range_vs_published_percent: published ? (100 * (e.rangeKm - published)) / published : null,
          wall_to_battery_efficiency: r.ac ? r.ac.wallToBatteryEfficiency : null,
          energy_kWh: {
            aero: kwh(e.aeroJ),
            rolling: kwh(e.rollingJ),
            grade: kwh(e.gradeJ),
            kinetic_change: kwh(e.inertiaJ),
            wheel_positive: kwh(e.wheelPositiveJ),
            wheel_negative: kwh(e.wheelNegativeJ),
            regen_at_wheel: kwh(e.regenWheelJ),
            friction_brakes: kwh(e.frictionBrakeJ),
            battery_traction: kwh(e.tractionBatteryJ),
            battery_regen: kwh(e.regenBatteryJ),
            auxiliaries: kwh(e.auxJ),
            battery_net: kwh(e.batteryJ),
          },
          ...(r.drive
            ? {
                inverter: {
                  device: r.drive.module,
                  dc_link_V: r.drive.dcLinkVoltageV,
                  loss_kWh: kwh(r.drive.inverterLossJ),
                  machine_loss_kWh: kwh(r.drive.machineLossJ),
                  peak_junction_degC: r.drive.peakJunctionDegC,
                  thermal_converged: r.drive.thermalConverged,
                },
              }
            : {}),
          trace_miss_steps: e.traceMissSteps,
        };
        if (o.json) printJson(out);
        else
          process.stdout.write(
            `${out.vehicle} on ${out.cycle} (${e.model}): ${r3(out.distance_km)} km, ${r1(out.consumption_dc_Wh_per_km)} Wh/km DC, ` +
              `${out.consumption_ac_Wh_per_km === null ? '-' : r1(out.consumption_ac_Wh_per_km)} Wh/km AC, range ${r1(e.rangeKm)} km` +
              `${published ? ` (published ${published} km)` : ''}\n`,
          );
      } catch (e) {
        reportError(e, o.json === true);
      }
    });

  vehicle
    .command('compare')
    .description(
      'Si IGBT vs SiC MOSFET inverters at 400 V and 800 V over a drive cycle (component model, 10 Hz)',
    )
    .requiredOption('--vehicle <id>', 'vehicle id with machine data')
    .option('--cycle <name|file>', 'wltc3b or a CSV speed trace', 'wltc3b')
    .option('--fsw <Hz>', 'switching frequency, Hz', '10000')
    .option('--json', 'print JSON')
    .action((o: Opts) => {
      try {
        const c = compareSiSic({
          vehicle: str(o, 'vehicle')!,
          cycle: str(o, 'cycle')!,
          switchingFrequencyHz: need('fsw', str(o, 'fsw')),
        });
        const rows = c.rows.map((r) => ({
          variant: r.label,
          device: r.module,
          dc_link_V: r.dcLinkVoltageV,
          inverter_loss_Wh: r.inverterLossWh,
          inverter_cycle_efficiency: r.inverterCycleEfficiency,
          consumption_dc_Wh_per_km: r.consumptionDcWhPerKm,
          range_km: r.rangeKm,
          peak_junction_degC: r.peakJunctionDegC,
          consumption_change_percent: r.consumptionChangePercent,
          range_change_percent: r.rangeChangePercent,
        }));
        if (o.json) printJson({ vehicle: c.vehicle, cycle: c.cycle, distance_km: c.distanceKm, rows });
        else printTable(rows);
      } catch (e) {
        reportError(e, o.json === true);
      }
    });

  const charger = program.command('charger').description('On-board and DC chargers');

  charger
    .command('list')
    .description('List the chargers of the library')
    .option('--json', 'print JSON')
    .action((o: Opts) => {
      try {
        const rows = listChargers();
        if (o.json) printJson(rows);
        else printTable(rows);
      } catch (e) {
        reportError(e, o.json === true);
      }
    });

  charger
    .command('efficiency')
    .description('On-board charger efficiency against power, charging and V2G/V2L')
    .requiredOption('--charger <id>', 'on-board charger id')
    .option('--points <n>', 'points per direction', '10')
    .option('--json', 'print JSON')
    .action((o: Opts) => {
      try {
        const c = chargerEfficiency(str(o, 'charger')!, need('points', str(o, 'points')));
        const rows = [...c.charge, ...c.discharge].map((p) => ({
          direction: p.direction,
          output_W: p.outputW,
          input_W: p.inputW,
          loss_W: p.lossW,
          efficiency: p.efficiency,
          stage_efficiency: p.stageEfficiency,
        }));
        if (o.json)
          printJson({
            charger: c.charger.id,
            rated_charge_W: c.charger.ratedChargePowerW,
            rated_discharge_W: c.charger.ratedDischargePowerW,
            points: rows,
          });
        else printTable(rows.map(({ stage_efficiency: _s, ...r }) => r));
      } catch (e) {
        reportError(e, o.json === true);
      }
    });

  program
    .command('charge-session')
    .description(
      'DC fast-charge session from a cell charge map, pack layout and charger limits (400 V / 800 V)',
    )
    .option('--vehicle <id>', "use the vehicle's pack (cell, layout, DC power cap)")
    .option('--cell <id>', 'cell id (library/cells)')
    .option('--cell-capacity <Ah>', 'override the cell capacity (same chemistry and map)')
    .option('--series <n>', 'cells in series')
    .option('--parallel <n>', 'cells in parallel')
    .option('--window <a,b>', 'cell SOC (%) shown as 0 % and 100 %')
    .option('--charger <id>', 'DC charger id', 'ccs-350kw')
    .option('--from <pct>', 'start SOC, %', '10')
    .option('--to <pct>', 'end SOC, %', '80')
    .option('--max-power <W>', "vehicle DC power cap (default the vehicle's)")
    .option('--temperature <degC>', 'pack temperature', '25')
    .option('--voltage-class <c>', '400 (layout as given), 800 (2x series, 1/2 parallel) or both', '400')
    .option('--json', 'print JSON')
    .action((o: Opts) => {
      try {
        const cls = str(o, 'voltageClass');
        if (cls !== '400' && cls !== '800' && cls !== 'both')
          throw new DiscernError('DISCERN_BAD_ARGUMENT', '--voltage-class must be 400, 800 or both');
        const win = str(o, 'window');
        const w = win !== undefined ? grid('window', win) : undefined;
        if (w !== undefined && w.length !== 2)
          throw new DiscernError('DISCERN_BAD_ARGUMENT', '--window needs two numbers a,b');
        const opt = (k: string, name: string): number | undefined => num(name, str(o, k));
        const vehicleId = str(o, 'vehicle');
        const cellId = str(o, 'cell');
        const cap = opt('cellCapacity', 'cell-capacity');
        const series = opt('series', 'series');
        const parallel = opt('parallel', 'parallel');
        const maxPower = opt('maxPower', 'max-power');
        const sessions = chargeSession({
          ...(vehicleId !== undefined ? { vehicle: vehicleId } : {}),
          ...(cellId !== undefined ? { cell: cellId } : {}),
          ...(cap !== undefined ? { cellCapacityAh: cap } : {}),
          ...(series !== undefined ? { series } : {}),
          ...(parallel !== undefined ? { parallel } : {}),
          ...(w !== undefined ? { socWindowPercent: [w[0]!, w[1]!] as [number, number] } : {}),
          ...(maxPower !== undefined ? { vehicleMaxPowerW: maxPower } : {}),
          charger: str(o, 'charger')!,
          fromPercent: need('from', str(o, 'from')),
          toPercent: need('to', str(o, 'to')),
          startTemperatureDegC: need('temperature', str(o, 'temperature')),
          voltageClass: cls,
        });
        const rows = sessions.map(({ label, result: s }) => ({
          layout: label,
          cell: s.cell,
          charger: s.charger,
          nominal_voltage_V: s.nominalVoltageV,
          pack_energy_kWh: s.packNominalEnergyWh / 1000,
          from_percent: s.fromPercent,
          to_percent: s.toPercent,
          duration_min: s.durationS / 60,
          energy_kWh: s.energyWh / 1000,
          peak_power_kW: s.peakPowerW / 1000,
          mean_power_kW: s.meanPowerW / 1000,
          peak_current_A: s.peakCurrentA,
          max_voltage_V: s.maxVoltageV,
          limit_share: s.limitShare,
        }));
        if (o.json) printJson({ sessions: rows });
        else printTable(rows.map(({ limit_share: _l, ...r }) => r));
      } catch (e) {
        reportError(e, o.json === true);
      }
    });
}
