import {expect} from '@loopback/testlab';
import {bearer, TestUser, uploadRequest, givenChatSuite} from '../fixtures';

/**
 * Characters that grow when escaped or stored: `"` and `\` double in JSON,
 * a control character becomes `\u00XX`, an emoji is two UTF-16 units and
 * four bytes. Each filler makes strings of an exact length in characters.
 */
const emoji = (i: number) => String.fromCodePoint(0x1f300 + ((i * 37) % 0x2ff));
const FILLERS: Record<string, (chars: number) => string> = {
  quote: n => '"'.repeat(n),
  backslash: n => '\\'.repeat(n),
  // varied, so the database cannot compress it away
  emoji: n => Array.from({length: n}, (_, i) => emoji(i)).join(''),
  mixed: n =>
    Array.from({length: n}, (_, i) => ['"', '\\', 'é', emoji(i)][i % 4]).join(
      '',
    ),
};

/** A user id of exactly `escaped` characters in JSON form, from `filler`. */
function userIdOf(filler: string, escaped: number, tag: string): string {
  let id = tag;
  for (const char of FILLERS[filler](escaped)) {
    if (jsonChars(id + char) > escaped) break;
    id += char;
  }
  // an odd remainder after two-character escapes: a letter
  return id + 'x'.repeat(escaped - jsonChars(id));
}

function jsonChars(value: string): number {
  return [...JSON.stringify(value)].length - 2;
}

async function userOf(id: string, tenantId?: string): Promise<TestUser> {
  return {id, auth: await bearer(id, tenantId ? {tenantId} : {})};
}

function expect422(
  res: {status: number; body: {error?: object}},
  field: string,
) {
  expect(res.status).to.equal(422);
  expect(res.body.error).to.containDeep({statusCode: 422});
  const message = (res.body.error as {message: string}).message;
  expect(message).to.containEql(field);
}

function expectNot5xx(res: {status: number; text: string}, what: string) {
  if (res.status >= 500) throw new Error(`${what}: ${res.status} ${res.text}`);
}

describe('Stored fields at and over their maximum length (acceptance)', () => {
  const testApp = givenChatSuite(
    {
      attachments: {allowedContentTypes: ['*/*']},
    },
    {attachments: true},
  );
  const client = testApp.client;

  for (const filler of Object.keys(FILLERS)) {
    describe(`filled with ${filler}`, () => {
      const fill = FILLERS[filler];
      const tenantId = fill(255);
      let alice: TestUser;
      let bobId: string;

      beforeEach(async () => {
        alice = await userOf(userIdOf(filler, 255, 'a'), tenantId);
        bobId = userIdOf(filler, 255, 'b');
      });

      it('creates a direct conversation between two longest ids, once', async () => {
        const first = await client
          .post('/conversations')
          .set('Authorization', alice.auth)
          .send({type: 'direct', memberIds: [bobId]});
        expect(first.status).to.equal(201);
        const bob = await userOf(bobId, tenantId);
        const again = await client
          .post('/conversations')
          .set('Authorization', bob.auth)
          .send({type: 'direct', memberIds: [alice.id]})
          .expect(200);
        expect(again.body.id).to.equal(first.body.id);
        expect(
          again.body.members.map((m: {userId: string}) => m.userId).sort(),
        ).to.eql([alice.id, bobId].sort());
      });

      it('refuses a token whose user id is one character longer: 401', async () => {
        const tooLong = await userOf(userIdOf(filler, 256, 'a'), tenantId);
        const res = await client
          .get('/unread')
          .set('Authorization', tooLong.auth)
          .expect(401);
        expect(res.body.error).to.containDeep({code: 'INVALID_TOKEN'});
        expect(res.body.error.message).to.match(/user id is longer than 255/);
      });

      it('refuses a token whose tenantId is one character longer: 401', async () => {
        const tooLong = await userOf('u', fill(256));
        const res = await client
          .get('/unread')
          .set('Authorization', tooLong.auth)
          .expect(401);
        expect(res.body.error.message).to.match(/tenantId/);
      });

      it('answers 422 naming memberIds/userIds for an id one over', async () => {
        const over = userIdOf(filler, 256, 'c');
        expect422(
          await client
            .post('/conversations')
            .set('Authorization', alice.auth)
            .send({type: 'direct', memberIds: [over]}),
          'memberIds/0',
        );
        expect422(
          await client
            .post('/conversations')
            .set('Authorization', alice.auth)
            .send({type: 'group', title: 't', memberIds: [bobId, over]}),
          'memberIds/1',
        );
        const group = await client
          .post('/conversations')
          .set('Authorization', alice.auth)
          .send({type: 'group', title: 't', memberIds: [bobId]})
          .expect(201);
        expect422(
          await client
            .post(`/conversations/${group.body.id}/members`)
            .set('Authorization', alice.auth)
            .send({userIds: [over]}),
          'userIds/0',
        );
      });

      it('stores every text field at its maximum, and refuses one over', async () => {
        const max = {
          title: fill(255),
          externalId: fill(255),
          metadata: {
            k: fill(Math.floor(65000 / (filler === 'emoji' ? 2 : 2)) / 2),
          },
        };
        const created = await client
          .post('/conversations')
          .set('Authorization', alice.auth)
          .send({type: 'group', ...max, memberIds: [bobId]});
        expectNot5xx(created, 'create');
        expect(created.status).to.equal(201);
        expect(created.body).to.containDeep({
          title: max.title,
          externalId: max.externalId,
        });
        const id = created.body.id;
        for (const field of ['title', 'externalId'] as const) {
          expect422(
            await client
              .patch(`/conversations/${id}`)
              .set('Authorization', alice.auth)
              .send({[field]: fill(256)}),
            field,
          );
          expect422(
            await client
              .post('/conversations')
              .set('Authorization', alice.auth)
              .send({type: 'group', title: 't', [field]: fill(256)}),
            field,
          );
        }
        const message = await client
          .post(`/conversations/${id}/messages`)
          .set('Authorization', alice.auth)
          .send({body: fill(10000), clientMessageId: fill(255)});
        expectNot5xx(message, 'send');
        expect(message.status).to.equal(201);
        expect([...message.body.body]).to.have.length(10000);
        const edited = await client
          .patch(`/conversations/${id}/messages/${message.body.id}`)
          .set('Authorization', alice.auth)
          .send({body: fill(10000)});
        expect(edited.status).to.equal(200);
        expect422(
          await client
            .post(`/conversations/${id}/messages`)
            .set('Authorization', alice.auth)
            .send({body: fill(10001)}),
          'body',
        );
        expect422(
          await client
            .patch(`/conversations/${id}/messages/${message.body.id}`)
            .set('Authorization', alice.auth)
            .send({body: fill(10001)}),
          'body',
        );
        expect422(
          await client
            .post(`/conversations/${id}/messages`)
            .set('Authorization', alice.auth)
            .send({body: 'x', clientMessageId: fill(256)}),
          'clientMessageId',
        );
      });
    });
  }

  it('never answers 500 to ids that overflowed the direct pair key', async () => {
    // 255 quotes each were accepted before, and their key (1,027
    // characters) overflowed its varchar(520)
    const quotes = '"'.repeat(255);
    const alice = await userOf(quotes);
    const res = await client
      .post('/conversations')
      .set('Authorization', alice.auth)
      .send({type: 'direct', memberIds: ['\\'.repeat(255)]});
    expect(res.status).to.equal(401);
    const bob = await userOf('bob');
    expect422(
      await client
        .post('/conversations')
        .set('Authorization', bob.auth)
        .send({type: 'direct', memberIds: [quotes]}),
      'memberIds/0',
    );
  });

  describe('metadata, queries, uploads and headers', () => {
    let alice: TestUser;
    let conversationId: string;

    beforeEach(async () => {
      alice = await userOf('alice');
      const res = await client
        .post('/conversations')
        .set('Authorization', alice.auth)
        .send({type: 'group', title: 't'})
        .expect(201);
      conversationId = res.body.id;
    });

    it('stores metadata of 65,536 JSON characters, refuses one more', async () => {
      // {"k":"…"} is 8 characters around the string
      const atMax = {k: '"'.repeat((65536 - 8) / 2)};
      expect(JSON.stringify(atMax)).to.have.length(65536);
      const ok = await client
        .patch(`/conversations/${conversationId}`)
        .set('Authorization', alice.auth)
        .send({metadata: atMax});
      expectNot5xx(ok, 'metadata');
      expect(ok.status).to.equal(200);
      expect(ok.body.metadata).to.eql(atMax);
      const over = {k: `${atMax.k}x`};
      expect422(
        await client
          .patch(`/conversations/${conversationId}`)
          .set('Authorization', alice.auth)
          .send({metadata: over}),
        'metadata',
      );
      expect422(
        await client
          .post('/conversations')
          .set('Authorization', alice.auth)
          .send({type: 'group', title: 't', metadata: over}),
        'metadata',
      );
    });

    it('stores metadata nested 16 levels deep, refuses 17', async () => {
      const deep = (levels: number) => {
        let value: object = {leaf: 1};
        for (let i = 1; i < levels; i++) value = {k: value};
        return value;
      };
      const ok = await client
        .patch(`/conversations/${conversationId}`)
        .set('Authorization', alice.auth)
        .send({metadata: deep(16)});
      expectNot5xx(ok, 'metadata');
      expect(ok.status).to.equal(200);
      expect(ok.body.metadata).to.eql(deep(16));
      for (const send of [
        client
          .patch(`/conversations/${conversationId}`)
          .send({metadata: deep(17)}),
        client
          .post('/conversations')
          .send({type: 'group', title: 't', metadata: deep(17)}),
      ]) {
        expect422(await send.set('Authorization', alice.auth), 'metadata');
      }
    });

    it('takes a media type of 255 characters, answers 415 to a longer one', async () => {
      const type = `${'a'.repeat(127)}/${'b'.repeat(127)}`;
      const ok = await uploadRequest(client, alice, conversationId, {
        content: Buffer.from('x'),
        contentType: type,
        fileName: `${'"'.repeat(300)}.txt`,
      });
      expectNot5xx(ok, 'upload');
      expect(ok.status).to.equal(201);
      expect(ok.body.contentType).to.equal(type);
      expect([...ok.body.fileName]).to.have.length(255);
      for (const longer of [`${type}b`, `a/${'b'.repeat(300)}`]) {
        const res = await uploadRequest(client, alice, conversationId, {
          content: Buffer.from('x'),
          contentType: longer,
        });
        expect(res.status).to.equal(415);
        expect(res.body.error.code).to.equal('UNSUPPORTED_ATTACHMENT_TYPE');
      }
    });

    it('answers queries and headers of any length without a 5xx', async () => {
      const long = '"\\😀'.repeat(3000);
      const requests = [
        client.get('/conversations').query({externalId: long}),
        client.get('/conversations').query({cursor: long}),
        client
          .get(`/conversations/${conversationId}/messages`)
          .query({before: long}),
        client.get('/sync').query({since: '9'.repeat(5000)}),
        client.get('/events').set('Last-Event-ID', '9'.repeat(5000)),
      ];
      for (const req of requests) {
        const res = await req.set('Authorization', alice.auth);
        expectNot5xx(res, 'query');
        expect(res.status).to.be.within(200, 499);
      }
    });
  });
});
