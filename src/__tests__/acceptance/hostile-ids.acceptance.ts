import {
  OpenApiSpec,
  OperationObject,
  RequestBodyObject,
  SchemaObject,
} from '@loopback/rest';
import {expect} from '@loopback/testlab';
import {randomUUID} from 'node:crypto';
import {ChatServiceBindings, ChatUserProfileView} from '../..';
import {CHAT_ROUTE_EXTENSION} from '../../rest/chat-error.middleware';
import {
  givenAttachment,
  givenGroup,
  givenMessages,
  givenUser,
  TestUser,
  givenChatSuite,
} from '../fixtures';

/** Path ids a client may send that must never reach a 500. */
const HOSTILE_IDS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'x'.repeat(10_000),
  'not-a-uuid',
].map(encodeURIComponent);

/** Already encoded: a malformed %-encoding, a lone `%`. */
const MALFORMED = ['%E0%A4%A', '%'];
const PATH_IDS = [...HOSTILE_IDS, ...MALFORMED];

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface ChatRoute {
  method: Method;
  path: string;
  operation: OperationObject;
}

/** Every operation of the component in the app's spec that has path ids. */
function chatRoutesWithIds(spec: OpenApiSpec): ChatRoute[] {
  const routes: ChatRoute[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const op = operation as OperationObject;
      if (op[CHAT_ROUTE_EXTENSION] !== true) continue;
      if (!path.includes('{')) continue;
      routes.push({method: method as Method, path, operation: op});
    }
  }
  return routes;
}

/** A small value of `schema`: its required properties, filled in. */
function sampleOf(schema: SchemaObject | undefined): unknown {
  if (!schema) return {};
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'object': {
      const required = [
        ...(schema.required ?? []),
        ...((schema.anyOf?.[0] as SchemaObject | undefined)?.required ?? []),
      ];
      const value: Record<string, unknown> = {};
      for (const key of required) {
        value[key] = sampleOf(schema.properties?.[key] as SchemaObject);
      }
      return value;
    }
    case 'array':
      return schema.minItems ? [sampleOf(schema.items as SchemaObject)] : [];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      return schema.format === 'uuid' ? randomUUID() : 'x';
  }
}

describe('Hostile path ids (acceptance)', () => {
  const testApp = givenChatSuite({}, {attachments: true});
  let owner: TestUser;
  let member: TestUser;
  /** A valid value for each path variable, so the others reach the services. */
  let valid: (path: string, name: string) => string;
  beforeEach(async () => {
    [owner, member] = [await givenUser(), await givenUser()];
    const group = await givenGroup(testApp.client, owner, [member]);
    const [message] = await givenMessages(testApp.client, owner, group.id, 1);
    const attachment = await givenAttachment(testApp.client, owner, group.id);
    valid = (path, name) => {
      if (name === 'messageId') return message.id;
      if (name === 'userId') return member.id;
      return path.startsWith('/attachments') ? attachment.id : group.id;
    };
  });

  function request(route: ChatRoute, path: string) {
    const req = testApp.client[route.method](path).set(
      'Authorization',
      owner.auth,
    );
    const body = route.operation.requestBody as RequestBodyObject | undefined;
    const content = body?.content ?? {};
    if (content['multipart/form-data']) {
      return req.attach('file', Buffer.from('hello'), {
        filename: 'a.txt',
        contentType: 'text/plain',
      });
    }
    const json = content['application/json']?.schema as SchemaObject;
    return json ? req.send(sampleOf(json) as object) : req;
  }

  async function expectClientError(route: ChatRoute, path: string) {
    const res = await request(route, path);
    const what = `${route.method.toUpperCase()} ${path.slice(0, 120)}`;
    // 431: two 10,000-character ids pass Node's header size limit (16 KiB),
    // and Node answers before the application, without a JSON body
    const coded = res.status === 431 || res.body.error?.code;
    if (res.status < 400 || res.status >= 500 || !coded) {
      throw new Error(`${what} answered ${res.status} ${res.text}`);
    }
  }

  it('covers every component route with path ids in the spec', async () => {
    const routes = chatRoutesWithIds(await testApp.app.restServer.getApiSpec());
    // the spec is read, not a list kept here: new routes are covered too
    expect(routes.length).to.be.greaterThanOrEqual(16);
  });

  it('answers 4xx, never 5xx, for each id substituted one at a time', async () => {
    for (const route of chatRoutesWithIds(
      await testApp.app.restServer.getApiSpec(),
    )) {
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map(m => m[1]);
      for (const name of names) {
        for (const hostile of PATH_IDS) {
          const path = route.path.replace(/\{(\w+)\}/g, (_, n: string) =>
            n === name ? hostile : valid(route.path, n),
          );
          await expectClientError(route, path);
        }
      }
    }
  });

  it('answers 4xx, never 5xx, with every id hostile', async () => {
    for (const route of chatRoutesWithIds(
      await testApp.app.restServer.getApiSpec(),
    )) {
      for (const hostile of PATH_IDS) {
        const path = route.path.replace(/\{(\w+)\}/g, () => hostile);
        await expectClientError(route, path);
      }
    }
  });
});

describe('Hostile ids and keys as map keys (acceptance)', () => {
  const HOSTILE_KEYS = ['constructor', 'toString', 'hasOwnProperty', 'valueOf'];
  // a resolver answering a plain object, as the interface allows
  const resolver = {
    resolve: async (userIds: string[]) => {
      const profiles: Record<string, ChatUserProfileView> = {};
      for (const id of userIds) {
        if (id.startsWith('known-')) profiles[id] = {displayName: id};
      }
      return profiles;
    },
  };
  const testApp = givenChatSuite(
    {},
    {
      beforeStart: app =>
        app.bind(ChatServiceBindings.USER_PROFILE_RESOLVER).to(resolver),
    },
  );

  it('gives members with ids like Object.prototype members no profile', async () => {
    const owner = await givenUser();
    const others = [...HOSTILE_KEYS, '__proto__', 'known-1'];
    const group = await givenGroup(testApp.client, owner, [], {
      memberIds: others,
    });
    const res = await testApp.client
      .get(`/conversations/${group.id}/members`)
      .set('Authorization', owner.auth)
      .expect(200);
    const profiles = Object.fromEntries(
      res.body.items.map((m: {userId: string; profile: unknown}) => [
        m.userId,
        m.profile,
      ]),
    );
    expect(profiles).to.eql({
      [owner.id]: null,
      ...Object.fromEntries(others.map(id => [id, null])),
      'known-1': {displayName: 'known-1'},
    });
  });

  it('stores and answers metadata keyed like Object.prototype members', async () => {
    const owner = await givenUser();
    const metadata = Object.fromEntries(
      HOSTILE_KEYS.map((key, i) => [key, {n: i}]),
    );
    const group = await givenGroup(testApp.client, owner, [], {metadata});
    expect(group.metadata).to.eql(metadata);
    const res = await testApp.client
      .patch(`/conversations/${group.id}`)
      .set('Authorization', owner.auth)
      .send({metadata: {...metadata, toString: 'x'}})
      .expect(200);
    expect(res.body.metadata).to.eql({...metadata, toString: 'x'});
  });

  it('refuses a body with a __proto__ key as a clean 400', async () => {
    const owner = await givenUser();
    const res = await testApp.client
      .post('/conversations')
      .set('Authorization', owner.auth)
      .set('Content-Type', 'application/json')
      .send('{"type":"group","title":"t","metadata":{"__proto__":{"a":1}}}')
      .expect(400);
    expect(res.body.error.code).to.be.a.String();
  });
});
