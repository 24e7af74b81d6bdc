/**
 * The type of a file from its first bytes, never from its name or the browser's claim: an
 * executable renamed to .pdf is still an executable.
 */
const SIGNATURES: { type: string; bytes: number[]; offset?: number }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { type: 'image/webp', bytes: [0x57, 0x45, 0x42, 0x50], offset: 8 },
  { type: 'application/x-msdownload', bytes: [0x4d, 0x5a] }, // MZ: Windows executable
  { type: 'application/x-executable', bytes: [0x7f, 0x45, 0x4c, 0x46] }, // ELF
];

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OOXML: Record<string, string> = {
  'word/': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'xl/': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'ppt/': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

function startsWith(bytes: Uint8Array, sig: number[], offset = 0): boolean {
  return sig.every((b, i) => bytes[offset + i] === b);
}

export function sniffType(bytes: Uint8Array): string {
  for (const s of SIGNATURES) if (startsWith(bytes, s.bytes, s.offset)) return s.type;
  if (startsWith(bytes, ZIP)) {
    // Office files are zips whose entry names tell the kind; look in the first 64 KB of names.
    const head = Buffer.from(bytes.subarray(0, 65536)).toString('latin1');
    for (const [prefix, type] of Object.entries(OOXML)) if (head.includes(prefix)) return type;
    return 'application/zip';
  }
  return 'application/octet-stream';
}
