import {expect} from '@loopback/testlab';
import {execFileSync} from 'child_process';
import fs from 'fs';
import path from 'path';
import {packageRoot} from '../../migrate/connection';

// Loads the package the way a host does (by name, through package.json
// "exports"), each time in a fresh Node.js process.
describe('package entry points (integration)', () => {
  const root = packageRoot();
  const pkg = JSON.parse(
    fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
  );

  /** Runs `script` with node in the package root; answers its JSON output. */
  function inNode(script: string): unknown {
    const out = execFileSync(process.execPath, ['-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    return JSON.parse(out);
  }

  const loadedSequelize = `Object.keys(require.cache).filter(p =>
    /node_modules[\\\\/](sequelize|@loopback[\\\\/]sequelize)[\\\\/]/.test(p)).length > 0`;

  function componentScript(config: object) {
    return `
      const chat = require('loopback4-chat-service');
      const {Application} = require('@loopback/core');
      const app = new Application();
      app.bind(chat.ChatServiceBindings.CONFIG.key).to(${JSON.stringify(config)});
      app.component(chat.ChatServiceComponent);
      // the ORM's classes are picked when a repository is first resolved
      // (with no datasource bound, making one then fails)
      app
        .get(chat.ChatServiceBindings.MESSAGE_REPOSITORY)
        .catch(() => undefined)
        .then(() => console.log(JSON.stringify({sequelize: ${loadedSequelize}})));`;
  }

  it('does not load Sequelize for a juggler host', () => {
    expect(inNode(componentScript({orm: 'juggler'}))).to.eql({
      sequelize: false,
    });
  });

  it('loads Sequelize when the component is configured for it', () => {
    expect(inNode(componentScript({useSequelize: true}))).to.eql({
      sequelize: true,
    });
  });

  it('serves loopback4-chat-service/sequelize at run time', () => {
    const result = inNode(`
      const variant = require('loopback4-chat-service/sequelize');
      console.log(JSON.stringify({
        file: require.resolve('loopback4-chat-service/sequelize'),
        names: Object.keys(variant).filter(k => /Repository$/.test(k)).sort(),
        classNames: [variant.ConversationRepository.name],
      }));`);
    expect(result).to.eql({
      file: path.join(root, 'dist', 'sequelize.js'),
      names: [
        'AttachmentDownloadRepository',
        'AttachmentRepository',
        'ChatSequelizeRepository',
        'ConversationRepository',
        'EventRepository',
        'MemberRepository',
        'MessageRepository',
      ],
      classNames: ['ConversationRepository'],
    });
  });

  it('declares types that exist for every entry point', () => {
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      const {types, default: main} = target as {types: string; default: string};
      expect({subpath, types: fs.existsSync(path.join(root, types))}).to.eql({
        subpath,
        types: true,
      });
      expect(fs.existsSync(path.join(root, main))).to.be.true();
    }
    // TypeScript's older "node" resolution reads typesVersions instead
    const mapped = pkg.typesVersions['*'].sequelize[0];
    expect(fs.existsSync(path.join(root, mapped))).to.be.true();
  });
});
