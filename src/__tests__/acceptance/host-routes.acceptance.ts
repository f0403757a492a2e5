import {
  get,
  HttpErrors,
  param,
  post,
  requestBody,
  RestApplication,
  RestBindings,
} from '@loopback/rest';
import {Client, createRestAppClient, expect} from '@loopback/testlab';
import {ChatError, ChatErrorCodes} from '../..';
import {describeBackend, givenTestApp, stopTestApp, TestApp} from '../fixtures';

/** A host's own routes, failing in the ways a host's routes fail. */
class HostController {
  @get('/host/missing')
  missing(): never {
    throw new HttpErrors.NotFound('No such thing here.');
  }

  @get('/host/conflict')
  conflict(): never {
    throw new HttpErrors.Conflict('Already there.');
  }

  @get('/host/boom')
  boom(): never {
    throw new Error('the host broke');
  }

  @get('/host/items/{id}')
  item(@param.path.string('id') id: string): never {
    throw new HttpErrors.NotFound(`No item ${id}.`);
  }

  @get('/host/page')
  page(@param.query.integer('limit', {required: true}) limit: number) {
    return {limit};
  }

  @post('/host/items')
  create(
    @requestBody({
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['name'],
            properties: {name: {type: 'string'}},
            additionalProperties: false,
          },
        },
      },
    })
    item: object,
  ) {
    return item;
  }

  // a host calling the component's services maps their errors itself
  @get('/host/chat-error')
  chatError(): never {
    throw ChatError.notFound(ChatErrorCodes.MESSAGE_NOT_FOUND, 'Message');
  }
}

type Send = (client: Client) => Promise<{status: number; body: unknown}>;

/** Requests to the host's routes, each failing; the answers must match. */
const REQUESTS: [string, Send][] = [
  ['a 404 it throws', c => c.get('/host/missing')],
  ['a 409 it throws', c => c.get('/host/conflict')],
  ['a 500 it throws', c => c.get('/host/boom')],
  ['a ChatError it throws', c => c.get('/host/chat-error')],
  ['a missing parameter', c => c.get('/host/page')],
  ['an invalid parameter', c => c.get('/host/page?limit=many')],
  ['an invalid body', c => c.post('/host/items').send({name: 1, extra: true})],
  [
    'a malformed JSON body',
    c =>
      c.post('/host/items').set('Content-Type', 'application/json').send('{'),
  ],
  ['a malformed path', c => c.get('/host/items/%E0%A4%A')],
  ['a path no route matches', c => c.get('/host/nowhere')],
  ['a method no route of its path has', c => c.put('/host/missing')],
];

// issue #15: the component's error middleware added a `code` to the host's
// own 4xx answers. A host's routes must answer as LoopBack answers them.
describe(`errors of the host's own routes (${describeBackend()})`, () => {
  let withChat: TestApp;
  let plain: RestApplication;
  let plainClient: Client;

  before(async () => {
    withChat = await givenTestApp({}, {beforeStart: givenHostRoutes});
    plain = new RestApplication({rest: {port: 0, host: '127.0.0.1'}});
    givenHostRoutes(plain);
    await plain.start();
    plainClient = createRestAppClient(plain);
  });
  after(async () => {
    await plain?.stop();
    await stopTestApp(withChat);
  });

  for (const [what, send] of REQUESTS) {
    it(`answers ${what} exactly as LoopBack without the component`, async () => {
      const expected = await send(plainClient);
      expect(expected.status).to.be.within(400, 599);
      const res = await send(withChat.client);
      expect({status: res.status, body: res.body}).to.eql({
        status: expected.status,
        body: expected.body,
      });
    });
  }

  it('answers a host 4xx without a code, as LoopBack writes it', async () => {
    const res = await withChat.client.get('/host/missing').expect(404);
    expect(res.body).to.eql({
      error: {
        statusCode: 404,
        name: 'NotFoundError',
        message: 'No such thing here.',
      },
    });
  });

  it('answers a host 500 as LoopBack writes it', async () => {
    const res = await withChat.client.get('/host/boom').expect(500);
    expect(res.body).to.eql({
      error: {statusCode: 500, message: 'Internal Server Error'},
    });
  });

  it("still gives the component's own routes their codes", async () => {
    const res = await withChat.client.get('/conversations').expect(401);
    expect(res.body.error.code).to.equal(ChatErrorCodes.MISSING_TOKEN);
    const unknown = await withChat.client
      .get('/conversations/x/nothing-here')
      .expect(404);
    expect(unknown.body.error.code).to.equal('NOT_FOUND');
    const path = '/conversations/%E0%A4%A/messages';
    const malformed = await withChat.client.get(path).expect(400);
    expect(malformed.body.error.code).to.equal('BAD_REQUEST');
  });
});

function givenHostRoutes(app: RestApplication) {
  app.controller(HostController);
  // the 500s are expected: keep them out of the test output
  app.bind(RestBindings.SequenceActions.LOG_ERROR).to(() => {});
}
