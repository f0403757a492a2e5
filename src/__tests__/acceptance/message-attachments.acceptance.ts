import {expect} from '@loopback/testlab';
import {randomBytes, randomUUID} from 'node:crypto';
import {ChatServiceBindings} from '../..';
import {
  downloadRequest,
  givenAttachment,
  givenGroup,
  givenMessages,
  givenUser,
  TestUser,
  givenChatSuite,
  givenGroupOfTwo,
} from '../fixtures';

const INVALID_ATTACHMENT_IDS = {
  statusCode: 422,
  name: 'UnprocessableEntityError',
  message:
    'attachmentIds: each must be an attachment you uploaded to this ' +
    'conversation that no message carries yet',
  code: 'INVALID_FIELD',
};

describe('messages carrying attachments', () => {
  const testApp = givenChatSuite({}, {attachments: true});
  const client = testApp.client;
  let owner: TestUser, member: TestUser, conversationId: string;

  beforeEach(async () => {
    ({owner, member, conversationId} = await givenGroupOfTwo(client));
  });

  const send = (user: TestUser, body: object, id = conversationId) =>
    client
      .post(`/conversations/${id}/messages`)
      .set('Authorization', user.auth)
      .send(body);
  const history = async (user: TestUser) =>
    (
      await client
        .get(`/conversations/${conversationId}/messages`)
        .set('Authorization', user.auth)
        .expect(200)
    ).body.items;
  const metadata = (user: TestUser, id: string) =>
    client.get(`/attachments/${id}`).set('Authorization', user.auth);

  it('sends a message with attachments, which then name the message', async () => {
    const a = await givenAttachment(client, member, conversationId);
    const b = await givenAttachment(client, member, conversationId, {
      fileName: 'b.txt',
    });
    const res = await send(member, {
      body: 'see files',
      attachmentIds: [b.id, a.id],
    });
    expect(res.status).to.equal(201);
    const messageId = res.body.id;
    // in upload order
    expect(res.body.attachments).to.eql([
      {...a, messageId},
      {...b, messageId},
    ]);
    const meta = await metadata(owner, a.id).expect(200);
    expect(meta.body).to.eql({...a, messageId});
  });

  it('accepts a message of attachments only, with an empty body', async () => {
    const a = await givenAttachment(client, member, conversationId);
    const res = await send(member, {attachmentIds: [a.id]});
    expect(res.status).to.equal(201);
    expect(res.body.body).to.equal('');
    expect(res.body.attachments).to.have.length(1);
  });

  it('still requires a body without attachments: one detail at /body', async () => {
    const rule =
      'is required unless attachmentIds names attachments (a message ' +
      'needs a body or attachments)';
    for (const body of [{}, {attachmentIds: []}, {clientMessageId: 'c'}]) {
      const res = await send(member, body);
      expect(res.status).to.equal(422);
      expect(res.body).to.eql({
        error: {
          statusCode: 422,
          name: 'UnprocessableEntityError',
          message: `Invalid request body: /body ${rule}`,
          code: 'VALIDATION_FAILED',
          details: [{path: '/body', code: 'required', message: rule}],
        },
      });
    }
  });

  it('rejects attachment ids that are not the sender’s own uploads here', async () => {
    const elsewhere = (await givenGroup(client, member)).id;
    const otherConversation = await givenAttachment(client, member, elsewhere);
    const othersUpload = await givenAttachment(client, owner, conversationId);
    const attached = await givenAttachment(client, member, conversationId);
    await send(member, {body: 'first', attachmentIds: [attached.id]}).expect(
      201,
    );
    const fresh = await givenAttachment(client, member, conversationId);
    const cases = [
      [otherConversation.id],
      [othersUpload.id],
      [attached.id],
      [randomUUID()],
      [fresh.id, randomUUID()],
    ];
    for (const attachmentIds of cases) {
      const res = await send(member, {body: 'x', attachmentIds});
      expect(res.status).to.equal(422);
      expect(res.body.error).to.eql({
        ...INVALID_ATTACHMENT_IDS,
        details: [
          {
            path: 'attachmentIds',
            code: 'INVALID_FIELD',
            message: INVALID_ATTACHMENT_IDS.message,
          },
        ],
      });
    }
    // nothing of the failed sends stayed: no message, fresh still unattached
    expect((await history(member)).map((m: {body: string}) => m.body)).to.eql([
      'first',
    ]);
    expect(
      (await metadata(member, fresh.id).expect(200)).body.messageId,
    ).to.be.null();
  });

  it('rejects malformed attachmentIds with 422 naming the field', async () => {
    const a = await givenAttachment(client, member, conversationId);
    const cases = [
      ['not-a-uuid'],
      [a.id, a.id],
      Array.from({length: 11}, () => randomUUID()),
    ];
    for (const attachmentIds of cases) {
      const res = await send(member, {body: 'x', attachmentIds});
      expect(res.status).to.equal(422);
      expect(res.body.error.code).to.equal('VALIDATION_FAILED');
      expect(res.body.error.message).to.match(/attachmentIds/);
    }
  });

  it('answers the first message, attachments included, for a repeated clientMessageId', async () => {
    const a = await givenAttachment(client, member, conversationId);
    const body = {body: 'once', clientMessageId: 'c-1', attachmentIds: [a.id]};
    const first = await send(member, body).expect(201);
    const again = await send(member, body);
    expect(again.status).to.equal(200);
    expect(again.body).to.eql(first.body);
  });

  it('includes attachments in history, one message and the conversation list', async () => {
    await givenMessages(client, owner, conversationId, 1);
    const a = await givenAttachment(client, member, conversationId);
    const sent = (
      await send(member, {body: 'file', attachmentIds: [a.id]}).expect(201)
    ).body;
    const items = await history(owner);
    expect(items.map((m: {attachments: unknown[]}) => m.attachments)).to.eql([
      [],
      sent.attachments,
    ]);
    const one = await client
      .get(`/conversations/${conversationId}/messages/${sent.id}`)
      .set('Authorization', owner.auth)
      .expect(200);
    expect(one.body).to.eql(sent);
    const list = await client
      .get('/conversations')
      .set('Authorization', owner.auth)
      .expect(200);
    expect(list.body.items[0].lastMessage).to.eql(sent);
    const edited = await client
      .patch(`/conversations/${conversationId}/messages/${sent.id}`)
      .set('Authorization', member.auth)
      .send({body: 'edited'})
      .expect(200);
    expect(edited.body.attachments).to.eql(sent.attachments);
  });

  it('deleting the message soft-deletes its attachments', async () => {
    const content = randomBytes(100);
    const a = await givenAttachment(client, member, conversationId, {content});
    const sent = (
      await send(member, {body: 'x', attachmentIds: [a.id]}).expect(201)
    ).body;
    await downloadRequest(client, owner, a.id).expect(200);
    await client
      .delete(`/conversations/${conversationId}/messages/${sent.id}`)
      .set('Authorization', owner.auth)
      .expect(204);
    const notFound = {
      statusCode: 404,
      name: 'NotFoundError',
      message: 'Attachment not found.',
      code: 'ATTACHMENT_NOT_FOUND',
    };
    const bytes = await client
      .get(`/attachments/${a.id}/content`)
      .set('Authorization', member.auth);
    expect(bytes.status).to.equal(404);
    expect(bytes.body.error).to.eql(notFound);
    expect((await metadata(member, a.id)).body.error).to.eql(notFound);
    const tombstone = (await history(member))[0];
    expect(tombstone).to.containDeep({body: null, attachments: []});
    // the audit outlives the attachment
    const audit = await client
      .get(`/attachments/${a.id}/downloads`)
      .set('Authorization', member.auth)
      .expect(200);
    expect(audit.body.items).to.have.length(1);
  });

  it('loads the attachments of a page with one query', async () => {
    for (let i = 0; i < 3; i++) {
      const a = await givenAttachment(client, member, conversationId);
      await send(member, {body: `m${i}`, attachmentIds: [a.id]}).expect(201);
    }
    const statements = await recordStatements(async () => {
      const items = await history(owner);
      expect(
        items.map((m: {attachments: unknown[]}) => m.attachments.length),
      ).to.eql([1, 1, 1]);
    });
    expect(attachmentReads(statements)).to.have.length(1);
  });

  it('reads no attachments for a page of messages without any', async () => {
    await send(member, {body: 'plain'}).expect(201);
    const statements = await recordStatements(async () => {
      const items = await history(owner);
      expect(items.map((m: {body: string}) => m.body)).to.eql(['plain']);
    });
    expect(statements.some(s => /FROM chat_messages/.test(s))).to.be.true();
    expect(attachmentReads(statements)).to.eql([]);
  });

  it('reads attachments for the conversation list only when a last message has some', async () => {
    await send(member, {body: 'plain'}).expect(201);
    const list = () =>
      client.get('/conversations').set('Authorization', owner.auth).expect(200);
    const plain = await recordStatements(async () => {
      const res = await list();
      expect(res.body.items[0].lastMessage.attachments).to.eql([]);
    });
    expect(plain.some(s => /chat_conversations/.test(s))).to.be.true();
    expect(attachmentReads(plain)).to.eql([]);

    const a = await givenAttachment(client, member, conversationId);
    await send(member, {body: 'file', attachmentIds: [a.id]}).expect(201);
    const carrying = await recordStatements(async () => {
      const res = await list();
      expect(res.body.items[0].lastMessage.attachments).to.have.length(1);
    });
    expect(attachmentReads(carrying)).to.have.length(1);
  });

  /** Statements that read attachments on their own (not the history's). */
  function attachmentReads(statements: string[]) {
    return statements.filter(
      s =>
        /chat_attachments/.test(s) &&
        !/chat_messages|chat_conversations/.test(s),
    );
  }

  /** The SQL the services run during `work`. */
  async function recordStatements(work: () => Promise<void>) {
    const statements: string[] = [];
    const db = await testApp.app.get(ChatServiceBindings.DATABASE);
    const query = db.query;
    db.query = <T extends object>(sql: string, params?: unknown[]) => {
      statements.push(sql);
      return query.call(db, sql, params) as Promise<T[]>;
    };
    try {
      await work();
    } finally {
      db.query = query;
    }
    return statements;
  }

  it('answers 404 for the attachments of a conversation one cannot see', async () => {
    const stranger = await givenUser();
    const a = await givenAttachment(client, member, conversationId);
    const res = await metadata(stranger, a.id);
    expect(res.status).to.equal(404);
  });
});
