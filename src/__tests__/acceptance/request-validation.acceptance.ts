import {Client, expect} from '@loopback/testlab';
import {
  givenGroup,
  givenMessages,
  givenUser,
  TestUser,
  givenChatSuite,
  notFoundBody,
} from '../fixtures';

type Method = 'get' | 'post' | 'patch' | 'delete';

const NUL = String.fromCharCode(0);

function send(
  client: Client,
  user: TestUser,
  r: {method: Method; path: string; body?: object},
) {
  const req = client[r.method](r.path).set('Authorization', user.auth);
  return r.body === undefined ? req : req.send(r.body);
}

describe('Request validation (acceptance)', () => {
  const testApp = givenChatSuite();
  let owner: TestUser;
  let member: TestUser;
  let c: string;
  let messageId: string;
  beforeEach(async () => {
    [owner, member] = [await givenUser(), await givenUser()];
    const group = await givenGroup(testApp.client, owner, [member]);
    c = `/conversations/${group.id}`;
    [{id: messageId}] = await givenMessages(testApp.client, owner, group.id, 1);
  });

  async function expectHistoryUnchanged() {
    const res = await testApp.client
      .get(`${c}/messages`)
      .set('Authorization', owner.auth)
      .expect(200);
    expect(res.body.items.map((m: {id: string}) => m.id)).to.eql([messageId]);
  }

  const postRaw = (body: string, type: string) =>
    testApp.client
      .post(`${c}/messages`)
      .set('Authorization', owner.auth)
      .set('Content-Type', type)
      .send(body);

  it('answers unparsable JSON with 400 BAD_REQUEST', async () => {
    const res = await postRaw('{"body": "x",', 'application/json').expect(400);
    expect(res.body.error).to.containDeep({
      statusCode: 400,
      code: 'BAD_REQUEST',
    });
    expect(res.body.error.message).to.match(/JSON/);
    await expectHistoryUnchanged();
  });

  it('answers a text/plain body with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await postRaw('hello', 'text/plain').expect(415);
    expect(res.body).to.eql({
      error: {
        statusCode: 415,
        name: 'UnsupportedMediaTypeError',
        message: 'Content-type text/plain does not match [application/json].',
        code: 'UNSUPPORTED_MEDIA_TYPE',
      },
    });
    await expectHistoryUnchanged();
  });

  it('answers a body over the 1 MB JSON limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const huge = JSON.stringify({body: 'x'.repeat(1_500_000)});
    const res = await postRaw(huge, 'application/json').expect(413);
    expect(res.body).to.eql({
      error: {
        statusCode: 413,
        name: 'PayloadTooLargeError',
        message: 'request entity too large',
        code: 'PAYLOAD_TOO_LARGE',
      },
    });
    await expectHistoryUnchanged();
  });

  it('answers a JSON body that is not an object with 422', async () => {
    for (const raw of ['[{"body": "x"}]', '"hello"', '42', 'true']) {
      const res = await postRaw(raw, 'application/json');
      expect({raw, status: res.status}).to.eql({raw, status: 422});
      expect(res.body.error).to.containDeep({
        statusCode: 422,
        code: 'VALIDATION_FAILED',
      });
      expect(res.body.error.message).to.match(/body must be object/);
    }
    await expectHistoryUnchanged();
  });

  it('answers unknown paths and methods under the component with 404 NOT_FOUND', async () => {
    const unknown: [Method | 'put', string][] = [
      ['get', `${c}/nothing-here`],
      ['put', c],
      ['post', '/unread'],
      ['get', `${c}/messages/${messageId}/nothing`],
    ];
    for (const [method, path] of unknown) {
      const res = await testApp.client[method](path).set(
        'Authorization',
        owner.auth,
      );
      expect({path, status: res.status, body: res.body}).to.eql({
        path,
        status: 404,
        body: {
          error: {
            statusCode: 404,
            name: 'NotFoundError',
            message: `Endpoint "${method.toUpperCase()} ${path}" not found.`,
            code: 'NOT_FOUND',
          },
        },
      });
    }
  });

  it('answers malformed percent-encoding in a path with 400', async () => {
    const paths: [Method, string][] = [
      ['get', '/conversations/%ZZ'],
      ['delete', `${c}/members/%ED%A0%80`],
      ['get', `${c}/messages/%E0%A4%A`],
    ];
    for (const [method, path] of paths) {
      const res = await testApp.client[method](path).set(
        'Authorization',
        owner.auth,
      );
      expect({path, status: res.status, body: res.body}).to.eql({
        path,
        status: 400,
        body: {
          error: {
            statusCode: 400,
            name: 'BadRequestError',
            message: 'Malformed percent-encoding in the request path.',
            code: 'BAD_REQUEST',
          },
        },
      });
    }
  });

  it('answers hostile conversation ids with 404 on every conversation route', async () => {
    const ids = [
      'not-a-uuid',
      "1' OR '1'='1",
      NUL,
      'x'.repeat(2000),
      `${c.slice(15)}x`,
    ];
    for (const id of ids) {
      const base = `/conversations/${encodeURIComponent(id)}`;
      const routes: [Method, string, object?][] = [
        ['get', base],
        ['patch', base, {title: 'x'}],
        ['get', `${base}/members`],
        ['post', `${base}/members`, {userIds: ['u']}],
        ['patch', `${base}/members/${member.id}`, {role: 'admin'}],
        ['delete', `${base}/members/${member.id}`],
        ['get', `${base}/messages`],
        ['post', `${base}/messages`, {body: 'x'}],
        ['get', `${base}/messages/${messageId}`],
        ['patch', `${base}/messages/${messageId}`, {body: 'x'}],
        ['delete', `${base}/messages/${messageId}`],
        ['post', `${base}/read`, {seq: 1}],
        ['get', `${base}/messages/${messageId}/receipts`],
      ];
      for (const [method, path, body] of routes) {
        const res = await send(testApp.client, owner, {method, path, body});
        const label = `${method} ${path.slice(0, 60)}`;
        expect({label, status: res.status, body: res.body}).to.eql({
          label,
          status: 404,
          body: notFoundBody('Conversation'),
        });
      }
    }
    await expectHistoryUnchanged();
  });

  it('answers hostile message and member ids with 404', async () => {
    for (const id of ['not-a-uuid', NUL, 'y'.repeat(2000), `${messageId}0`]) {
      const m = `${c}/messages/${encodeURIComponent(id)}`;
      const routes: [Method, string, object?][] = [
        ['get', m],
        ['patch', m, {body: 'x'}],
        ['delete', m],
        ['get', `${m}/receipts`],
      ];
      for (const [method, path, body] of routes) {
        const res = await send(testApp.client, owner, {method, path, body});
        expect({path, status: res.status, body: res.body}).to.eql({
          path,
          status: 404,
          body: notFoundBody('Message'),
        });
      }
    }
    for (const id of [NUL, 'z'.repeat(300), 'not-a-member', 'ü']) {
      const path = `${c}/members/${encodeURIComponent(id)}`;
      for (const [method, body] of [
        ['patch', {role: 'admin'}],
        ['delete'],
      ] as const) {
        const res = await send(testApp.client, owner, {method, path, body});
        expect({path, method, status: res.status, body: res.body}).to.eql({
          path,
          method,
          status: 404,
          body: notFoundBody('Member'),
        });
      }
    }
    await expectHistoryUnchanged();
  });
});
