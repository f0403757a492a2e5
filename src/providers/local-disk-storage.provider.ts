import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {AttachmentStorage, ByteRange} from '../types';
import {checkedStorageKey} from './storage-key';

/** Where uploads are written before they are complete. */
const TEMP_DIR = '.tmp';

/**
 * Attachment bytes as files under one directory (created when missing):
 * `<directory>/<first two characters of the key>/<key>`. A file is written
 * to `<directory>/.tmp/` and renamed into place once complete, so a failed
 * upload leaves nothing behind.
 */
export class LocalDiskAttachmentStorage implements AttachmentStorage {
  readonly directory: string;

  constructor(directory: string) {
    this.directory = path.resolve(directory);
  }

  async write(key: string, content: Readable): Promise<void> {
    const file = this.pathOf(key);
    const tempDir = path.join(this.directory, TEMP_DIR);
    await fs.promises.mkdir(tempDir, {recursive: true});
    const temp = path.join(
      tempDir,
      `${key}.${randomBytes(6).toString('hex')}.part`,
    );
    // opened first, so the file exists before any byte can fail: a stream
    // that opens it lazily may create it after the removal below
    const handle = await fs.promises.open(temp, 'wx');
    try {
      await pipeline(content, handle.createWriteStream());
      await fs.promises.mkdir(path.dirname(file), {recursive: true});
      await fs.promises.rename(temp, file);
    } catch (err) {
      content.destroy();
      await fs.promises.rm(temp, {force: true});
      throw err;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    // opened first, so a missing file rejects here and not mid-response
    const handle = await fs.promises.open(this.pathOf(key), 'r');
    return handle.createReadStream(
      range ? {start: range.start, end: range.end} : {},
    );
  }

  async remove(key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), {force: true});
  }

  private pathOf(key: string): string {
    checkedStorageKey(key);
    return path.join(this.directory, key.slice(0, 2), key);
  }
}
