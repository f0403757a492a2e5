// The checks of `attachments.storage` and `attachments.s3`, made when the
// storage is created (at the application's start).
import {ChatConfigError} from '../errors';
import type {ChatAttachmentsConfig, ChatS3StorageConfig} from '../types';

/** Longest `attachments.s3.prefix`: S3 keys hold 1024 bytes. */
const MAX_PREFIX_LENGTH = 512;

/** The built-in storage `attachments.storage` names: `local` or `s3`. */
export function storageKind(
  attachments: ChatAttachmentsConfig,
): 'local' | 's3' {
  const {storage} = attachments;
  if (storage === undefined || storage === 'local' || storage === 's3') {
    return storage ?? 'local';
  }
  throw new ChatConfigError(
    `attachments.storage must be 'local' or 's3', got ${JSON.stringify(storage)}.`,
    'attachments.storage',
  );
}

/**
 * `attachments.s3`, checked: a bucket name, and the optional fields of the
 * right types (an `endpoint` that is an http(s) URL).
 */
export function s3StorageSettings(
  attachments: ChatAttachmentsConfig,
): ChatS3StorageConfig {
  const s3 = attachments.s3;
  if (!s3 || typeof s3.bucket !== 'string' || s3.bucket.trim() === '') {
    throw new ChatConfigError(
      "attachments.storage 's3' needs attachments.s3.bucket, the name of an " +
        'existing bucket (demo: CHAT_S3_BUCKET).',
      'attachments.s3.bucket',
    );
  }
  optionalString(s3.region, 'region');
  optionalString(s3.endpoint, 'endpoint');
  optionalString(s3.prefix, 'prefix');
  if (s3.endpoint !== undefined && !isHttpUrl(s3.endpoint)) {
    throw invalid('endpoint', `must be an http(s) URL, got "${s3.endpoint}"`);
  }
  // eslint-disable-next-line no-control-regex
  if (s3.prefix !== undefined && /[\u0000-\u001f\u007f]/.test(s3.prefix)) {
    throw invalid('prefix', 'must not contain control characters');
  }
  if ((s3.prefix?.length ?? 0) > MAX_PREFIX_LENGTH) {
    throw invalid('prefix', `must be at most ${MAX_PREFIX_LENGTH} characters`);
  }
  if (
    s3.forcePathStyle !== undefined &&
    typeof s3.forcePathStyle !== 'boolean'
  ) {
    throw invalid('forcePathStyle', 'must be a boolean');
  }
  return {...s3, bucket: s3.bucket.trim()};
}

function optionalString(value: unknown, field: string) {
  if (value !== undefined && typeof value !== 'string') {
    throw invalid(field, 'must be a string');
  }
}

function invalid(field: string, problem: string): ChatConfigError {
  return new ChatConfigError(
    `attachments.s3.${field} ${problem}.`,
    `attachments.s3.${field}`,
  );
}

function isHttpUrl(value: string): boolean {
  try {
    const {protocol} = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
