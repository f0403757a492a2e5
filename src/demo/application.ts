import {ApplicationConfig} from '@loopback/core';
import {juggler, RepositoryMixin, RepositoryTags} from '@loopback/repository';
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
import {ChatDataSource} from '../repositories';
import {
  ChatOrm,
  ChatServiceConfig,
  DEFAULT_CHAT_SERVICE_CONFIG,
} from '../types';
import {closeChatDataSource, createChatDataSource} from '../datasource';
import {mountDemoPage} from './demo-page';
import {HealthController} from './health.controller';

/** Settings of the demo host application. */
export interface DemoSettings {
  /** `postgres://…`, or `mysql://…` for MySQL / MariaDB. */
  databaseUrl: string;
  orm?: ChatOrm;
  /**
   * `memory` (one process), `postgres` (LISTEN/NOTIFY across instances) or
   * `redis` (publish/subscribe across instances, at `redisUrl`).
   */
  eventBus?: 'memory' | 'postgres' | 'redis';
  /** The Redis of the `redis` bus (`realtime.redisUrl`). */
  redisUrl?: string;
  jwtSecret: string;
  jwtIssuer?: string;
  /** Most pooled database connections (the driver's default: 10). */
  poolSize?: number;
  /** Directory of the attachment files (`attachments.directory`). */
  attachmentsDirectory?: string;
  /** Largest attachment upload in bytes (`attachments.maxBytes`). */
  attachmentMaxBytes?: number;
  /** `database.preparedStatements` of the chat configuration (default true). */
  preparedStatements?: boolean;
  /** Connect to the database on first use only (the OpenAPI generator). */
  lazyConnect?: boolean;
}

/** Largest JSON request body; larger ones are answered 413. */
export const DEMO_JSON_LIMIT = '1mb';

/**
 * A host application as a platform team would write it: its datasource,
 * the chat configuration, the chat component, the API explorer at
 * `/explorer`, an unauthenticated `GET /health` (503 while the database or
 * the event bus is down; see health.controller.ts), and the demo chat page
 * at `/` (see demo-page.ts).
 */
export class DemoApplication extends RepositoryMixin(RestApplication) {
  readonly chatDataSource: ChatDataSource;

  constructor(settings: DemoSettings, options: ApplicationConfig = {}) {
    super({
      ...options,
      rest: {
        ...options.rest,
        requestBodyParser: {json: {limit: DEMO_JSON_LIMIT}},
      },
    });
    const name = DEFAULT_CHAT_SERVICE_CONFIG.datasourceName;
    // juggler or @loopback/sequelize, for PostgreSQL or MySQL
    this.chatDataSource = createChatDataSource({
      name,
      url: settings.databaseUrl,
      orm: settings.orm ?? DEFAULT_CHAT_SERVICE_CONFIG.orm,
      poolSize: settings.poolSize,
      lazyConnect: settings.lazyConnect,
      // errors of idle pooled connections (the pool drops them)
      onError: logDatabaseError,
    });
    if (this.chatDataSource instanceof juggler.DataSource) {
      // a failed connect is retried on the next request; without a
      // listener it would end the process
      this.chatDataSource.on('error', logDatabaseError);
    }
    // `datasources.chatDb`, where the component expects it
    this.bind(`datasources.${name}`)
      .to(this.chatDataSource)
      .tag(RepositoryTags.DATASOURCE);

    const config: ChatServiceConfig = {
      orm: settings.orm,
      database: {preparedStatements: settings.preparedStatements},
      realtime: {eventBus: settings.eventBus, redisUrl: settings.redisUrl},
      attachments: {
        directory: settings.attachmentsDirectory,
        maxBytes: settings.attachmentMaxBytes,
      },
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
    this.controller(HealthController);
    // the chat page at `/`, with the demo users' tokens (demo only)
    mountDemoPage(this, settings);
    // the connections close once everything else stopped: the sequencer
    // and presence still query while they stop, and on a closed pool such
    // a query can wait forever (an observer that closed them would stop
    // before the component's, which are in the group stopped last)
    const stopObservers = this.stop.bind(this);
    this.stop = async () => {
      await stopObservers();
      await closeChatDataSource(this.chatDataSource);
    };
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
