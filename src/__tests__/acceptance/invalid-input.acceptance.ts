import {expect} from '@loopback/testlab';
import {
  givenGroup,
  givenMessages,
  givenUser,
  TestUser,
  givenChatSuite,
} from '../fixtures';

type Method = 'get' | 'post' | 'patch';
type Code = 'VALIDATION_FAILED' | 'INVALID_PARAMETER_VALUE' | 'INVALID_FIELD';

/**
 * A hostile request and the 422 it must get. In `path`, `{c}` is the
 * conversation, `{m}` its message and `{member}` a member of it.
 */
interface InvalidCase {
  method: Method;
  path: string;
  body?: object;
  field: string;
  codes: Code[];
}

const NUL = String.fromCharCode(0);
const ids = (n: number) => Array.from({length: n}, (_, i) => `user-${i}`);
const group = (extra: object) => ({type: 'group', title: 't', ...extra});

/** A query parameter case. */
function q(
  path: string,
  field: string,
  code: Code = 'INVALID_PARAMETER_VALUE',
) {
  return {method: 'get', path, field, codes: [code]} as InvalidCase;
}

/** A body case (schema errors are VALIDATION_FAILED unless given). */
function b(
  method: Method,
  path: string,
  body: object,
  field: string,
  ...codes: Code[]
) {
  return {
    method,
    path,
    body,
    field,
    codes: codes.length ? codes : ['VALIDATION_FAILED'],
  } as InvalidCase;
}

const STORABLE: Code[] = ['VALIDATION_FAILED', 'INVALID_FIELD'];

const CASES: InvalidCase[] = [
  q('{c}/messages?before=1e30', 'before'),
  q('{c}/messages?after=1e30', 'after'),
  q('{c}/messages?before=99999999999999999999', 'before'),
  q('{c}/messages?after=-1', 'after'),
  q('{c}/messages?before=abc', 'before'),
  q('{c}/messages?before[a]=1', 'before'),
  q('{c}/messages?after=1&after=2', 'after'),
  q('{c}/messages?limit=1.5', 'limit'),
  q('{c}/messages?limit=1e30', 'limit'),
  q('{c}/messages?limit=', 'limit'),
  q('/conversations?limit=1.5', 'limit'),
  q('/conversations?limit=1e30', 'limit'),
  q('/conversations?cursor=not-a-cursor', 'cursor', 'INVALID_FIELD'),
  q('/conversations?cursor[a]=x', 'cursor'),
  q('/conversations?externalId[a]=x', 'externalId'),
  q('/conversations?externalId=a%00b', 'externalId', 'INVALID_FIELD'),
  b('post', '{c}/read', {seq: 1e30}, 'seq'),
  b('post', '{c}/read', {seq: 1.5}, 'seq'),
  b('post', '{c}/read', {seq: '1'}, 'seq'),
  b('post', '{c}/read', {seq: null}, 'seq'),
  b('post', '{c}/read', {seq: {n: 1}}, 'seq'),
  b('post', '{c}/read', {}, 'seq'),
  b(
    'post',
    '{c}/messages',
    {body: 'x', clientMessageId: 'c'.repeat(10_000)},
    'clientMessageId',
  ),
  b(
    'post',
    '{c}/messages',
    {body: 'x', clientMessageId: {id: 1}},
    'clientMessageId',
  ),
  b(
    'post',
    '{c}/messages',
    {body: 'x', clientMessageId: ''},
    'clientMessageId',
  ),
  b('post', '{c}/messages', {body: null}, 'body'),
  b('post', '{c}/messages', {body: {text: 'x'}}, 'body'),
  b('post', '{c}/messages', {body: ''}, 'body'),
  b('post', '{c}/messages', {body: `a${NUL}b`}, 'body', ...STORABLE),
  b(
    'post',
    '{c}/messages',
    {body: 'x', parentMessageId: 'not-a-uuid'},
    'parentMessageId',
  ),
  b('post', '{c}/messages', {body: 'x', seq: 7}, 'seq'),
  b('post', '{c}/messages', {body: 'x', senderId: 'someone'}, 'senderId'),
  b('patch', '{c}/messages/{m}', {body: null}, 'body'),
  b('patch', '{c}/messages/{m}', {body: ['x']}, 'body'),
  b('patch', '{c}/messages/{m}', {body: 'x', deletedAt: null}, 'deletedAt'),
  b('post', '/conversations', group({memberIds: ids(2000)}), 'memberIds'),
  b('post', '/conversations', group({memberIds: [{id: 'x'}]}), 'memberIds/0'),
  b(
    'post',
    '/conversations',
    group({memberIds: ['x'.repeat(256)]}),
    'memberIds/0',
  ),
  b('post', '/conversations', group({memberIds: null}), 'memberIds'),
  b('post', '/conversations', {type: null}, 'type'),
  b('post', '/conversations', {type: 'channel'}, 'type'),
  b('post', '/conversations', {title: 't'}, 'type'),
  b('post', '/conversations', group({title: null}), 'title'),
  b('post', '/conversations', group({title: {en: 't'}}), 'title'),
  b('post', '/conversations', group({title: `a${NUL}`}), 'title', ...STORABLE),
  b('post', '/conversations', group({externalId: ['e']}), 'externalId'),
  b('post', '/conversations', group({metadata: 'm'}), 'metadata'),
  b(
    'post',
    '/conversations',
    group({metadata: {k: `v${NUL}`}}),
    'metadata',
    ...STORABLE,
  ),
  b(
    'post',
    '/conversations',
    group({id: '7c1d5d43-4a7c-4b43-9d0f-4c1f6f1c1a11'}),
    'id',
  ),
  b(
    'post',
    '/conversations',
    group({createdAt: '2020-01-01T00:00:00Z'}),
    'createdAt',
  ),
  b('patch', '{c}', {title: null}, 'title'),
  b('patch', '{c}', {title: {en: 'x'}}, 'title'),
  b('patch', '{c}', {lastSeq: 99}, 'lastSeq'),
  b('post', '{c}/members', {userIds: ids(2000)}, 'userIds'),
  b('post', '{c}/members', {userIds: null}, 'userIds'),
  b('post', '{c}/members', {userIds: []}, 'userIds'),
  b('post', '{c}/members', {userIds: [['nested']]}, 'userIds/0'),
  b('patch', '{c}/members/{member}', {role: null}, 'role'),
  b('patch', '{c}/members/{member}', {role: {name: 'admin'}}, 'role'),
  b(
    'patch',
    '{c}/members/{member}',
    {role: 'admin', lastReadSeq: 5},
    'lastReadSeq',
  ),
];

describe('Invalid input (acceptance)', () => {
  const testApp = givenChatSuite();
  let owner: TestUser;
  let member: TestUser;
  let conversation: {id: string; title: string};
  let messageId: string;
  beforeEach(async () => {
    [owner, member] = [await givenUser(), await givenUser()];
    conversation = await givenGroup(testApp.client, owner, [member]);
    [{id: messageId}] = await givenMessages(
      testApp.client,
      owner,
      conversation.id,
      1,
    );
  });

  for (const k of CASES) {
    const body = k.body ? ` ${JSON.stringify(k.body).slice(0, 60)}` : '';
    it(`${k.method.toUpperCase()} ${k.path}${body} is 422 naming ${k.field}`, async () => {
      const path = k.path
        .replace('{c}', `/conversations/${conversation.id}`)
        .replace('{m}', messageId)
        .replace('{member}', member.id);
      const req = testApp.client[k.method](path).set(
        'Authorization',
        owner.auth,
      );
      const res = await (k.body ? req.send(k.body) : req);

      expect(res.status).to.equal(422);
      expect(res.body.error.statusCode).to.equal(422);
      expect(res.body.error.name).to.equal('UnprocessableEntityError');
      expect(k.codes).to.containEql(res.body.error.code);
      const field = k.field.replace('/', '\\/');
      expect(res.body.error.message).to.match(new RegExp(`\\b${field}\\b`));

      // nothing was changed
      const view = await testApp.client
        .get(`/conversations/${conversation.id}`)
        .set('Authorization', owner.auth)
        .expect(200);
      expect(view.body).to.containDeep({
        title: 'Team',
        lastMessage: {id: messageId},
      });
      expect(view.body.members).to.have.length(2);
    });
  }

  it('a JSON string with an unpaired surrogate is 422, not a 500', async () => {
    const res = await testApp.client
      .post(`/conversations/${conversation.id}/messages`)
      .set('Authorization', owner.auth)
      .set('Content-Type', 'application/json')
      .send('{"body": "broken \\ud800 text"}');
    expect(res.status).to.equal(422);
    expect(STORABLE).to.containEql(res.body.error.code);
    expect(res.body.error.message).to.match(/\bbody\b/);
  });
});
