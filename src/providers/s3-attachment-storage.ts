import type {S3Client} from '@aws-sdk/client-s3';
import {PassThrough, Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {requireOptional} from '../require-optional';
import {
  AttachmentStorage,
  ByteRange,
  ChatLogger,
  ChatS3StorageConfig,
} from '../types';
import {ChatConfigError} from '../errors';
import {checkedStorageKey} from './storage-key';

type S3Module = typeof import('@aws-sdk/client-s3');
type LibStorageModule = typeof import('@aws-sdk/lib-storage');

/** What the S3 storage needs the SDK packages for, in their error. */
const NEEDED_FOR = "attachments.storage 's3'";

/**
 * Bytes of one part of a multipart upload: S3's minimum. A file up to this
 * size is one `PutObject`; a larger one is sent in parts of this size.
 */
export const S3_PART_SIZE = 5 * 1024 * 1024;
/**
 * Parts of one upload in flight at once. An upload holds at most
 * `(S3_QUEUE_SIZE + 1) * S3_PART_SIZE` bytes in memory, whatever its size.
 */
export const S3_QUEUE_SIZE = 2;
/** A connection to the S3 service not made within this is an error. */
const CONNECT_TIMEOUT_MS = 5000;
/** A request whose connection is idle this long is an error. */
const IDLE_TIMEOUT_MS = 30000;

/**
 * The part of an `S3Client` of `@aws-sdk/client-s3` the storage uses. Pass
 * an `S3Client`; the type is spelled out so that the package's declarations
 * compile in a host without the optional SDK.
 */
export interface S3ClientLike {
  send(command: object): Promise<unknown>;
  destroy(): void;
  config: {region(): Promise<string>};
}

/** Options of {@link S3AttachmentStorage}. */
export interface S3AttachmentStorageOptions {
  /** The client it sends its requests with: an `S3Client`. */
  client: S3ClientLike;
  bucket: string;
  /** Prepended to every object key. Default none. */
  prefix?: string;
  /** Where it reports objects of failed uploads it could not delete. */
  logger?: ChatLogger;
}

/**
 * Attachment bytes as objects of an S3 bucket (AWS S3, MinIO, Ceph, R2…),
 * under `<prefix><key>`. Uploads stream through `@aws-sdk/lib-storage` in
 * parts of `S3_PART_SIZE`, never buffered whole; a failed upload aborts its
 * multipart upload and deletes the object, so it leaves nothing behind.
 * Ranges are ranged `GetObject`s. Needs the optional packages
 * `@aws-sdk/client-s3` and `@aws-sdk/lib-storage`.
 */
export class S3AttachmentStorage implements AttachmentStorage {
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly logger?: ChatLogger;
  private readonly s3: S3Module;
  private readonly lib: LibStorageModule;

  constructor(options: S3AttachmentStorageOptions) {
    this.s3 = requireOptional<S3Module>('@aws-sdk/client-s3', NEEDED_FOR);
    this.lib = requireOptional<LibStorageModule>(
      '@aws-sdk/lib-storage',
      NEEDED_FOR,
    );
    this.client = options.client as S3Client;
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.logger = options.logger;
  }

  /**
   * Resolves once the client knows its region: a missing region fails the
   * application's start rather than every upload.
   */
  async ready(): Promise<void> {
    try {
      await this.client.config.region();
    } catch (err) {
      throw new ChatConfigError(
        'attachments.s3.region is not set and the AWS SDK found no region ' +
          `(AWS_REGION, a profile's region): ${(err as Error).message}`,
        'attachments.s3.region',
      );
    }
  }

  async write(key: string, content: Readable): Promise<void> {
    const objectKey = this.objectKey(key);
    // lib-storage takes a `size`, `length` or `path` of its body for the
    // byte count: a plain stream in between leaves it counting the bytes
    const body = new PassThrough();
    pipeline(content, body).catch(() => {});
    const upload = new this.lib.Upload({
      client: this.client,
      params: {Bucket: this.bucket, Key: objectKey, Body: body},
      partSize: S3_PART_SIZE,
      queueSize: S3_QUEUE_SIZE,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (err) {
      // the multipart upload is aborted; an object may still exist when
      // the last request's answer was lost
      content.destroy();
      await this.discard(objectKey);
      throw content.errored ?? err;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const {Body} = await this.client.send(
      new this.s3.GetObjectCommand({
        Bucket: this.bucket,
        Key: this.objectKey(key),
        Range: range ? `bytes=${range.start}-${range.end}` : undefined,
      }),
    );
    if (!(Body instanceof Readable)) {
      (Body as {destroy?: () => void} | undefined)?.destroy?.();
      throw new Error('GetObject answered without a Node.js stream body.');
    }
    return Body;
  }

  async remove(key: string): Promise<void> {
    await this.client.send(
      new this.s3.DeleteObjectCommand({
        Bucket: this.bucket,
        Key: this.objectKey(key),
      }),
    );
  }

  /** Closes the client's connections (the storage is not used after). */
  close(): void {
    this.client.destroy();
  }

  private objectKey(key: string): string {
    return this.prefix + checkedStorageKey(key);
  }

  /** Deletes the object of a failed upload, if any; reports a failure. */
  private async discard(objectKey: string): Promise<void> {
    try {
      await this.client.send(
        new this.s3.DeleteObjectCommand({Bucket: this.bucket, Key: objectKey}),
      );
    } catch (err) {
      this.logger?.warn(
        `Could not delete the object ${objectKey} of a failed upload from bucket ` +
          `${this.bucket}: ${(err as Error)?.message ?? err}`,
      );
    }
  }
}

/**
 * An S3 client for `settings` (region, endpoint, path style), with the
 * credentials of the AWS SDK's default chain and bounded connect and idle
 * timeouts, so an unreachable service fails a request instead of holding
 * it.
 */
export function createS3Client(settings: ChatS3StorageConfig): S3ClientLike {
  const {S3Client: Client} = requireOptional<S3Module>(
    '@aws-sdk/client-s3',
    NEEDED_FOR,
  );
  return new Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    requestHandler: {
      connectionTimeout: CONNECT_TIMEOUT_MS,
      socketTimeout: IDLE_TIMEOUT_MS,
    },
  });
}
