import {expect} from '@loopback/testlab';
import {
  givenGroup,
  givenMessages,
  givenUser,
  TestUser,
  givenChatSuite,
  expectInvalid,
  notFoundBody,
} from '../fixtures';

describe('GET /conversations/{id}/messages', () => {
  const testApp = givenChatSuite();
  const client = testApp.client;
  let owner: TestUser;
  let conversationId: string;

  beforeEach(async () => {
    owner = await givenUser();
    conversationId = (await givenGroup(client, owner)).id;
  });

  function history(query: string, user = owner) {
    return client
      .get(`/conversations/${conversationId}/messages${query}`)
      .set('Authorization', user.auth);
  }

  async function seqsOf(query: string): Promise<number[]> {
    const res = await history(query).expect(200);
    return res.body.items.map((m: {seq: number}) => m.seq);
  }

  context('with 12 messages', () => {
    let sent: {id: string; body: string}[];

    beforeEach(async () => {
      sent = await givenMessages(client, owner, conversationId, 12);
    });

    it('answers the newest `limit` in ascending seq without a cursor', async () => {
      expect(await seqsOf('?limit=5')).to.eql([8, 9, 10, 11, 12]);
    });

    it('answers the messages themselves', async () => {
      const res = await history('?limit=1').expect(200);
      expect(Object.keys(res.body)).to.eql(['items']);
      expect(res.body.items).to.eql([sent[11]]);
    });

    it('answers the `limit` just below `before`', async () => {
      expect(await seqsOf('?before=8&limit=3')).to.eql([5, 6, 7]);
    });

    it('answers fewer when fewer are below `before`', async () => {
      expect(await seqsOf('?before=3&limit=5')).to.eql([1, 2]);
      expect(await seqsOf('?before=1')).to.eql([]);
    });

    it('answers the `limit` just above `after`', async () => {
      expect(await seqsOf('?after=4&limit=3')).to.eql([5, 6, 7]);
    });

    it('accepts after=0 as the start of the history', async () => {
      expect(await seqsOf('?after=0&limit=2')).to.eql([1, 2]);
    });

    it('answers nothing above the latest seq', async () => {
      expect(await seqsOf('?after=12')).to.eql([]);
    });
  });

  it('walks back over 25 messages with before, every seq exactly once', async () => {
    await givenMessages(client, owner, conversationId, 25);
    const seen: number[] = [];
    let page = await seqsOf('?limit=10');
    let pages = 0;
    while (page.length > 0) {
      pages++;
      expect(pages).to.be.belowOrEqual(3);
      seen.unshift(...page);
      page = await seqsOf(`?before=${page[0]}&limit=10`);
    }
    expect(pages).to.equal(3);
    expect(seen).to.eql(Array.from({length: 25}, (_, i) => i + 1));
  });

  it('walks forward over 25 messages with after, every seq exactly once', async () => {
    await givenMessages(client, owner, conversationId, 25);
    const seen: number[] = [];
    let page = await seqsOf('?after=0&limit=10');
    while (page.length > 0) {
      seen.push(...page);
      expect(seen.length).to.be.belowOrEqual(25);
      page = await seqsOf(`?after=${page[page.length - 1]}&limit=10`);
    }
    expect(seen).to.eql(Array.from({length: 25}, (_, i) => i + 1));
  });

  it('answers 50 messages by default', async () => {
    await givenMessages(client, owner, conversationId, 55);
    const seqs = await seqsOf('');
    expect(seqs).to.eql(Array.from({length: 50}, (_, i) => i + 6));
  });

  it('accepts a limit of 200', async () => {
    await givenMessages(client, owner, conversationId, 3);
    expect(await seqsOf('?limit=200')).to.eql([1, 2, 3]);
  });

  it('answers an empty list for a conversation without messages', async () => {
    const res = await history('').expect(200);
    expect(res.body).to.eql({items: []});
  });

  it('rejects before and after together with 422', async () => {
    const res = await history('?before=5&after=1');
    expectInvalid(res, /before/, 'INVALID_FIELD');
    expect(res.body.error.message).to.match(/after/);
  });

  const FIELD = 'INVALID_FIELD';
  const PARAM = 'INVALID_PARAMETER_VALUE';
  const invalid: [string, string, string][] = [
    ['limit=0', 'limit', FIELD],
    ['limit=201', 'limit', FIELD],
    ['limit=-1', 'limit', FIELD],
    ['limit=abc', 'limit', PARAM],
    ['limit=1.5', 'limit', PARAM],
    ['before=abc', 'before', PARAM],
    ['before=-1', 'before', PARAM],
    ['after=-1', 'after', PARAM],
    ['after=1.5', 'after', PARAM],
  ];
  for (const [query, name, code] of invalid) {
    it(`rejects ${query} with 422 naming ${name}`, async () => {
      const res = await history(`?${query}`);
      expectInvalid(res, new RegExp(name), code);
    });
  }

  it('answers 404 to a non-member', async () => {
    const stranger = await givenUser();
    const res = await history('', stranger);
    expect(res.status).to.equal(404);
    expect(res.body).to.eql(notFoundBody('Conversation'));
  });
});

describe('GET /conversations/{id}/messages with maxPageSize 5', () => {
  const testApp = givenChatSuite({limits: {maxPageSize: 5}});
  const client = testApp.client;
  let owner: TestUser;
  let conversationId: string;

  beforeEach(async () => {
    owner = await givenUser();
    conversationId = (await givenGroup(client, owner)).id;
    await givenMessages(client, owner, conversationId, 7);
  });

  function history(query: string) {
    return client
      .get(`/conversations/${conversationId}/messages${query}`)
      .set('Authorization', owner.auth);
  }

  it('accepts a limit equal to the maximum', async () => {
    const res = await history('?limit=5').expect(200);
    expect(res.body.items).to.have.length(5);
  });

  it('rejects a limit above the maximum with 422 naming limit', async () => {
    expectInvalid(await history('?limit=6'), /limit/, 'INVALID_FIELD');
  });

  it('caps the default page at the maximum', async () => {
    const res = await history('').expect(200);
    expect(res.body.items.map((m: {seq: number}) => m.seq)).to.eql([
      3, 4, 5, 6, 7,
    ]);
  });
});
