import {expect} from '@loopback/testlab';
import {ChatClient, ChatEvent, FetchLike} from '../../client';
import {eventually} from '../fixtures/waiting';

/** A fetch answering each `GET /events` with the next body, then hanging. */
function streamsOf(bodies: string[]) {
  const lastEventIds: Array<string | undefined> = [];
  const fetch: FetchLike = async (url, init) => {
    const headers = init.headers as Record<string, string>;
    lastEventIds.push(headers['Last-Event-ID']);
    const body = bodies.shift();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        init.signal?.addEventListener('abort', () =>
          controller.error(Object.assign(new Error(), {name: 'AbortError'})),
        );
        if (body === undefined) return; // stays open, sends nothing
        controller.enqueue(new TextEncoder().encode(body));
        controller.close();
      },
    });
    return new Response(stream, {
      status: 200,
      headers: {'Content-Type': 'text/event-stream'},
    });
  };
  return {fetch, lastEventIds};
}

const frame = (id: number, body: string) =>
  `id: ${id}\nevent: message.created\ndata: ${JSON.stringify({
    id,
    type: 'message.created',
    message: {body},
  })}\n\n`;

describe('client: ChatEventStream (unit)', () => {
  it('drops a frame cut off by a lost connection, and resumes after the last whole one', async () => {
    const {fetch, lastEventIds} = streamsOf([
      'retry: 5\n\n' +
        frame(1, 'one') +
        'id: 2\nevent: message.created\ndata: {"id"',
      frame(2, 'two'),
    ]);
    const client = new ChatClient({baseUrl: 'http://chat', token: 't', fetch});
    const stream = client.events();
    const events: ChatEvent[] = [];
    stream.onEvent(e => events.push(e));
    await eventually(() => events.length >= 2, 'two events').finally(() =>
      stream.close(),
    );
    expect(events.map(e => e.id)).to.eql([1, 2]);
    // the server's retry: (5 ms) was the delay; the resume point was id 1
    expect(lastEventIds.slice(0, 2)).to.eql([undefined, '1']);
  });

  it('reconnects after the retry: a shutting-down server sent last, with Last-Event-ID', async () => {
    const {fetch, lastEventIds} = streamsOf([
      // the open's delay is a minute; the shutdown's last frame says 10 ms
      'retry: 60000\n\n' +
        frame(1, 'one') +
        'retry: 10\n: this server is shutting down\n\n',
      frame(2, 'two'),
    ]);
    const client = new ChatClient({baseUrl: 'http://chat', token: 't', fetch});
    const stream = client.events();
    const events: ChatEvent[] = [];
    stream.onEvent(e => events.push(e));
    // well within the minute of the first retry:
    await eventually(
      () => events.length >= 2,
      'the second event',
      5000,
    ).finally(() => stream.close());
    expect(events.map(e => e.id)).to.eql([1, 2]);
    expect(lastEventIds.slice(0, 2)).to.eql([undefined, '1']);
  });
});
