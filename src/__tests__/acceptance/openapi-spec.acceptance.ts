import {expect} from '@loopback/testlab';
import fs from 'fs';
import path from 'path';
import {generateOpenApiSpec} from '../../demo/openapi-spec';

describe('openapi.json (acceptance)', () => {
  it('is what the code generates (run `npm run openapi-spec` when not)', async () => {
    const checkedIn = fs.readFileSync(
      path.resolve(__dirname, '../../../openapi.json'),
      'utf8',
    );
    expect(checkedIn).to.equal(await generateOpenApiSpec());
  });

  it('documents every operation with bearer security and error bodies', async () => {
    const spec = JSON.parse(await generateOpenApiSpec());
    expect(spec.components.securitySchemes.chatBearer).to.eql({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    const operations = Object.entries(spec.paths).flatMap(([p, item]) =>
      Object.entries(item as object).map(([verb, op]) => ({p, verb, op})),
    );
    const chat = operations.filter(o => o.op['x-chat-service'] === true);
    expect(chat.length).to.be.greaterThanOrEqual(16);
    for (const {op} of chat) {
      expect(op.security).to.eql([{chatBearer: []}]);
      expect(Object.keys(op.responses)).to.containDeep(['401', '422']);
    }
  });
});
