import {Response} from '@loopback/rest';
import {expect} from '@loopback/testlab';
import {EventEmitter} from 'events';
import {ChatEventView, EventStream} from '../..';

/** A response that records what is written to it. */
function givenResponse() {
  const written: string[] = [];
  const response = Object.assign(new EventEmitter(), {
    writeHead: () => response,
    flushHeaders: () => undefined,
    write: (chunk: string) => written.push(chunk) > 0,
    end: () => undefined,
  });
  return {response: response as unknown as Response, written};
}

const user = {id: 'bob', tenantId: ''};
const typing: ChatEventView = {
  id: null,
  type: 'typing',
  conversationId: 'c1',
  createdAt: new Date(0),
  userId: 'alice',
  typing: true,
};
const logged = (id: number): ChatEventView => ({
  id,
  type: 'read.updated',
  conversationId: 'c1',
  createdAt: new Date(0),
});
const eventLines = (written: string[]) =>
  written.join('').match(/^event: .*$/gm) ?? [];

describe('EventStream (unit)', () => {
  it('starting at the present, writes ephemeral events before its start is known', () => {
    const {response, written} = givenResponse();
    const stream = new EventStream(user, response, 10, undefined);
    stream.open();
    stream.deliverEphemeral(typing);
    stream.deliver(logged(5));
    stream.deliver(logged(7));
    stream.cursor = 6;
    stream.endReplay();
    expect(eventLines(written)).to.eql([
      'event: typing',
      'event: read.updated',
    ]);
    expect(stream.cursor).to.equal(7);
  });

  it('resuming after a Last-Event-ID, skips ephemeral events until the replay ends', () => {
    const {response, written} = givenResponse();
    const stream = new EventStream(user, response, 10, 4);
    stream.open();
    stream.deliverEphemeral(typing);
    stream.replay(logged(5));
    stream.endReplay();
    stream.deliverEphemeral(typing);
    expect(eventLines(written)).to.eql([
      'event: read.updated',
      'event: typing',
    ]);
  });
});
