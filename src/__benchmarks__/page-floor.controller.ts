// Bench only, mounted by app-server.ts: the floor under a history page.
// The route authenticates like every chat route and answers a constant
// 50-message page read once, with no SQL per request: what a history page
// would cost if its two queries were free.
import {authenticate} from '@loopback/authentication';
import {inject} from '@loopback/core';
import {get} from '@loopback/rest';
import {ChatServiceBindings} from '../keys';
import {CHAT_AUTHENTICATION_STRATEGY} from '../providers';
import {ChatDb, MessageView} from '../repositories';
import {AccessService, MessageService} from '../services';

export const PAGE_FLOOR_PATH = '/bench/page-floor';

@authenticate(CHAT_AUTHENTICATION_STRATEGY)
export class PageFloorController {
  private static page?: Promise<{items: MessageView[]}>;

  constructor(
    @inject(ChatServiceBindings.DATABASE) private db: ChatDb,
    @inject(ChatServiceBindings.ACCESS_SERVICE) private access: AccessService,
    @inject(ChatServiceBindings.MESSAGE_SERVICE)
    private messages: MessageService,
  ) {}

  @get(PAGE_FLOOR_PATH, {
    responses: {'200': {description: 'A constant page of 50 messages.'}},
  })
  pageFloor(): Promise<{items: MessageView[]}> {
    PageFloorController.page ??= this.readPage();
    return PageFloorController.page;
  }

  /** The newest 50 messages of the conversation with the most. */
  private async readPage() {
    const [member] = await this.db.query(
      `SELECT m.tenant_id, m.user_id, m.conversation_id
       FROM chat_members m JOIN chat_conversations c ON c.id = m.conversation_id
       ORDER BY c.last_seq DESC LIMIT 1`,
    );
    const user = {
      id: String(member.user_id),
      tenantId: String(member.tenant_id),
    };
    const access = await this.access.require(
      user,
      String(member.conversation_id),
    );
    return {items: await this.messages.list(access, {limit: 50})};
  }
}
