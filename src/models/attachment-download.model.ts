import {Entity, model, property} from '@loopback/repository';
import {column, table} from './column';

/** One download of an attachment, full or ranged: the audit trail. */
@model({settings: {...table('chat_attachment_downloads'), strict: true}})
export class AttachmentDownload extends Entity {
  @property({type: 'string', id: true, ...column('id', 'uuid')})
  id: string;

  @property({
    type: 'string',
    required: true,
    ...column('attachment_id', 'uuid'),
  })
  attachmentId: string;

  @property({type: 'string', required: true, ...column('tenant_id')})
  tenantId: string;

  @property({type: 'string', required: true, ...column('user_id')})
  userId: string;

  @property({type: 'date', required: true, ...column('downloaded_at')})
  downloadedAt: Date;

  /** Client address as the host's Express `trust proxy` setting reports it. */
  @property({type: 'string', ...column('ip')})
  ip?: string | null;

  @property({type: 'string', ...column('user_agent')})
  userAgent?: string | null;

  /** Bytes sent. */
  @property({type: 'number', required: true, ...column('bytes')})
  bytes: number;

  /** The range served (`bytes=0-99`), or null for the whole file. */
  @property({type: 'string', ...column('byte_range')})
  range?: string | null;

  constructor(data?: Partial<AttachmentDownload>) {
    super(data);
  }
}
