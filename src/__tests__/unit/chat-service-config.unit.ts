import {expect} from '@loopback/testlab';
import path from 'node:path';
import {
  ChatServiceConfig,
  DEFAULT_ALLOWED_CONTENT_TYPES,
  DEFAULT_CHAT_SERVICE_CONFIG,
  resolveChatServiceConfig,
} from '../..';

describe('resolveChatServiceConfig (unit)', () => {
  it('answers the defaults for an empty or missing config', () => {
    expect(resolveChatServiceConfig()).to.eql(DEFAULT_CHAT_SERVICE_CONFIG);
    expect(resolveChatServiceConfig({})).to.eql(DEFAULT_CHAT_SERVICE_CONFIG);
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_CHAT_SERVICE_CONFIG).to.eql({
      orm: 'juggler',
      datasourceName: 'chatDb',
      authentication: {jwt: {}},
      database: {preparedStatements: true, retryAfterSeconds: 5},
      limits: {
        defaultPageSize: 50,
        maxPageSize: 200,
        maxMessageLength: 10000,
        maxMembersPerRequest: 1000,
        maxUnreadConversations: 500,
        maxJsonDepth: 64,
      },
      realtime: {
        eventBus: 'memory',
        eventRetentionDays: 7,
        pruneIntervalSeconds: 3600,
        heartbeatSeconds: 15,
        catchUpSeconds: 5,
        maxQueuedEvents: 1000,
        maxBufferedBytes: 1048576,
        maxStreamsPerUser: 20,
        typingIntervalMs: 2000,
        redisKeyPrefix: 'chat-service:',
      },
      attachments: {
        directory: path.resolve('.chat-attachments'),
        maxBytes: 26214400,
        allowedContentTypes: [...DEFAULT_ALLOWED_CONTENT_TYPES],
      },
    });
  });

  it('merges the attachment settings without sharing the defaults', () => {
    const resolved = resolveChatServiceConfig({
      attachments: {maxBytes: 1024, directory: undefined},
    });
    expect(resolved.attachments).to.eql({
      ...DEFAULT_CHAT_SERVICE_CONFIG.attachments,
      maxBytes: 1024,
    });
    resolved.attachments.allowedContentTypes.push('*/*');
    expect(
      DEFAULT_CHAT_SERVICE_CONFIG.attachments.allowedContentTypes,
    ).to.not.containEql('*/*');
    const custom = resolveChatServiceConfig({
      attachments: {allowedContentTypes: ['image/png']},
    });
    expect(custom.attachments.allowedContentTypes).to.eql(['image/png']);
  });

  it("maps sourceloop's useSequelize to the orm", () => {
    expect(resolveChatServiceConfig({useSequelize: true}).orm).to.equal(
      'sequelize',
    );
    expect(resolveChatServiceConfig({useSequelize: false}).orm).to.equal(
      'juggler',
    );
    expect(resolveChatServiceConfig({orm: 'sequelize'}).orm).to.equal(
      'sequelize',
    );
  });

  it('lets an explicit orm win over useSequelize', () => {
    const config = {orm: 'juggler', useSequelize: true} as const;
    expect(resolveChatServiceConfig(config).orm).to.equal('juggler');
  });

  it('merges nested limits over the defaults', () => {
    const resolved = resolveChatServiceConfig({limits: {maxPageSize: 500}});
    expect(resolved.limits).to.eql({
      ...DEFAULT_CHAT_SERVICE_CONFIG.limits,
      maxPageSize: 500,
    });
  });

  it('merges the jwt settings and keeps the datasource name', () => {
    const resolved = resolveChatServiceConfig({
      datasourceName: 'mainDb',
      authentication: {jwt: {issuer: 'auth-service', clockToleranceSeconds: 5}},
    });
    expect(resolved).to.eql({
      ...DEFAULT_CHAT_SERVICE_CONFIG,
      datasourceName: 'mainDb',
      authentication: {
        jwt: {issuer: 'auth-service', clockToleranceSeconds: 5},
      },
    });
  });

  it('treats fields set to undefined as unset', () => {
    const config: ChatServiceConfig = {
      orm: undefined,
      datasourceName: undefined,
      limits: {maxPageSize: undefined, defaultPageSize: 20},
    };
    const resolved = resolveChatServiceConfig(config);
    expect(resolved.orm).to.equal('juggler');
    expect(resolved.datasourceName).to.equal('chatDb');
    expect(resolved.limits).to.eql({
      ...DEFAULT_CHAT_SERVICE_CONFIG.limits,
      defaultPageSize: 20,
    });
  });

  it('never shares or changes the defaults object', () => {
    const resolved = resolveChatServiceConfig({});
    resolved.limits.maxPageSize = 1;
    resolved.authentication.jwt.secret = 'changed';
    expect(DEFAULT_CHAT_SERVICE_CONFIG.limits.maxPageSize).to.equal(200);
    expect(DEFAULT_CHAT_SERVICE_CONFIG.authentication.jwt).to.eql({});
  });
});
