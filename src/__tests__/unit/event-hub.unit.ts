import {Response} from '@loopback/rest';
import {expect} from '@loopback/testlab';
import {EventEmitter} from 'events';
import {
  ChatDb,
  ChatEventBus,
  DEFAULT_CHAT_SERVICE_CONFIG,
  EventHub,
  EventStream,
} from '../..';

/** A database whose event clock answers `position`, a little later. */
function givenClock(position: number): ChatDb {
  return {
    dialect: 'postgres',
    query: async <T extends object>() => {
      await new Promise(resolve => setTimeout(resolve, 20));
      return [{position}] as unknown as T[];
    },
    transaction: () => Promise.reject(new Error('not used')),
  };
}

describe('EventHub (unit)', () => {
  it('opens a stream without Last-Event-ID only once its start is read', async () => {
    const cursorsAtHeaders: number[] = [];
    const response = Object.assign(new EventEmitter(), {
      headersSent: false,
      writeHead: () => {
        cursorsAtHeaders.push(stream.cursor);
        return response;
      },
      flushHeaders: () => (response.headersSent = true),
      write: () => true,
      end: () => undefined,
    });
    const user = {id: 'bob', tenantId: ''};
    const stream = new EventStream(
      user,
      response as unknown as Response,
      {maxQueuedEvents: 10, maxBufferedBytes: 1024},
      0,
    );
    const hub = new EventHub(
      givenClock(42),
      {} as ChatEventBus,
      DEFAULT_CHAT_SERVICE_CONFIG,
    );
    await hub.open(stream);
    // the client sees the stream open only once its start (42) is read, so
    // nothing it sends after that can fall at or below the start
    expect(cursorsAtHeaders).to.eql([42]);
    expect(stream.replaying).to.be.false();
  });
});
