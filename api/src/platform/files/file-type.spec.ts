import { deflateRawSync } from 'node:zlib';
import { IMAGE_MIMES, sniff, SNIFF_BYTES } from './file-type';

const bytes = (...values: (number | string | Buffer)[]): Buffer =>
  Buffer.concat(
    values.map((v) => (typeof v === 'string' ? Buffer.from(v, 'latin1') : Buffer.isBuffer(v) ? v : Buffer.from([v]))),
  );

const u32be = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

const padded = (head: Buffer, length = 64) => Buffer.concat([head, Buffer.alloc(Math.max(0, length - head.length))]);

// A ZIP local file header followed by its data, as zip tools write it (sizes known up front).
function zipEntry(name: string, content: string, opts: { store?: boolean; dataDescriptor?: boolean } = {}): Buffer {
  const data = opts.store ? Buffer.from(content) : deflateRawSync(Buffer.from(content));
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(opts.dataDescriptor ? 0x08 : 0, 6);
  header.writeUInt16LE(opts.store ? 0 : 8, 8);
  header.writeUInt32LE(opts.dataDescriptor ? 0 : data.length, 18);
  header.writeUInt32LE(opts.dataDescriptor ? 0 : content.length, 22);
  header.writeUInt16LE(Buffer.byteLength(name), 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, Buffer.from(name), data]);
}

const contentTypesXml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${'<Default Extension="xml" ContentType="application/xml"/>'.repeat(20)}</Types>`;

function officeFile(part: string): Buffer {
  return Buffer.concat([
    zipEntry('[Content_Types].xml', contentTypesXml),
    zipEntry('_rels/.rels', '<Relationships/>'),
    zipEntry(`${part}/document.xml`, '<document/>'),
  ]);
}

// "OggS", version to checksum (22 bytes), one segment of 30 bytes, then the codec's first packet.
const oggPage = (payload: string) => padded(bytes('OggS', ...Array<number>(22).fill(0), 1, 30, payload), 80);

const peHeader = (() => {
  const h = Buffer.alloc(256);
  h.write('MZ', 0, 'latin1');
  h.writeUInt16LE(0x90, 2);
  h.writeUInt32LE(0x80, 0x3c);
  h.write('PE\0\0', 0x80, 'latin1');
  return h;
})();

describe(sniff.name, () => {
  it.each<[string, Buffer, string, string]>([
    ['JPEG', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF', 0), 'image/jpeg', 'image'],
    ['PNG', bytes(0x89, 'PNG\r\n\x1a\n', 0, 0, 0, 13, 'IHDR'), 'image/png', 'image'],
    ['GIF87a', bytes('GIF87a', 1, 0, 1, 0), 'image/gif', 'image'],
    ['GIF89a', bytes('GIF89a', 1, 0, 1, 0), 'image/gif', 'image'],
    ['WebP', bytes('RIFF', 0x24, 0, 0, 0, 'WEBPVP8 '), 'image/webp', 'image'],
    ['HEIC (iPhone photo)', bytes(u32be(24), 'ftypheic', 0, 0, 0, 0, 'mif1heic'), 'image/heic', 'image'],
    ['AVIF', bytes(u32be(28), 'ftypavif', 0, 0, 0, 0, 'avifmif1miaf'), 'image/avif', 'image'],
    ['AVIF behind a generic HEIF brand', bytes(u32be(24), 'ftypmif1', 0, 0, 0, 0, 'avifmiaf'), 'image/avif', 'image'],
    ['MP3 with an ID3 tag', bytes('ID3', 4, 0, 0, 0, 0, 0, 0x21), 'audio/mpeg', 'audio'],
    ['MP3 frame (MPEG-1 layer III, 128 kbit/s)', bytes(0xff, 0xfb, 0x90, 0x64, 0, 0), 'audio/mpeg', 'audio'],
    ['MP2 frame (MPEG-2 layer II)', bytes(0xff, 0xf5, 0x80, 0xc4), 'audio/mpeg', 'audio'],
    ['AAC (ADTS)', bytes(0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc), 'audio/aac', 'audio'],
    ['M4A', bytes(u32be(32), 'ftypM4A ', 0, 0, 2, 0, 'M4A mp42isom', 0, 0, 0, 0), 'audio/mp4', 'audio'],
    ['WAV', bytes('RIFF', 0x24, 0x08, 0, 0, 'WAVEfmt '), 'audio/wav', 'audio'],
    ['Ogg Vorbis', oggPage('\x01vorbis'), 'audio/ogg', 'audio'],
    ['Ogg Opus (voice note)', oggPage('OpusHead'), 'audio/ogg', 'audio'],
    ['FLAC', bytes('fLaC', 0, 0, 0, 0x22), 'audio/flac', 'audio'],
    ['AMR voice recording', bytes('#!AMR\n', 0x3c, 0x48), 'audio/amr', 'audio'],
    ['AMR-WB voice recording', bytes('#!AMR-WB\n', 0x04), 'audio/amr-wb', 'audio'],
    ['MP4', bytes(u32be(24), 'ftypisom', 0, 0, 2, 0, 'isomiso2'), 'video/mp4', 'video'],
    ['MP4 (mp42)', bytes(u32be(20), 'ftypmp42', 0, 0, 0, 0, 'mp42'), 'video/mp4', 'video'],
    ['MOV', bytes(u32be(20), 'ftypqt  ', 0, 0, 2, 0, 'qt  '), 'video/quicktime', 'video'],
    ['3GP', bytes(u32be(20), 'ftyp3gp4', 0, 0, 2, 0, '3gp4'), 'video/3gpp', 'video'],
    ['WebM', bytes(0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 1, 0x42, 0x82, 0x84, 'webm'), 'video/webm', 'video'],
    [
      'Matroska',
      bytes(0x1a, 0x45, 0xdf, 0xa3, 0xa3, 0x42, 0x86, 0x81, 1, 0x42, 0x82, 0x88, 'matroska'),
      'video/x-matroska',
      'video',
    ],
    ['Ogg Theora', oggPage('\x80theora'), 'video/ogg', 'video'],
    ['AVI', bytes('RIFF', 0, 0, 1, 0, 'AVI LIST'), 'video/x-msvideo', 'video'],
    ['PDF', bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj'), 'application/pdf', 'document'],
    [
      'Word document',
      officeFile('word'),
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'document',
    ],
    [
      'Excel workbook',
      officeFile('xl'),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'document',
    ],
    [
      'PowerPoint presentation',
      officeFile('ppt'),
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      'document',
    ],
    [
      'OpenDocument text',
      Buffer.concat([
        zipEntry('mimetype', 'application/vnd.oasis.opendocument.text', { store: true }),
        zipEntry('content.xml', '<office:document-content/>'),
      ]),
      'application/vnd.oasis.opendocument.text',
      'document',
    ],
    ['EPUB', zipEntry('mimetype', 'application/epub+zip', { store: true }), 'application/epub+zip', 'document'],
    [
      'legacy Office (OLE) document',
      padded(bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)),
      'application/x-ole-storage',
      'document',
    ],
    ['ZIP', zipEntry('notes.txt', 'hello'), 'application/zip', 'archive'],
    ['empty ZIP', bytes('PK\x05\x06', ...Array<number>(18).fill(0)), 'application/zip', 'archive'],
    [
      'ZIP whose first entry has a data descriptor',
      Buffer.concat([zipEntry('a.txt', 'x', { dataDescriptor: true }), zipEntry('word/document.xml', '<d/>')]),
      'application/zip',
      'archive',
    ],
    ['gzip', bytes(0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3), 'application/gzip', 'archive'],
    ['7-Zip', bytes(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4), 'application/x-7z-compressed', 'archive'],
    ['RAR', bytes('Rar!\x1a\x07\x01\x00'), 'application/vnd.rar', 'archive'],
    ['Windows PE', peHeader, 'application/vnd.microsoft.portable-executable', 'executable'],
    ['ELF', bytes(0x7f, 'ELF', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0), 'application/x-elf', 'executable'],
    ['Mach-O 64-bit', bytes(0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1, 3, 0, 0, 0), 'application/x-mach-binary', 'executable'],
    ['Mach-O 32-bit', bytes(0xce, 0xfa, 0xed, 0xfe, 7, 0, 0, 0, 3, 0, 0, 0), 'application/x-mach-binary', 'executable'],
    ['Mach-O big-endian', bytes(0xfe, 0xed, 0xfa, 0xce, 0, 0, 0, 18), 'application/x-mach-binary', 'executable'],
    [
      'macOS universal binary',
      bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2, 1, 0, 0, 7),
      'application/x-mach-binary',
      'executable',
    ],
    ['Java class', bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 61, 0, 0x1d), 'application/java-vm', 'executable'],
    ['Java archive', zipEntry('META-INF/MANIFEST.MF', 'Main-Class: Evil\n'), 'application/java-archive', 'executable'],
    [
      'Android app',
      zipEntry('AndroidManifest.xml', '\x03\x00\x08\x00'),
      'application/vnd.android.package-archive',
      'executable',
    ],
    ['shell script', Buffer.from('#!/bin/sh\nrm -rf ~\n'), 'text/x-shellscript', 'executable'],
    ['env script', Buffer.from('#!/usr/bin/env python3\nprint(1)\n'), 'text/x-shellscript', 'executable'],
    ['ASCII text', Buffer.from('Order 1234 was never delivered.\r\n'), 'text/plain', 'text'],
    ['UTF-8 text', Buffer.from('订单没有送到 — ça ne marche pas 😞'), 'text/plain', 'text'],
    ['UTF-8 text with a byte-order mark', Buffer.from('\ufeffhello'), 'text/plain', 'text'],
    [
      'HTML (served as text, never as a page)',
      Buffer.from('<!doctype html><script>alert(1)</script>'),
      'text/plain',
      'text',
    ],
    ['text that happens to start with "MZ"', Buffer.from('MZ Logistics invoice #42'), 'text/plain', 'text'],
    ['text with a NUL byte', Buffer.from('hello\0world'), 'application/octet-stream', 'unknown'],
    ['Latin-1 text (not UTF-8)', Buffer.from('caf\xe9 cr\xe8me', 'latin1'), 'application/octet-stream', 'unknown'],
    ['UTF-16 text', Buffer.from('\ufeffhello', 'utf16le'), 'application/octet-stream', 'unknown'],
    ['random binary', bytes(0x00, 0x01, 0x02, 0x03, 0xfe, 0x80), 'application/octet-stream', 'unknown'],
    ['a sync word with an invalid bitrate', bytes(0xff, 0xfb, 0xf0, 0x00), 'application/octet-stream', 'unknown'],
  ])('recognises %s', (_name, head, mime, kind) => {
    expect(sniff(head)).toMatchObject({ mime, kind });
  });

  it('calls an empty head an empty file', () => {
    expect(sniff(Buffer.alloc(0))).toEqual({
      mime: 'application/octet-stream',
      kind: 'unknown',
      description: 'an empty file',
    });
  });

  it('describes the content in words a message can use', () => {
    expect(sniff(peHeader).description).toBe('a Windows executable');
    expect(sniff(Buffer.from('hello')).description).toBe('plain text');
    expect(sniff(bytes('%PDF-1.4')).description).toBe('a PDF document');
  });

  it('accepts text whose sample ends in the middle of a multi-byte character', () => {
    const text = Buffer.from('报'.repeat(SNIFF_BYTES));
    const head = text.subarray(0, SNIFF_BYTES); // 4096 is not a multiple of 3 bytes per character

    expect(head.length % 3).not.toBe(0);
    expect(sniff(head).mime).toBe('text/plain');
  });

  it('still refuses invalid UTF-8 before the end of the sample', () => {
    const head = Buffer.concat([Buffer.from('abc'), Buffer.from([0xe6, 0x41]), Buffer.from('def')]);

    expect(sniff(head).mime).toBe('application/octet-stream');
  });

  it('tells a Word document apart within the first 4 KiB', () => {
    const head = officeFile('word').subarray(0, SNIFF_BYTES);

    expect(head.length).toBeLessThanOrEqual(SNIFF_BYTES);
    expect(sniff(head).description).toBe('a Word document');
  });

  it('does not mistake a truncated ZIP header for anything but a ZIP', () => {
    expect(sniff(zipEntry('word/document.xml', '<d/>').subarray(0, 20)).mime).toBe('application/zip');
  });
});

describe('IMAGE_MIMES', () => {
  it('holds exactly the types an image message may have (MSG-2: JPG, PNG, GIF)', () => {
    expect([...IMAGE_MIMES].sort()).toEqual(['image/gif', 'image/jpeg', 'image/png']);
  });
});
