import {SignJWT} from 'jose';

/** A user of the demo, with a fixed id so tokens stay valid across restarts. */
export interface DemoUser {
  id: string;
  name: string;
}

export const DEMO_USERS: DemoUser[] = [
  {id: '5a1ce000-0000-4000-8000-000000000001', name: 'alice'},
  {id: 'b0b00000-0000-4000-8000-000000000002', name: 'bob'},
];

/** Signs an HS256 bearer token for a demo user (`sub`, `name`, `exp`). */
export async function signDemoToken(
  user: DemoUser,
  options: {secret: string; issuer?: string; expiresIn?: string},
): Promise<string> {
  let jwt = new SignJWT({name: user.name})
    .setProtectedHeader({alg: 'HS256', typ: 'JWT'})
    .setSubject(user.id)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '24h');
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  return jwt.sign(new TextEncoder().encode(options.secret));
}
