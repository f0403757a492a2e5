import {inject} from '@loopback/core';
import {get, Response, RestBindings} from '@loopback/rest';
import {ChatServiceBindings} from '../keys';
import {
  ChatHealthReport,
  ChatHealthService,
  ChatShutdownService,
} from '../realtime';
import {ResolvedChatServiceConfig} from '../types';

const PART = {
  type: 'object',
  properties: {
    status: {type: 'string', enum: ['up', 'down']},
    error: {type: 'string'},
  },
};

const REPORT = {
  'application/json': {
    schema: {
      type: 'object',
      properties: {
        status: {type: 'string', enum: ['ok', 'unavailable', 'draining']},
        draining: {type: 'boolean'},
        database: {
          ...PART,
          properties: {...PART.properties, responseMs: {type: 'number'}},
        },
        eventBus: {
          ...PART,
          properties: {
            ...PART.properties,
            type: {type: 'string'},
            since: {type: 'string', format: 'date-time'},
            attempts: {type: 'integer'},
          },
        },
      },
    },
  },
};

/**
 * The demo's readiness probe, `GET /health` without a token: 200 with the
 * report when the database and the event bus are up, 503 with
 * `Retry-After` and the report naming what is down otherwise, or saying
 * `draining` while the instance shuts down.
 */
export class HealthController {
  constructor(
    @inject(ChatServiceBindings.HEALTH) private service: ChatHealthService,
    @inject(RestBindings.Http.RESPONSE) private response: Response,
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    private config: ResolvedChatServiceConfig,
    @inject(ChatServiceBindings.SHUTDOWN)
    private shutdown: ChatShutdownService,
  ) {}

  @get('/health', {
    operationId: 'health',
    summary: 'Readiness probe; needs no token.',
    tags: ['Health'],
    responses: {
      '200': {
        description: 'The database and the event bus are up.',
        content: REPORT,
      },
      '503': {
        description:
          'The database or the event bus is down, or the instance is ' +
          'shutting down (`draining`; see the body); `Retry-After` says ' +
          'when to ask again.',
        content: REPORT,
      },
    },
  })
  async health(): Promise<ChatHealthReport> {
    const report = await this.service.check();
    if (report.status !== 'ok') {
      this.response.status(503);
      // as the component's routes answer while the database is down, or
      // refuse new event streams while draining
      const seconds = report.draining
        ? this.shutdown.retryAfterSeconds
        : this.config.database.retryAfterSeconds;
      this.response.setHeader('Retry-After', String(seconds));
    }
    return report;
  }
}
