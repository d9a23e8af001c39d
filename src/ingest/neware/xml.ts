/**
 * The XML side files of a Neware `.ndax` archive (TestInfo.xml, VersionInfo.xml, Step.xml, ...) are
 * machine-written, flat and small; we only need the elements and their attributes, so a regular
 * expression scan replaces a full XML parser (none is available without the DOM in Node).
 */

/** One start tag (or empty-element tag) with its attributes, in document order. */
export interface XmlElement {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
}

/** The elements of one XML file and whether its bytes were valid in the declared encoding. */
export interface XmlDocument {
  readonly elements: readonly XmlElement[];
  /**
   * False when the bytes are not valid in the declared encoding (GB2312 for Neware files): the
   * file was damaged or edited by another program, so its content cannot be trusted.
   */
  readonly validEncoding: boolean;
}

const TAG_RE = /<([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*\/?>/g;
const ATTR_RE = /([\w:.-]+)\s*=\s*"([^"]*)"/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescape(s: string): string {
  return s.indexOf('&') < 0 ? s : s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]!);
}

/** True when every byte sequence is ASCII or a two-byte GB2312 character (A1-F7, A1-FE). */
function isGb2312(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    const t = bytes[i + 1];
    if (b < 0xa1 || b > 0xf7 || t === undefined || t < 0xa1 || t > 0xfe) return false;
    i++;
  }
  return true;
}

let gbDecoder: InstanceType<typeof TextDecoder> | undefined;
function decodeGb(bytes: Uint8Array): string {
  try {
    gbDecoder ??= new TextDecoder('gb18030');
    return gbDecoder.decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

/** The elements of a Neware XML file, decoded from GB2312 (or UTF-8 when it says so). */
export function parseNewareXml(bytes: Uint8Array): XmlDocument {
  const declared = /encoding="([^"]+)"/i.exec(new TextDecoder('latin1').decode(bytes.subarray(0, 100)));
  const utf8 = declared !== null && /^utf-?8$/i.test(declared[1]!);
  let text: string;
  let validEncoding = true;
  if (utf8) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = new TextDecoder('utf-8').decode(bytes);
      validEncoding = false;
    }
  } else {
    validEncoding = isGb2312(bytes);
    text = decodeGb(bytes);
  }
  const elements: XmlElement[] = [];
  for (const m of text.matchAll(TAG_RE)) {
    const attrs: Record<string, string> = {};
    for (const a of m[2]!.matchAll(ATTR_RE)) attrs[a[1]!] = unescape(a[2]!);
    elements.push({ tag: m[1]!, attrs });
  }
  return { elements, validEncoding };
}

/** The first element with the given tag, or undefined. */
export function findElement(doc: XmlDocument, tag: string): XmlElement | undefined {
  return doc.elements.find((e) => e.tag === tag);
}
