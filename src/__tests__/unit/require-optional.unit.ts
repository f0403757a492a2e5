import {expect} from '@loopback/testlab';
import fs from 'fs';
import os from 'os';
import path from 'path';
import {requireOptional} from '../../require-optional';

describe('requireOptional (unit)', () => {
  let dir: string | undefined;

  afterEach(() => {
    if (dir) fs.rmSync(dir, {recursive: true, force: true});
    dir = undefined;
  });

  it('loads an installed package', () => {
    const pg = requireOptional<typeof import('pg')>('pg', 'PostgreSQL');
    expect(pg.Client).to.be.a.Function();
  });

  it('names a missing package, what needs it and the install command', () => {
    let thrown: (Error & {code?: string; packageName?: string}) | undefined;
    try {
      requireOptional('chat-no-such-package', "realtime.eventBus 'postgres'");
    } catch (err) {
      thrown = err;
    }
    expect(thrown?.message).to.equal(
      "loopback4-chat-service: realtime.eventBus 'postgres' needs the package " +
        '"chat-no-such-package", which is not installed. Install it in your ' +
        'application: npm install chat-no-such-package',
    );
    expect(thrown).to.containDeep({
      code: 'CHAT_PACKAGE_MISSING',
      packageName: 'chat-no-such-package',
    });
  });

  it('lets through the error of a package that is there but fails to load', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-optional-'));
    const broken = path.join(dir, 'broken.js');
    fs.writeFileSync(broken, "require('chat-no-such-dependency');\n");
    expect(() => requireOptional(broken, 'Testing')).to.throw(
      /Cannot find module 'chat-no-such-dependency'/,
    );
  });
});
