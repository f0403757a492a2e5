import {expect} from '@loopback/testlab';
import {resolveChatServiceConfig} from '../../config';
import {redisBusSettings, RedisEventBus} from '../../realtime';
import {ChatRealtimeConfig} from '../../types';

function settingsOf(realtime: ChatRealtimeConfig) {
  const config = resolveChatServiceConfig({
    realtime: {eventBus: 'redis', ...realtime},
  });
  return redisBusSettings(config.realtime);
}

/** What `fn` throws. */
function thrownBy(fn: () => unknown): Error & {code?: string; field?: string} {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('nothing was thrown');
}

describe('redisBusSettings (unit)', () => {
  it('names the channels after the default key prefix', () => {
    expect(settingsOf({redisUrl: 'redis://127.0.0.1:6379'})).to.eql({
      url: 'redis://127.0.0.1:6379',
      safeUrl: 'redis://127.0.0.1:6379',
      eventsChannel: 'chat-service:events',
      ephemeralChannel: 'chat-service:ephemeral',
    });
  });

  it('names the channels after redisKeyPrefix, and keeps credentials out of safeUrl', () => {
    const settings = settingsOf({
      redisUrl: 'rediss://bus:s3cret@redis.internal:6380/2',
      redisKeyPrefix: 'tenant-a/',
    });
    expect(settings).to.containDeep({
      url: 'rediss://bus:s3cret@redis.internal:6380/2',
      eventsChannel: 'tenant-a/events',
      ephemeralChannel: 'tenant-a/ephemeral',
    });
    expect(settings.safeUrl).to.equal('rediss://redis.internal:6380/2');
  });

  it('keeps a password given as a query parameter out of safeUrl', () => {
    const settings = settingsOf({
      redisUrl: 'redis://redis.internal:6379/0?password=s3cret&db=1',
      redisKeyPrefix: 'chat-service:',
    });
    expect(settings.safeUrl).to.equal('redis://redis.internal:6379/0');
  });

  for (const redisUrl of [undefined, '', '  ']) {
    it(`refuses redisUrl ${JSON.stringify(redisUrl)}, naming the field`, () => {
      const error = thrownBy(() => settingsOf({redisUrl}));
      expect(error).to.containDeep({
        code: 'CHAT_CONFIG_INVALID',
        field: 'realtime.redisUrl',
      });
      expect(error.message).to.match(
        /realtime.eventBus 'redis' needs realtime.redisUrl/,
      );
    });
  }

  for (const redisUrl of ['127.0.0.1:6379', 'http://cache:6379', 'not a url']) {
    it(`refuses redisUrl "${redisUrl}" that is not a redis:// URL`, () => {
      const error = thrownBy(() => settingsOf({redisUrl}));
      expect(error).to.containDeep({
        code: 'CHAT_CONFIG_INVALID',
        field: 'realtime.redisUrl',
      });
      expect(error.message).to.match(/redis:\/\/ or rediss:\/\//);
    });
  }

  it('refuses a redisKeyPrefix that is not a string', () => {
    const error = thrownBy(() =>
      settingsOf({
        redisUrl: 'redis://127.0.0.1:6379',
        redisKeyPrefix: 5 as unknown as string,
      }),
    );
    expect(error).to.containDeep({
      code: 'CHAT_CONFIG_INVALID',
      field: 'realtime.redisKeyPrefix',
    });
  });

  it('makes the bus refuse to be created without a redisUrl', () => {
    const config = resolveChatServiceConfig({realtime: {eventBus: 'redis'}});
    const error = thrownBy(() => new RedisEventBus(config));
    expect(error).to.containDeep({
      code: 'CHAT_CONFIG_INVALID',
      field: 'realtime.redisUrl',
    });
  });
});
