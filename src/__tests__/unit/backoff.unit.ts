import {expect} from '@loopback/testlab';
import {
  BACKOFF_FIRST_MS,
  BACKOFF_MAX_MS,
  backoffDelay,
} from '../../realtime/backoff';

describe('backoffDelay (unit)', () => {
  it('doubles from the first delay up to the cap, each between half and all of it', () => {
    for (let attempt = 1; attempt <= 40; attempt++) {
      const full = Math.min(
        BACKOFF_MAX_MS,
        BACKOFF_FIRST_MS * 2 ** (attempt - 1),
      );
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(attempt);
        expect(delay).to.be.within(full / 2, full);
      }
    }
  });

  it('spreads the delays of instances retrying together', () => {
    const delays = new Set(Array.from({length: 20}, () => backoffDelay(10)));
    expect(delays.size).to.be.greaterThan(1);
  });
});
