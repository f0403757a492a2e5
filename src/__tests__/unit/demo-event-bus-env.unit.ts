import {expect} from '@loopback/testlab';
import {eventBusFromEnv} from '../../demo/env';

describe('the demo event bus from its environment (unit)', () => {
  it('leaves the default bus when CHAT_EVENT_BUS is unset', () => {
    expect(eventBusFromEnv({})).to.eql({});
    expect(eventBusFromEnv({REDIS_URL: 'redis://127.0.0.1:6379'})).to.eql({});
  });

  it('takes memory and postgres as they are', () => {
    expect(eventBusFromEnv({CHAT_EVENT_BUS: 'memory'})).to.eql({
      eventBus: 'memory',
    });
    expect(eventBusFromEnv({CHAT_EVENT_BUS: 'postgres'})).to.eql({
      eventBus: 'postgres',
    });
  });

  it('takes redis with REDIS_URL', () => {
    expect(
      eventBusFromEnv({
        CHAT_EVENT_BUS: 'redis',
        REDIS_URL: 'redis://cache:6379/1',
      }),
    ).to.eql({eventBus: 'redis', redisUrl: 'redis://cache:6379/1'});
  });

  it('refuses redis without REDIS_URL, naming it', () => {
    for (const REDIS_URL of [undefined, '']) {
      expect(() =>
        eventBusFromEnv({CHAT_EVENT_BUS: 'redis', REDIS_URL}),
      ).to.throw(/CHAT_EVENT_BUS=redis needs REDIS_URL/);
    }
  });

  it('refuses another bus, listing the three', () => {
    expect(() => eventBusFromEnv({CHAT_EVENT_BUS: 'kafka'})).to.throw(
      'CHAT_EVENT_BUS must be memory, postgres or redis, got "kafka".',
    );
  });
});
