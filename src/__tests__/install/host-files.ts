// The scratch host of the pack-and-install test: a LoopBack 4 application
// written from README's "Install in your application" section (PostgreSQL
// with the juggler repositories), and the README commands it is installed
// with.
import fs from 'fs';
import path from 'path';

/** README's section for hosts, up to the next `## ` heading. */
export function installSection(readme: string): string {
  const start = readme.indexOf('\n## Install in your application');
  if (start < 0)
    throw new Error('README has no "Install in your application".');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/**
 * The packages of README's `npm install` line that includes `marker`, as
 * the arguments of that command (the package's own name included).
 */
export function readmeInstallArgs(section: string, marker: string): string[] {
  const line = section
    .split('\n')
    .find(l => l.startsWith('npm install ') && l.split(/\s+/).includes(marker));
  if (!line) throw new Error(`README has no "npm install … ${marker}" line.`);
  return line
    .replace(/#.*$/, '')
    .trim()
    .split(/\s+/)
    .slice(2)
    .filter(arg => !arg.startsWith('-'));
}

const APPLICATION_TS = `import {RestApplication} from '@loopback/rest';
import {
  ChatServiceBindings,
  ChatServiceComponent,
  createChatDataSource,
} from 'loopback4-chat-service';

export class MyApplication extends RestApplication {
  constructor(options: {rest?: {port?: number; host?: string}} = {}) {
    super(options);
    this.bind('datasources.chatDb').to(
      createChatDataSource({
        name: 'chatDb',
        url: process.env.DATABASE_URL!,
        orm: 'juggler',
      }),
    );
    this.bind(ChatServiceBindings.CONFIG).to({
      authentication: {jwt: {issuer: 'https://auth.example.com'}},
    });
    this.component(ChatServiceComponent);
  }
}
`;

const INDEX_TS = `import {MyApplication} from './application';

async function main() {
  const app = new MyApplication({rest: {port: 0, host: '127.0.0.1'}});
  await app.start();
  console.log(\`listening on \${app.restServer.url}\`);
  const stop = () => app.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
`;

/** A strict compile, library declarations checked too. */
const TSCONFIG = {
  compilerOptions: {
    target: 'es2022',
    module: 'commonjs',
    moduleResolution: 'node',
    strict: true,
    esModuleInterop: true,
    skipLibCheck: false,
    outDir: 'dist',
    rootDir: 'src',
  },
  include: ['src'],
};

/** Writes the host's package.json, tsconfig.json and sources into `dir`. */
export function writeHost(dir: string): void {
  fs.mkdirSync(path.join(dir, 'src'), {recursive: true});
  const pkg = {name: 'chat-host', version: '1.0.0', private: true};
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  fs.writeFileSync(path.join(dir, 'src', 'application.ts'), APPLICATION_TS);
  fs.writeFileSync(path.join(dir, 'src', 'index.ts'), INDEX_TS);
}
