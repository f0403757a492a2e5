// `npm run openapi-spec`: writes the OpenAPI document of the component, as
// mounted in the demo application, to the file named by the first argument.
import fs from 'fs';
import {DemoApplication} from './application';

// The database is never contacted: the datasource connects lazily.
const OFFLINE_DATABASE_URL = 'postgres://openapi@127.0.0.1:1/openapi';

/**
 * The application's OpenAPI document as stable JSON text: keys sorted (so
 * the output does not depend on registration order), no `servers` entry,
 * two-space indent and a trailing newline.
 */
export async function generateOpenApiSpec(): Promise<string> {
  const app = new DemoApplication({
    databaseUrl: OFFLINE_DATABASE_URL,
    jwtSecret: 'unused-by-the-spec',
    lazyConnect: true,
  });
  const spec = await app.restServer.getApiSpec();
  delete (spec as {servers?: unknown}).servers;
  return `${JSON.stringify(sortKeys(spec), null, 2)}\n`;
}

const TOP_LEVEL = ['openapi', 'info', 'paths', 'components', 'tags'];

function sortKeys(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) return value.map(v => sortKeys(v, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const rank = (key: string) => {
    const i = depth === 0 ? TOP_LEVEL.indexOf(key) : -1;
    return i < 0 ? TOP_LEVEL.length : i;
  };
  const keys = Object.keys(value).sort(
    (a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v, depth + 1);
  }
  return out;
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('Usage: node dist/demo/openapi-spec.js <output.json>');
    process.exit(2);
  }
  generateOpenApiSpec().then(
    text => {
      fs.writeFileSync(file, text);
      console.log(`Wrote the OpenAPI spec to ${file}`);
    },
    err => {
      console.error(
        `Could not generate the OpenAPI spec: ${err?.stack ?? err}`,
      );
      process.exit(1);
    },
  );
}
