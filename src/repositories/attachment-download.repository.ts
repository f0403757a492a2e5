import {AttachmentDownload} from '../models';
import {ChatCrudRepository} from './chat-crud.repository';
import {chatRepository} from './chat-repository';

/** Read-only access to the download audit for host code (juggler). */
export class AttachmentDownloadRepository extends chatRepository(
  ChatCrudRepository<AttachmentDownload, string>,
  AttachmentDownload,
) {}
