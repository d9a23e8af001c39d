/**
 * What was seen in an abuse test. `true` = observed, `false` = looked for and not observed,
 * absent = not recorded (unknown).
 */
export interface AbuseObservations {
  /** A protection device (CID, PTC, fuse, shutdown separator) acted; the cell is reversibly affected. */
  protection_activated?: boolean | undefined;
  /** Irreversible damage or defect (deformation, loss of function) without leakage or venting. */
  damage?: boolean | undefined;
  /** Electrolyte leaked (liquid outside the cell). */
  leakage?: boolean | undefined;
  /** The cell vented (vent opened, gas released). */
  venting?: boolean | undefined;
  /** Smoke came out of the cell (counted as venting for the EUCAR level). */
  smoke?: boolean | undefined;
  /** Fire or flame. */
  fire?: boolean | undefined;
  /** Rupture with flying parts of the active mass (UN 38.3: disassembly). */
  rupture?: boolean | undefined;
  /** Explosion: disintegration of the cell. */
  explosion?: boolean | undefined;
}

/** The observation flags, in the order of the hazard they stand for. */
export const OBSERVATION_KEYS = [
  'protection_activated',
  'damage',
  'leakage',
  'venting',
  'smoke',
  'fire',
  'rupture',
  'explosion',
] as const satisfies readonly (keyof AbuseObservations)[];

/** One EUCAR hazard level with its name and its criteria (EUCAR; SAND2005-3123 Table 2). */
export interface EucarLevelDefinition {
  level: number;
  name: string;
  criteria: string;
}

/**
 * The EUCAR hazard severity levels 0-7 (EUCAR "Battery requirements for future automotive
 * applications"; SAND2005-3123; SAE J2464 grades results with them). Mass loss is of the
 * electrolyte (solvent + salt) mass.
 */
export const EUCAR_LEVELS: readonly EucarLevelDefinition[] = [
  { level: 0, name: 'No effect', criteria: 'No effect, no loss of functionality.' },
  {
    level: 1,
    name: 'Passive protection activated',
    criteria:
      'No defect, leakage, venting, fire, rupture or explosion; no thermal runaway. Reversible loss of function; a protection device (CID, PTC, fuse, vent) acted and needs resetting or repair.',
  },
  {
    level: 2,
    name: 'Defect / damage',
    criteria:
      'No leakage, venting, fire, rupture or explosion; no thermal runaway. The cell is irreversibly damaged and must be repaired or replaced.',
  },
  {
    level: 3,
    name: 'Leakage, mass loss < 50 %',
    criteria: 'No venting, fire, rupture or explosion. Mass loss below 50 % of the electrolyte mass.',
  },
  {
    level: 4,
    name: 'Venting, mass loss >= 50 %',
    criteria: 'No fire, rupture or explosion. Mass loss of 50 % of the electrolyte mass or more.',
  },
  { level: 5, name: 'Fire or flame', criteria: 'No rupture, no explosion (no flying parts).' },
  { level: 6, name: 'Rupture', criteria: 'No explosion, but flying parts of the active mass.' },
  { level: 7, name: 'Explosion', criteria: 'Explosion: disintegration of the cell.' },
];

/** A derived EUCAR level and the observation that decided it. */
export interface EucarDerivation {
  level: number;
  name: string;
  /** Why: the worst observation (or "nothing observed"). */
  reason: string;
  /** False when some observation flags were not recorded (the level may be too low). */
  complete: boolean;
}

/**
 * The EUCAR hazard level that the observations imply: the worst observed effect wins
 * (explosion 7, rupture 6, fire 5, venting or smoke or an electrolyte mass loss >= 50 % 4,
 * leakage 3, damage 2, protection activated 1, else 0). Venting gives 4 whatever the mass loss
 * (the EUCAR table leaves venting below 50 % unassigned; labs grade it 4).
 * @param electrolyteMassLossPct mass lost, % of the electrolyte mass (optional)
 * @example eucarLevel({ venting: true, fire: false }).level // 4
 */
export function eucarLevel(obs: AbuseObservations, electrolyteMassLossPct?: number): EucarDerivation {
  const complete = OBSERVATION_KEYS.every((k) => obs[k] !== undefined);
  const at = (level: number, reason: string): EucarDerivation => ({
    level,
    name: EUCAR_LEVELS[level]!.name,
    reason,
    complete,
  });
  if (obs.explosion === true) return at(7, 'explosion');
  if (obs.rupture === true) return at(6, 'rupture');
  if (obs.fire === true) return at(5, 'fire');
  if (obs.venting === true) return at(4, 'venting');
  if (obs.smoke === true) return at(4, 'smoke (venting)');
  if (electrolyteMassLossPct !== undefined && electrolyteMassLossPct >= 50)
    return at(4, `electrolyte mass loss ${electrolyteMassLossPct.toFixed(1)} % >= 50 %`);
  if (obs.leakage === true) return at(3, 'leakage');
  if (obs.damage === true) return at(2, 'damage');
  if (obs.protection_activated === true) return at(1, 'protection activated');
  return at(0, 'nothing observed');
}
