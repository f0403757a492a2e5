import {
  BindingScope,
  Getter,
  inject,
  injectable,
  LifeCycleObserver,
  Provider,
} from '@loopback/core';
import {ChatServiceBindings} from '../keys';
import {
  AttachmentStorage,
  ChatLogger,
  ResolvedChatServiceConfig,
} from '../types';
import {LocalDiskAttachmentStorage} from './local-disk-storage.provider';
import {createS3Client, S3AttachmentStorage} from './s3-attachment-storage';
import {s3StorageSettings, storageKind} from './s3-storage-config';

/** The S3 storages made by the provider, with clients of their own. */
const ownClients = new WeakSet<AttachmentStorage>();

/**
 * The default `ChatServiceBindings.ATTACHMENT_STORAGE`, by
 * `config.attachments.storage`: local disk in `attachments.directory`
 * (`local`, the default), or the bucket of `attachments.s3` (`s3`; the AWS
 * SDK is loaded only then). A configuration that cannot work throws a
 * `ChatConfigError`.
 */
@injectable({scope: BindingScope.SINGLETON})
export class AttachmentStorageProvider implements Provider<AttachmentStorage> {
  constructor(
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    private readonly config: ResolvedChatServiceConfig,
    @inject(ChatServiceBindings.LOGGER)
    private readonly logger: ChatLogger,
  ) {}

  value(): AttachmentStorage {
    return storageKind(this.config.attachments) === 's3'
      ? this.createS3Storage()
      : this.createLocalDiskStorage();
  }

  private createLocalDiskStorage(): AttachmentStorage {
    return new LocalDiskAttachmentStorage(this.config.attachments.directory);
  }

  private createS3Storage(): AttachmentStorage {
    const settings = s3StorageSettings(this.config.attachments);
    const storage = new S3AttachmentStorage({
      client: createS3Client(settings),
      bucket: settings.bucket,
      prefix: settings.prefix,
      logger: this.logger,
    });
    ownClients.add(storage);
    return storage;
  }
}

/**
 * Creates the attachment storage when the application initialises, so a
 * configuration that cannot work (`attachments.storage: 's3'` without a
 * bucket or region, the SDK not installed) fails the start, not the first
 * upload; closes the connections of the S3 client the provider made when
 * it stops (not those of a host's own), after the REST server finished the
 * requests in flight.
 */
@injectable({scope: BindingScope.SINGLETON})
export class AttachmentStorageCheck implements LifeCycleObserver {
  private storage?: AttachmentStorage;

  constructor(
    @inject.getter(ChatServiceBindings.ATTACHMENT_STORAGE)
    private readonly getStorage: Getter<AttachmentStorage>,
    @inject(ChatServiceBindings.SHUTDOWN, {optional: true})
    private readonly shutdown?: {stopServing(): Promise<void>},
  ) {}

  async init(): Promise<void> {
    this.storage = await this.getStorage();
    if (this.storage instanceof S3AttachmentStorage) {
      await this.storage.ready();
    }
  }

  /** Once the requests in flight are finished: uploads may still use it. */
  async stop(): Promise<void> {
    await this.shutdown?.stopServing();
    const storage = this.storage;
    if (storage instanceof S3AttachmentStorage && ownClients.has(storage)) {
      storage.close();
    }
  }
}

/**
 * The default storage's provider under its name before S3 storage existed.
 * @deprecated Use `AttachmentStorageProvider`: local disk unless
 * `attachments.storage` is `'s3'`.
 */
export const LocalDiskStorageProvider = AttachmentStorageProvider;
