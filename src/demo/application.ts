import {ApplicationConfig} from '@loopback/core';
import {juggler, RepositoryMixin} from '@loopback/repository';
import {RestApplication} from '@loopback/rest';
import {
  RestExplorerBindings,
  RestExplorerComponent,
} from '@loopback/rest-explorer';
import fs from 'fs';
import path from 'path';
import {ChatServiceComponent} from '../component';
import {packageRoot} from '../migrate/connection';
import {ChatServiceBindings} from '../keys';
import {
  ChatOrm,
  ChatServiceConfig,
  DEFAULT_CHAT_SERVICE_CONFIG,
} from '../types';

/** Settings of the demo host application. */
export interface DemoSettings {
  /** `postgres://…` (or `mysql://…` once the MySQL connector is installed). */
  databaseUrl: string;
  orm?: ChatOrm;
  jwtSecret: string;
  jwtIssuer?: string;
  /** Connect to the database on first use only (the OpenAPI generator). */
  lazyConnect?: boolean;
}

/** Largest JSON request body; larger ones are answered 413. */
export const DEMO_JSON_LIMIT = '1mb';

const HEALTH_SPEC = {
  operationId: 'health',
  summary: 'Readiness probe; needs no token.',
  tags: ['Health'],
  responses: {
    '200': {
      description: 'The application is ready.',
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: {status: {type: 'string', enum: ['ok']}},
          },
        },
      },
    },
  },
};

/**
 * A host application as a platform team would write it: its datasource,
 * the chat configuration, the chat component, the API explorer at
 * `/explorer` and an unauthenticated `GET /health`.
 */
export class DemoApplication extends RepositoryMixin(RestApplication) {
  readonly chatDataSource: juggler.DataSource;

  constructor(settings: DemoSettings, options: ApplicationConfig = {}) {
    super({
      ...options,
      rest: {
        ...options.rest,
        requestBodyParser: {json: {limit: DEMO_JSON_LIMIT}},
      },
    });
    const name = DEFAULT_CHAT_SERVICE_CONFIG.datasourceName;
    this.chatDataSource = new juggler.DataSource({
      name,
      connector: /^mysql/i.test(settings.databaseUrl) ? 'mysql' : 'postgresql',
      url: settings.databaseUrl,
      lazyConnect: settings.lazyConnect ?? false,
      // errors of idle pooled connections (the pool drops them)
      onError: logDatabaseError,
    });
    // a failed connect is retried on the next request; without a listener
    // it would end the process
    this.chatDataSource.on('error', logDatabaseError);
    // binds `datasources.chatDb`, where the component expects it
    this.dataSource(this.chatDataSource, name);

    const config: ChatServiceConfig = {
      orm: settings.orm,
      authentication: {
        jwt: {secret: settings.jwtSecret, issuer: settings.jwtIssuer},
      },
    };
    this.bind(ChatServiceBindings.CONFIG).to(config);
    this.component(ChatServiceComponent);

    this.configure(RestExplorerBindings.COMPONENT).to({path: '/explorer'});
    this.component(RestExplorerComponent);

    this.api({
      openapi: '3.0.0',
      info: {
        title: 'loopback4-chat-service',
        version: packageVersion(),
        description:
          'Chat for LoopBack 4 applications: conversations, members, ' +
          'messages and read state. Send `Authorization: Bearer <JWT>`.',
      },
      paths: {},
    });
    this.route('get', '/health', HEALTH_SPEC, () => ({status: 'ok'}));
    // the servers stop first (last started), then the connections close
    this.onStop(() => this.chatDataSource.disconnect());
  }
}

function logDatabaseError(err: Error & {code?: string}) {
  // 57P01: the server is shutting down, as when the demo stops
  if (err.code !== '57P01') console.error(`Database error: ${err.message}`);
}

function packageVersion(): string {
  const file = path.join(packageRoot(), 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as {version: string})
    .version;
}
