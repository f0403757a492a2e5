import {post, requestBody} from '@loopback/rest';
import {expect} from '@loopback/testlab';
import {givenUser, TestUser, givenChatSuite} from '../fixtures';

/** A route of the host's own, next to the component's. */
class HostEchoController {
  @post('/host/echo', {responses: {'200': {description: 'The body'}}})
  echo(@requestBody() body: object) {
    return {received: JSON.stringify(body).length};
  }
}

const nested = (depth: number, inner = '1') =>
  '['.repeat(depth) + inner + ']'.repeat(depth);

const TOO_DEEP = {
  statusCode: 400,
  name: 'BadRequestError',
  message: 'The JSON body nests arrays and objects deeper than 64 levels.',
  code: 'JSON_TOO_DEEP',
};

describe('Deeply nested JSON bodies (acceptance)', () => {
  const testApp = givenChatSuite(
    {},
    {beforeStart: app => app.controller(HostEchoController)},
  );
  let alice: TestUser;

  beforeEach(async () => {
    alice = await givenUser();
  });

  function postJson(path: string, text: string) {
    return testApp.client
      .post(path)
      .set('Authorization', alice.auth)
      .set('Content-Type', 'application/json')
      .send(text);
  }

  it('answers 400 JSON_TOO_DEEP to 500,000 nested arrays (1 MB)', async () => {
    const res = await postJson('/conversations', nested(500_000));
    expect(res.status).to.equal(400);
    expect(res.body).to.eql({error: TOO_DEEP});
  });

  it('answers the same on every JSON route of the component', async () => {
    const {body: group} = await postJson(
      '/conversations',
      JSON.stringify({type: 'group', title: 't'}),
    ).expect(201);
    for (const path of [
      `/conversations/${group.id}/messages`,
      `/conversations/${group.id}/members`,
      `/conversations/${group.id}/read`,
      `/conversations/${group.id}/typing`,
    ]) {
      const res = await postJson(path, `{"a":${nested(65)}}`);
      expect({path, body: res.body}).to.eql({path, body: {error: TOO_DEEP}});
    }
  });

  it('parses a body nested to the limit, and counts no bracket in strings', async () => {
    // the body object is level 1, metadata level 2: 64 levels in all
    const metadata = `{"k":${nested(62, '"[[[{{{"')},"s":"${'['.repeat(1000)}"}`;
    const res = await postJson(
      '/conversations',
      `{"type":"group","title":"t","metadata":${metadata}}`,
    );
    // parsed, then refused by the metadata's own limit (16 levels)
    expect(res.status).to.equal(422);
    expect(res.body.error.message).to.match(/^metadata: must nest/);
    const over = `{"k":${nested(63)}}`;
    const refused = await postJson(
      '/conversations',
      `{"type":"group","title":"t","metadata":${over}}`,
    );
    expect(refused.status).to.equal(400);
    expect(refused.body.error.code).to.equal('JSON_TOO_DEEP');
    const strings = `{"s":"${'['.repeat(1000)}","t":"\\\\"}`;
    const stored = await postJson(
      '/conversations',
      `{"type":"group","title":"t","metadata":${strings}}`,
    ).expect(201);
    expect(stored.body.metadata.s).to.have.length(1000);
  });

  it("leaves the host's own routes to LoopBack's parser", async () => {
    const res = await postJson('/host/echo', `{"a":${nested(200)}}`).expect(
      200,
    );
    expect(res.body).to.eql({received: 6 + 401});
  });
});
