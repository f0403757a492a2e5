import {expect} from '@loopback/testlab';
import {ChatEventView} from '../../realtime';
import {MembershipCache} from '../../realtime/membership-cache';

function added(id: number, conversationId: string, ...users: string[]) {
  return event(id, conversationId, 'member.added', {
    members: users.map(userId => ({userId, role: 'member'})),
  });
}

function removed(id: number, conversationId: string, userId: string) {
  return event(id, conversationId, 'member.removed', {userId});
}

function event(
  id: number | null,
  conversationId: string,
  type: string,
  payload: object = {},
): ChatEventView {
  return {...payload, id, type, conversationId, createdAt: new Date()};
}

describe('MembershipCache (unit)', () => {
  let cache: MembershipCache;
  beforeEach(() => {
    cache = new MembershipCache(3);
  });

  it('answers the members at an event id, both ends of a period included', () => {
    cache.set('c', [
      {userId: 'ann', from: 1, to: null},
      {userId: 'bob', from: 5, to: 9},
    ]);
    expect(cache.membersAt('c', 4)).to.eql(['ann']);
    expect(cache.membersAt('c', 5)).to.eql(['ann', 'bob']);
    expect(cache.membersAt('c', 9)).to.eql(['ann', 'bob']);
    expect(cache.membersAt('c', 10)).to.eql(['ann']);
    expect(cache.members('c')).to.eql(['ann']);
  });

  it('knows nobody in a conversation it has not loaded', () => {
    expect(cache.has('c')).to.be.false();
    expect(cache.membersAt('c', 1)).to.eql([]);
    expect(cache.members('c')).to.eql([]);
  });

  it('opens periods on member.added and closes them on member.removed', () => {
    cache.set('c', [{userId: 'ann', from: 1, to: null}]);
    cache.apply(added(4, 'c', 'bob', 'cy'));
    cache.apply(removed(7, 'c', 'bob'));
    expect(cache.membersAt('c', 3)).to.eql(['ann']);
    expect(cache.membersAt('c', 4)).to.eql(['ann', 'bob', 'cy']);
    expect(cache.membersAt('c', 7)).to.eql(['ann', 'bob', 'cy']);
    expect(cache.membersAt('c', 8)).to.eql(['ann', 'cy']);
    expect(cache.members('c')).to.eql(['ann', 'cy']);
  });

  it('changes nothing for events the loaded periods already hold', () => {
    // loaded after bob joined at 4, left at 7 and joined again at 9
    const loaded = [
      {userId: 'ann', from: 1, to: null},
      {userId: 'bob', from: 4, to: 7},
      {userId: 'bob', from: 9, to: null},
    ];
    cache.set(
      'c',
      loaded.map(p => ({...p})),
    );
    // the hub then routes those same events, in log order
    cache.apply(added(4, 'c', 'bob'));
    cache.apply(removed(7, 'c', 'bob'));
    cache.apply(added(9, 'c', 'bob'));
    expect(cache.membersAt('c', 8)).to.eql(['ann']);
    expect(cache.membersAt('c', 9)).to.eql(['ann', 'bob']);
    expect(cache.members('c')).to.eql(['ann', 'bob']);
  });

  it('ignores events of conversations it has not loaded, and ephemeral ones', () => {
    cache.apply(added(2, 'other', 'ann'));
    expect(cache.has('other')).to.be.false();
    cache.set('c', []);
    cache.apply(event(null, 'c', 'member.added', {members: [{userId: 'x'}]}));
    cache.apply(event(3, 'c', 'message.created'));
    expect(cache.members('c')).to.eql([]);
  });

  it('replaces the periods of a conversation that is loaded again', () => {
    cache.set('c', [{userId: 'ann', from: 1, to: null}]);
    cache.set('c', [{userId: 'bob', from: 1, to: null}]);
    expect(cache.members('c')).to.eql(['bob']);
  });

  it('evicts the least recently loaded conversation beyond its bound', () => {
    for (const id of ['a', 'b', 'c']) cache.set(id, []);
    cache.set('a', []); // loaded again: the most recent now
    cache.set('d', []);
    expect(['a', 'b', 'c', 'd'].filter(id => cache.has(id))).to.eql([
      'a',
      'c',
      'd',
    ]);
  });

  it('keeps a conversation the hub just found loaded while it loads others', () => {
    // the hub checks every conversation of a page with has(), loads the
    // missing ones, then routes the page: loading must not evict one it
    // found, or that conversation's events would reach nobody
    for (const id of ['a', 'b', 'c']) cache.set(id, []);
    cache.apply(added(1, 'a', 'ann'));
    expect(cache.has('a')).to.be.true();
    cache.set('d', []);
    expect(cache.has('a')).to.be.true();
    expect(cache.membersAt('a', 1)).to.eql(['ann']);
    expect(cache.has('b')).to.be.false();
  });

  it('forgets everything on clear()', () => {
    cache.set('a', [{userId: 'ann', from: 1, to: null}]);
    cache.clear();
    expect(cache.has('a')).to.be.false();
    expect(cache.members('a')).to.eql([]);
  });
});
