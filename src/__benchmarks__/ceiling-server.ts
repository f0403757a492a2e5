// Child process of `npm run bench`: the framework ceiling. A bare LoopBack
// RestApplication with one route that verifies the same HS256 bearer token
// (jose) and answers constant JSON: what LoopBack plus the token check cost,
// with no database. Environment: JWT_SECRET.
import {inject} from '@loopback/core';
import {
  get,
  HttpErrors,
  Request,
  RestApplication,
  RestBindings,
} from '@loopback/rest';
import {jwtVerify} from 'jose';
import {createSecretKey} from 'node:crypto';
import {serveUntilStopped} from './processes';

const key = createSecretKey(Buffer.from(process.env.JWT_SECRET!, 'utf8'));

export class CeilingController {
  constructor(@inject(RestBindings.Http.REQUEST) private request: Request) {}

  @get('/ceiling', {
    responses: {'200': {description: 'Constant JSON once the token verifies.'}},
  })
  async ceiling(): Promise<object> {
    const header = this.request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    try {
      await jwtVerify(token, key, {
        algorithms: ['HS256'],
        requiredClaims: ['exp'],
      });
      return {ok: true};
    } catch {
      throw new HttpErrors.Unauthorized('invalid token');
    }
  }
}

async function main() {
  const app = new RestApplication({
    rest: {port: 0, host: '127.0.0.1', gracePeriodForClose: 1000},
    shutdown: {signals: []},
  });
  app.controller(CeilingController);
  await app.start();
  serveUntilStopped(app.restServer.url!, () => app.stop());
}

main().catch(err => {
  console.error(`bench ceiling server: ${err?.stack ?? err}`);
  process.exit(1);
});
