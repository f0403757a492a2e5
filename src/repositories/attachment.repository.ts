import {Attachment} from '../models';
import {ChatCrudRepository} from './chat-crud.repository';
import {chatRepository} from './chat-repository';

/** Read-only access to the component's `Attachment` table for host code (juggler). */
export class AttachmentRepository extends chatRepository(
  ChatCrudRepository<Attachment, string>,
  Attachment,
) {}
