import {expect} from '@loopback/testlab';
import {randomUUID} from 'node:crypto';
import {attachmentQueries, ChatServiceBindings, SqlRunner} from '../..';
import {givenChatSuite, describeOn} from '../fixtures';

// The attachment lists are served by indexes: with sequential scans
// disabled, PostgreSQL's plan names the index and needs no sort.
describeOn('postgres', 'attachment indexes', () => {
  const testApp = givenChatSuite();

  /** The plan of the statement `run` makes, with sequential scans off. */
  async function plan(run: (q: SqlRunner) => Promise<unknown>) {
    const db = await testApp.app.get(ChatServiceBindings.DATABASE);
    return db.transaction(async tx => {
      await tx.query('SET LOCAL enable_seqscan = off');
      const plans: string[] = [];
      const explaining: SqlRunner = {
        dialect: tx.dialect,
        query: async <T extends object>(sql: string, params?: unknown[]) => {
          const rows = await tx.query(`EXPLAIN ${sql}`, params);
          plans.push(rows.map(r => String(r['QUERY PLAN'])).join('\n'));
          return [] as T[];
        },
      };
      await run(explaining);
      return plans.join('\n');
    });
  }

  it('pages the download audit in keyset order from its index', async () => {
    const text = await plan(q =>
      attachmentQueries.listDownloads(q, randomUUID(), {
        limit: 50,
        after: {downloadedAt: new Date(), id: randomUUID()},
      }),
    );
    expect(text).to.match(/chat_attachment_downloads_attachment_idx/);
    expect(text).to.not.match(/\bSort\b/);
  });

  it("finds a page's attachments by message id from an index", async () => {
    const text = await plan(q =>
      attachmentQueries.listForMessages(q, [randomUUID(), randomUUID()]),
    );
    expect(text).to.match(/chat_attachments_message_idx/);
  });
});
