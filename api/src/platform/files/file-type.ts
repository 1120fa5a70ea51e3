import { isUtf8 } from 'node:buffer';

export type FileKind = 'image' | 'audio' | 'video' | 'document' | 'archive' | 'text' | 'executable' | 'unknown';

export interface SniffResult {
  mime: string;
  kind: FileKind;
  /** What the content is, for messages: "a PNG image". */
  description: string;
}

/** The only types an `image` upload may have (MSG-2). */
export const IMAGE_MIMES: readonly string[] = ['image/jpeg', 'image/png', 'image/gif'];

/** How many leading bytes `sniff` needs to see everything it can tell apart. */
export const SNIFF_BYTES = 4096;

const type = (mime: string, kind: FileKind, description: string): SniffResult => ({ mime, kind, description });

export const FileTypes = {
  jpeg: type('image/jpeg', 'image', 'a JPEG image'),
  png: type('image/png', 'image', 'a PNG image'),
  gif: type('image/gif', 'image', 'a GIF image'),
  webp: type('image/webp', 'image', 'a WebP image'),
  heic: type('image/heic', 'image', 'a HEIC image'),
  avif: type('image/avif', 'image', 'an AVIF image'),
  mp3: type('audio/mpeg', 'audio', 'an MP3 audio file'),
  aac: type('audio/aac', 'audio', 'an AAC audio file'),
  m4a: type('audio/mp4', 'audio', 'an M4A audio file'),
  wav: type('audio/wav', 'audio', 'a WAV audio file'),
  ogg: type('audio/ogg', 'audio', 'an Ogg audio file'),
  flac: type('audio/flac', 'audio', 'a FLAC audio file'),
  amr: type('audio/amr', 'audio', 'an AMR voice recording'),
  amrWb: type('audio/amr-wb', 'audio', 'an AMR voice recording'),
  mp4: type('video/mp4', 'video', 'an MP4 video'),
  quicktime: type('video/quicktime', 'video', 'a QuickTime video'),
  threeGp: type('video/3gpp', 'video', 'a 3GP video'),
  webm: type('video/webm', 'video', 'a WebM video'),
  matroska: type('video/x-matroska', 'video', 'a Matroska video'),
  oggVideo: type('video/ogg', 'video', 'an Ogg video'),
  avi: type('video/x-msvideo', 'video', 'an AVI video'),
  pdf: type('application/pdf', 'document', 'a PDF document'),
  docx: type('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'document', 'a Word document'),
  xlsx: type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'document', 'an Excel workbook'),
  pptx: type(
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    'document',
    'a PowerPoint presentation',
  ),
  ole: type('application/x-ole-storage', 'document', 'a legacy Microsoft Office document'),
  zip: type('application/zip', 'archive', 'a ZIP archive'),
  gzip: type('application/gzip', 'archive', 'a gzip archive'),
  sevenZip: type('application/x-7z-compressed', 'archive', 'a 7-Zip archive'),
  rar: type('application/vnd.rar', 'archive', 'a RAR archive'),
  windowsExecutable: type('application/vnd.microsoft.portable-executable', 'executable', 'a Windows executable'),
  linuxExecutable: type('application/x-elf', 'executable', 'a Linux executable'),
  macExecutable: type('application/x-mach-binary', 'executable', 'a macOS executable'),
  javaClass: type('application/java-vm', 'executable', 'a Java class file'),
  javaArchive: type('application/java-archive', 'executable', 'a Java archive'),
  androidApp: type('application/vnd.android.package-archive', 'executable', 'an Android app'),
  script: type('text/x-shellscript', 'executable', 'a script'),
  text: type('text/plain', 'text', 'plain text'),
  empty: type('application/octet-stream', 'unknown', 'an empty file'),
  unknown: type('application/octet-stream', 'unknown', 'unrecognised binary data'),
} satisfies Record<string, SniffResult>;

/**
 * What the content of a file is, judged only from its first bytes (pass at least SNIFF_BYTES
 * when the file is that long). Never trust a client's Content-Type or file extension instead.
 */
export function sniff(head: Buffer): SniffResult {
  if (head.length === 0) return FileTypes.empty;
  for (const detect of detectors) {
    const found = detect(head);
    if (found) return found;
  }
  return isText(head) ? FileTypes.text : FileTypes.unknown;
}

type Detector = (head: Buffer) => SniffResult | null;

const detectors: Detector[] = [
  (h) => (bytesAt(h, 0, 0xff, 0xd8, 0xff) ? FileTypes.jpeg : null),
  (h) => (bytesAt(h, 0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a) ? FileTypes.png : null),
  (h) => (textAt(h, 0, 'GIF87a') || textAt(h, 0, 'GIF89a') ? FileTypes.gif : null),
  riff,
  isoMedia,
  ebml,
  ogg,
  (h) => (textAt(h, 0, 'fLaC') ? FileTypes.flac : null),
  // Checked before scripts: AMR recordings also start with "#!".
  (h) => (textAt(h, 0, '#!AMR-WB\n') ? FileTypes.amrWb : textAt(h, 0, '#!AMR\n') ? FileTypes.amr : null),
  (h) => (textAt(h, 0, 'ID3') ? FileTypes.mp3 : null),
  mpegAudioFrame,
  (h) => (textAt(h, 0, '%PDF-') ? FileTypes.pdf : null),
  zip,
  (h) => (bytesAt(h, 0, 0x1f, 0x8b, 0x08) ? FileTypes.gzip : null),
  (h) => (bytesAt(h, 0, 0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c) ? FileTypes.sevenZip : null),
  (h) => (textAt(h, 0, 'Rar!\x1a\x07') ? FileTypes.rar : null),
  (h) => (bytesAt(h, 0, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1) ? FileTypes.ole : null),
  (h) => (bytesAt(h, 0, 0x7f, 0x45, 0x4c, 0x46) ? FileTypes.linuxExecutable : null),
  machO,
  // Every real MZ header holds NUL bytes; a text that merely starts with "MZ" stays text.
  (h) => (textAt(h, 0, 'MZ') && !isText(h) ? FileTypes.windowsExecutable : null),
  (h) => (textAt(h, 0, '#!') ? FileTypes.script : null),
];

function riff(h: Buffer): SniffResult | null {
  if (!textAt(h, 0, 'RIFF')) return null;
  if (textAt(h, 8, 'WEBP')) return FileTypes.webp;
  if (textAt(h, 8, 'WAVE')) return FileTypes.wav;
  if (textAt(h, 8, 'AVI ')) return FileTypes.avi;
  return null;
}

// MP4, M4A, MOV, 3GP, HEIC and AVIF are all ISO media files: an `ftyp` box names the brands.
function isoMedia(h: Buffer): SniffResult | null {
  if (!textAt(h, 4, 'ftyp') || h.length < 12) return null;
  const boxEnd = Math.min(h.readUInt32BE(0), h.length);
  const brands = [h.toString('latin1', 8, 12)];
  for (let at = 16; at + 4 <= boxEnd; at += 4) brands.push(h.toString('latin1', at, at + 4));
  const major = brands[0]!;
  if (brands.some((b) => b === 'avif' || b === 'avis')) return FileTypes.avif;
  if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(major)) return FileTypes.heic;
  if (['M4A ', 'M4B ', 'M4P ', 'F4A '].includes(major)) return FileTypes.m4a;
  if (major === 'qt  ') return FileTypes.quicktime;
  if (major.startsWith('3g')) return FileTypes.threeGp;
  return FileTypes.mp4;
}

// Matroska and WebM share the EBML container; the DocType near the start tells them apart.
function ebml(h: Buffer): SniffResult | null {
  if (!bytesAt(h, 0, 0x1a, 0x45, 0xdf, 0xa3)) return null;
  const header = h.subarray(0, 64);
  return header.includes('webm', 0, 'latin1') ? FileTypes.webm : FileTypes.matroska;
}

function ogg(h: Buffer): SniffResult | null {
  if (!textAt(h, 0, 'OggS')) return null;
  // The first packet, after the 27-byte page header and its segment table, names the codec.
  const packet = 27 + (h[26] ?? 0);
  return textAt(h, packet, '\x80theora') ? FileTypes.oggVideo : FileTypes.ogg;
}

// A bare MPEG audio frame header: 11 sync bits, then version, layer, bitrate and sample rate that
// must all be valid values, which keeps random binary from passing for audio.
function mpegAudioFrame(h: Buffer): SniffResult | null {
  if (h.length < 3 || h[0] !== 0xff || (h[1]! & 0xe0) !== 0xe0) return null;
  const version = (h[1]! >> 3) & 0b11;
  const layer = (h[1]! >> 1) & 0b11;
  if (layer === 0b00) {
    // ADTS (AAC): 12 sync bits, layer always 00, and one of the 13 defined sample rates.
    return (h[1]! & 0xf6) === 0xf0 && ((h[2]! >> 2) & 0x0f) < 13 ? FileTypes.aac : null;
  }
  const bitrate = h[2]! >> 4;
  const sampleRate = (h[2]! >> 2) & 0b11;
  // Layer I (0b11) is left out: nobody sends it, and a UTF-16 byte-order mark would look like one.
  if (version === 0b01 || layer === 0b11 || bitrate === 0 || bitrate === 0b1111 || sampleRate === 0b11) return null;
  return FileTypes.mp3;
}

// OOXML (docx/xlsx/pptx), OpenDocument, EPUB, JAR and APK are all ZIP files. Walking the local
// file headers inside the head is enough to recognise them, since their tell-tale entries come first.
function zip(h: Buffer): SniffResult | null {
  if (textAt(h, 0, 'PK\x05\x06')) return FileTypes.zip; // an empty archive
  if (!textAt(h, 0, 'PK\x03\x04')) return null;
  let at = 0;
  while (at + 30 <= h.length && h.readUInt32LE(at) === 0x04034b50) {
    const flags = h.readUInt16LE(at + 6);
    const method = h.readUInt16LE(at + 8);
    const compressedSize = h.readUInt32LE(at + 18);
    const nameEnd = at + 30 + h.readUInt16LE(at + 26);
    const dataStart = nameEnd + h.readUInt16LE(at + 28);
    if (nameEnd > h.length) break;
    const name = h.toString('utf8', at + 30, nameEnd);
    if (name.startsWith('word/')) return FileTypes.docx;
    if (name.startsWith('xl/')) return FileTypes.xlsx;
    if (name.startsWith('ppt/')) return FileTypes.pptx;
    if (name === 'META-INF/MANIFEST.MF') return FileTypes.javaArchive;
    if (name === 'AndroidManifest.xml' || name === 'classes.dex') return FileTypes.androidApp;
    if (name === 'mimetype' && method === 0) {
      const declared = h.toString('latin1', dataStart, Math.min(dataStart + compressedSize, h.length));
      const match = /^application\/(vnd\.oasis\.opendocument\.[a-z.-]+|epub\+zip)$/.exec(declared);
      if (match) return type(declared, 'document', match[1] === 'epub+zip' ? 'an EPUB book' : 'an OpenDocument file');
    }
    // With a data descriptor (flag bit 3) the sizes come after the data: the next header cannot be found.
    if (flags & 0x08) break;
    at = dataStart + compressedSize;
  }
  return FileTypes.zip;
}

function machO(h: Buffer): SniffResult | null {
  if (h.length < 8) return null;
  const magic = h.readUInt32BE(0);
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe].includes(magic)) return FileTypes.macExecutable;
  if (magic !== 0xcafebabe) return null;
  // Universal binaries and Java classes share 0xCAFEBABE: a Java class has its version (>= 45)
  // where a universal binary has its architecture count (a handful).
  return h.readUInt32BE(4) < 45 ? FileTypes.macExecutable : FileTypes.javaClass;
}

function isText(h: Buffer): boolean {
  return !h.includes(0) && isUtf8(withoutCutCharacter(h));
}

// The head usually ends part-way through the file, possibly inside a multi-byte character.
function withoutCutCharacter(h: Buffer): Buffer {
  for (let back = 1; back <= Math.min(3, h.length); back++) {
    const byte = h[h.length - back]!;
    if (byte < 0x80) return h;
    if (byte >= 0xc0) {
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return length > back ? h.subarray(0, h.length - back) : h;
    }
  }
  return h;
}

function bytesAt(h: Buffer, offset: number, ...expected: number[]): boolean {
  return h.length >= offset + expected.length && expected.every((b, i) => h[offset + i] === b);
}

function textAt(h: Buffer, offset: number, expected: string): boolean {
  return h.length >= offset + expected.length && h.toString('latin1', offset, offset + expected.length) === expected;
}
