import { ErrorCode, raise, type AppError, type ErrorCatalogue } from '../errors/app-error';

/** Why an upload was refused; the key is the stable `extensions.reason`. */
export const FileErrors = {
  NOT_MULTIPART: { code: ErrorCode.BAD_USER_INPUT, message: 'Send the file as multipart/form-data' },
  MALFORMED_MULTIPART: { code: ErrorCode.BAD_USER_INPUT, message: 'The upload is not valid multipart/form-data' },
  UPLOAD_ABORTED: { code: ErrorCode.BAD_USER_INPUT, message: 'The upload was interrupted before it finished' },
  FILE_MISSING: { code: ErrorCode.BAD_USER_INPUT, message: 'Attach the file as a part named "file"', field: 'file' },
  TOO_MANY_FILES: { code: ErrorCode.BAD_USER_INPUT, message: 'Send one file per upload', field: 'file' },
  UNEXPECTED_FIELD: { code: ErrorCode.BAD_USER_INPUT, message: 'The upload has a form field it does not accept' },
  DUPLICATE_FIELD: { code: ErrorCode.BAD_USER_INPUT, message: 'A form field was sent twice' },
  TOO_MANY_FIELDS: { code: ErrorCode.BAD_USER_INPUT, message: 'The upload has too many form fields' },
  FIELD_TOO_LONG: { code: ErrorCode.BAD_USER_INPUT, message: 'A form field is longer than 1 KB' },
  FIELD_AFTER_FILE: { code: ErrorCode.BAD_USER_INPUT, message: 'Send the form fields before the file' },
  INVALID_KIND: { code: ErrorCode.BAD_USER_INPUT, message: 'kind must be "image" or "file"', field: 'kind' },
  FILE_TOO_LARGE: { code: ErrorCode.BAD_USER_INPUT, message: 'The file is too large', field: 'file' },
  EMPTY_FILE: { code: ErrorCode.BAD_USER_INPUT, message: 'The file is empty', field: 'file' },
  NOT_AN_IMAGE: { code: ErrorCode.BAD_USER_INPUT, message: 'The file is not a JPG, PNG or GIF image', field: 'file' },
  EXECUTABLE_REFUSED: { code: ErrorCode.BAD_USER_INPUT, message: 'Executable files cannot be sent', field: 'file' },
} satisfies ErrorCatalogue;

export type FileErrorReason = keyof typeof FileErrors;

export function fileError(reason: FileErrorReason, message?: string, details?: Record<string, unknown>): AppError {
  return raise(FileErrors, reason, details, message);
}

export function fileTooLarge(maxBytes: number): AppError {
  return fileError('FILE_TOO_LARGE', `The file is larger than the ${formatSize(maxBytes)} limit`, { maxBytes });
}

/** A size as people read it: "10 MB", "2.5 MB", "512 KB", "100 bytes" (binary units, as limits are set). */
export function formatSize(bytes: number): string {
  const units: [number, string][] = [
    [1024 * 1024 * 1024, 'GB'],
    [1024 * 1024, 'MB'],
    [1024, 'KB'],
  ];
  for (const [unit, name] of units) {
    if (bytes >= unit) return `${Number((bytes / unit).toFixed(1))} ${name}`;
  }
  return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
}
