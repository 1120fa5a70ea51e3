import { contentDisposition, dispositionFor, extensionOf, sanitizeFilename } from './filename';

describe(sanitizeFilename.name, () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\ana\\Desktop\\photo.png', 'photo.png'],
    ['/var/tmp/report.pdf', 'report.pdf'],
    ['folder/', 'file'],
  ])('keeps only the last path segment of %p', (raw, expected) => {
    expect(sanitizeFilename(raw)).toBe(expected);
  });

  it('removes control characters, including the ones that split HTTP headers', () => {
    expect(sanitizeFilename('in\u0000voice\r\n\tX-Evil: 1.pdf')).toBe('invoiceX-Evil_ 1.pdf');
    expect(sanitizeFilename('a\u0085b\u007f.txt')).toBe('ab.txt');
  });

  it('removes bidirectional overrides that disguise the real extension', () => {
    expect(sanitizeFilename('invoice\u202efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitizeFilename('a\u2066b\u2069c\u200f.txt')).toBe('abc.txt');
  });

  it('keeps unicode letters and emoji (including joined emoji) and normalises to NFC', () => {
    expect(sanitizeFilename('报告 2024 – résumé 👩‍💻.pdf')).toBe('报告 2024 – résumé 👩‍💻.pdf');
    const decomposed = 'cafe\u0301.txt';
    expect(sanitizeFilename(decomposed)).toBe('caf\u00e9.txt');
  });

  it('replaces the characters Windows refuses in names', () => {
    expect(sanitizeFilename('what? "quoted" <a|b>*:.txt')).toBe('what_ _quoted_ _a_b___.txt');
  });

  it('drops trailing dots and spaces and leading spaces', () => {
    expect(sanitizeFilename('  setup.exe. . ')).toBe('setup.exe');
  });

  it.each([[''], ['   '], ['...'], ['\u0000\u0001'], [undefined]])('falls back to "file" for %p', (raw) => {
    expect(sanitizeFilename(raw)).toBe('file');
  });

  it('keeps a dot-file name', () => {
    expect(sanitizeFilename('.env')).toBe('.env');
  });

  it('cuts long names to 200 characters, keeping the extension', () => {
    const result = sanitizeFilename(`${'a'.repeat(300)}.pdf`);

    expect(result).toHaveLength(200);
    expect(result.endsWith('a.pdf')).toBe(true);
  });

  it('counts characters, not UTF-16 units, and never splits one', () => {
    const result = sanitizeFilename(`${'😀'.repeat(250)}.png`);

    expect(Array.from(result)).toHaveLength(200);
    expect(result).toBe(`${'😀'.repeat(196)}.png`);
    expect(result).not.toMatch(/\p{Cs}/u); // no lone surrogate
  });

  it('treats a very long "extension" as part of the name', () => {
    const result = sanitizeFilename(`x.${'b'.repeat(300)}`);

    expect(result).toBe(`x.${'b'.repeat(198)}`);
  });
});

describe(extensionOf.name, () => {
  it.each([
    ['photo.PNG', 'png'],
    ['archive.tar.gz', 'gz'],
    ['README', ''],
    ['.env', ''],
  ])('reads %p as %p', (name, ext) => {
    expect(extensionOf(name)).toBe(ext);
  });
});

describe(contentDisposition.name, () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('attachment', 'résumé 报告.pdf')).toBe(
      `attachment; filename="resume __.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%E6%8A%A5%E5%91%8A.pdf`,
    );
  });

  it('encodes the characters RFC 8187 does not allow bare', () => {
    expect(contentDisposition('inline', "it's (final)*.txt")).toBe(
      `inline; filename="it's (final)_.txt"; filename*=UTF-8''it%27s%20%28final%29_.txt`,
    );
  });

  it.each([['a"b\r\nSet-Cookie: x=1'], ['..\\..\\x"'], ['\u0000']])('never lets %p break out of the header', (raw) => {
    const header = contentDisposition('attachment', raw);

    expect(header).not.toMatch(/[\r\n\0]/);
    expect(header.match(/"/g)).toHaveLength(2);
  });
});

describe(dispositionFor.name, () => {
  it.each([
    ['image/png', 'inline'],
    ['image/jpeg', 'inline'],
    ['image/webp', 'inline'],
    ['application/pdf', 'inline'],
    ['audio/mpeg', 'inline'],
    ['video/mp4', 'inline'],
    ['text/plain', 'inline'],
    ['application/zip', 'attachment'],
    ['application/octet-stream', 'attachment'],
    ['image/svg+xml', 'attachment'],
    ['text/html', 'attachment'],
  ])('serves %s inline only when it is safe to (%s)', (mime, expected) => {
    expect(dispositionFor(mime, 'inline')).toBe(expected);
  });

  it('always honours a request to download', () => {
    expect(dispositionFor('image/png', 'attachment')).toBe('attachment');
  });
});
