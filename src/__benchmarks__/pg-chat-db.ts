import {DemoApplication} from '../demo/application';
import {closeChatDataSource} from '../datasource';
import {ChatServiceBindings} from '../keys';
import {ChatDb} from '../repositories';

/**
 * The component's services as LoopBack resolves them for the demo host
 * (the application is never started), with the database binding pointing
 * at `db`: whatever the services' SQL becomes, this runs the same.
 */
export async function componentServices(databaseUrl: string, db: ChatDb) {
  const app = new DemoApplication({
    databaseUrl,
    jwtSecret: 'unused',
    lazyConnect: true,
  });
  app.bind(ChatServiceBindings.DATABASE).to(db);
  return {
    access: await app.get(ChatServiceBindings.ACCESS_SERVICE),
    messages: await app.get(ChatServiceBindings.MESSAGE_SERVICE),
    conversations: await app.get(ChatServiceBindings.CONVERSATION_SERVICE),
    readState: await app.get(ChatServiceBindings.READ_STATE_SERVICE),
    close: () => closeChatDataSource(app.chatDataSource),
  };
}
