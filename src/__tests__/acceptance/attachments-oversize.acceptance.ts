import {expect} from '@loopback/testlab';
import http from 'node:http';
import {
  describeBackend,
  givenGroup,
  givenUsers,
  TestUser,
  givenChatSuite,
} from '../fixtures';

const MAX_BYTES = 64 * 1024;
// well over the limit, so the server refuses while the client still sends
const BODY_BYTES = 32 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'x');

/** What a raw client read back: the status and the body, or the error. */
interface Outcome {
  status?: number;
  body?: string;
  error?: string;
}

/**
 * Streams a multipart upload of `BODY_BYTES` in chunks, as a browser or
 * `curl` would, declaring its length or chunked, and reads the answer.
 */
function oversizeUpload(
  url: URL,
  auth: string,
  declareLength: boolean,
): Promise<Outcome> {
  const boundary = 'oversize-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; ` +
      `filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const total = head.length + BODY_BYTES + tail.length;
  return new Promise(resolve => {
    const req = http.request(url, {
      method: 'POST',
      agent: false,
      headers: {
        Authorization: auth,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        ...(declareLength ? {'Content-Length': String(total)} : {}),
      },
    });
    req.on('response', res => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          body: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', err => resolve({error: String(err)}));
    });
    req.on('error', err => resolve({error: String(err)}));
    let sent = 0;
    const write = () => {
      if (req.destroyed) return;
      if (sent === 0) req.write(head);
      while (sent < BODY_BYTES) {
        sent += CHUNK.length;
        if (!req.write(CHUNK)) {
          req.once('drain', write);
          return;
        }
      }
      req.end(tail);
    };
    write();
  });
}

// issue #13: under concurrency some oversize uploads saw the connection
// reset before they could read the 413. Every client reads it.
describe(`oversize uploads under concurrency (${describeBackend()})`, () => {
  const testApp = givenChatSuite(
    {
      attachments: {maxBytes: MAX_BYTES},
    },
    {attachments: true},
  );
  let user: TestUser;
  let url: URL;
  beforeEach(async () => {
    [user] = await givenUsers(1);
    const {id} = await givenGroup(testApp.client, user);
    url = new URL(
      `/conversations/${id}/attachments`,
      testApp.app.restServer.url,
    );
  });

  for (const declareLength of [true, false]) {
    const how = declareLength ? 'with Content-Length' : 'chunked';
    it(`answers every one of 8 concurrent uploads 413 (${how})`, async () => {
      for (let round = 0; round < 3; round++) {
        const outcomes = await Promise.all(
          Array.from({length: 8}, () =>
            oversizeUpload(url, user.auth, declareLength),
          ),
        );
        for (const outcome of outcomes) {
          expect(outcome.error).to.be.undefined();
          expect(outcome.status).to.equal(413);
          expect(JSON.parse(outcome.body!).error).to.containDeep({
            statusCode: 413,
            code: 'ATTACHMENT_TOO_LARGE',
          });
        }
      }
    });
  }
});
