/** What the header block of an EC-Lab / BT-Lab ASCII file (`.mpt`) or log file (`.mpl`) says. */
export interface EclabHeader {
  /** Technique title, e.g. "Cyclic Voltammetry", "Modulo Bat", "IR compensation (PEIS)". */
  readonly technique?: string;
  /** e.g. "EC-Lab v11.12", "BT-Lab v1.65". */
  readonly softwareVersion?: string;
  /** Device line, e.g. "VMP3 (SN 10831083)". */
  readonly instrument?: string;
  /** Channel number as written, e.g. "11". */
  readonly channel?: string;
  /** Verbatim "Acquisition started on" text (naive local time, MM/DD/YYYY as EC-Lab writes it). */
  readonly acquisitionStarted?: string;
  /** "Key : value" lines (nested ones as "Parent.Key"), parameter rows as "param <name>". */
  readonly header: Record<string, string>;
  /** Technique parameter table: one value per sequence (Ns) for each parameter name. */
  readonly params: Record<string, string[]>;
}

const SOFTWARE = /^(EC-Lab|BT-Lab)\s+for windows\s+v?([\w.]+)/i;

/**
 * Parses the header lines of an EC-Lab ASCII file: the technique title, "Key : value" settings
 * (tab- or space-indented lines belong to the key above), the software and device lines, and the
 * fixed-width (20 characters per column) parameter table after "Cycle Definition". Values are
 * kept verbatim (locale decimal commas included). Pure; never throws.
 * @example parseEclabHeader(lines.slice(2, nbHeaderLines - 1)).technique // 'Cyclic Voltammetry'
 */
export function parseEclabHeader(lines: readonly string[]): EclabHeader {
  const header: Record<string, string> = {};
  const params: Record<string, string[]> = {};
  let technique: string | undefined;
  let softwareVersion: string | undefined;
  let parent = '';
  let inParams = false;
  let prevParam = '';
  for (const raw of lines) {
    const line = raw.replace(/\s+$/, '');
    if (line === '') {
      inParams = false;
      continue;
    }
    const indented = /^\s/.test(line);
    const sw = SOFTWARE.exec(line.trim());
    if (sw !== null) {
      if (/\(software\)/i.test(line) || softwareVersion === undefined) {
        softwareVersion = `${sw[1]!.replace(/^ec-lab$/i, 'EC-Lab').replace(/^bt-lab$/i, 'BT-Lab')} v${sw[2]!}`;
      }
      header[line.trim().replace(/\s*\(.*\)$/, '')] = line.trim();
      continue;
    }
    if (inParams && !line.includes(' : ') && !line.endsWith(' :')) {
      const cells: string[] = [];
      for (let at = 0; at < line.length; at += 20) cells.push(line.slice(at, at + 20).trim());
      let name = cells[0] ?? '';
      if (name === 'vs.') name = `${prevParam} vs.`;
      if (name === '') continue;
      let key = name;
      for (let k = 2; params[key] !== undefined; k++) key = `${name} (${k})`;
      params[key] = cells.slice(1);
      header[`param ${key}`] = cells.slice(1).join('; ');
      prevParam = name;
      continue;
    }
    const colon = line.indexOf(' : ');
    const bare = line.endsWith(' :') ? line.slice(0, -2) : undefined;
    if (colon < 0 && bare === undefined) {
      if (!indented && technique === undefined && Object.keys(header).length === 0) technique = line.trim();
      else if (!indented) parent = line.trim();
      continue;
    }
    const key = (colon >= 0 ? line.slice(0, colon) : bare!).trim();
    const value = colon >= 0 ? line.slice(colon + 3).trim() : '';
    const full = indented && parent !== '' ? `${parent}.${key}` : key;
    if (!indented) parent = key;
    // A key written twice (EC-Lab repeats "Comments") keeps both values, one per line.
    const had = header[full];
    header[full] = had === undefined || had === '' ? value : value === '' ? had : `${had}\n${value}`;
    if (!indented && key === 'Cycle Definition') inParams = true;
  }
  const run = header['Run on channel'];
  const ch = run !== undefined ? /^\s*(\S+)(?:\s*\(SN\s*([^)]*)\))?/.exec(run) : null;
  if (ch?.[2] !== undefined) header['Channel serial number'] = ch[2].trim();
  const area = header['Electrode surface area'];
  const cm2 = area !== undefined ? areaCm2(area) : undefined;
  if (cm2 !== undefined) header['Electrode surface area (cm2)'] = String(cm2);
  const out: EclabHeader = { header, params };
  return {
    ...out,
    ...(technique !== undefined ? { technique } : {}),
    ...(softwareVersion !== undefined ? { softwareVersion } : {}),
    ...(header['Device'] ? { instrument: header['Device'] } : {}),
    ...(ch?.[1] !== undefined ? { channel: ch[1] } : {}),
    ...(header['Acquisition started on'] ? { acquisitionStarted: header['Acquisition started on'] } : {}),
  };
}

/** "0.001 cm²", "0,001 cm²", "113.100 mm²" -> cm². Undefined when the unit is not cm² or mm². */
function areaCm2(text: string): number | undefined {
  const m = /^\s*([+-]?\d+(?:[.,]\d+)?)\s*(cm|mm)/.exec(text);
  if (m === null) return undefined;
  const v = Number(m[1]!.replace(',', '.'));
  return m[2] === 'mm' ? v / 100 : v;
}
