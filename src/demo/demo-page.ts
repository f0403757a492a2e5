import {RestApplication} from '@loopback/rest';
import path from 'path';
import {DEMO_USERS, signDemoToken} from './tokens';

/** What the demo page's token route signs with. */
export interface DemoTokenSettings {
  jwtSecret: string;
  jwtIssuer?: string;
}

/** `GET /demo/tokens`: the demo users and a fresh token for each. */
export interface DemoTokens {
  users: Array<{id: string; name: string; token: string}>;
}

const TOKENS_SPEC = {
  // a convenience of this local demo, not part of the component's API
  'x-visibility': 'undocumented',
  operationId: 'demoTokens',
  responses: {'200': {description: 'The demo users with their tokens.'}},
};

/**
 * Mounts the demo chat page at `/` (dist/demo/page), the ES-module build of
 * the client it imports at `/client/` (dist/client/esm), and the route it
 * gets the demo users' tokens from. That route needs no token: anyone who
 * can reach the demo can act as its two users. It is registered by the demo
 * application only, never by the component.
 */
export function mountDemoPage(
  app: RestApplication,
  settings: DemoTokenSettings,
): void {
  app.static('/', path.join(__dirname, 'page'));
  app.static('/client', path.join(__dirname, '..', 'client', 'esm'));
  app.route('get', '/demo/tokens', TOKENS_SPEC, () => demoTokens(settings));
}

export async function demoTokens(
  settings: DemoTokenSettings,
): Promise<DemoTokens> {
  const users = await Promise.all(
    DEMO_USERS.map(async user => ({
      ...user,
      token: await signDemoToken(user, {
        secret: settings.jwtSecret,
        issuer: settings.jwtIssuer,
      }),
    })),
  );
  return {users};
}
